-- KPI aggregation (spec 8; schema 00011, docs/aggregation.md). A run of
-- one cohort (app/aggregate.Run): CountKPIAggregates (the one pass over
-- the cohort's children, a read outside any transaction), then short
-- transactions that write rows no reader sees yet:
--   InsertKPIAggregateRun (status running) and InsertKPIAggregateStaging
--   (the counts) -> RollUpKPIAggregateEntities -> RollUpKPIAggregates
--   (a few measures a call, every level) until it writes nothing ->
--   ClearKPIAggregateStaging;
-- then the switch: LockKPIAggregateCohort -> GetCurrentKPIAggregateRun (a
-- run that started later wins) -> FinishKPIAggregateRun ->
-- SetCurrentKPIAggregateRun; then the old runs are deleted in parts.
-- Readers find the cohort's current run (GetCurrentKPIAggregateRun) and
-- read its rows by run id. The queries that name every measure are
-- generated from app/kpi's measure list into kpi_aggregate_measures.sql
-- (app/store/internal/measuregen).

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

-- name: ClearKPIAggregateStaging :exec
DELETE FROM kpi_aggregate_staging WHERE run_id = @run_id;

-- FinishKPIAggregateRun marks a running run complete, in the transaction
-- that switches to it; no row when the run is no longer running (another
-- run's deleteOld abandoned it: its figures may be half deleted).

-- name: FinishKPIAggregateRun :execrows
UPDATE kpi_aggregate_runs SET status = 'complete', finished_at = @finished_at,
    children = (SELECT e.counted FROM kpi_aggregate_entities e WHERE e.run_id = @id AND e.level = 'national')
WHERE id = @id AND status = 'running';

-- name: SetCurrentKPIAggregateRun :exec
UPDATE kpi_aggregate_cohorts SET current_run_id = CAST(@run_id AS BIGINT) WHERE cohort = @cohort;

-- Deleting old runs (app/aggregate deleteOld), in short transactions:
-- AbandonKPIAggregateRunsBefore, then DeleteKPIAggregateResultsBefore for
-- a few measures at a time, then DeleteKPIAggregateRunsBefore (the
-- entities and staged rows go with their run). They take the cohort's
-- runs older than before_id (the run readers saw until the last switch,
-- which one may still be reading), except the current run: runs write
-- their figures before they switch, so a run with a lower id may have
-- switched after a higher one.

-- AbandonKPIAggregateRunsBefore marks those that are still running
-- (a run that died, or one far slower than two later runs) failed, so
-- they never switch (FinishKPIAggregateRun) while their rows are deleted.

-- name: AbandonKPIAggregateRunsBefore :execrows
UPDATE kpi_aggregate_runs SET status = 'failed', finished_at = @finished_at,
    error = 'abandoned: two later runs finished first'
WHERE kpi_aggregate_runs.cohort = @cohort AND kpi_aggregate_runs.id < @before_id AND status = 'running'
  AND kpi_aggregate_runs.id <> coalesce((SELECT c.current_run_id FROM kpi_aggregate_cohorts c WHERE c.cohort = kpi_aggregate_runs.cohort), 0);

-- name: DeleteKPIAggregateResultsBefore :execrows
DELETE FROM kpi_aggregate_results WHERE run_id IN (
    SELECT r.id FROM kpi_aggregate_runs r WHERE r.cohort = @cohort AND r.id < @before_id AND r.status <> 'running'
      AND r.id <> coalesce((SELECT c.current_run_id FROM kpi_aggregate_cohorts c WHERE c.cohort = r.cohort), 0))
  AND measure IN (SELECT m.code FROM kpi_measures m
    WHERE m.position BETWEEN CAST(@first_measure AS BIGINT) AND CAST(@last_measure AS BIGINT));

-- name: DeleteKPIAggregateRunsBefore :execrows
DELETE FROM kpi_aggregate_runs WHERE kpi_aggregate_runs.cohort = @cohort AND kpi_aggregate_runs.id < @before_id AND status <> 'running'
  AND kpi_aggregate_runs.id <> coalesce((SELECT c.current_run_id FROM kpi_aggregate_cohorts c WHERE c.cohort = kpi_aggregate_runs.cohort), 0);

-- DeleteKPIAggregateRunResults and then DeleteKPIAggregateRun delete one
-- run that never switched (it failed, or a later-started run won) with its
-- figures, a few measures at a time; only while it is still running, so
-- never a run that switched after all.

-- name: DeleteKPIAggregateRunResults :execrows
DELETE FROM kpi_aggregate_results WHERE run_id = @run_id
  AND EXISTS (SELECT 1 FROM kpi_aggregate_runs r WHERE r.id = @run_id AND r.status = 'running')
  AND measure IN (SELECT m.code FROM kpi_measures m
    WHERE m.position BETWEEN CAST(@first_measure AS BIGINT) AND CAST(@last_measure AS BIGINT));

-- name: DeleteKPIAggregateRun :execrows
DELETE FROM kpi_aggregate_runs WHERE id = @id AND status = 'running';

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

-- ListKPIAggregateRuns: a cohort's recent runs, complete and failed, and
-- one still being written in parts (running), newest first.

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
