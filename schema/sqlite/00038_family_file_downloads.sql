-- +goose Up
-- Families download their patients' files (issues 17 and 18,
-- docs/files.md "Families"): a download is by a staff user or by a family
-- account, never both, so the log says which without a family ever
-- standing for a user. A removed family account keeps its rows, as a
-- family's download (family_account_id NULL, user_id NULL). SQLite cannot
-- drop a NOT NULL: the table is rebuilt (nothing refers to it).
CREATE TABLE file_downloads_new (
    id                INTEGER PRIMARY KEY,
    file_id           INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    user_id           INTEGER REFERENCES users (id),
    downloaded_at     TIMESTAMP NOT NULL,
    family_account_id INTEGER REFERENCES family_accounts (id) ON DELETE SET NULL,
    CONSTRAINT file_downloads_who CHECK (user_id IS NULL OR family_account_id IS NULL)
);
INSERT INTO file_downloads_new (id, file_id, user_id, downloaded_at) SELECT id, file_id, user_id, downloaded_at FROM file_downloads;
DROP TABLE file_downloads;
ALTER TABLE file_downloads_new RENAME TO file_downloads;
CREATE INDEX file_downloads_file_idx ON file_downloads (file_id, id);

-- +goose Down
CREATE TABLE file_downloads_old (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    downloaded_at TIMESTAMP NOT NULL
);
INSERT INTO file_downloads_old SELECT id, file_id, user_id, downloaded_at FROM file_downloads WHERE user_id IS NOT NULL;
DROP TABLE file_downloads;
ALTER TABLE file_downloads_old RENAME TO file_downloads;
CREATE INDEX file_downloads_file_idx ON file_downloads (file_id, id);
