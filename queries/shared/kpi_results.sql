-- Each child's stored KPI results (schema 00009), written by the KPI job.

-- UpsertKPIResult stores a child's scores unless a newer version of the
-- child was scored already (two jobs racing): then it changes nothing. A
-- NULL audit_complete keeps the completeness stored before (schema 00011);
-- valid_until is always replaced (schema 00016).

-- UpsertKPIResultParams are one child's result to store; AuditComplete and
-- ValidUntil as in KpiResult.

-- name: UpsertKPIResult :execrows
INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at, paediatrician_with_expertise_in_epilepsies, epilepsy_specialist_nurse, tertiary_input, epilepsy_surgery_referral, ecg, mri, assessment_of_mental_health_issues, mental_health_support, sodium_valproate, comprehensive_care_planning_agreement, patient_held_individualised_epilepsy_document, patient_carer_parent_agreement_to_the_care_planning, care_planning_has_been_updated_when_necessary, comprehensive_care_planning_content, parental_prolonged_seizures_care_plan, water_safety, first_aid, general_participation_and_risk, service_contact_details, sudep, school_individual_healthcare_plan, audit_complete, valid_until)
VALUES (@child_id, @rules_version, @data_version, @computed_at, sqlc.narg(paediatrician_with_expertise_in_epilepsies), sqlc.narg(epilepsy_specialist_nurse), sqlc.narg(tertiary_input), sqlc.narg(epilepsy_surgery_referral), sqlc.narg(ecg), sqlc.narg(mri), sqlc.narg(assessment_of_mental_health_issues), sqlc.narg(mental_health_support), sqlc.narg(sodium_valproate), sqlc.narg(comprehensive_care_planning_agreement), sqlc.narg(patient_held_individualised_epilepsy_document), sqlc.narg(patient_carer_parent_agreement_to_the_care_planning), sqlc.narg(care_planning_has_been_updated_when_necessary), sqlc.narg(comprehensive_care_planning_content), sqlc.narg(parental_prolonged_seizures_care_plan), sqlc.narg(water_safety), sqlc.narg(first_aid), sqlc.narg(general_participation_and_risk), sqlc.narg(service_contact_details), sqlc.narg(sudep), sqlc.narg(school_individual_healthcare_plan), sqlc.narg(audit_complete), sqlc.narg(valid_until))
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
    audit_complete = coalesce(excluded.audit_complete, kpi_results.audit_complete),
    valid_until = excluded.valid_until
WHERE excluded.data_version >= kpi_results.data_version;

-- KpiResult is one child's stored result. AuditComplete: every form complete
-- when scored (nil: not known; an upsert with nil keeps the stored value).
-- ValidUntil is the first date the result could change with no write to the
-- child (nil: none ahead); always replaced by an upsert.

-- name: GetKPIResult :one
SELECT * FROM kpi_results WHERE child_id = @child_id;

-- name: DeleteKPIResult :exec
DELETE FROM kpi_results WHERE child_id = @child_id;

-- ListStaleKPIChildren is what the reconciliation job (answers.ReconcileWorker) rescores,
-- in id order after after_id: registered children, not opted out, whose
-- stored result is missing, of an older version of the child or of the
-- rules, of unknown completeness, or valid only until a date that has come;
-- and opted-out children who still have a result (they must have none).

-- name: ListStaleKPIChildren :many
SELECT c.id FROM children c
LEFT JOIN kpi_results r ON r.child_id = c.id
WHERE c.id > @after_id AND c.deleted_at IS NULL AND (
    (c.opted_out_at IS NULL AND c.registered_at IS NOT NULL AND (r.child_id IS NULL OR r.data_version <> c.version
        OR r.rules_version <> @rules_version OR r.audit_complete IS NULL OR r.valid_until <= @today))
    OR (c.opted_out_at IS NOT NULL AND r.child_id IS NOT NULL))
ORDER BY c.id
LIMIT @max_rows;
