-- LockChildForScoring: SQLite's transactions begin IMMEDIATE (litestore.DSN),
-- so the scorer's transaction already holds the database's write lock and
-- no write to the child can come between its read and its commit. Same
-- name as PostgreSQL's, which takes the row lock (FOR UPDATE).

-- name: LockChildForScoring :one
SELECT version FROM children WHERE id = @id;
