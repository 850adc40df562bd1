-- UpsertKPIResults is UpsertKPIResult for a whole batch in one statement
-- (the bulk recalculation): results is a JSON array of objects whose
-- members are the columns, each measure given as its short position in the
-- array "s" (1 pass, 0 fail, 2 ineligible, null not scored), and
-- "complete" the audit's completeness (schema 00011), "valid_until" the
-- date the result could next change (schema 00016). The same version
-- check applies row by row.

-- name: UpsertKPIResults :execrows
INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at, paediatrician_with_expertise_in_epilepsies, epilepsy_specialist_nurse, tertiary_input, epilepsy_surgery_referral, ecg, mri, assessment_of_mental_health_issues, mental_health_support, sodium_valproate, comprehensive_care_planning_agreement, patient_held_individualised_epilepsy_document, patient_carer_parent_agreement_to_the_care_planning, care_planning_has_been_updated_when_necessary, comprehensive_care_planning_content, parental_prolonged_seizures_care_plan, water_safety, first_aid, general_participation_and_risk, service_contact_details, sudep, school_individual_healthcare_plan, audit_complete, valid_until)
SELECT json_extract(r.value, '$.child_id'), json_extract(r.value, '$.rules_version'), json_extract(r.value, '$.data_version'),
    json_extract(r.value, '$.computed_at'),
    json_extract(r.value, '$.s[0]'),
    json_extract(r.value, '$.s[1]'),
    json_extract(r.value, '$.s[2]'),
    json_extract(r.value, '$.s[3]'),
    json_extract(r.value, '$.s[4]'),
    json_extract(r.value, '$.s[5]'),
    json_extract(r.value, '$.s[6]'),
    json_extract(r.value, '$.s[7]'),
    json_extract(r.value, '$.s[8]'),
    json_extract(r.value, '$.s[9]'),
    json_extract(r.value, '$.s[10]'),
    json_extract(r.value, '$.s[11]'),
    json_extract(r.value, '$.s[12]'),
    json_extract(r.value, '$.s[13]'),
    json_extract(r.value, '$.s[14]'),
    json_extract(r.value, '$.s[15]'),
    json_extract(r.value, '$.s[16]'),
    json_extract(r.value, '$.s[17]'),
    json_extract(r.value, '$.s[18]'),
    json_extract(r.value, '$.s[19]'),
    json_extract(r.value, '$.s[20]'),
    json_extract(r.value, '$.complete'),
    json_extract(r.value, '$.valid_until')
FROM json_each(CAST(@results AS TEXT)) AS r WHERE true
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
