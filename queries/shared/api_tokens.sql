-- APIToken is a personal API token: its hash, never the token.
-- name: CreateAPIToken :one
INSERT INTO api_tokens (user_id, name, hash, access, domain, created_at, expires_at)
VALUES (@user_id, @name, @hash, @access, @domain, @created_at, @expires_at)
RETURNING id;

-- name: GetAPITokenByHash :one
SELECT * FROM api_tokens WHERE hash = @hash;

-- name: ListUserAPITokens :many
SELECT * FROM api_tokens WHERE user_id = @user_id ORDER BY created_at DESC, id DESC;

-- name: RevokeAPIToken :execrows
UPDATE api_tokens SET revoked_at = @revoked_at WHERE id = @id AND user_id = @user_id AND revoked_at IS NULL;

-- name: GetAPIIdempotency :one
SELECT * FROM api_idempotency WHERE token_id = @token_id AND key = @key AND expires_at > @now;

-- name: PutAPIIdempotency :exec
INSERT INTO api_idempotency (token_id, key, fingerprint, status, body, location, created_at, expires_at)
VALUES (@token_id, @key, @fingerprint, @status, @body, @location, @created_at, @expires_at)
ON CONFLICT (token_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
    body = excluded.body, location = excluded.location, created_at = excluded.created_at, expires_at = excluded.expires_at;

-- name: DeleteExpiredAPIIdempotency :execrows
DELETE FROM api_idempotency WHERE expires_at <= @now;
