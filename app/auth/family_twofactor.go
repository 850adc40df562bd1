package auth

import (
	"context"
	"fmt"
	"time"

	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
)

// A family's second factor: an authenticator app (totp), checked as staff's
// is, with a lock of its own after LockoutThreshold wrong codes.

func familyTwoFactorKey(accountID int64) string { return fmt.Sprintf("f2fa:%d", accountID) }

// VerifyFamilyTOTP checks an authenticator code for a session awaiting it
// and, when it is right, replaces the session by a complete one (a new
// token). Errors: ErrBadCode, *LockedError.
func (s *Service) VerifyFamilyTOTP(ctx context.Context, id FamilyIdentity, code string, c Client) (string, error) {
	if !familyHasTOTP(id.Account) {
		return "", ErrBadCode
	}
	if err := s.familyCodeCheck(ctx, id.Account.ID); err != nil {
		return "", err
	}
	ok, err := s.useFamilyTOTP(ctx, id.Account, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrBadCode
	}
	return s.completeFamily(ctx, id, c)
}

// familyCodeCheck counts a second-factor check before it is made, so codes
// tried at the same moment cannot get past the lock together.
func (s *Service) familyCodeCheck(ctx context.Context, accountID int64) error {
	if _, until := s.take(ctx, familyTwoFactorKey(accountID), s.Config.LockoutThreshold, 24*time.Hour, s.Config.LockoutDuration, s.now()); until != nil {
		return &LockedError{Until: *until}
	}
	return nil
}

func (s *Service) useFamilyTOTP(ctx context.Context, a store.FamilyAccount, code string) (bool, error) {
	if a.TotpSecret == nil {
		return false, nil
	}
	ok, step := totp.VerifyAfter(*a.TotpSecret, code, s.now(), 1, a.TotpLastStep)
	if !ok {
		return false, nil
	}
	n, err := s.Store.UseFamilyTOTPStep(ctx, store.UseFamilyTOTPStepParams{Step: step, ID: a.ID})
	return n == 1, err
}

// completeFamily replaces a session by a complete one after its second factor.
func (s *Service) completeFamily(ctx context.Context, id FamilyIdentity, c Client) (string, error) {
	_ = s.Store.DeleteThrottle(ctx, familyTwoFactorKey(id.Account.ID))
	if err := s.Store.DeleteFamilySession(ctx, id.SessionID); err != nil {
		return "", err
	}
	token, err := s.createFamilySession(ctx, id.Account.ID, true, c)
	if err == nil {
		_ = s.Store.RecordFamilySignIn(ctx, store.RecordFamilySignInParams{At: ptr(s.now()), ID: id.Account.ID})
	}
	return token, err
}

// StartFamilyTOTP gives the account a new, unconfirmed authenticator
// secret; ErrEnrolled when it has one confirmed.
func (s *Service) StartFamilyTOTP(ctx context.Context, id FamilyIdentity) (Enrolment, error) {
	if familyHasTOTP(id.Account) {
		return Enrolment{}, ErrEnrolled
	}
	if e, ok := PendingFamilyTOTP(id.Account); ok {
		return e, nil
	}
	sec, err := totp.NewSecret()
	if err != nil {
		return Enrolment{}, err
	}
	if err := s.Store.SetFamilyTOTPSecret(ctx, store.SetFamilyTOTPSecretParams{TotpSecret: &sec, UpdatedAt: s.now(), ID: id.Account.ID}); err != nil {
		return Enrolment{}, err
	}
	return enrolment(sec, id.Account.Email)
}

// PendingFamilyTOTP shows again a secret set up and not yet confirmed.
func PendingFamilyTOTP(a store.FamilyAccount) (Enrolment, bool) {
	if a.TotpSecret == nil || a.TotpConfirmedAt != nil {
		return Enrolment{}, false
	}
	e, err := enrolment(*a.TotpSecret, a.Email)
	return e, err == nil
}

// ConfirmFamilyTOTP checks the first code of a newly set-up app, completes
// the enrolment and returns a new, complete session token. Errors:
// ErrEnrolled, ErrBadCode, *LockedError.
func (s *Service) ConfirmFamilyTOTP(ctx context.Context, id FamilyIdentity, code string, c Client) (string, error) {
	if familyHasTOTP(id.Account) {
		return "", ErrEnrolled
	}
	if err := s.familyCodeCheck(ctx, id.Account.ID); err != nil {
		return "", err
	}
	ok, err := s.useFamilyTOTP(ctx, id.Account, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrBadCode
	}
	n, err := s.Store.ConfirmFamilyTOTP(ctx, store.ConfirmFamilyTOTPParams{ConfirmedAt: ptr(s.now()), ID: id.Account.ID})
	if err != nil {
		return "", err
	}
	if n != 1 {
		return "", ErrEnrolled
	}
	return s.completeFamily(ctx, id, c)
}
