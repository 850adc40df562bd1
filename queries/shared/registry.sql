-- The registries hosted beside the audit and the registry's one trail
-- (schema 00023, docs/registry.md).

-- name: UpsertRegistry :one
INSERT INTO registries (slug, name, definition, updated_at)
VALUES (@slug, @name, @definition, @updated_at)
ON CONFLICT (slug) DO UPDATE SET name = excluded.name, definition = excluded.definition, updated_at = excluded.updated_at
RETURNING id;

-- Registry is one registry with its definition (JSON, app/registry).

-- name: GetRegistryBySlug :one
SELECT id, slug, name, definition, updated_at FROM registries WHERE slug = @slug;

-- name: ListRegistries :many
SELECT id, slug, name, definition, updated_at FROM registries ORDER BY name, id;

-- name: InsertRegistryChange :exec
INSERT INTO registry_changes (registry_id, entity, entity_id, patient_id, contact_id, field, old_value, new_value,
    version, cause, note, changed_at, changed_by, changed_by_family, request_id)
VALUES (@registry_id, @entity, @entity_id, @patient_id, @contact_id, @field, @old_value, @new_value,
    @version, @cause, @note, @changed_at, @changed_by, @changed_by_family, @request_id);

-- RegistryChange is one change in the registry's trail, with the name of
-- who made it: a staff user, or a family account (ChangedByFamily; its
-- contact's name and "(family)"), "" for the command line or a job.

-- ListRegistryChangesParams pick a patient's trail (PatientID) or a
-- contact's (ContactID); 0 leaves that side off.

-- name: ListRegistryChanges :many
SELECT c.id, c.entity, c.entity_id, c.patient_id, c.contact_id, c.field, c.old_value, c.new_value, c.version,
    c.cause, c.note, c.changed_at, c.changed_by, c.changed_by_family,
    CAST(coalesce(u.first_name || ' ' || u.surname, fc.first_name || ' ' || fc.surname || ' (family)', '') AS TEXT) AS changed_by_name,
    c.request_id
FROM registry_changes c
LEFT JOIN users u ON u.id = c.changed_by
LEFT JOIN family_accounts fa ON fa.id = c.changed_by_family
LEFT JOIN registry_contacts fc ON fc.id = fa.contact_id
WHERE (CAST(@patient_id AS BIGINT) <> 0 AND c.patient_id = CAST(@patient_id AS BIGINT))
   OR (CAST(@contact_id AS BIGINT) <> 0 AND c.contact_id = CAST(@contact_id AS BIGINT))
ORDER BY c.id DESC
LIMIT @page_limit;

-- GetLastRegistryFieldChange is the latest change to one field of one
-- record: autosave's conflict check.

-- name: GetLastRegistryFieldChange :one
SELECT c.id, c.entity, c.entity_id, c.patient_id, c.contact_id, c.field, c.old_value, c.new_value, c.version,
    c.cause, c.note, c.changed_at, c.changed_by, c.changed_by_family,
    CAST(coalesce(u.first_name || ' ' || u.surname, fc.first_name || ' ' || fc.surname || ' (family)', '') AS TEXT) AS changed_by_name,
    c.request_id
FROM registry_changes c
LEFT JOIN users u ON u.id = c.changed_by
LEFT JOIN family_accounts fa ON fa.id = c.changed_by_family
LEFT JOIN registry_contacts fc ON fc.id = fa.contact_id
WHERE c.entity = @entity AND c.entity_id = @entity_id AND c.field = @field
ORDER BY c.id DESC
LIMIT 1;
