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
// client) makes a new client wait before its next try: nothing before the
// after-th failure, 1 s from it, doubling with each failure, up to max.
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

// attempt is one sign-in's place in the limits. It is counted as a failure
// on the account before the (slow) password check, so that attempts made
// at the same moment, on any instance, each see those before them: a burst
// at an account gets no more tries than the same attempts one by one. A
// success takes its counts back.
type attempt struct {
	s          *Service
	addr, acct string
	slow       string
	nAcct      int64
	nSlow      int64
	claimed    bool
	now        time.Time
}

// admit checks the limits for a sign-in to subj (u nil: no account has the
// email) from ip and counts the attempt; a *LockedError refuses it.
func (s *Service) admit(ctx context.Context, subj string, u *store.User, ip string, now time.Time) (*attempt, error) {
	a := &attempt{s: s, addr: addressKey(ip), acct: accountKey(subj, ip), slow: slowKey(subj), now: now}
	if until := s.lockedUntil(ctx, a.addr, now); until != nil {
		return nil, &LockedError{Until: *until, Address: true}
	}
	if until := s.lockedUntil(ctx, a.acct, now); until != nil {
		return nil, &LockedError{Until: *until}
	}
	var known *bool
	isKnown := func() bool {
		if known == nil {
			known = ptr(s.knownClient(ctx, u, ip, now))
		}
		return *known
	}
	if until := s.lockedUntil(ctx, a.slow, now); until != nil && !isKnown() {
		return nil, &LockedError{Until: *until, Slowed: true}
	}

	// The per-client count is not taken in advance: many people behind
	// one address signing in at the same moment would be refused as if
	// they had failed. It is added when an attempt fails.
	var t store.SignInThrottle
	var err error
	if t, err = s.count(ctx, a.acct, 24*time.Hour, false, now); err != nil {
		return nil, err
	}
	a.nAcct = t.Failures
	// The account-wide count restarts only after a day without failures.
	if t, err = s.count(ctx, a.slow, 24*time.Hour, true, now); err != nil {
		return nil, err
	}
	a.nSlow = t.Failures
	// Over a limit because of attempts in flight: refused like a lock.
	if a.nAcct > int64(s.Config.LockoutThreshold) {
		a.uncountSlow(ctx)
		return nil, &LockedError{Until: s.lock(ctx, a.acct, s.Config.LockoutDuration, now)}
	}
	// Slowed down: one attempt at a time from clients new to the account.
	if a.nSlow-1 >= int64(s.Config.SlowAfter) && !isKnown() {
		n, err := s.Store.ClaimThrottleSlot(ctx, store.ClaimThrottleSlotParams{LockedUntil: ptr(now.Add(s.Config.SlowMax)), Key: a.slow, Now: &now})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			a.uncountSlow(ctx)
			until := s.lockedUntil(ctx, a.slow, now)
			if until == nil {
				until = ptr(now.Add(time.Second))
			}
			return nil, &LockedError{Until: *until, Slowed: true}
		}
		a.claimed = true
	}
	return a, nil
}

// failed completes a wrong attempt: locks reached, the account's next
// delay. It returns the (account, client) lock if this attempt made one.
func (a *attempt) failed(ctx context.Context) *LockedError {
	cfg := a.s.Config
	if t, err := a.s.count(ctx, a.addr, cfg.AddressWindow, false, a.now); err == nil && t.Failures >= int64(cfg.AddressLimit) {
		a.s.lock(ctx, a.addr, cfg.AddressWindow, a.now)
	}
	if d := SlowDelay(a.nSlow, cfg.SlowAfter, cfg.SlowMax); d > 0 {
		_ = a.s.Store.DelayThrottle(ctx, store.DelayThrottleParams{LockedUntil: ptr(a.now.Add(d)), Key: a.slow})
	}
	if a.nAcct >= int64(cfg.LockoutThreshold) {
		return &LockedError{Until: a.s.lock(ctx, a.acct, cfg.LockoutDuration, a.now)}
	}
	return nil
}

// succeeded takes the attempt's counts back: the right password is no
// failure, and it ends this client's run of failures on the account.
func (a *attempt) succeeded(ctx context.Context) {
	_ = a.s.Store.DeleteThrottle(ctx, a.acct)
	a.uncountSlow(ctx)
}

// abandoned takes the counts back from an attempt that was not decided
// (the request was cancelled while hashing).
func (a *attempt) abandoned(ctx context.Context) {
	_ = a.s.Store.UncountThrottle(ctx, a.acct)
	a.uncountSlow(ctx)
}

func (a *attempt) uncountSlow(ctx context.Context) {
	_ = a.s.Store.UncountThrottle(ctx, a.slow)
	if a.claimed { // let the next one through
		_ = a.s.Store.DelayThrottle(ctx, store.DelayThrottleParams{LockedUntil: &a.now, Key: a.slow})
	}
}

// knownClient reports whether the user completed a sign-in (or set a
// password) from ip lately: the account-wide slow-down spares such a
// client. Asked for unknown emails too (never known), so both take the
// same time.
func (s *Service) knownClient(ctx context.Context, u *store.User, ip string, now time.Time) bool {
	var userID *int64
	if u != nil {
		userID = &u.ID
	}
	known, err := s.Store.SignedInFrom(ctx, store.SignedInFromParams{UserID: userID, Ip: ip, Since: now.Add(-s.Config.KnownClientFor)})
	return err == nil && known
}

// lock locks key for d from now and returns the lock's end.
func (s *Service) lock(ctx context.Context, key string, d time.Duration, now time.Time) time.Time {
	until := now.Add(d)
	_ = s.Store.DelayThrottle(ctx, store.DelayThrottleParams{LockedUntil: &until, Key: key})
	return until
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
		t, err = s.Store.CountThrottleFailure(ctx, store.CountThrottleFailureParams{WindowFloor: now.Add(-window), Sliding: sliding, Now: &now, Key: key})
		if !errors.Is(err, store.ErrNotFound) {
			break
		}
	}
	return t, err
}

// take counts one use of key, allowed limit times per window, and returns
// the count with it; for a use over the limit, also the end of the lock
// (lockFor long) that refuses it. Counting first means uses made at the
// same moment, on any instance, cannot get past the limit together.
func (s *Service) take(ctx context.Context, key string, limit int, window, lockFor time.Duration, now time.Time) (int64, *time.Time) {
	if until := s.lockedUntil(ctx, key, now); until != nil {
		return 0, until
	}
	t, err := s.count(ctx, key, window, false, now)
	switch {
	case err != nil:
		return 0, nil // the database is failing: what follows will fail too, saying so
	case t.Failures > int64(limit):
		return t.Failures, ptr(s.lock(ctx, key, lockFor, now))
	case t.Failures == int64(limit): // the last one allowed: refuse the next
		s.lock(ctx, key, lockFor, now)
	}
	return t.Failures, nil
}

// PurgeStaleLimits deletes counts that have lapsed (their window, a day at
// most, has passed, and no lock is in force), for the periodic purge.
func (s *Service) PurgeStaleLimits(ctx context.Context) (int64, error) {
	now := s.now()
	return s.Store.DeleteStaleThrottles(ctx, store.DeleteStaleThrottlesParams{Before: now.Add(-24 * time.Hour), Now: &now})
}
