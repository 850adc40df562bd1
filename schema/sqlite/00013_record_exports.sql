-- +goose Up
-- Record-level exports (docs/exports.md): a user who may export children's
-- records asks for a file; the records_export job writes it, gzip-compressed,
-- into record_export_chunks; its owner downloads it until it expires
-- (7 days after the request; the exports_purge job deletes it).
CREATE TABLE record_exports (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    format          TEXT NOT NULL CHECK (format IN ('jsonl', 'csv')),
    deidentified    BOOLEAN NOT NULL,
    -- NULL: every organisation the owner may reach; the scope itself is
    -- the owner's, read again when the job runs.
    organisation_id INTEGER REFERENCES organisations (id),
    cohort          INTEGER NOT NULL DEFAULT 0, -- 0: every cohort
    status          TEXT NOT NULL CHECK (status IN ('pending', 'running', 'ready', 'failed')),
    requested_at    TIMESTAMP NOT NULL,
    started_at      TIMESTAMP,
    finished_at     TIMESTAMP,
    expires_at      TIMESTAMP NOT NULL,
    children        INTEGER NOT NULL DEFAULT 0,
    size            INTEGER NOT NULL DEFAULT 0, -- bytes of the file, uncompressed
    chunks          INTEGER NOT NULL DEFAULT 0,
    error           TEXT NOT NULL DEFAULT '' -- for the owner: never internal detail
);
CREATE INDEX record_exports_user_idx ON record_exports (user_id, id);
CREATE INDEX record_exports_expires_idx ON record_exports (expires_at);

-- The file: one gzip stream cut into pieces of about a megabyte, in order.
CREATE TABLE record_export_chunks (
    export_id INTEGER NOT NULL REFERENCES record_exports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (export_id, seq)
);

-- +goose Down
DROP TABLE record_export_chunks;
DROP TABLE record_exports;
