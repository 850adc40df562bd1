-- +goose Up
-- Bulk recalculations of every child's KPIs (after a rule change), asked
-- for by a national administrator and run by the kpi_recalculate job. The
-- row is the job's progress for the page that shows it, and its cursor: a
-- retried job resumes after last_child_id instead of starting again.
CREATE TABLE kpi_recalculations (
    id            INTEGER PRIMARY KEY,
    rules_version TEXT NOT NULL,
    requested_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    requested_at  TIMESTAMP NOT NULL,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    total         INTEGER NOT NULL DEFAULT 0,
    done          INTEGER NOT NULL DEFAULT 0,
    last_child_id INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE kpi_recalculations;
