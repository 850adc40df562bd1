-- Consent in the patient registry (schema 00026, docs/registry.md "Consent
-- versions"): published consent texts, patients' consent statements, the
-- registry's settings. app/registry/consent.go is their only writer.

-- name: InsertConsentVersion :one
INSERT INTO registry_consent_versions (registry_id, version, text, published_at, published_by)
VALUES (@registry_id, @version, @text, @published_at, @published_by)
RETURNING id;

-- ConsentVersion is one published consent text, never changed.

-- name: GetConsentVersion :one
SELECT * FROM registry_consent_versions WHERE id = @id;

-- name: GetCurrentConsentVersion :one
SELECT * FROM registry_consent_versions WHERE registry_id = @registry_id ORDER BY version DESC LIMIT 1;

-- name: ListConsentVersions :many
SELECT * FROM registry_consent_versions WHERE registry_id = @registry_id ORDER BY version DESC;

-- name: InsertPatientConsent :one
INSERT INTO registry_consents (patient_id, contact_id, version_id, kind, take_part, research_contact,
    share_deidentified, given_at, recorded_by, withdrawn_at, withdrawn_by, withdrawn_how, delete_due_at)
VALUES (@patient_id, @contact_id, @version_id, @kind, @take_part, @research_contact,
    @share_deidentified, @given_at, @recorded_by, @withdrawn_at, @withdrawn_by, @withdrawn_how, @delete_due_at)
RETURNING id;

-- PatientConsent is one consent statement of a patient, with the number of
-- the version it was given to, who gave it ("" for staff on the patient's
-- own word) and who recorded it ("" for the family themselves).

-- name: GetCurrentPatientConsent :one
SELECT c.id, c.patient_id, c.contact_id, c.version_id, v.version AS version_number, c.kind, c.take_part,
    c.research_contact, c.share_deidentified, c.given_at, c.recorded_by, c.withdrawn_at, c.withdrawn_by,
    c.withdrawn_how, c.delete_due_at,
    CAST(coalesce(ct.first_name || ' ' || ct.surname, '') AS TEXT) AS contact_name,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS recorded_by_name
FROM registry_consents c
JOIN registry_consent_versions v ON v.id = c.version_id
LEFT JOIN registry_contacts ct ON ct.id = c.contact_id
LEFT JOIN users u ON u.id = c.recorded_by
WHERE c.patient_id = @patient_id
ORDER BY c.id DESC
LIMIT 1;

-- name: ListPatientConsents :many
SELECT c.id, c.patient_id, c.contact_id, c.version_id, v.version AS version_number, c.kind, c.take_part,
    c.research_contact, c.share_deidentified, c.given_at, c.recorded_by, c.withdrawn_at, c.withdrawn_by,
    c.withdrawn_how, c.delete_due_at,
    CAST(coalesce(ct.first_name || ' ' || ct.surname, '') AS TEXT) AS contact_name,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS recorded_by_name
FROM registry_consents c
JOIN registry_consent_versions v ON v.id = c.version_id
LEFT JOIN registry_contacts ct ON ct.id = c.contact_id
LEFT JOIN users u ON u.id = c.recorded_by
WHERE c.patient_id = @patient_id
ORDER BY c.id DESC;

-- ReconsentRecipient is a contact to ask to consent again for a patient:
-- the patient takes part under an older version than Version, and the
-- contact, linked now with legal authority or leave to act, may be
-- emailed.

-- name: ListReconsentRecipients :many
SELECT p.id AS patient_id, p.first_name AS patient_first_name, ct.id AS contact_id, ct.first_name, ct.surname, ct.email
FROM registry_patients p
JOIN registry_consents c ON c.patient_id = p.id
JOIN registry_consent_versions v ON v.id = c.version_id
JOIN registry_relationships r ON r.patient_id = p.id
JOIN registry_contacts ct ON ct.id = r.contact_id
WHERE p.registry_id = @registry_id AND p.deleted_at IS NULL AND p.date_of_death IS NULL
  AND c.id = (SELECT max(c2.id) FROM registry_consents c2 WHERE c2.patient_id = p.id)
  AND c.take_part AND v.version < @version
  AND r.deleted_at IS NULL AND r.end_date IS NULL AND (r.legal_authority OR r.may_act)
  AND ct.deleted_at IS NULL AND ct.may_contact AND ct.email <> ''
ORDER BY p.id, ct.id;

-- ListConsentDeletionsDue lists patients whose consent in force is a
-- withdrawal under the "delete" policy that has come due at Now.

-- name: ListConsentDeletionsDue :many
SELECT c.patient_id
FROM registry_consents c
JOIN registry_patients p ON p.id = c.patient_id
WHERE c.delete_due_at <= @now AND p.deleted_at IS NULL
  AND c.id = (SELECT max(c2.id) FROM registry_consents c2 WHERE c2.patient_id = c.patient_id)
ORDER BY c.patient_id
LIMIT @page_limit;

-- RegistrySettings are one registry's settings (no row: the defaults).

-- name: GetRegistrySettings :one
SELECT * FROM registry_settings WHERE registry_id = @registry_id;

-- name: UpsertRegistrySettings :exec
INSERT INTO registry_settings (registry_id, verification_hours, withdrawal_policy, withdrawal_delete_after_days,
    family_second_factor, updated_at, updated_by)
VALUES (@registry_id, @verification_hours, @withdrawal_policy, @withdrawal_delete_after_days,
    @family_second_factor, @updated_at, @updated_by)
ON CONFLICT (registry_id) DO UPDATE SET verification_hours = excluded.verification_hours,
    withdrawal_policy = excluded.withdrawal_policy,
    withdrawal_delete_after_days = excluded.withdrawal_delete_after_days,
    family_second_factor = excluded.family_second_factor,
    updated_at = excluded.updated_at, updated_by = excluded.updated_by;

-- ListRegistryEntityChanges is one record's own trail (a submission's, a
-- consent version's), newest first.

-- name: ListRegistryEntityChanges :many
SELECT c.id, c.entity, c.entity_id, c.patient_id, c.contact_id, c.field, c.old_value, c.new_value, c.version,
    c.cause, c.note, c.changed_at, c.changed_by, c.changed_by_family,
    CAST(coalesce(u.first_name || ' ' || u.surname, fc.first_name || ' ' || fc.surname || ' (family)', '') AS TEXT) AS changed_by_name,
    c.request_id
FROM registry_changes c
LEFT JOIN users u ON u.id = c.changed_by
LEFT JOIN family_accounts fa ON fa.id = c.changed_by_family
LEFT JOIN registry_contacts fc ON fc.id = fa.contact_id
WHERE c.registry_id = @registry_id AND c.entity = @entity AND c.entity_id = @entity_id
ORDER BY c.id DESC
LIMIT @page_limit;
