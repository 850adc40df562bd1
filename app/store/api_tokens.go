package store

import (
	"context"
	"time"
)

// APITokenQueries keep personal API tokens and the idempotency keys of the
// API's creates (app/api).
type APITokenQueries interface {
	// CreateAPIToken stores a token's hash; ErrConflict for a hash taken.
	CreateAPIToken(ctx context.Context, arg CreateAPITokenParams) (int64, error)
	// GetAPITokenByHash reads a token by its hash; ErrNotFound if none.
	GetAPITokenByHash(ctx context.Context, hash string) (APIToken, error)
	// ListUserAPITokens lists an account's personal tokens, newest first.
	ListUserAPITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeAPIToken revokes one of the user's live tokens (1 row).
	RevokeAPIToken(ctx context.Context, arg RevokeAPITokenParams) (int64, error)
	// GetAPIIdempotency reads a key's unexpired first response; ErrNotFound if none.
	GetAPIIdempotency(ctx context.Context, arg GetAPIIdempotencyParams) (APIIdempotency, error)
	// PutAPIIdempotency stores (or replaces an expired) first response.
	PutAPIIdempotency(ctx context.Context, arg PutAPIIdempotencyParams) error
	// ClaimAPIIdempotency holds a key for a create in flight (status 0) or
	// takes over an expired one: 1 row, or 0 when the key is held.
	ClaimAPIIdempotency(ctx context.Context, arg ClaimAPIIdempotencyParams) (int64, error)
	// ReleaseAPIIdempotency deletes a key's claim (status 0) only.
	ReleaseAPIIdempotency(ctx context.Context, arg ReleaseAPIIdempotencyParams) error
	// DeleteExpiredAPIIdempotency deletes the keys past their expiry.
	DeleteExpiredAPIIdempotency(ctx context.Context, now time.Time) (int64, error)
	// CreateAPIClient registers an OAuth client; ErrConflict for a taken client_id.
	CreateAPIClient(ctx context.Context, arg CreateAPIClientParams) (int64, error)
	// GetAPIClientByClientID reads a client; ErrNotFound if none.
	GetAPIClientByClientID(ctx context.Context, clientID string) (APIClient, error)
	// ListUserAPIClients lists the clients acting as an account, newest first.
	ListUserAPIClients(ctx context.Context, userID int64) ([]APIClient, error)
	// RevokeAPIClient revokes one of the account's live clients (1 row).
	RevokeAPIClient(ctx context.Context, arg RevokeAPIClientParams) (int64, error)
	// RevokeAPIClientTokens revokes the live tokens issued to a client.
	RevokeAPIClientTokens(ctx context.Context, arg RevokeAPIClientTokensParams) (int64, error)
	// DeleteExpiredClientTokens deletes expired tokens issued to clients,
	// with their idempotency keys.
	DeleteExpiredClientTokens(ctx context.Context, now time.Time) (int64, error)
}
