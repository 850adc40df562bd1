-- The children waiting to be rescored (schema 00040; app/scorequeue).

-- QueueChildScoringParams: the child, now, and when the row goes stale if
-- its job has not scored the child by then (lost or failing). 1 row when
-- the caller must insert the kpi_score job (no row yet, or a stale one,
-- renewed), 0 when a job is queued already.
-- name: QueueChildScoring :execrows
INSERT INTO kpi_score_queue (child_id, queued_at, stale_at) VALUES (@child_id, @queued_at, @stale_at)
ON CONFLICT (child_id) DO UPDATE SET queued_at = excluded.queued_at, stale_at = excluded.stale_at
WHERE kpi_score_queue.stale_at < excluded.queued_at;

-- name: DequeueChildScoring :exec
DELETE FROM kpi_score_queue WHERE child_id = @child_id;

-- name: CountChildrenQueuedForScoring :one
SELECT count(*) FROM kpi_score_queue;
