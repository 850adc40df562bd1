-- +goose Up
-- OAuth 2.0 clients (client credentials, docs/api.md): a system registered
-- by an administrator for a staff account it may manage, which it then
-- acts as. The secret is shown once and stored as its SHA-256 hash.
CREATE TABLE api_clients (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    client_id   TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    access      TEXT NOT NULL CHECK (access IN ('read', 'write')),
    domain      TEXT NOT NULL CHECK (domain IN ('registry', 'audit')),
    created_by  INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX api_clients_user_idx ON api_clients (user_id);

-- Bearer tokens for /api/v1, stored as their SHA-256 hash: a staff
-- member's personal API tokens (client_id NULL: shown once, on the account
-- page) and the short-lived tokens issued to OAuth clients. The scope
-- narrows the account's permissions (never widens them): read or write,
-- registry or audit.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    client_id  INTEGER REFERENCES api_clients (id),
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    access     TEXT NOT NULL CHECK (access IN ('read', 'write')),
    domain     TEXT NOT NULL CHECK (domain IN ('registry', 'audit')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
CREATE INDEX api_tokens_client_idx ON api_tokens (client_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE api_clients;
