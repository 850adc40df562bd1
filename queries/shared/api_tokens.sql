-- APIToken is a personal API token: its hash, never the token.
-- name: CreateAPIToken :one
INSERT INTO api_tokens (user_id, client_id, name, hash, access, domain, created_at, expires_at)
VALUES (@user_id, sqlc.narg(client_id), @name, @hash, @access, @domain, @created_at, @expires_at)
RETURNING id;

-- name: GetAPITokenByHash :one
SELECT * FROM api_tokens WHERE hash = @hash;

-- name: ListUserAPITokens :many
SELECT * FROM api_tokens WHERE user_id = @user_id AND client_id IS NULL ORDER BY created_at DESC, id DESC;

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

-- APIClient is an OAuth client: its secret's hash, never the secret.
-- name: CreateAPIClient :one
INSERT INTO api_clients (user_id, name, client_id, secret_hash, access, domain, created_by, created_at)
VALUES (@user_id, @name, @client_id, @secret_hash, @access, @domain, @created_by, @created_at)
RETURNING id;

-- name: GetAPIClientByClientID :one
SELECT * FROM api_clients WHERE client_id = @client_id;

-- name: ListUserAPIClients :many
SELECT * FROM api_clients WHERE user_id = @user_id ORDER BY created_at DESC, id DESC;

-- name: RevokeAPIClient :execrows
UPDATE api_clients SET revoked_at = @revoked_at WHERE id = @id AND user_id = @user_id AND revoked_at IS NULL;

-- RevokeAPIClientTokens ends the tokens issued to a client.
-- name: RevokeAPIClientTokens :execrows
UPDATE api_tokens SET revoked_at = @revoked_at WHERE client_id = @client_id AND revoked_at IS NULL;

-- DeleteExpiredClientTokens deletes the tokens issued to clients once
-- expired (personal tokens stay listed on the account page).
-- name: DeleteExpiredClientTokens :execrows
DELETE FROM api_tokens WHERE client_id IS NOT NULL AND expires_at <= @now;

-- ClaimAPIIdempotency takes a key for a create in flight (status 0), or
-- takes over an expired one; 0 rows when the key is held or answered.
-- name: ClaimAPIIdempotency :execrows
INSERT INTO api_idempotency (token_id, key, fingerprint, status, body, location, created_at, expires_at)
VALUES (@token_id, @key, @fingerprint, 0, '', '', @created_at, @expires_at)
ON CONFLICT (token_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = 0, body = '', location = '',
    created_at = excluded.created_at, expires_at = excluded.expires_at
WHERE api_idempotency.expires_at <= excluded.created_at;

-- ReleaseAPIIdempotency gives back a claimed key whose create was refused.
-- name: ReleaseAPIIdempotency :exec
DELETE FROM api_idempotency WHERE token_id = @token_id AND key = @key AND status = 0;
