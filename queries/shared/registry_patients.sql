-- The registry's patients and their genetic findings (schema 00023). app/registry
-- checks every write and records it in registry_changes; reads of one row
-- return deleted rows too (the restore page needs them), lists say which.

-- name: InsertRegistryPatient :one
INSERT INTO registry_patients (registry_id, registry_ref, first_name, surname, date_of_birth, sex, nhs_number,
    postcode, diagnosis_date, diagnosis_confirmation, clinical_status, date_of_death, notes,
    created_at, created_by, updated_at, updated_by, version)
VALUES (@registry_id, @registry_ref, @first_name, @surname, @date_of_birth, @sex, @nhs_number,
    @postcode, @diagnosis_date, @diagnosis_confirmation, @clinical_status, @date_of_death, @notes,
    @created_at, @created_by, @created_at, @created_by, 1)
RETURNING id;

-- RegistryPatient is one patient as stored, deleted or not.

-- name: GetRegistryPatient :one
SELECT * FROM registry_patients WHERE id = @id;

-- name: GetRegistryPatientByRef :one
SELECT * FROM registry_patients WHERE registry_ref = @registry_ref;

-- UpdateRegistryPatient writes every editable field at once and bumps the
-- version, if the row is still at Version and not deleted: 0 rows otherwise.

-- name: UpdateRegistryPatient :execrows
UPDATE registry_patients SET first_name = @first_name, surname = @surname, date_of_birth = @date_of_birth,
    sex = @sex, nhs_number = @nhs_number, postcode = @postcode, diagnosis_date = @diagnosis_date,
    diagnosis_confirmation = @diagnosis_confirmation, clinical_status = @clinical_status,
    date_of_death = @date_of_death, notes = @notes, updated_at = @updated_at, updated_by = @updated_by,
    version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- SetRegistryPatientDeleted deletes (DeletedAt set) or restores (nil) a
-- patient, bumping its version.

-- name: SetRegistryPatientDeleted :execrows
UPDATE registry_patients SET deleted_at = @deleted_at, deleted_by = @deleted_by, updated_at = @updated_at,
    updated_by = @updated_by, version = version + 1
WHERE id = @id;

-- RegistryPatientListParams are the patient list's filters and page: Query
-- matches a name (start of surname or first name, or "surname, first"), the
-- registry ID or NHS number prefix; Deleted "yes" lists only deleted
-- patients, else only the others; Status a clinical status code ("": any).
-- Sort is surname, date_of_birth, registry_ref or updated_at.

-- RegistryPatientListItem is one row of the patient list.

-- name: ListRegistryPatients :many
SELECT id, registry_ref, first_name, surname, date_of_birth, sex, nhs_number, clinical_status, date_of_death,
    updated_at, version, deleted_at
FROM (
    SELECT id, registry_ref, first_name, surname, date_of_birth, sex, coalesce(nhs_number, '') AS nhs_number,
        clinical_status, date_of_death, updated_at, version, deleted_at,
        CASE CAST(@sort AS TEXT)
            WHEN 'date_of_birth' THEN CAST(date_of_birth AS TEXT)
            WHEN 'registry_ref' THEN registry_ref
            WHEN 'updated_at' THEN CAST(updated_at AS TEXT)
            ELSE lower(surname || ', ' || first_name) END AS sort_key,
        CAST(@descending AS BOOLEAN) AS descending
    FROM registry_patients
    WHERE registry_id = @registry_id
      AND ((CAST(@deleted AS TEXT) = 'yes') = (deleted_at IS NOT NULL))
      AND (CAST(@status AS TEXT) = '' OR clinical_status = CAST(@status AS TEXT))
      AND (CAST(@query AS TEXT) = '' OR lower(surname) LIKE CAST(@query AS TEXT) || '%'
           OR lower(first_name) LIKE CAST(@query AS TEXT) || '%'
           OR lower(surname || ', ' || first_name) LIKE CAST(@query AS TEXT) || '%'
           OR registry_ref LIKE upper(CAST(@query AS TEXT)) || '%' OR nhs_number LIKE CAST(@query AS TEXT) || '%')
) AS listed
ORDER BY CASE WHEN descending THEN NULL ELSE sort_key END ASC, CASE WHEN descending THEN sort_key END DESC,
    lower(surname), lower(first_name), id
LIMIT @page_limit OFFSET @page_offset;

-- name: CountRegistryPatients :one
SELECT count(*) FROM registry_patients
WHERE registry_id = @registry_id
  AND ((CAST(@deleted AS TEXT) = 'yes') = (deleted_at IS NOT NULL))
  AND (CAST(@status AS TEXT) = '' OR clinical_status = CAST(@status AS TEXT))
  AND (CAST(@query AS TEXT) = '' OR lower(surname) LIKE CAST(@query AS TEXT) || '%' OR lower(first_name) LIKE CAST(@query AS TEXT) || '%'
       OR lower(surname || ', ' || first_name) LIKE CAST(@query AS TEXT) || '%'
       OR registry_ref LIKE upper(CAST(@query AS TEXT)) || '%' OR nhs_number LIKE CAST(@query AS TEXT) || '%');

-- FindRegistryPatientDuplicates lists the patients (deleted ones too) with
-- the NHS number, or the same name and date of birth: the possible
-- duplicates of a patient being added or edited, other than ExceptID.

-- name: FindRegistryPatientDuplicates :many
SELECT * FROM registry_patients
WHERE registry_id = @registry_id AND id <> @except_id
  AND ((CAST(@nhs_number AS TEXT) <> '' AND nhs_number = CAST(@nhs_number AS TEXT))
    OR (lower(surname) = lower(@surname) AND lower(first_name) = lower(@first_name) AND date_of_birth = @date_of_birth))
ORDER BY id
LIMIT 20;

-- ListRegistryPatientsToPurge lists patients deleted before Before.

-- name: ListRegistryPatientsToPurge :many
SELECT id FROM registry_patients WHERE deleted_at < @before ORDER BY id LIMIT @page_limit;

-- PurgeRegistryPatient removes a patient for good, with its findings and
-- relationships (cascade); its trail goes by DeleteRegistryPatientChanges.

-- name: PurgeRegistryPatient :execrows
DELETE FROM registry_patients WHERE id = @id AND deleted_at IS NOT NULL;

-- name: DeleteRegistryPatientChanges :exec
DELETE FROM registry_changes WHERE patient_id = @patient_id;

-- name: InsertRegistryFinding :one
INSERT INTO registry_findings (patient_id, gene, variant, classification, source_report, confirmed_by,
    created_at, updated_at, updated_by, version)
VALUES (@patient_id, @gene, @variant, @classification, @source_report, @confirmed_by,
    @created_at, @created_at, @updated_by, 1)
RETURNING id;

-- RegistryFinding is one genetic finding of a patient.

-- name: GetRegistryFinding :one
SELECT * FROM registry_findings WHERE id = @id;

-- name: ListRegistryFindings :many
SELECT * FROM registry_findings WHERE patient_id = @patient_id ORDER BY id;

-- name: UpdateRegistryFinding :execrows
UPDATE registry_findings SET gene = @gene, variant = @variant, classification = @classification,
    source_report = @source_report, confirmed_by = @confirmed_by, updated_at = @updated_at,
    updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version;

-- name: DeleteRegistryFinding :execrows
DELETE FROM registry_findings WHERE id = @id;
