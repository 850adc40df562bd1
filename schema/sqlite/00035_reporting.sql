-- +goose Up
-- PostgreSQL's masked reporting schema (docs/reporting.md) has no SQLite
-- counterpart in the database: `clinaudit reporting-copy OUT.db` writes the
-- same masked tables, from the same definition (app/reporting), into a new
-- file. Kept so both engines list the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
