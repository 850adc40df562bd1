-- UpsertKPIResults is UpsertKPIResult for a whole batch in one statement
-- (the bulk recalculation): results is a JSON array of objects whose
-- members are the columns, each measure given as its short position in the
-- array "s" (1 pass, 0 fail, 2 ineligible, null not scored), and
-- "complete" the audit's completeness (schema 00011), "valid_until" the
-- date the result could next change (schema 00016). The same version
-- check applies row by row.

-- name: UpsertKPIResults :execrows
INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at, paediatrician_with_expertise_in_epilepsies, epilepsy_specialist_nurse, tertiary_input, epilepsy_surgery_referral, ecg, mri, assessment_of_mental_health_issues, mental_health_support, sodium_valproate, comprehensive_care_planning_agreement, patient_held_individualised_epilepsy_document, patient_carer_parent_agreement_to_the_care_planning, care_planning_has_been_updated_when_necessary, comprehensive_care_planning_content, parental_prolonged_seizures_care_plan, water_safety, first_aid, general_participation_and_risk, service_contact_details, sudep, school_individual_healthcare_plan, audit_complete, valid_until)
SELECT r.child_id, r.rules_version, r.data_version, r.computed_at,
    CAST(r.s->>0 AS SMALLINT),
    CAST(r.s->>1 AS SMALLINT),
    CAST(r.s->>2 AS SMALLINT),
    CAST(r.s->>3 AS SMALLINT),
    CAST(r.s->>4 AS SMALLINT),
    CAST(r.s->>5 AS SMALLINT),
    CAST(r.s->>6 AS SMALLINT),
    CAST(r.s->>7 AS SMALLINT),
    CAST(r.s->>8 AS SMALLINT),
    CAST(r.s->>9 AS SMALLINT),
    CAST(r.s->>10 AS SMALLINT),
    CAST(r.s->>11 AS SMALLINT),
    CAST(r.s->>12 AS SMALLINT),
    CAST(r.s->>13 AS SMALLINT),
    CAST(r.s->>14 AS SMALLINT),
    CAST(r.s->>15 AS SMALLINT),
    CAST(r.s->>16 AS SMALLINT),
    CAST(r.s->>17 AS SMALLINT),
    CAST(r.s->>18 AS SMALLINT),
    CAST(r.s->>19 AS SMALLINT),
    CAST(r.s->>20 AS SMALLINT),
    r.complete,
    r.valid_until
FROM jsonb_to_recordset(CAST(@results AS TEXT)::jsonb) AS r(child_id BIGINT, rules_version TEXT, data_version BIGINT, computed_at TIMESTAMPTZ, s JSONB, complete BOOLEAN, valid_until DATE)
ON CONFLICT (child_id) DO UPDATE SET
    rules_version = excluded.rules_version,
    data_version = excluded.data_version,
    computed_at = excluded.computed_at,
    paediatrician_with_expertise_in_epilepsies = excluded.paediatrician_with_expertise_in_epilepsies,
    epilepsy_specialist_nurse = excluded.epilepsy_specialist_nurse,
    tertiary_input = excluded.tertiary_input,
    epilepsy_surgery_referral = excluded.epilepsy_surgery_referral,
    ecg = excluded.ecg,
    mri = excluded.mri,
    assessment_of_mental_health_issues = excluded.assessment_of_mental_health_issues,
    mental_health_support = excluded.mental_health_support,
    sodium_valproate = excluded.sodium_valproate,
    comprehensive_care_planning_agreement = excluded.comprehensive_care_planning_agreement,
    patient_held_individualised_epilepsy_document = excluded.patient_held_individualised_epilepsy_document,
    patient_carer_parent_agreement_to_the_care_planning = excluded.patient_carer_parent_agreement_to_the_care_planning,
    care_planning_has_been_updated_when_necessary = excluded.care_planning_has_been_updated_when_necessary,
    comprehensive_care_planning_content = excluded.comprehensive_care_planning_content,
    parental_prolonged_seizures_care_plan = excluded.parental_prolonged_seizures_care_plan,
    water_safety = excluded.water_safety,
    first_aid = excluded.first_aid,
    general_participation_and_risk = excluded.general_participation_and_risk,
    service_contact_details = excluded.service_contact_details,
    sudep = excluded.sudep,
    school_individual_healthcare_plan = excluded.school_individual_healthcare_plan,
    audit_complete = excluded.audit_complete,
    valid_until = excluded.valid_until
WHERE excluded.data_version >= kpi_results.data_version;
