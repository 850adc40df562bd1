-- The lookups and counts behind the registry's reports, the audit's
-- demographics (app/report, docs/reporting.md) and the deprivation lookup
-- the operator loads (schema 00034, docs/reference-data.md).

-- name: DeletePostcodeDeprivation :exec
DELETE FROM postcode_deprivation;

-- name: InsertPostcodeDeprivation :exec
INSERT INTO postcode_deprivation (postcode, lsoa_code, imd_decile, imd_quintile)
VALUES (@postcode, @lsoa_code, @imd_decile, @imd_quintile)
ON CONFLICT (postcode) DO UPDATE SET lsoa_code = excluded.lsoa_code, imd_decile = excluded.imd_decile,
    imd_quintile = excluded.imd_quintile;

-- name: CountPostcodeDeprivation :one
SELECT count(*) FROM postcode_deprivation;

-- RegistryReportPatient is what the registry's reports count of each
-- patient not deleted: never a name or an identifier.

-- name: ListRegistryReportPatients :many
SELECT sex, date_of_birth, postcode, created_at FROM registry_patients
WHERE registry_id = @registry_id AND deleted_at IS NULL
ORDER BY id;

-- RegistryFindingCount is a registry's findings of one gene and classification.

-- name: CountRegistryFindings :many
SELECT f.gene, f.classification, count(*) AS findings, count(DISTINCT f.patient_id) AS patients
FROM registry_findings f JOIN registry_patients p ON p.id = f.patient_id
WHERE p.registry_id = @registry_id AND p.deleted_at IS NULL
GROUP BY f.gene, f.classification
ORDER BY f.gene, f.classification;

-- RegistryConsentCount is how many patients (not deleted) of a registry
-- hold one consent in force (their latest statement): its version and
-- what it agreed. Package registry says what each means (Consent.State).

-- name: CountRegistryConsents :many
SELECT v.version AS version_number, c.take_part, c.research_contact, c.share_deidentified, count(*) AS patients
FROM registry_patients p
JOIN registry_consents c ON c.id = (SELECT max(c2.id) FROM registry_consents c2 WHERE c2.patient_id = p.id)
JOIN registry_consent_versions v ON v.id = c.version_id
WHERE p.registry_id = @registry_id AND p.deleted_at IS NULL
GROUP BY v.version, c.take_part, c.research_contact, c.share_deidentified
ORDER BY v.version, c.take_part, c.research_contact, c.share_deidentified;

-- name: CountRegistryPatientsWithoutConsent :one
SELECT count(*) FROM registry_patients p
WHERE p.registry_id = @registry_id AND p.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM registry_consents c WHERE c.patient_id = p.id);
