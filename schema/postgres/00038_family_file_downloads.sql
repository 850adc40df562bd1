-- +goose Up
-- Families download their patients' files (issues 17 and 18,
-- docs/files.md "Families"): a download is by a staff user or by a family
-- account, never both, so the log says which without a family ever
-- standing for a user. A removed family account keeps its rows, as a
-- family's download (family_account_id NULL, user_id NULL).
ALTER TABLE file_downloads ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE file_downloads ADD COLUMN family_account_id BIGINT REFERENCES family_accounts (id) ON DELETE SET NULL;
ALTER TABLE file_downloads ADD CONSTRAINT file_downloads_who CHECK (user_id IS NULL OR family_account_id IS NULL);

-- +goose Down
DELETE FROM file_downloads WHERE user_id IS NULL;
ALTER TABLE file_downloads DROP CONSTRAINT file_downloads_who;
ALTER TABLE file_downloads DROP COLUMN family_account_id;
ALTER TABLE file_downloads ALTER COLUMN user_id SET NOT NULL;
