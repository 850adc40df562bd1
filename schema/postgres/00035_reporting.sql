-- +goose Up
-- GENERATED from app/reporting (Views) by `go test ./app/reporting -run Migration -update`: do not edit.
-- The masked reporting schema for BI tools (docs/reporting.md). The views
-- run with their owner's rights, so the reporting role reads them without
-- any right on the tables beneath. The pseudonym key's HMAC pads sit in
-- reporting_private, which only the owner reads; reporting.pseudonym
-- (SECURITY DEFINER) hashes with them. The app writes the pads at start-up
-- from --reporting-key (reporting.SetKey); without a key pseudonyms are
-- empty.
CREATE SCHEMA reporting_private;
REVOKE ALL ON SCHEMA reporting_private FROM PUBLIC;
CREATE TABLE reporting_private.pseudonym_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    ipad BYTEA NOT NULL,
    opad BYTEA NOT NULL
);
CREATE SCHEMA reporting;
-- +goose StatementBegin
CREATE FUNCTION reporting.pseudonym(kind TEXT, id BIGINT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT left(encode(sha256(k.opad || sha256(k.ipad || convert_to(kind || ':' || id::text, 'UTF8'))), 'hex'), 16)
    FROM reporting_private.pseudonym_key k
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION reporting.pseudonym(TEXT, BIGINT) FROM PUBLIC;

-- The audit's organisations with their trust or health board, ICB, region and country: public reference data.
CREATE VIEW reporting.organisations AS
SELECT id AS organisation_id,
    ods_code AS ods_code,
    name AS name,
    coalesce(nullif(trust_name, ''), health_board_name) AS trust_or_health_board,
    icb_name AS icb,
    region_name AS nhs_england_region,
    network_name AS openuk_network,
    country_name AS country
FROM organisation_details;

-- One row per child in the audit (not deleted).
CREATE VIEW reporting.children AS
SELECT reporting.pseudonym('child', c.id) AS child,
    c.lead_organisation_id AS organisation_id,
    c.cohort AS cohort,
    c.registered_at IS NOT NULL AS registered,
    c.locked_at IS NOT NULL AS locked,
    c.sex AS sex,
    c.ethnicity AS ethnicity,
    CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) AS age_at_first_assessment,
    CASE WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) IS NULL OR CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) < 0 THEN NULL WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 40 THEN '40 and over' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 25 THEN '25 to 39' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 16 THEN '16 to 24' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 10 THEN '10 to 15' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 5 THEN '5 to 9' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 1 THEN '1 to 4' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 0 THEN 'Under 1' END AS age_band_at_first_assessment,
    to_char(c.first_paediatric_assessment_date, 'YYYY-MM') AS first_assessment_month,
    CASE WHEN length(c.postcode) >= 5 THEN substr(c.postcode, 1, length(c.postcode) - 3) END AS postcode_district,
    d.imd_quintile AS imd_quintile
FROM children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode
WHERE c.deleted_at IS NULL;

-- Children counted by organisation, cohort, sex, ethnicity, age band and deprivation quintile.
CREATE VIEW reporting.children_counts AS
SELECT c.lead_organisation_id AS organisation_id,
    c.cohort AS cohort,
    c.sex AS sex,
    c.ethnicity AS ethnicity,
    CASE WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) IS NULL OR CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) < 0 THEN NULL WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 40 THEN '40 and over' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 25 THEN '25 to 39' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 16 THEN '16 to 24' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 10 THEN '10 to 15' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 5 THEN '5 to 9' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 1 THEN '1 to 4' WHEN CAST(floor((c.first_paediatric_assessment_date - c.date_of_birth) / 365.25) AS bigint) >= 0 THEN 'Under 1' END AS age_band_at_first_assessment,
    d.imd_quintile AS imd_quintile,
    count(*) AS children
FROM children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode
WHERE c.deleted_at IS NULL AND c.registered_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

-- Each scored child's 21 measures: 1 pass, 0 fail, 2 ineligible, empty not scored.
CREATE VIEW reporting.kpi_results AS
SELECT reporting.pseudonym('child', c.id) AS child,
    c.lead_organisation_id AS organisation_id,
    c.cohort AS cohort,
    to_char(k.computed_at, 'YYYY-MM') AS computed_month,
    k.paediatrician_with_expertise_in_epilepsies AS paediatrician_with_expertise_in_epilepsies,
    k.epilepsy_specialist_nurse AS epilepsy_specialist_nurse,
    k.tertiary_input AS tertiary_input,
    k.epilepsy_surgery_referral AS epilepsy_surgery_referral,
    k.ecg AS ecg,
    k.mri AS mri,
    k.assessment_of_mental_health_issues AS assessment_of_mental_health_issues,
    k.mental_health_support AS mental_health_support,
    k.sodium_valproate AS sodium_valproate,
    k.comprehensive_care_planning_agreement AS comprehensive_care_planning_agreement,
    k.patient_held_individualised_epilepsy_document AS patient_held_individualised_epilepsy_document,
    k.patient_carer_parent_agreement_to_the_care_planning AS patient_carer_parent_agreement_to_the_care_planning,
    k.care_planning_has_been_updated_when_necessary AS care_planning_has_been_updated_when_necessary,
    k.comprehensive_care_planning_content AS comprehensive_care_planning_content,
    k.parental_prolonged_seizures_care_plan AS parental_prolonged_seizures_care_plan,
    k.water_safety AS water_safety,
    k.first_aid AS first_aid,
    k.general_participation_and_risk AS general_participation_and_risk,
    k.service_contact_details AS service_contact_details,
    k.sudep AS sudep,
    k.school_individual_healthcare_plan AS school_individual_healthcare_plan
FROM kpi_results k JOIN children c ON c.id = k.child_id
WHERE c.deleted_at IS NULL;

-- One row per registry patient (not deleted).
CREATE VIEW reporting.registry_patients AS
SELECT reporting.pseudonym('patient', p.id) AS patient,
    r.slug AS registry,
    p.sex AS sex,
    CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) AS age,
    CASE WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) IS NULL OR CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) < 0 THEN NULL WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 40 THEN '40 and over' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 25 THEN '25 to 39' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 16 THEN '16 to 24' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 10 THEN '10 to 15' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 5 THEN '5 to 9' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 1 THEN '1 to 4' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 0 THEN 'Under 1' END AS age_band,
    CAST(date_part('year', p.date_of_birth) AS bigint) AS birth_year,
    CASE WHEN length(p.postcode) >= 5 THEN substr(p.postcode, 1, length(p.postcode) - 3) END AS postcode_district,
    CAST(date_part('year', p.diagnosis_date) AS bigint) AS diagnosis_year,
    p.diagnosis_confirmation AS diagnosis_confirmation,
    p.clinical_status AS clinical_status,
    (p.date_of_death IS NOT NULL) AS deceased,
    to_char(p.created_at, 'YYYY-MM') AS registered_month
FROM registry_patients p JOIN registries r ON r.id = p.registry_id
WHERE p.deleted_at IS NULL;

-- Registry patients counted by month registered, sex and age band.
CREATE VIEW reporting.registry_patient_counts AS
SELECT r.slug AS registry,
    to_char(p.created_at, 'YYYY-MM') AS registered_month,
    p.sex AS sex,
    CASE WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) IS NULL OR CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) < 0 THEN NULL WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 40 THEN '40 and over' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 25 THEN '25 to 39' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 16 THEN '16 to 24' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 10 THEN '10 to 15' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 5 THEN '5 to 9' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 1 THEN '1 to 4' WHEN CAST(floor((current_date - p.date_of_birth) / 365.25) AS bigint) >= 0 THEN 'Under 1' END AS age_band,
    count(*) AS patients
FROM registry_patients p JOIN registries r ON r.id = p.registry_id
WHERE p.deleted_at IS NULL
GROUP BY 1, 2, 3, 4;

-- Genetic findings: gene and classification. The variant itself, the lab report and who confirmed it are left out: a rare variant can identify a family.
CREATE VIEW reporting.registry_findings AS
SELECT reporting.pseudonym('patient', p.id) AS patient,
    f.gene AS gene,
    f.classification AS classification,
    to_char(f.created_at, 'YYYY-MM') AS recorded_month
FROM registry_findings f JOIN registry_patients p ON p.id = f.patient_id
WHERE p.deleted_at IS NULL;

-- Contacts (not deleted, not merged away): how they may be reached, never the details themselves.
CREATE VIEW reporting.registry_contacts AS
SELECT reporting.pseudonym('contact', k.id) AS contact,
    r.slug AS registry,
    CASE WHEN length(k.postcode) >= 5 THEN substr(k.postcode, 1, length(k.postcode) - 3) END AS postcode_district,
    k.email <> '' AS has_email,
    k.phone <> '' AS has_phone,
    k.preferred_language AS preferred_language,
    k.preferred_channel AS preferred_channel,
    k.may_contact AS may_contact,
    k.needs_review AS needs_review
FROM registry_contacts k JOIN registries r ON r.id = k.registry_id
WHERE k.deleted_at IS NULL AND k.merged_into_id IS NULL;

-- Links between patients and contacts (not deleted).
CREATE VIEW reporting.registry_relationships AS
SELECT reporting.pseudonym('patient', p.id) AS patient,
    reporting.pseudonym('contact', k.id) AS contact,
    l.type AS type,
    l.legal_authority AS legal_authority,
    l.may_act AS may_act,
    l.is_primary AS is_primary,
    CAST(date_part('year', l.start_date) AS bigint) AS start_year,
    (l.end_date IS NOT NULL) AS ended
FROM registry_relationships l JOIN registry_patients p ON p.id = l.patient_id JOIN registry_contacts k ON k.id = l.contact_id
WHERE l.deleted_at IS NULL AND p.deleted_at IS NULL AND k.deleted_at IS NULL;

-- +goose Down
DROP SCHEMA reporting CASCADE;
DROP SCHEMA reporting_private CASCADE;
