package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/auth/password"
	"clinaudit/app/store"
)

// Sign-in events, as recorded in the sign-in trail.
const (
	EventSignedIn          = "signed_in"
	EventSignInFailed      = "sign_in_failed"
	EventLockedOut         = "locked_out"
	EventSignedOut         = "signed_out"
	EventResetRequested    = "reset_requested"
	EventPasswordSet       = "password_set"
	EventPasswordExpired   = "password_expired"
	EventTwoFactorEnrolled = "two_factor_enrolled"
	EventTwoFactorPassed   = "two_factor_passed"
	EventTwoFactorFailed   = "two_factor_failed"
	EventUnlocked          = "unlocked"
	EventSlowedDown        = "slowed_down"
	EventCodeSendRefused   = "code_send_refused"
)

var eventLabels = map[string]string{
	EventSignedIn: "Signed in", EventSignInFailed: "Sign-in failed (wrong email or password)",
	EventLockedOut: "Locked out after failed sign-ins", EventSignedOut: "Signed out",
	EventResetRequested: "Asked for a password reset link", EventPasswordSet: "Set a new password",
	EventPasswordExpired: "Password expired at sign-in", EventTwoFactorEnrolled: "Set up an authenticator app",
	EventTwoFactorPassed: "Passed the second factor", EventTwoFactorFailed: "Wrong second-factor code",
	EventUnlocked: "Account unlocked", EventSlowedDown: "Sign-in refused: too many recent failures on the account (slowed down)",
	EventCodeSendRefused: "Emailed code refused: too many asked for",
}

// EventLabel is the sign-in event as people read it.
func EventLabel(event string) string {
	if l, ok := eventLabels[event]; ok {
		return l
	}
	return event
}

// NormaliseEmail is how emails are stored and looked up: trimmed, lower case.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// SignInResult is a successful password check.
type SignInResult struct {
	User store.User
	// Token is the new session's cookie value. The session is complete when
	// NeedsTwoFactor is false; otherwise it only allows the second factor.
	Token          string
	NeedsTwoFactor bool
	// ResetToken is set instead of Token when the password has expired:
	// the user must choose a new one (and then sign in again, second factor
	// included) before anything else.
	ResetToken string
}

// SignIn checks an email and password. It fails with ErrBadCredentials
// (whatever was wrong), *LockedError, or ErrDeactivated (only after a correct
// password, so it reveals nothing to a guesser). An email no account has
// meets the same limits, answers and work as a real one (limits.go).
func (s *Service) SignIn(ctx context.Context, email, pw string, c Client) (SignInResult, error) {
	now := s.now()
	var user *store.User
	u, err := s.Store.GetUserByEmail(ctx, NormaliseEmail(email))
	switch {
	case err == nil:
		user = &u
	case !errors.Is(err, store.ErrNotFound):
		return SignInResult{}, err
	}
	at, err := s.admit(ctx, subject(user, email), user, c.IP, now)
	var locked *LockedError
	if errors.As(err, &locked) {
		switch {
		case locked.Slowed:
			s.event(ctx, userID(user), EventSlowedDown, c)
		case !locked.Address:
			s.event(ctx, userID(user), EventLockedOut, c)
		}
	}
	if err != nil {
		return SignInResult{}, err
	}

	ok := false
	if user != nil && u.PasswordHash != nil {
		var rehash bool
		ok, rehash, err = s.Hasher.Verify(ctx, *u.PasswordHash, pw)
		if errors.Is(err, password.ErrMalformedHash) || errors.Is(err, password.ErrTooLong) {
			ok, err = false, nil // a damaged hash or an absurd input is a failed sign-in
		}
		if err != nil {
			at.abandoned(context.WithoutCancel(ctx))
			return SignInResult{}, err // cancelled: not the user's failure
		}
		if ok && rehash {
			if h, err := s.Hasher.Hash(ctx, pw); err == nil {
				_ = s.Store.RehashUserPassword(ctx, store.RehashUserPasswordParams{PasswordHash: &h, ID: u.ID})
			}
		}
	} else {
		_ = s.Hasher.DummyVerify(ctx) // same time as a real check: no enumeration
	}
	if !ok {
		if locked := at.failed(ctx); locked != nil {
			s.event(ctx, userID(user), EventLockedOut, c)
			return SignInResult{}, locked
		}
		s.event(ctx, userID(user), EventSignInFailed, c)
		return SignInResult{}, ErrBadCredentials
	}
	at.succeeded(ctx)
	if !u.IsActive {
		s.event(ctx, &u.ID, EventSignInFailed, c)
		return SignInResult{}, ErrDeactivated
	}
	if u.PasswordSetAt != nil && s.Policy.Expired(*u.PasswordSetAt, now) {
		token, err := s.issueToken(ctx, s.Store, u.ID, purposeReset, s.Config.ResetTTL)
		if err != nil {
			return SignInResult{}, err
		}
		s.event(ctx, &u.ID, EventPasswordExpired, c)
		return SignInResult{User: u, ResetToken: token}, nil
	}

	res := SignInResult{User: u, NeedsTwoFactor: s.NeedsTwoFactor(u)}
	if res.Token, err = s.createSession(ctx, u.ID, !res.NeedsTwoFactor, c); err != nil {
		return SignInResult{}, err
	}
	if !res.NeedsTwoFactor {
		s.completeSignIn(ctx, u.ID, c)
	}
	return res, nil
}

func userID(u *store.User) *int64 {
	if u == nil {
		return nil
	}
	return &u.ID
}

// completeSignIn records a full sign-in (password and, if needed, second factor).
func (s *Service) completeSignIn(ctx context.Context, userID int64, c Client) {
	_ = s.Store.RecordUserSignIn(ctx, store.RecordUserSignInParams{At: ptr(s.now()), ID: userID})
	s.event(ctx, &userID, EventSignedIn, c)
}

// Unlock clears every lock and slow-down on a user's account (an admin action).
func (s *Service) Unlock(ctx context.Context, userID int64, c Client) error {
	subj := fmt.Sprint(userID)
	if err := s.Store.DeleteThrottlesWithPrefix(ctx, "acct:"+subj+":%"); err != nil {
		return err
	}
	for _, key := range []string{slowKey(subj), twoFactorKey(userID)} {
		if err := s.Store.DeleteThrottle(ctx, key); err != nil {
			return err
		}
	}
	s.event(ctx, &userID, EventUnlocked, c)
	return nil
}

// Locked reports whether this client is locked out of the user's account now.
func (s *Service) Locked(ctx context.Context, userID int64, ip string) *time.Time {
	return s.lockedUntil(ctx, accountKey(fmt.Sprint(userID), ip), s.now())
}

func (s *Service) event(ctx context.Context, userID *int64, event string, c Client) {
	_ = s.Store.InsertSignInEvent(ctx, store.InsertSignInEventParams{
		UserID: userID, Event: event, OccurredAt: s.now(), Ip: c.IP, UserAgent: truncate(c.UserAgent, 300),
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func ptr[T any](v T) *T { return &v }
