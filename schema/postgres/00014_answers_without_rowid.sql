-- +goose Up
-- Nothing: SQLite's 00014 stores answers in primary-key order (WITHOUT
-- ROWID), which PostgreSQL has no equivalent of worth a rewrite. Kept so
-- the two engines' migrations keep the same numbers.
SELECT 1;

-- +goose Down
SELECT 1;
