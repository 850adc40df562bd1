-- +goose Up
-- Each child's KPI results (spec §2.15, §6), as the KPI job last computed
-- them: one column per stored measure, coded as Epilepsy12 stores them
-- (1 pass, 0 fail, 2 ineligible, NULL not scored), so aggregation (§8) is
-- one pass of SQL over this table. data_version is the child's version
-- that was scored: a job never overwrites a newer result with an older one.
CREATE TABLE kpi_results (
    child_id      INTEGER PRIMARY KEY REFERENCES children (id) ON DELETE CASCADE,
    rules_version TEXT NOT NULL,
    data_version  INTEGER NOT NULL,
    computed_at   TIMESTAMP NOT NULL,
    paediatrician_with_expertise_in_epilepsies           SMALLINT CHECK (paediatrician_with_expertise_in_epilepsies IN (0, 1, 2)),
    epilepsy_specialist_nurse                            SMALLINT CHECK (epilepsy_specialist_nurse IN (0, 1, 2)),
    tertiary_input                                       SMALLINT CHECK (tertiary_input IN (0, 1, 2)),
    epilepsy_surgery_referral                            SMALLINT CHECK (epilepsy_surgery_referral IN (0, 1, 2)),
    ecg                                                  SMALLINT CHECK (ecg IN (0, 1, 2)),
    mri                                                  SMALLINT CHECK (mri IN (0, 1, 2)),
    assessment_of_mental_health_issues                   SMALLINT CHECK (assessment_of_mental_health_issues IN (0, 1, 2)),
    mental_health_support                                SMALLINT CHECK (mental_health_support IN (0, 1, 2)),
    sodium_valproate                                     SMALLINT CHECK (sodium_valproate IN (0, 1, 2)),
    comprehensive_care_planning_agreement                SMALLINT CHECK (comprehensive_care_planning_agreement IN (0, 1, 2)),
    patient_held_individualised_epilepsy_document        SMALLINT CHECK (patient_held_individualised_epilepsy_document IN (0, 1, 2)),
    patient_carer_parent_agreement_to_the_care_planning  SMALLINT CHECK (patient_carer_parent_agreement_to_the_care_planning IN (0, 1, 2)),
    care_planning_has_been_updated_when_necessary        SMALLINT CHECK (care_planning_has_been_updated_when_necessary IN (0, 1, 2)),
    comprehensive_care_planning_content                  SMALLINT CHECK (comprehensive_care_planning_content IN (0, 1, 2)),
    parental_prolonged_seizures_care_plan                SMALLINT CHECK (parental_prolonged_seizures_care_plan IN (0, 1, 2)),
    water_safety                                         SMALLINT CHECK (water_safety IN (0, 1, 2)),
    first_aid                                            SMALLINT CHECK (first_aid IN (0, 1, 2)),
    general_participation_and_risk                       SMALLINT CHECK (general_participation_and_risk IN (0, 1, 2)),
    service_contact_details                              SMALLINT CHECK (service_contact_details IN (0, 1, 2)),
    sudep                                                SMALLINT CHECK (sudep IN (0, 1, 2)),
    school_individual_healthcare_plan                    SMALLINT CHECK (school_individual_healthcare_plan IN (0, 1, 2))
);

-- +goose Down
DROP TABLE kpi_results;
