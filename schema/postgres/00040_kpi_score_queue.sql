-- +goose Up
-- The children waiting to be rescored (issue 22; app/scorequeue): one row
-- per child, upserted by every write that can change the child's score, in
-- its transaction, and deleted by the scorer in the transaction that scores
-- the child. A write that inserts the row also inserts the kpi_score job;
-- one that finds it adds nothing, so a burst of saves costs one small
-- upsert each instead of River's unique insert. queued_at is when the row's
-- job was queued; after stale_at (scorequeue.StaleAfter later) the next
-- write queues another: a job lost, or failing for that long, must not stop
-- the child's rescoring.
CREATE TABLE kpi_score_queue (
    child_id  BIGINT PRIMARY KEY REFERENCES children (id) ON DELETE CASCADE,
    queued_at TIMESTAMPTZ NOT NULL,
    stale_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE kpi_score_queue;
