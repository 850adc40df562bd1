-- +goose Up
-- Files (issue 18, docs/files.md): documents kept for a registry patient
-- or an audit child (genetic reports, clinic letters, consent forms). The
-- bytes live encrypted in object storage under a random name; this row is
-- the only link between the object and its record. owner_id has no
-- foreign key: it points at registry_patients or children by owner_kind,
-- and the files purge removes the rows and objects of deleted records.
CREATE TABLE files (
    id              INTEGER PRIMARY KEY,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('registry_patient', 'child')),
    owner_id        INTEGER NOT NULL,
    object_name     TEXT NOT NULL, -- random: says nothing of the record
    name            TEXT NOT NULL, -- as uploaded, checked (no path characters)
    content_type    TEXT NOT NULL, -- from the content (magic bytes)
    size            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('genetic_report', 'letter', 'consent', 'other')),
    staff_only      BOOLEAN NOT NULL DEFAULT FALSE,
    key_id          TEXT NOT NULL, -- the key that wraps the data key
    wrapped_key     TEXT NOT NULL, -- base64: the data key sealed by key_id
    extraction      TEXT NOT NULL DEFAULT '' CHECK (extraction IN ('', 'pending', 'done', 'no_text', 'failed')),
    extraction_note TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    deleted_at      TIMESTAMP -- set with the record's soft delete
);
CREATE UNIQUE INDEX files_object_name_key ON files (object_name);
CREATE INDEX files_owner_idx ON files (owner_kind, owner_id, id);
CREATE INDEX files_deleted_idx ON files (deleted_at) WHERE deleted_at IS NOT NULL;

-- Every download: who, which file, when (shown on the file's page).
CREATE TABLE file_downloads (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    downloaded_at TIMESTAMP NOT NULL
);
CREATE INDEX file_downloads_file_idx ON file_downloads (file_id, id);

-- +goose Down
DROP TABLE file_downloads;
DROP TABLE files;
