-- +goose Up
-- The trail of changes to a child itself (decisions.md: "an audit trail of
-- every change"), beside answer_changes for the audit answers: demographics,
-- registration, lock and unlock, transfer, opt-out, deletion and restore.
-- One row per changed field, written in the transaction of the change
-- (children.record). The application only inserts; rows go with the child
-- (purge) or, for an opt-out, are replaced by the opt-out's own row since
-- they hold the identifiers the opt-out removes (spec 11.2).
CREATE TABLE child_changes (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('demographics', 'registration', 'lock', 'transfer', 'opt_out', 'deletion')),
    field      TEXT NOT NULL,
    old_value  TEXT,                      -- NULL: not set before
    new_value  TEXT,                      -- NULL: not set after
    cause      TEXT NOT NULL CHECK (cause IN ('form', 'import', 'transfer', 'national_team', 'job')),
    note       TEXT NOT NULL DEFAULT '',  -- why, when the values alone do not say (a system unlock)
    changed_at TIMESTAMP NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX child_changes_child_idx ON child_changes (child_id, id);

-- +goose Down
DROP TABLE child_changes;
