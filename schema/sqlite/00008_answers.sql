-- +goose Up
-- The answers of a child's audit forms (spec §2.4–§2.13), one row per
-- answered field. A field not answered has no row (the spec's NULL). The
-- value is the answer as JSON, exactly as in the audit document
-- (docs/data-format.md): true, "E", 2, "2024-03-01", ["Gen","Imm"]. One
-- row per field, rather than one column per field, is what lets a save
-- carry one field, detect a conflict on that field alone (version, by whom)
-- and keep the history per field; docs/architecture.md says more.

-- The repeated rows of the forms: episodes, syndromes, comorbidities and
-- medicines, in the order they were added (id order).
CREATE TABLE child_rows (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    section    TEXT NOT NULL CHECK (section IN ('episodes', 'syndromes', 'comorbidities', 'antiepilepsy_medicines')),
    -- A one-time key from the "Add" button that created the row: a second
    -- click (or a retried request) finds the row instead of adding another.
    client_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX child_rows_client_key_key ON child_rows (child_id, client_key);
CREATE INDEX child_rows_child_idx ON child_rows (child_id, id);

CREATE TABLE answers (
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    row_id     INTEGER NOT NULL DEFAULT 0, -- child_rows.id, or 0 for a form's own field
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL,           -- the child's version this answer was written at
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    PRIMARY KEY (child_id, section, row_id, field)
);

-- The audit trail (spec §11.5, decisions.md): every change to an answer,
-- written in the transaction that made it. The application only ever
-- inserts here; rows go only with the child (purge, opt-out).
CREATE TABLE answer_changes (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    field      TEXT NOT NULL,             -- '' when a row was added or removed
    old_value  TEXT,                      -- NULL: not answered before
    new_value  TEXT,                      -- NULL: not answered after
    cause      TEXT NOT NULL CHECK (cause IN ('answer', 'cleared', 'row_added', 'row_removed', 'import')),
    version    INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    request_id TEXT NOT NULL
);
CREATE INDEX answer_changes_child_idx ON answer_changes (child_id, id);

-- +goose Down
DROP TABLE answer_changes;
DROP TABLE answers;
DROP TABLE child_rows;
