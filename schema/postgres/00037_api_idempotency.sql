-- +goose Up
-- The first response to a create sent with an Idempotency-Key, per token,
-- so that a retry answers the same and adds nothing (docs/api.md).
CREATE TABLE api_idempotency (
    token_id    BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL, -- method, path and a hash of the body
    status      BIGINT NOT NULL,
    body        TEXT NOT NULL,
    location    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_expires_idx ON api_idempotency (expires_at);

-- +goose Down
DROP TABLE api_idempotency;
