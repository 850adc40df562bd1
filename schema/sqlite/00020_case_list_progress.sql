-- +goose Up
-- The case list's audit progress, days remaining and date submitted
-- (spec §10.1). audit_progress is the percentage of the audit's expected
-- answers given (progress.Summary.Percent), stored by the KPI scoring job
-- with the child's results, so the list can sort by it; NULL until the
-- child is first scored after this migration (a KPI recalculation fills
-- every child). Days remaining sort as the cohort (its deadline) and the
-- date submitted as locked_at: each sort walks an index and stops after the
-- page, as the other columns' do (00007).
ALTER TABLE children ADD COLUMN audit_progress INTEGER CHECK (audit_progress BETWEEN 0 AND 100);
CREATE INDEX children_list_progress_idx ON children (audit_progress, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_submitted_idx ON children (locked_at, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_progress_idx ON children (scope_code, audit_progress, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_submitted_idx ON children (scope_code, locked_at, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX children_scope_submitted_idx;
DROP INDEX children_scope_progress_idx;
DROP INDEX children_list_submitted_idx;
DROP INDEX children_list_progress_idx;
ALTER TABLE children DROP COLUMN audit_progress;
