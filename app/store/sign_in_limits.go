package store

import (
	"context"
)

// SignInLimitQueries count failed sign-ins and emailed codes for app/auth.
type SignInLimitQueries interface {
	// EnsureThrottle creates the key's row (no failures) if it is missing.
	EnsureThrottle(ctx context.Context, arg EnsureThrottleParams) error
	// CountThrottleFailure adds one failure to an existing key atomically
	// and returns the key's state after it; ErrNotFound if it is missing.
	CountThrottleFailure(ctx context.Context, arg CountThrottleFailureParams) (SignInThrottle, error)
	// UncountThrottle takes one failure back.
	UncountThrottle(ctx context.Context, key string) error
	// ClaimThrottleSlot holds a key that is not held (1 row) until a time.
	ClaimThrottleSlot(ctx context.Context, arg ClaimThrottleSlotParams) (int64, error)
	// DelayThrottle locks a key until a time, keeping its count.
	DelayThrottle(ctx context.Context, arg DelayThrottleParams) error
	// DeleteStaleThrottles deletes unlocked counts whose window started
	// before Before.
	DeleteStaleThrottles(ctx context.Context, arg DeleteStaleThrottlesParams) (int64, error)
	// SignedInFrom reports whether the user signed in (or set a password)
	// from the address since the time given.
	SignedInFrom(ctx context.Context, arg SignedInFromParams) (bool, error)
}
