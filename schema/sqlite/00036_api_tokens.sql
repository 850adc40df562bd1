-- +goose Up
-- Personal API tokens (docs/api.md): a staff member's bearer token for
-- /api/v1, shown once and stored as its SHA-256 hash. Its scope narrows the
-- account's permissions (never widens them): read or write, registry or
-- audit.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    access     TEXT NOT NULL CHECK (access IN ('read', 'write')),
    domain     TEXT NOT NULL CHECK (domain IN ('registry', 'audit')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
