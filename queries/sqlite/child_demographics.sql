-- CountChildDemographics: queries/postgres/child_demographics.sql, with
-- SQLite's date arithmetic.

-- name: CountChildDemographics :many
SELECT c.lead_organisation_id, CAST(coalesce(c.sex, 0) AS bigint) AS sex, CAST(coalesce(c.ethnicity, '') AS text) AS ethnicity,
    CAST(coalesce(CAST((julianday(c.first_paediatric_assessment_date) - julianday(c.date_of_birth)) / 365.25 AS INTEGER), -1) AS bigint) AS age,
    CAST(coalesce(d.imd_quintile, 0) AS bigint) AS imd_quintile,
    count(*) AS children
FROM children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode
WHERE c.cohort = @cohort AND c.registered_at IS NOT NULL AND c.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;
