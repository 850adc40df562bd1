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
	// ListUserAPITokens lists an account's tokens, newest first.
	ListUserAPITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeAPIToken revokes one of the user's live tokens (1 row).
	RevokeAPIToken(ctx context.Context, arg RevokeAPITokenParams) (int64, error)
	// GetAPIIdempotency reads a key's unexpired first response; ErrNotFound if none.
	GetAPIIdempotency(ctx context.Context, arg GetAPIIdempotencyParams) (APIIdempotency, error)
	// PutAPIIdempotency stores (or replaces an expired) first response.
	PutAPIIdempotency(ctx context.Context, arg PutAPIIdempotencyParams) error
	// DeleteExpiredAPIIdempotency deletes the keys past their expiry.
	DeleteExpiredAPIIdempotency(ctx context.Context, now time.Time) (int64, error)
}
