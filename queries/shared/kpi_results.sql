-- Each child's stored KPI results (schema 00009), written by the KPI job.

-- UpsertKPIResult is in kpi_results_upsert.sql, generated from the
-- measure list (app/store/internal/measuregen).

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
