-- +goose Up
-- A child's answers are always read together (a form page, a save, a
-- recalculation reading a thousand children at a time), by the primary key
-- (child_id, section, row_id, field). As a WITHOUT ROWID table they are
-- stored in that order, so those reads walk one b-tree instead of looking
-- each answer up again by rowid. PostgreSQL's 00014 is empty.
CREATE TABLE answers_by_child (
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    row_id     INTEGER NOT NULL DEFAULT 0,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    PRIMARY KEY (child_id, section, row_id, field)
) WITHOUT ROWID;
INSERT INTO answers_by_child SELECT child_id, section, row_id, field, value, version, updated_at, updated_by FROM answers;
DROP TABLE answers;
ALTER TABLE answers_by_child RENAME TO answers;

-- +goose Down
CREATE TABLE answers_with_rowid (
    child_id   INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    row_id     INTEGER NOT NULL DEFAULT 0,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    PRIMARY KEY (child_id, section, row_id, field)
);
INSERT INTO answers_with_rowid SELECT child_id, section, row_id, field, value, version, updated_at, updated_by FROM answers;
DROP TABLE answers;
ALTER TABLE answers_with_rowid RENAME TO answers;
