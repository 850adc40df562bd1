-- ChildDemographicCount is one combination of a cohort's counted children.

-- CountChildDemographics counts a cohort's registered children (not
-- deleted) by lead organisation, sex, ethnicity, age at the first
-- paediatric assessment (whole days / 365.25, the audit's way; -1 not
-- known) and deprivation quintile (0 not known).

-- name: CountChildDemographics :many
SELECT c.lead_organisation_id, CAST(coalesce(c.sex, 0) AS bigint) AS sex, CAST(coalesce(c.ethnicity, '') AS text) AS ethnicity,
    CAST(coalesce(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25), -1) AS bigint) AS age,
    CAST(coalesce(d.imd_quintile, 0) AS bigint) AS imd_quintile,
    count(*) AS children
FROM children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode
WHERE c.cohort = @cohort AND c.registered_at IS NOT NULL AND c.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;
