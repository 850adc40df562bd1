-- +goose Up
-- The reach an export's file was written for: '' for every organisation
-- (a national user's), else the trust's or health board's ODS code. A
-- download compares it with the owner's reach now, so a lead moved to
-- another trust cannot take the old trust's records (docs/exports.md).
-- NULL: not written yet, or written before this column existed.
ALTER TABLE record_exports ADD COLUMN scope TEXT;

-- +goose Down
ALTER TABLE record_exports DROP COLUMN scope;
