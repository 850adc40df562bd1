package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/store"
)

// Sign-in limits (docs/security.md, "Sign-in limits"). Every count lives in
// sign_in_throttle, so app instances sharing a database share them:
//
//   - addr:IP            failed sign-ins from one client, any emails: the
//     client (only) is refused for AddressWindow after AddressLimit.
//   - acct:SUBJECT:IP    consecutive failures on one account from one
//     client: that client (only) is locked out of that account.
//   - slow:SUBJECT       failures on one account from every client: past
//     SlowAfter, each attempt from a client the user has never signed in
//     from must wait a delay that doubles, up to SlowMax.
//
// SUBJECT is the user's id, or a hash of the email typed when no account
// has it, so an unknown email meets exactly the same limits as a real one.

// subject names the account a sign-in tries, for the limits' keys.
func subject(u *store.User, email string) string {
	if u != nil {
		return fmt.Sprint(u.ID)
	}
	sum := sha256.Sum256([]byte(NormaliseEmail(email)))
	return "e" + hex.EncodeToString(sum[:12])
}

func addressKey(ip string) string                 { return "addr:" + ip }
func accountKey(subject string, ip string) string { return "acct:" + subject + ":" + ip }
func slowKey(subject string) string               { return "slow:" + subject }

// SlowDelay is how long an account with failures failed sign-ins (from any
// client) makes a new client wait before its next try: nothing up to
// after, then 1 s, doubling with each failure, up to max.
func SlowDelay(failures int64, after int, max time.Duration) time.Duration {
	n := failures - int64(after)
	if n < 0 {
		return 0
	}
	if n >= 30 {
		return max
	}
	return min(time.Duration(1<<n)*time.Second, max)
}

// slowedFor reports until when sign-ins to subject are slowed for this
// client: nil when they are not, or when the client is one the user has
// signed in from (recently), which the slow-down spares.
func (s *Service) slowedFor(ctx context.Context, subj string, u *store.User, ip string, now time.Time) *time.Time {
	until := s.lockedUntil(ctx, slowKey(subj), now)
	if until == nil {
		return nil
	}
	// Asked for unknown emails too (no user: never known), so both take
	// the same time.
	var userID *int64
	if u != nil {
		userID = &u.ID
	}
	known, err := s.Store.SignedInFrom(ctx, store.SignedInFromParams{UserID: userID, Ip: ip, Since: now.Add(-s.Config.KnownClientFor)})
	if err == nil && known {
		return nil
	}
	return until
}

// recordSlow counts a failure on subject from any client and sets when a
// new client may try again.
func (s *Service) recordSlow(ctx context.Context, subj string, now time.Time) {
	t, err := s.count(ctx, slowKey(subj), 24*time.Hour, true, now)
	if err != nil {
		return
	}
	if d := SlowDelay(t.Failures, s.Config.SlowAfter, s.Config.SlowMax); d > 0 {
		_ = s.Store.DelayThrottle(ctx, store.DelayThrottleParams{LockedUntil: ptr(now.Add(d)), Key: t.Key})
	}
}

func (s *Service) lockedUntil(ctx context.Context, key string, now time.Time) *time.Time {
	t, err := s.Store.GetThrottle(ctx, key)
	if err != nil || t.LockedUntil == nil || !t.LockedUntil.After(now) {
		return nil
	}
	return t.LockedUntil
}

// count adds one to key's count (a window long; sliding: a window after the
// last one) in one statement, safe against other instances.
func (s *Service) count(ctx context.Context, key string, window time.Duration, sliding bool, now time.Time) (store.SignInThrottle, error) {
	var t store.SignInThrottle
	var err error
	for range 2 { // a second time if an unlock deleted the row in between
		if err = s.Store.EnsureThrottle(ctx, store.EnsureThrottleParams{Key: key, Now: now}); err != nil {
			return t, err
		}
		t, err = s.Store.CountThrottleFailure(ctx, store.CountThrottleFailureParams{WindowFloor: now.Add(-window), Sliding: sliding, Now: now, Key: key})
		if !errors.Is(err, store.ErrNotFound) {
			break
		}
	}
	return t, err
}

// recordFailure counts a failure under key and, when it reaches limit within
// window, locks the key for lockFor and returns the lock's end.
func (s *Service) recordFailure(ctx context.Context, key string, limit int, window, lockFor time.Duration, now time.Time) *time.Time {
	t, err := s.count(ctx, key, window, false, now)
	if err != nil || t.Failures < int64(limit) {
		return nil
	}
	until := now.Add(lockFor)
	if err := s.Store.LockThrottle(ctx, store.LockThrottleParams{LockedUntil: &until, Now: now, Key: key}); err != nil {
		return nil
	}
	return &until
}

// PurgeStaleLimits deletes counts that have lapsed (their window, a day at
// most, has passed, and no lock is in force), for the periodic purge.
func (s *Service) PurgeStaleLimits(ctx context.Context) (int64, error) {
	now := s.now()
	return s.Store.DeleteStaleThrottles(ctx, store.DeleteStaleThrottlesParams{Before: now.Add(-24 * time.Hour), Now: &now})
}
