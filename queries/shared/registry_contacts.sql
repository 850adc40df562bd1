-- The registry's contacts and their relationships to patients (schema 00023).
-- app/registry checks every write and records it in registry_changes.

-- name: InsertRegistryContact :one
INSERT INTO registry_contacts (registry_id, first_name, surname, email, phone, address, postcode,
    preferred_language, preferred_channel, may_contact, notes, created_at, created_by, updated_at, updated_by, version)
VALUES (@registry_id, @first_name, @surname, @email, @phone, @address, @postcode,
    @preferred_language, @preferred_channel, @may_contact, @notes, @created_at, @created_by, @created_at, @created_by, 1)
RETURNING id;

-- RegistryContact is one contact as stored, deleted or not.

-- name: GetRegistryContact :one
SELECT * FROM registry_contacts WHERE id = @id;

-- UpdateRegistryContact writes every editable field at once and bumps the
-- version, if the row is still at Version and not deleted: 0 rows otherwise.

-- name: UpdateRegistryContact :execrows
UPDATE registry_contacts SET first_name = @first_name, surname = @surname, email = @email, phone = @phone,
    address = @address, postcode = @postcode, preferred_language = @preferred_language,
    preferred_channel = @preferred_channel, may_contact = @may_contact, notes = @notes,
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- SetRegistryContactDeleted deletes (DeletedAt set) or restores (nil) a
-- contact; MergedIntoID says which contact it was merged into, if any.

-- name: SetRegistryContactDeleted :execrows
UPDATE registry_contacts SET deleted_at = @deleted_at, deleted_by = @deleted_by, merged_into_id = @merged_into_id,
    needs_review = FALSE, updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id;

-- SetRegistryContactReview flags a contact for review (linked to nobody)
-- or clears the flag.

-- name: SetRegistryContactReview :execrows
UPDATE registry_contacts SET needs_review = @needs_review, updated_at = @updated_at, updated_by = @updated_by,
    version = version + 1
WHERE id = @id AND needs_review <> @needs_review;

-- RegistryContactListParams are the contact list's filters and page: Query
-- matches a name, email or phone prefix; Deleted as the patient list;
-- Review true lists only contacts flagged for review. Sort is surname or
-- updated_at (one computed key: sqlc on SQLite drops ORDER BY parameters).

-- RegistryContactListItem is one row of the contact list, with how many
-- current (not ended, not deleted) relationships it has.

-- name: ListRegistryContacts :many
SELECT id, first_name, surname, email, phone, may_contact, needs_review, updated_at, version, deleted_at, current_links
FROM (
    SELECT c.id, c.first_name, c.surname, c.email, c.phone, c.may_contact, c.needs_review, c.updated_at, c.version,
        c.deleted_at,
        (SELECT count(*) FROM registry_relationships r WHERE r.contact_id = c.id AND r.deleted_at IS NULL
            AND r.end_date IS NULL) AS current_links,
        CASE CAST(@sort AS TEXT)
            WHEN 'updated_at' THEN CAST(c.updated_at AS TEXT)
            ELSE lower(c.surname || ', ' || c.first_name) END AS sort_key,
        CAST(@descending AS BOOLEAN) AS descending
    FROM registry_contacts c
    WHERE c.registry_id = @registry_id
      AND ((CAST(@deleted AS TEXT) = 'yes') = (c.deleted_at IS NOT NULL))
      AND (NOT CAST(@review AS BOOLEAN) OR c.needs_review)
      AND (CAST(@query AS TEXT) = '' OR lower(c.surname) LIKE CAST(@query AS TEXT) || '%' OR lower(c.first_name) LIKE CAST(@query AS TEXT) || '%'
           OR lower(c.surname || ', ' || c.first_name) LIKE CAST(@query AS TEXT) || '%'
           OR c.email LIKE CAST(@query AS TEXT) || '%' OR c.phone LIKE CAST(@query AS TEXT) || '%')
) AS listed
ORDER BY CASE WHEN descending THEN NULL ELSE sort_key END ASC, CASE WHEN descending THEN sort_key END DESC,
    lower(surname), lower(first_name), id
LIMIT @page_limit OFFSET @page_offset;

-- name: CountRegistryContacts :one
SELECT count(*) FROM registry_contacts c
WHERE c.registry_id = @registry_id
  AND ((CAST(@deleted AS TEXT) = 'yes') = (c.deleted_at IS NOT NULL))
  AND (NOT CAST(@review AS BOOLEAN) OR c.needs_review)
  AND (CAST(@query AS TEXT) = '' OR lower(c.surname) LIKE CAST(@query AS TEXT) || '%' OR lower(c.first_name) LIKE CAST(@query AS TEXT) || '%'
       OR lower(c.surname || ', ' || c.first_name) LIKE CAST(@query AS TEXT) || '%'
       OR c.email LIKE CAST(@query AS TEXT) || '%' OR c.phone LIKE CAST(@query AS TEXT) || '%');

-- FindRegistryContactDuplicates lists the contacts (deleted ones too) with
-- the email or phone, or the same name, other than ExceptID.

-- name: FindRegistryContactDuplicates :many
SELECT * FROM registry_contacts
WHERE registry_id = @registry_id AND id <> @except_id
  AND ((CAST(@email AS TEXT) <> '' AND email = CAST(@email AS TEXT))
    OR (CAST(@phone AS TEXT) <> '' AND phone = CAST(@phone AS TEXT))
    OR (lower(surname) = lower(@surname) AND lower(first_name) = lower(@first_name)))
ORDER BY id
LIMIT 20;

-- name: ListRegistryContactsToPurge :many
SELECT id FROM registry_contacts WHERE deleted_at < @before ORDER BY id LIMIT @page_limit;

-- PurgeRegistryContact removes a deleted contact for good, with its
-- relationships (cascade). Contacts merged into it keep pointing nowhere.

-- name: PurgeRegistryContact :execrows
DELETE FROM registry_contacts WHERE id = @id AND deleted_at IS NOT NULL;

-- name: ClearRegistryMergedInto :exec
UPDATE registry_contacts SET merged_into_id = NULL WHERE merged_into_id = @contact_id;

-- name: DeleteRegistryContactChanges :exec
DELETE FROM registry_changes WHERE contact_id = @contact_id;

-- name: InsertRegistryRelationship :one
INSERT INTO registry_relationships (patient_id, contact_id, type, legal_authority, may_act, is_primary,
    start_date, end_date, created_at, created_by, updated_at, updated_by, version)
VALUES (@patient_id, @contact_id, @type, @legal_authority, @may_act, @is_primary,
    @start_date, @end_date, @created_at, @created_by, @created_at, @created_by, 1)
RETURNING id;

-- RegistryRelationship is one link of a contact to a patient.

-- name: GetRegistryRelationship :one
SELECT * FROM registry_relationships WHERE id = @id;

-- UpdateRegistryRelationship writes every field of a link (its contact
-- too: a merge moves it) if it is still at Version: 0 rows otherwise.

-- name: UpdateRegistryRelationship :execrows
UPDATE registry_relationships SET contact_id = @contact_id, type = @type, legal_authority = @legal_authority,
    may_act = @may_act, is_primary = @is_primary, start_date = @start_date, end_date = @end_date,
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- name: DeleteRegistryRelationship :execrows
UPDATE registry_relationships SET deleted_at = @deleted_at, updated_at = @deleted_at, updated_by = @updated_by,
    version = version + 1
WHERE id = @id AND deleted_at IS NULL;

-- PurgeRegistryRelationships removes for good the relationships deleted
-- (made by mistake) before Before. Their trail stays: both sides still
-- exist, and their history says the link was made and taken back.

-- name: PurgeRegistryRelationships :execrows
DELETE FROM registry_relationships WHERE deleted_at < @before;

-- RegistryLink is a relationship with the names of both sides, for a
-- patient's page (its contacts) or a contact's (its patients).

-- ListRegistryLinks lists the relationships (not deleted) of a patient
-- (PatientID) or a contact (ContactID); 0 leaves that side off. Deleted
-- patients and contacts are left out unless IncludeDeleted.

-- name: ListRegistryLinks :many
SELECT r.id, r.patient_id, r.contact_id, r.type, r.legal_authority, r.may_act, r.is_primary, r.start_date,
    r.end_date, r.version, p.registry_ref, p.first_name AS patient_first_name, p.surname AS patient_surname,
    c.first_name AS contact_first_name, c.surname AS contact_surname, c.email AS contact_email,
    c.phone AS contact_phone
FROM registry_relationships r
JOIN registry_patients p ON p.id = r.patient_id
JOIN registry_contacts c ON c.id = r.contact_id
WHERE r.deleted_at IS NULL
  AND ((CAST(@patient_id AS BIGINT) <> 0 AND r.patient_id = CAST(@patient_id AS BIGINT))
    OR (CAST(@contact_id AS BIGINT) <> 0 AND r.contact_id = CAST(@contact_id AS BIGINT)))
  AND (CAST(@include_deleted AS BOOLEAN) OR (p.deleted_at IS NULL AND c.deleted_at IS NULL))
ORDER BY r.end_date IS NOT NULL, r.is_primary DESC, r.id;
