-- +goose Up
-- KPI aggregation (spec §8, docs/aggregation.md): each cohort's KPI results
-- counted per organisation, trust, local health board, ICB, NHS England
-- region, OPEN UK network, country and nationally, by a background job
-- (decisions.md: never on page load). Dashboards read the figures of the
-- cohort's current run.

-- Whether the child's audit was complete (all seven forms, spec §5.2) when
-- it was last scored: §8.2 counts only complete audits. Written with the
-- scores, under the same version check, by a scorer that read the whole
-- record; NULL (not known) counts as not complete, and a scorer that leaves
-- it NULL keeps what was stored.
ALTER TABLE kpi_results ADD COLUMN audit_complete BOOLEAN;

-- The 21 stored measures (the columns of kpi_results; app/kpi), in the
-- spec's order.
CREATE TABLE kpi_measures (
    code     TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE
);
INSERT INTO kpi_measures (code, position) VALUES
    ('paediatrician_with_expertise_in_epilepsies', 1),
    ('epilepsy_specialist_nurse', 2),
    ('tertiary_input', 3),
    ('epilepsy_surgery_referral', 4),
    ('ecg', 5),
    ('mri', 6),
    ('assessment_of_mental_health_issues', 7),
    ('mental_health_support', 8),
    ('sodium_valproate', 9),
    ('comprehensive_care_planning_agreement', 10),
    ('patient_held_individualised_epilepsy_document', 11),
    ('patient_carer_parent_agreement_to_the_care_planning', 12),
    ('care_planning_has_been_updated_when_necessary', 13),
    ('comprehensive_care_planning_content', 14),
    ('parental_prolonged_seizures_care_plan', 15),
    ('water_safety', 16),
    ('first_aid', 17),
    ('general_participation_and_risk', 18),
    ('service_contact_details', 19),
    ('sudep', 20),
    ('school_individual_healthcare_plan', 21);

-- Which entity of each level an organisation belongs to (§8.1): itself,
-- its trust (England) or local health board (Wales), its ICB and NHS
-- England region (England only), its OPEN UK network, its country, and the
-- nation ("England and Wales"). A level an organisation has no key for has
-- no row, which is how Welsh children stay out of the ICB and region
-- levels and English ones out of the health boards (§8.2).
-- aggregate.EntityOf says the same in Go; a test holds the two equal.
CREATE VIEW organisation_levels AS
SELECT o.id AS organisation_id, CAST('organisation' AS TEXT) AS level, o.ods_code AS entity, o.name AS name
FROM organisations o
UNION ALL
SELECT o.id, 'trust', t.ods_code, t.name
FROM organisations o JOIN trusts t ON t.ods_code = o.trust_ods_code
UNION ALL
SELECT o.id, 'local_health_board', b.ods_code, b.name
FROM organisations o JOIN local_health_boards b ON b.ods_code = o.local_health_board_ods_code
UNION ALL
SELECT o.id, 'icb', i.ods_code, i.name
FROM organisations o JOIN integrated_care_boards i ON i.ods_code = o.icb_ods_code
UNION ALL
SELECT o.id, 'nhs_england_region', r.code, r.name
FROM organisations o JOIN nhs_england_regions r ON r.code = o.nhs_england_region_code
UNION ALL
SELECT o.id, 'open_uk_network', n.code, n.name
FROM organisations o JOIN open_uk_networks n ON n.code = o.openuk_network_code
UNION ALL
SELECT o.id, 'country', c.code, c.name
FROM organisations o JOIN countries c ON c.code = o.country_code
UNION ALL
SELECT o.id, 'national', 'national', 'England and Wales'
FROM organisations o;

-- One aggregation of one cohort. A run is written in one transaction and
-- commits as 'complete' ('running' is never seen by anyone else); a run
-- that fails rolls back and is then recorded as 'failed' with its error.
-- as_of is the UK date on which it asked whether a child's first year of
-- care was over (§8.2), which is so for a first paediatric assessment on
-- or before last_assessment_counted (as_of less a calendar year, in
-- app/aggregate); computed_at is when it read the data (after waiting for
-- any other run of the cohort); children is how many it counted nationally.
CREATE TABLE kpi_aggregate_runs (
    id          INTEGER PRIMARY KEY,
    cohort      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    as_of       date NOT NULL,
    last_assessment_counted date NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    children    INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kpi_aggregate_runs_cohort_idx ON kpi_aggregate_runs (cohort, id);

-- The run readers see for each cohort, switched in the transaction that
-- completes the next one, so a failed run leaves the last good figures in
-- place. A run takes its cohort's row first: runs of one cohort queue.
CREATE TABLE kpi_aggregate_cohorts (
    cohort         INTEGER PRIMARY KEY,
    current_run_id INTEGER REFERENCES kpi_aggregate_runs (id)
);

-- A run's per-organisation counts, the one pass over the cohort's children
-- that every level is summed from; emptied before the run commits.
-- included: the children §8.2 counts (audit complete, first year over);
-- their measures are counted as scored (not NULL), passed (1) and
-- ineligible (2).
CREATE TABLE kpi_aggregate_staging (
    run_id          INTEGER NOT NULL REFERENCES kpi_aggregate_runs (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL,
    included        BOOLEAN NOT NULL,
    children        INTEGER NOT NULL,
    complete        INTEGER NOT NULL,
    paediatrician_with_expertise_in_epilepsies_scored INTEGER NOT NULL,
    paediatrician_with_expertise_in_epilepsies_passed INTEGER NOT NULL,
    paediatrician_with_expertise_in_epilepsies_ineligible INTEGER NOT NULL,
    epilepsy_specialist_nurse_scored INTEGER NOT NULL,
    epilepsy_specialist_nurse_passed INTEGER NOT NULL,
    epilepsy_specialist_nurse_ineligible INTEGER NOT NULL,
    tertiary_input_scored INTEGER NOT NULL,
    tertiary_input_passed INTEGER NOT NULL,
    tertiary_input_ineligible INTEGER NOT NULL,
    epilepsy_surgery_referral_scored INTEGER NOT NULL,
    epilepsy_surgery_referral_passed INTEGER NOT NULL,
    epilepsy_surgery_referral_ineligible INTEGER NOT NULL,
    ecg_scored INTEGER NOT NULL,
    ecg_passed INTEGER NOT NULL,
    ecg_ineligible INTEGER NOT NULL,
    mri_scored INTEGER NOT NULL,
    mri_passed INTEGER NOT NULL,
    mri_ineligible INTEGER NOT NULL,
    assessment_of_mental_health_issues_scored INTEGER NOT NULL,
    assessment_of_mental_health_issues_passed INTEGER NOT NULL,
    assessment_of_mental_health_issues_ineligible INTEGER NOT NULL,
    mental_health_support_scored INTEGER NOT NULL,
    mental_health_support_passed INTEGER NOT NULL,
    mental_health_support_ineligible INTEGER NOT NULL,
    sodium_valproate_scored INTEGER NOT NULL,
    sodium_valproate_passed INTEGER NOT NULL,
    sodium_valproate_ineligible INTEGER NOT NULL,
    comprehensive_care_planning_agreement_scored INTEGER NOT NULL,
    comprehensive_care_planning_agreement_passed INTEGER NOT NULL,
    comprehensive_care_planning_agreement_ineligible INTEGER NOT NULL,
    patient_held_individualised_epilepsy_document_scored INTEGER NOT NULL,
    patient_held_individualised_epilepsy_document_passed INTEGER NOT NULL,
    patient_held_individualised_epilepsy_document_ineligible INTEGER NOT NULL,
    patient_carer_parent_agreement_to_the_care_planning_scored INTEGER NOT NULL,
    patient_carer_parent_agreement_to_the_care_planning_passed INTEGER NOT NULL,
    patient_carer_parent_agreement_to_the_care_planning_ineligible INTEGER NOT NULL,
    care_planning_has_been_updated_when_necessary_scored INTEGER NOT NULL,
    care_planning_has_been_updated_when_necessary_passed INTEGER NOT NULL,
    care_planning_has_been_updated_when_necessary_ineligible INTEGER NOT NULL,
    comprehensive_care_planning_content_scored INTEGER NOT NULL,
    comprehensive_care_planning_content_passed INTEGER NOT NULL,
    comprehensive_care_planning_content_ineligible INTEGER NOT NULL,
    parental_prolonged_seizures_care_plan_scored INTEGER NOT NULL,
    parental_prolonged_seizures_care_plan_passed INTEGER NOT NULL,
    parental_prolonged_seizures_care_plan_ineligible INTEGER NOT NULL,
    water_safety_scored INTEGER NOT NULL,
    water_safety_passed INTEGER NOT NULL,
    water_safety_ineligible INTEGER NOT NULL,
    first_aid_scored INTEGER NOT NULL,
    first_aid_passed INTEGER NOT NULL,
    first_aid_ineligible INTEGER NOT NULL,
    general_participation_and_risk_scored INTEGER NOT NULL,
    general_participation_and_risk_passed INTEGER NOT NULL,
    general_participation_and_risk_ineligible INTEGER NOT NULL,
    service_contact_details_scored INTEGER NOT NULL,
    service_contact_details_passed INTEGER NOT NULL,
    service_contact_details_ineligible INTEGER NOT NULL,
    sudep_scored INTEGER NOT NULL,
    sudep_passed INTEGER NOT NULL,
    sudep_ineligible INTEGER NOT NULL,
    school_individual_healthcare_plan_scored INTEGER NOT NULL,
    school_individual_healthcare_plan_passed INTEGER NOT NULL,
    school_individual_healthcare_plan_ineligible INTEGER NOT NULL,
    PRIMARY KEY (run_id, organisation_id, included)
);

-- The entities of every level, with their children of the cohort:
-- registered (not opted out or deleted), complete (audit complete) and
-- counted (complete and a full year of care over: §8.2). Every entity
-- with an organisation is here, with zeros when it has no children.
CREATE TABLE kpi_aggregate_entities (
    run_id     INTEGER NOT NULL REFERENCES kpi_aggregate_runs (id) ON DELETE CASCADE,
    level      TEXT NOT NULL CHECK (level IN ('organisation', 'trust', 'local_health_board', 'icb', 'nhs_england_region', 'open_uk_network', 'country', 'national')),
    entity     TEXT NOT NULL,
    name       TEXT NOT NULL,
    registered INTEGER NOT NULL,
    complete   INTEGER NOT NULL,
    counted    INTEGER NOT NULL,
    PRIMARY KEY (run_id, level, entity)
);

-- The four counts of §8.3 for each entity and measure: passed (1),
-- total_eligible (0 or 1), ineligible (2), incomplete (not scored).
-- total_eligible + ineligible + incomplete = the entity's counted children.
-- Some 12,000 rows a run: no foreign keys, whose checks would cost more
-- than writing them; they are deleted with their run
-- (DeleteKPIAggregateResultsBefore).
CREATE TABLE kpi_aggregate_results (
    run_id         INTEGER NOT NULL,
    level          TEXT NOT NULL,
    entity         TEXT NOT NULL,
    measure        TEXT NOT NULL,
    passed         INTEGER NOT NULL,
    total_eligible INTEGER NOT NULL,
    ineligible     INTEGER NOT NULL,
    incomplete     INTEGER NOT NULL,
    PRIMARY KEY (run_id, level, entity, measure)
);

-- +goose Down
DROP TABLE kpi_aggregate_results;
DROP TABLE kpi_aggregate_entities;
DROP TABLE kpi_aggregate_staging;
DROP TABLE kpi_aggregate_cohorts;
DROP TABLE kpi_aggregate_runs;
DROP VIEW organisation_levels;
DROP TABLE kpi_measures;
ALTER TABLE kpi_results DROP COLUMN audit_complete;
