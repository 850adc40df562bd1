-- KPI aggregation (spec 8; schema 00011, docs/aggregation.md). A run of
-- one cohort, all in one transaction (app/aggregate.Run):
--   LockKPIAggregateCohort -> InsertKPIAggregateRun -> StageKPIAggregates (the
--   one pass over the cohort's children) -> RollUpKPIAggregateEntities and
--   RollUpKPIAggregates (every level at once, summed from the staged
--   organisations) -> ClearKPIAggregateStaging -> FinishKPIAggregateRun ->
--   SetCurrentKPIAggregateRun -> DeleteKPIAggregateRunsBefore.
-- Readers find the cohort's current run (GetCurrentKPIAggregateRun) and
-- read its rows by run id.

-- LockKPIAggregateCohort takes the cohort's row (creating it for a first
-- run), so runs of one cohort queue behind each other, and returns the run
-- readers see now (NULL: none yet).

-- name: LockKPIAggregateCohort :one
INSERT INTO kpi_aggregate_cohorts (cohort) VALUES (@cohort)
ON CONFLICT (cohort) DO UPDATE SET cohort = excluded.cohort
RETURNING current_run_id;

-- name: InsertKPIAggregateRun :one
INSERT INTO kpi_aggregate_runs (cohort, status, as_of, last_assessment_counted, started_at, computed_at, finished_at, error)
VALUES (@cohort, @status, @as_of, @last_assessment_counted, @started_at, @computed_at, @finished_at, @error)
RETURNING id;

-- StageKPIAggregates counts the run's cohort's registered children per
-- lead organisation, in two groups: those 8.2 counts (audit complete and
-- the first year of care over: first assessment on or before the run's
-- last_assessment_counted) and the rest. Opted-out and deleted children
-- are not registered for the audit. A child not scored yet (no kpi_results
-- row) is not complete.

-- name: StageKPIAggregates :execrows
INSERT INTO kpi_aggregate_staging (run_id, organisation_id, included, children, complete,
    paediatrician_with_expertise_in_epilepsies_scored, paediatrician_with_expertise_in_epilepsies_passed, paediatrician_with_expertise_in_epilepsies_ineligible,
    epilepsy_specialist_nurse_scored, epilepsy_specialist_nurse_passed, epilepsy_specialist_nurse_ineligible,
    tertiary_input_scored, tertiary_input_passed, tertiary_input_ineligible,
    epilepsy_surgery_referral_scored, epilepsy_surgery_referral_passed, epilepsy_surgery_referral_ineligible,
    ecg_scored, ecg_passed, ecg_ineligible,
    mri_scored, mri_passed, mri_ineligible,
    assessment_of_mental_health_issues_scored, assessment_of_mental_health_issues_passed, assessment_of_mental_health_issues_ineligible,
    mental_health_support_scored, mental_health_support_passed, mental_health_support_ineligible,
    sodium_valproate_scored, sodium_valproate_passed, sodium_valproate_ineligible,
    comprehensive_care_planning_agreement_scored, comprehensive_care_planning_agreement_passed, comprehensive_care_planning_agreement_ineligible,
    patient_held_individualised_epilepsy_document_scored, patient_held_individualised_epilepsy_document_passed, patient_held_individualised_epilepsy_document_ineligible,
    patient_carer_parent_agreement_to_the_care_planning_scored, patient_carer_parent_agreement_to_the_care_planning_passed, patient_carer_parent_agreement_to_the_care_planning_ineligible,
    care_planning_has_been_updated_when_necessary_scored, care_planning_has_been_updated_when_necessary_passed, care_planning_has_been_updated_when_necessary_ineligible,
    comprehensive_care_planning_content_scored, comprehensive_care_planning_content_passed, comprehensive_care_planning_content_ineligible,
    parental_prolonged_seizures_care_plan_scored, parental_prolonged_seizures_care_plan_passed, parental_prolonged_seizures_care_plan_ineligible,
    water_safety_scored, water_safety_passed, water_safety_ineligible,
    first_aid_scored, first_aid_passed, first_aid_ineligible,
    general_participation_and_risk_scored, general_participation_and_risk_passed, general_participation_and_risk_ineligible,
    service_contact_details_scored, service_contact_details_passed, service_contact_details_ineligible,
    sudep_scored, sudep_passed, sudep_ineligible,
    school_individual_healthcare_plan_scored, school_individual_healthcare_plan_passed, school_individual_healthcare_plan_ineligible)
SELECT r.id, c.lead_organisation_id,
    (coalesce(k.audit_complete, FALSE) AND c.first_paediatric_assessment_date <= r.last_assessment_counted),
    count(*), count(*) FILTER (WHERE k.audit_complete),
    count(k.paediatrician_with_expertise_in_epilepsies), count(*) FILTER (WHERE k.paediatrician_with_expertise_in_epilepsies = 1), count(*) FILTER (WHERE k.paediatrician_with_expertise_in_epilepsies = 2),
    count(k.epilepsy_specialist_nurse), count(*) FILTER (WHERE k.epilepsy_specialist_nurse = 1), count(*) FILTER (WHERE k.epilepsy_specialist_nurse = 2),
    count(k.tertiary_input), count(*) FILTER (WHERE k.tertiary_input = 1), count(*) FILTER (WHERE k.tertiary_input = 2),
    count(k.epilepsy_surgery_referral), count(*) FILTER (WHERE k.epilepsy_surgery_referral = 1), count(*) FILTER (WHERE k.epilepsy_surgery_referral = 2),
    count(k.ecg), count(*) FILTER (WHERE k.ecg = 1), count(*) FILTER (WHERE k.ecg = 2),
    count(k.mri), count(*) FILTER (WHERE k.mri = 1), count(*) FILTER (WHERE k.mri = 2),
    count(k.assessment_of_mental_health_issues), count(*) FILTER (WHERE k.assessment_of_mental_health_issues = 1), count(*) FILTER (WHERE k.assessment_of_mental_health_issues = 2),
    count(k.mental_health_support), count(*) FILTER (WHERE k.mental_health_support = 1), count(*) FILTER (WHERE k.mental_health_support = 2),
    count(k.sodium_valproate), count(*) FILTER (WHERE k.sodium_valproate = 1), count(*) FILTER (WHERE k.sodium_valproate = 2),
    count(k.comprehensive_care_planning_agreement), count(*) FILTER (WHERE k.comprehensive_care_planning_agreement = 1), count(*) FILTER (WHERE k.comprehensive_care_planning_agreement = 2),
    count(k.patient_held_individualised_epilepsy_document), count(*) FILTER (WHERE k.patient_held_individualised_epilepsy_document = 1), count(*) FILTER (WHERE k.patient_held_individualised_epilepsy_document = 2),
    count(k.patient_carer_parent_agreement_to_the_care_planning), count(*) FILTER (WHERE k.patient_carer_parent_agreement_to_the_care_planning = 1), count(*) FILTER (WHERE k.patient_carer_parent_agreement_to_the_care_planning = 2),
    count(k.care_planning_has_been_updated_when_necessary), count(*) FILTER (WHERE k.care_planning_has_been_updated_when_necessary = 1), count(*) FILTER (WHERE k.care_planning_has_been_updated_when_necessary = 2),
    count(k.comprehensive_care_planning_content), count(*) FILTER (WHERE k.comprehensive_care_planning_content = 1), count(*) FILTER (WHERE k.comprehensive_care_planning_content = 2),
    count(k.parental_prolonged_seizures_care_plan), count(*) FILTER (WHERE k.parental_prolonged_seizures_care_plan = 1), count(*) FILTER (WHERE k.parental_prolonged_seizures_care_plan = 2),
    count(k.water_safety), count(*) FILTER (WHERE k.water_safety = 1), count(*) FILTER (WHERE k.water_safety = 2),
    count(k.first_aid), count(*) FILTER (WHERE k.first_aid = 1), count(*) FILTER (WHERE k.first_aid = 2),
    count(k.general_participation_and_risk), count(*) FILTER (WHERE k.general_participation_and_risk = 1), count(*) FILTER (WHERE k.general_participation_and_risk = 2),
    count(k.service_contact_details), count(*) FILTER (WHERE k.service_contact_details = 1), count(*) FILTER (WHERE k.service_contact_details = 2),
    count(k.sudep), count(*) FILTER (WHERE k.sudep = 1), count(*) FILTER (WHERE k.sudep = 2),
    count(k.school_individual_healthcare_plan), count(*) FILTER (WHERE k.school_individual_healthcare_plan = 1), count(*) FILTER (WHERE k.school_individual_healthcare_plan = 2)
FROM kpi_aggregate_runs r
JOIN children c ON c.cohort = r.cohort
LEFT JOIN kpi_results k ON k.child_id = c.id
WHERE r.id = @run_id AND c.deleted_at IS NULL AND c.opted_out_at IS NULL
GROUP BY r.id, c.lead_organisation_id,
    (coalesce(k.audit_complete, FALSE) AND c.first_paediatric_assessment_date <= r.last_assessment_counted);

-- RollUpKPIAggregateEntities: every entity of every level that has an
-- organisation, with its children summed from the staged organisations
-- (zeros when it has none).

-- name: RollUpKPIAggregateEntities :execrows
INSERT INTO kpi_aggregate_entities (run_id, level, entity, name, registered, complete, counted)
SELECT CAST(@run_id AS BIGINT), l.level, l.entity, min(l.name),
    coalesce(sum(s.children), 0), coalesce(sum(s.complete), 0),
    coalesce(sum(CASE WHEN s.included THEN s.children ELSE 0 END), 0)
FROM organisation_levels l
LEFT JOIN kpi_aggregate_staging s ON s.run_id = @run_id AND s.organisation_id = l.organisation_id
GROUP BY l.level, l.entity;

-- RollUpKPIAggregates: the four counts of 8.3 for every entity and
-- measure: each entity's counted children summed from the staged
-- organisations (a), then one row per measure.

-- name: RollUpKPIAggregates :execrows
INSERT INTO kpi_aggregate_results (run_id, level, entity, measure, passed, total_eligible, ineligible, incomplete)
SELECT CAST(@run_id AS BIGINT), a.level, a.entity, m.code,
    coalesce(CASE m.position
        WHEN 1 THEN a.paediatrician_with_expertise_in_epilepsies_passed
        WHEN 2 THEN a.epilepsy_specialist_nurse_passed
        WHEN 3 THEN a.tertiary_input_passed
        WHEN 4 THEN a.epilepsy_surgery_referral_passed
        WHEN 5 THEN a.ecg_passed
        WHEN 6 THEN a.mri_passed
        WHEN 7 THEN a.assessment_of_mental_health_issues_passed
        WHEN 8 THEN a.mental_health_support_passed
        WHEN 9 THEN a.sodium_valproate_passed
        WHEN 10 THEN a.comprehensive_care_planning_agreement_passed
        WHEN 11 THEN a.patient_held_individualised_epilepsy_document_passed
        WHEN 12 THEN a.patient_carer_parent_agreement_to_the_care_planning_passed
        WHEN 13 THEN a.care_planning_has_been_updated_when_necessary_passed
        WHEN 14 THEN a.comprehensive_care_planning_content_passed
        WHEN 15 THEN a.parental_prolonged_seizures_care_plan_passed
        WHEN 16 THEN a.water_safety_passed
        WHEN 17 THEN a.first_aid_passed
        WHEN 18 THEN a.general_participation_and_risk_passed
        WHEN 19 THEN a.service_contact_details_passed
        WHEN 20 THEN a.sudep_passed
        WHEN 21 THEN a.school_individual_healthcare_plan_passed
    END, 0),
    coalesce(CASE m.position
        WHEN 1 THEN a.paediatrician_with_expertise_in_epilepsies_scored
        WHEN 2 THEN a.epilepsy_specialist_nurse_scored
        WHEN 3 THEN a.tertiary_input_scored
        WHEN 4 THEN a.epilepsy_surgery_referral_scored
        WHEN 5 THEN a.ecg_scored
        WHEN 6 THEN a.mri_scored
        WHEN 7 THEN a.assessment_of_mental_health_issues_scored
        WHEN 8 THEN a.mental_health_support_scored
        WHEN 9 THEN a.sodium_valproate_scored
        WHEN 10 THEN a.comprehensive_care_planning_agreement_scored
        WHEN 11 THEN a.patient_held_individualised_epilepsy_document_scored
        WHEN 12 THEN a.patient_carer_parent_agreement_to_the_care_planning_scored
        WHEN 13 THEN a.care_planning_has_been_updated_when_necessary_scored
        WHEN 14 THEN a.comprehensive_care_planning_content_scored
        WHEN 15 THEN a.parental_prolonged_seizures_care_plan_scored
        WHEN 16 THEN a.water_safety_scored
        WHEN 17 THEN a.first_aid_scored
        WHEN 18 THEN a.general_participation_and_risk_scored
        WHEN 19 THEN a.service_contact_details_scored
        WHEN 20 THEN a.sudep_scored
        WHEN 21 THEN a.school_individual_healthcare_plan_scored
    END - CASE m.position
        WHEN 1 THEN a.paediatrician_with_expertise_in_epilepsies_ineligible
        WHEN 2 THEN a.epilepsy_specialist_nurse_ineligible
        WHEN 3 THEN a.tertiary_input_ineligible
        WHEN 4 THEN a.epilepsy_surgery_referral_ineligible
        WHEN 5 THEN a.ecg_ineligible
        WHEN 6 THEN a.mri_ineligible
        WHEN 7 THEN a.assessment_of_mental_health_issues_ineligible
        WHEN 8 THEN a.mental_health_support_ineligible
        WHEN 9 THEN a.sodium_valproate_ineligible
        WHEN 10 THEN a.comprehensive_care_planning_agreement_ineligible
        WHEN 11 THEN a.patient_held_individualised_epilepsy_document_ineligible
        WHEN 12 THEN a.patient_carer_parent_agreement_to_the_care_planning_ineligible
        WHEN 13 THEN a.care_planning_has_been_updated_when_necessary_ineligible
        WHEN 14 THEN a.comprehensive_care_planning_content_ineligible
        WHEN 15 THEN a.parental_prolonged_seizures_care_plan_ineligible
        WHEN 16 THEN a.water_safety_ineligible
        WHEN 17 THEN a.first_aid_ineligible
        WHEN 18 THEN a.general_participation_and_risk_ineligible
        WHEN 19 THEN a.service_contact_details_ineligible
        WHEN 20 THEN a.sudep_ineligible
        WHEN 21 THEN a.school_individual_healthcare_plan_ineligible
    END, 0),
    coalesce(CASE m.position
        WHEN 1 THEN a.paediatrician_with_expertise_in_epilepsies_ineligible
        WHEN 2 THEN a.epilepsy_specialist_nurse_ineligible
        WHEN 3 THEN a.tertiary_input_ineligible
        WHEN 4 THEN a.epilepsy_surgery_referral_ineligible
        WHEN 5 THEN a.ecg_ineligible
        WHEN 6 THEN a.mri_ineligible
        WHEN 7 THEN a.assessment_of_mental_health_issues_ineligible
        WHEN 8 THEN a.mental_health_support_ineligible
        WHEN 9 THEN a.sodium_valproate_ineligible
        WHEN 10 THEN a.comprehensive_care_planning_agreement_ineligible
        WHEN 11 THEN a.patient_held_individualised_epilepsy_document_ineligible
        WHEN 12 THEN a.patient_carer_parent_agreement_to_the_care_planning_ineligible
        WHEN 13 THEN a.care_planning_has_been_updated_when_necessary_ineligible
        WHEN 14 THEN a.comprehensive_care_planning_content_ineligible
        WHEN 15 THEN a.parental_prolonged_seizures_care_plan_ineligible
        WHEN 16 THEN a.water_safety_ineligible
        WHEN 17 THEN a.first_aid_ineligible
        WHEN 18 THEN a.general_participation_and_risk_ineligible
        WHEN 19 THEN a.service_contact_details_ineligible
        WHEN 20 THEN a.sudep_ineligible
        WHEN 21 THEN a.school_individual_healthcare_plan_ineligible
    END, 0),
    coalesce(a.children - CASE m.position
        WHEN 1 THEN a.paediatrician_with_expertise_in_epilepsies_scored
        WHEN 2 THEN a.epilepsy_specialist_nurse_scored
        WHEN 3 THEN a.tertiary_input_scored
        WHEN 4 THEN a.epilepsy_surgery_referral_scored
        WHEN 5 THEN a.ecg_scored
        WHEN 6 THEN a.mri_scored
        WHEN 7 THEN a.assessment_of_mental_health_issues_scored
        WHEN 8 THEN a.mental_health_support_scored
        WHEN 9 THEN a.sodium_valproate_scored
        WHEN 10 THEN a.comprehensive_care_planning_agreement_scored
        WHEN 11 THEN a.patient_held_individualised_epilepsy_document_scored
        WHEN 12 THEN a.patient_carer_parent_agreement_to_the_care_planning_scored
        WHEN 13 THEN a.care_planning_has_been_updated_when_necessary_scored
        WHEN 14 THEN a.comprehensive_care_planning_content_scored
        WHEN 15 THEN a.parental_prolonged_seizures_care_plan_scored
        WHEN 16 THEN a.water_safety_scored
        WHEN 17 THEN a.first_aid_scored
        WHEN 18 THEN a.general_participation_and_risk_scored
        WHEN 19 THEN a.service_contact_details_scored
        WHEN 20 THEN a.sudep_scored
        WHEN 21 THEN a.school_individual_healthcare_plan_scored
    END, 0)
FROM (
    SELECT l.level, l.entity, CAST(sum(s.children) AS BIGINT) AS children,
        CAST(sum(s.paediatrician_with_expertise_in_epilepsies_scored) AS BIGINT) AS paediatrician_with_expertise_in_epilepsies_scored, CAST(sum(s.paediatrician_with_expertise_in_epilepsies_passed) AS BIGINT) AS paediatrician_with_expertise_in_epilepsies_passed, CAST(sum(s.paediatrician_with_expertise_in_epilepsies_ineligible) AS BIGINT) AS paediatrician_with_expertise_in_epilepsies_ineligible,
        CAST(sum(s.epilepsy_specialist_nurse_scored) AS BIGINT) AS epilepsy_specialist_nurse_scored, CAST(sum(s.epilepsy_specialist_nurse_passed) AS BIGINT) AS epilepsy_specialist_nurse_passed, CAST(sum(s.epilepsy_specialist_nurse_ineligible) AS BIGINT) AS epilepsy_specialist_nurse_ineligible,
        CAST(sum(s.tertiary_input_scored) AS BIGINT) AS tertiary_input_scored, CAST(sum(s.tertiary_input_passed) AS BIGINT) AS tertiary_input_passed, CAST(sum(s.tertiary_input_ineligible) AS BIGINT) AS tertiary_input_ineligible,
        CAST(sum(s.epilepsy_surgery_referral_scored) AS BIGINT) AS epilepsy_surgery_referral_scored, CAST(sum(s.epilepsy_surgery_referral_passed) AS BIGINT) AS epilepsy_surgery_referral_passed, CAST(sum(s.epilepsy_surgery_referral_ineligible) AS BIGINT) AS epilepsy_surgery_referral_ineligible,
        CAST(sum(s.ecg_scored) AS BIGINT) AS ecg_scored, CAST(sum(s.ecg_passed) AS BIGINT) AS ecg_passed, CAST(sum(s.ecg_ineligible) AS BIGINT) AS ecg_ineligible,
        CAST(sum(s.mri_scored) AS BIGINT) AS mri_scored, CAST(sum(s.mri_passed) AS BIGINT) AS mri_passed, CAST(sum(s.mri_ineligible) AS BIGINT) AS mri_ineligible,
        CAST(sum(s.assessment_of_mental_health_issues_scored) AS BIGINT) AS assessment_of_mental_health_issues_scored, CAST(sum(s.assessment_of_mental_health_issues_passed) AS BIGINT) AS assessment_of_mental_health_issues_passed, CAST(sum(s.assessment_of_mental_health_issues_ineligible) AS BIGINT) AS assessment_of_mental_health_issues_ineligible,
        CAST(sum(s.mental_health_support_scored) AS BIGINT) AS mental_health_support_scored, CAST(sum(s.mental_health_support_passed) AS BIGINT) AS mental_health_support_passed, CAST(sum(s.mental_health_support_ineligible) AS BIGINT) AS mental_health_support_ineligible,
        CAST(sum(s.sodium_valproate_scored) AS BIGINT) AS sodium_valproate_scored, CAST(sum(s.sodium_valproate_passed) AS BIGINT) AS sodium_valproate_passed, CAST(sum(s.sodium_valproate_ineligible) AS BIGINT) AS sodium_valproate_ineligible,
        CAST(sum(s.comprehensive_care_planning_agreement_scored) AS BIGINT) AS comprehensive_care_planning_agreement_scored, CAST(sum(s.comprehensive_care_planning_agreement_passed) AS BIGINT) AS comprehensive_care_planning_agreement_passed, CAST(sum(s.comprehensive_care_planning_agreement_ineligible) AS BIGINT) AS comprehensive_care_planning_agreement_ineligible,
        CAST(sum(s.patient_held_individualised_epilepsy_document_scored) AS BIGINT) AS patient_held_individualised_epilepsy_document_scored, CAST(sum(s.patient_held_individualised_epilepsy_document_passed) AS BIGINT) AS patient_held_individualised_epilepsy_document_passed, CAST(sum(s.patient_held_individualised_epilepsy_document_ineligible) AS BIGINT) AS patient_held_individualised_epilepsy_document_ineligible,
        CAST(sum(s.patient_carer_parent_agreement_to_the_care_planning_scored) AS BIGINT) AS patient_carer_parent_agreement_to_the_care_planning_scored, CAST(sum(s.patient_carer_parent_agreement_to_the_care_planning_passed) AS BIGINT) AS patient_carer_parent_agreement_to_the_care_planning_passed, CAST(sum(s.patient_carer_parent_agreement_to_the_care_planning_ineligible) AS BIGINT) AS patient_carer_parent_agreement_to_the_care_planning_ineligible,
        CAST(sum(s.care_planning_has_been_updated_when_necessary_scored) AS BIGINT) AS care_planning_has_been_updated_when_necessary_scored, CAST(sum(s.care_planning_has_been_updated_when_necessary_passed) AS BIGINT) AS care_planning_has_been_updated_when_necessary_passed, CAST(sum(s.care_planning_has_been_updated_when_necessary_ineligible) AS BIGINT) AS care_planning_has_been_updated_when_necessary_ineligible,
        CAST(sum(s.comprehensive_care_planning_content_scored) AS BIGINT) AS comprehensive_care_planning_content_scored, CAST(sum(s.comprehensive_care_planning_content_passed) AS BIGINT) AS comprehensive_care_planning_content_passed, CAST(sum(s.comprehensive_care_planning_content_ineligible) AS BIGINT) AS comprehensive_care_planning_content_ineligible,
        CAST(sum(s.parental_prolonged_seizures_care_plan_scored) AS BIGINT) AS parental_prolonged_seizures_care_plan_scored, CAST(sum(s.parental_prolonged_seizures_care_plan_passed) AS BIGINT) AS parental_prolonged_seizures_care_plan_passed, CAST(sum(s.parental_prolonged_seizures_care_plan_ineligible) AS BIGINT) AS parental_prolonged_seizures_care_plan_ineligible,
        CAST(sum(s.water_safety_scored) AS BIGINT) AS water_safety_scored, CAST(sum(s.water_safety_passed) AS BIGINT) AS water_safety_passed, CAST(sum(s.water_safety_ineligible) AS BIGINT) AS water_safety_ineligible,
        CAST(sum(s.first_aid_scored) AS BIGINT) AS first_aid_scored, CAST(sum(s.first_aid_passed) AS BIGINT) AS first_aid_passed, CAST(sum(s.first_aid_ineligible) AS BIGINT) AS first_aid_ineligible,
        CAST(sum(s.general_participation_and_risk_scored) AS BIGINT) AS general_participation_and_risk_scored, CAST(sum(s.general_participation_and_risk_passed) AS BIGINT) AS general_participation_and_risk_passed, CAST(sum(s.general_participation_and_risk_ineligible) AS BIGINT) AS general_participation_and_risk_ineligible,
        CAST(sum(s.service_contact_details_scored) AS BIGINT) AS service_contact_details_scored, CAST(sum(s.service_contact_details_passed) AS BIGINT) AS service_contact_details_passed, CAST(sum(s.service_contact_details_ineligible) AS BIGINT) AS service_contact_details_ineligible,
        CAST(sum(s.sudep_scored) AS BIGINT) AS sudep_scored, CAST(sum(s.sudep_passed) AS BIGINT) AS sudep_passed, CAST(sum(s.sudep_ineligible) AS BIGINT) AS sudep_ineligible,
        CAST(sum(s.school_individual_healthcare_plan_scored) AS BIGINT) AS school_individual_healthcare_plan_scored, CAST(sum(s.school_individual_healthcare_plan_passed) AS BIGINT) AS school_individual_healthcare_plan_passed, CAST(sum(s.school_individual_healthcare_plan_ineligible) AS BIGINT) AS school_individual_healthcare_plan_ineligible
    FROM organisation_levels l
    LEFT JOIN kpi_aggregate_staging s ON s.run_id = @run_id AND s.organisation_id = l.organisation_id AND s.included
    GROUP BY l.level, l.entity
) a
CROSS JOIN kpi_measures m;

-- name: ClearKPIAggregateStaging :exec
DELETE FROM kpi_aggregate_staging WHERE run_id = @run_id;

-- name: FinishKPIAggregateRun :exec
UPDATE kpi_aggregate_runs SET status = 'complete', finished_at = @finished_at,
    children = (SELECT e.counted FROM kpi_aggregate_entities e WHERE e.run_id = @id AND e.level = 'national')
WHERE id = @id;

-- name: SetCurrentKPIAggregateRun :exec
UPDATE kpi_aggregate_cohorts SET current_run_id = CAST(@run_id AS BIGINT) WHERE cohort = @cohort;

-- DeleteKPIAggregateResultsBefore and then DeleteKPIAggregateRunsBefore
-- delete the cohort's runs older than before_id, with their figures (the
-- entities go with their run). A run keeps the one readers saw until now
-- (they may still be reading it) and every run since.

-- name: DeleteKPIAggregateResultsBefore :execrows
DELETE FROM kpi_aggregate_results WHERE run_id IN (
    SELECT r.id FROM kpi_aggregate_runs r WHERE r.cohort = @cohort AND r.id < @before_id);

-- name: DeleteKPIAggregateRunsBefore :execrows
DELETE FROM kpi_aggregate_runs WHERE cohort = @cohort AND id < @before_id;

-- DeleteOldFailedKPIAggregateRuns keeps a cohort's ten latest failed runs.

-- name: DeleteOldFailedKPIAggregateRuns :execrows
DELETE FROM kpi_aggregate_runs WHERE id IN (
    SELECT f.id FROM kpi_aggregate_runs f WHERE f.cohort = @cohort AND f.status = 'failed'
      AND (SELECT count(*) FROM kpi_aggregate_runs n WHERE n.cohort = f.cohort AND n.status = 'failed' AND n.id > f.id) >= 10);

-- Reading.

-- KpiAggregateRun is one aggregation of a cohort (Status "complete" or
-- "failed").

-- name: GetCurrentKPIAggregateRun :one
SELECT r.id, r.cohort, r.status, r.as_of, r.last_assessment_counted, r.started_at, r.computed_at, r.finished_at, r.children, r.error
FROM kpi_aggregate_cohorts c
JOIN kpi_aggregate_runs r ON r.id = c.current_run_id
WHERE c.cohort = @cohort;

-- ListCurrentKPIAggregateRuns: the current run of every cohort that has
-- one, latest cohort first.

-- name: ListCurrentKPIAggregateRuns :many
SELECT r.id, r.cohort, r.status, r.as_of, r.last_assessment_counted, r.started_at, r.computed_at, r.finished_at, r.children, r.error
FROM kpi_aggregate_cohorts c
JOIN kpi_aggregate_runs r ON r.id = c.current_run_id
ORDER BY c.cohort DESC;

-- ListKPIAggregateRuns: a cohort's recent runs, complete and failed,
-- newest first.

-- name: ListKPIAggregateRuns :many
SELECT id, cohort, status, as_of, last_assessment_counted, started_at, computed_at, finished_at, children, error
FROM kpi_aggregate_runs WHERE cohort = @cohort ORDER BY id DESC LIMIT @max_runs;

-- ListKPIAggregatesForOrganisation: a run's figures for every entity an
-- organisation belongs to (one per level that applies), every measure.

-- KPIAggregateRow is one entity's figures for one measure: the entity's
-- children (registered, complete, counted) and the four counts of spec 8.3.
-- The three ListKPIAggregatesFor* queries all return it.

-- name: ListKPIAggregatesForOrganisation :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM organisation_levels l
JOIN kpi_aggregate_entities e ON e.run_id = @run_id AND e.level = l.level AND e.entity = l.entity
JOIN kpi_aggregate_results r ON r.run_id = e.run_id AND r.level = e.level AND r.entity = e.entity
JOIN kpi_measures m ON m.code = r.measure
WHERE l.organisation_id = @organisation_id
ORDER BY e.level, m.position;

-- name: ListKPIAggregatesForEntity :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM kpi_aggregate_entities e
JOIN kpi_aggregate_results r ON r.run_id = e.run_id AND r.level = e.level AND r.entity = e.entity
JOIN kpi_measures m ON m.code = r.measure
WHERE e.run_id = @run_id AND e.level = @level AND e.entity = @entity
ORDER BY m.position;

-- ListKPIAggregatesForLevel: one measure for every entity of a level, by
-- name.

-- name: ListKPIAggregatesForLevel :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM kpi_aggregate_entities e
JOIN kpi_aggregate_results r ON r.run_id = e.run_id AND r.level = e.level AND r.entity = e.entity
WHERE e.run_id = @run_id AND e.level = @level AND r.measure = @measure
ORDER BY e.name, e.entity;

-- name: ListKPIMeasureCodes :many
SELECT code FROM kpi_measures ORDER BY position;

-- OrganisationLevel is one entity an organisation belongs to.

-- name: ListOrganisationLevels :many
SELECT organisation_id, level, entity, name FROM organisation_levels ORDER BY organisation_id, level;

-- ListRegisteredCohorts: the cohorts that have registered children (from
-- the case list's counts, not a scan of the children).

-- name: ListRegisteredCohorts :many
SELECT DISTINCT cohort FROM child_counts WHERE cohort > 0 AND children > 0 ORDER BY cohort;
