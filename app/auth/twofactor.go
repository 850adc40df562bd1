package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"clinaudit/app/auth/secret"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
)

// Second-factor failures lock the second step for LockoutDuration after
// LockoutThreshold wrong codes, so six digits cannot be guessed.
func twoFactorKey(userID int64) string { return fmt.Sprintf("2fa:%d", userID) }

func (s *Service) checkTwoFactorLock(ctx context.Context, userID int64) error {
	if until := s.lockedUntil(ctx, twoFactorKey(userID), s.now()); until != nil {
		return &LockedError{Until: *until}
	}
	return nil
}

// reserveTwoFactor counts a code check before it is made (passed clears
// the count), so codes tried at the same moment cannot get past the lock
// together. The check it returns says what a wrong code means.
func (s *Service) reserveTwoFactor(ctx context.Context, userID int64) (codeCheck, error) {
	n, until := s.take(ctx, twoFactorKey(userID), s.Config.LockoutThreshold, 24*time.Hour, s.Config.LockoutDuration, s.now())
	if until != nil {
		return codeCheck{}, &LockedError{Until: *until}
	}
	return codeCheck{s: s, n: n, userID: userID}, nil
}

// codeCheck is one reserved second-factor check: the n-th in a row.
type codeCheck struct {
	s      *Service
	n      int64
	userID int64
}

// failed records a wrong code: ErrBadCode, or the lock when it was the last
// one allowed.
func (k codeCheck) failed(ctx context.Context, c Client) error {
	k.s.event(ctx, &k.userID, EventTwoFactorFailed, c)
	if k.n >= int64(k.s.Config.LockoutThreshold) {
		if err := k.s.checkTwoFactorLock(ctx, k.userID); err != nil {
			return err
		}
	}
	return ErrBadCode
}

// passed completes the sign-in: a new session token, the trail, the lock cleared.
func (s *Service) passed(ctx context.Context, id Identity, c Client) (string, error) {
	_ = s.Store.DeleteThrottle(ctx, twoFactorKey(id.User.ID))
	token, err := s.rotate(ctx, id, c)
	if err != nil {
		return "", err
	}
	s.event(ctx, &id.User.ID, EventTwoFactorPassed, c)
	s.completeSignIn(ctx, id.User.ID, c)
	return token, nil
}

// VerifyTOTP checks an authenticator code for a session awaiting its second
// factor and returns the new session token. A code is accepted once only.
func (s *Service) VerifyTOTP(ctx context.Context, id Identity, code string, c Client) (string, error) {
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	if !HasTOTP(id.User) {
		return "", ErrBadCode
	}
	ok, err := s.useTOTPCode(ctx, s.Store, id.User, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", check.failed(ctx, c)
	}
	return s.passed(ctx, id, c)
}

// useTOTPCode is the one check of an authenticator code, for sign-in and
// enrolment alike: right for the time, and of a later step than any code
// the user has used, which it records. So a code is accepted once only and
// the recorded step never moves backwards. q is the store or a transaction.
func (s *Service) useTOTPCode(ctx context.Context, q store.Queries, u store.User, code string) (bool, error) {
	if u.TotpSecret == nil {
		return false, nil
	}
	ok, step := totp.Verify(*u.TotpSecret, code, s.now(), 1)
	if !ok {
		return false, nil
	}
	n, err := q.UseTOTPStep(ctx, store.UseTOTPStepParams{Step: step, ID: u.ID})
	// Zero rows: this code's step, or a later one, was used already.
	return n == 1, err
}

// boundCodeHash is the one hash of a typed code (emailed, family or SMS):
// normalised, bound to what it was sent for, so equal codes sent to
// different people or sign-ins never collide. Codes are looked up by this
// hash, never compared in the clear.
func boundCodeHash(binding, code string) string {
	sum := sha256.Sum256([]byte(binding + ":" + secret.NormaliseCode(code)))
	return hex.EncodeToString(sum[:])
}

// emailCodeHash binds a six-digit code to its user, so codes of different
// users never collide in the token table.
func emailCodeHash(userID int64, code string) string {
	return boundCodeHash(strconv.FormatInt(userID, 10), code)
}

// SendEmailCode emails a one-time sign-in code, valid EmailCodeTTL, and
// revokes any earlier one. At most CodeSendLimit codes go to one account,
// and CodeSendAddressLimit are sent for one client, per CodeSendWindow;
// past that it fails with *SendLimitError and sends nothing.
func (s *Service) SendEmailCode(ctx context.Context, id Identity, c Client) error {
	if err := s.checkTwoFactorLock(ctx, id.User.ID); err != nil {
		return err
	}
	now := s.now()
	if err := s.codeSendLimit(ctx, fmt.Sprintf("codes:%d", id.User.ID), c, now); err != nil {
		s.event(ctx, &id.User.ID, EventCodeSendRefused, c)
		return err
	}
	code, err := secret.NewNumericCode(6)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.RevokeAuthTokens(ctx, store.RevokeAuthTokensParams{Now: &now, UserID: id.User.ID, Purpose: purposeEmailCode}); err != nil {
			return err
		}
		if err := tx.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: emailCodeHash(id.User.ID, code), UserID: id.User.ID,
			Purpose: purposeEmailCode, CreatedAt: now, ExpiresAt: now.Add(s.Config.EmailCodeTTL)}); err != nil {
			return err
		}
		return sendEmailCode(ctx, tx, id.User, code, now.Add(s.Config.EmailCodeTTL), now)
	})
}

// codeSendLimit counts a code about to be sent (by email or SMS) against
// CodeSendLimit for its account (key) and CodeSendAddressLimit for the
// client, per CodeSendWindow: *SendLimitError past either.
func (s *Service) codeSendLimit(ctx context.Context, key string, c Client, now time.Time) error {
	for _, l := range []struct {
		key   string
		limit int
	}{{key, s.Config.CodeSendLimit}, {"codes-addr:" + c.IP, s.Config.CodeSendAddressLimit}} {
		if _, until := s.take(ctx, l.key, l.limit, s.Config.CodeSendWindow, s.Config.CodeSendWindow, now); until != nil {
			return &SendLimitError{Until: *until}
		}
	}
	return nil
}

// VerifyEmailCode checks an emailed code (single use, before it expires).
func (s *Service) VerifyEmailCode(ctx context.Context, id Identity, code string, c Client) (string, error) {
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	now := s.now()
	_, err = s.Store.UseAuthToken(ctx, store.UseAuthTokenParams{Now: &now, Hash: emailCodeHash(id.User.ID, code), Purpose: purposeEmailCode})
	if errors.Is(err, store.ErrNotFound) {
		return "", check.failed(ctx, c)
	}
	if err != nil {
		return "", err
	}
	return s.passed(ctx, id, c)
}

// VerifyBackupCode checks one of the user's single-use backup codes.
func (s *Service) VerifyBackupCode(ctx context.Context, id Identity, code string, c Client) (string, error) {
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	n, err := s.Store.UseBackupCode(ctx, store.UseBackupCodeParams{Now: ptr(s.now()), UserID: id.User.ID, CodeHash: hex.EncodeToString(secret.HashCode(code))})
	if err != nil {
		return "", err
	}
	if n != 1 {
		return "", check.failed(ctx, c)
	}
	return s.passed(ctx, id, c)
}

// Enrolment is what the set-up page shows: the secret to type, and the QR
// code of the same secret for an authenticator app to scan.
type Enrolment struct {
	Secret    string // grouped in fours for typing
	URI       string
	QRCodePNG []byte
}

// StartTOTP gives the user a new, unconfirmed authenticator secret.
func (s *Service) StartTOTP(ctx context.Context, id Identity) (Enrolment, error) {
	sec, err := totp.NewSecret()
	if err != nil {
		return Enrolment{}, err
	}
	if err := s.Store.SetUserTOTPSecret(ctx, store.SetUserTOTPSecretParams{TotpSecret: &sec, UpdatedAt: s.now(), ID: id.User.ID}); err != nil {
		return Enrolment{}, err
	}
	return enrolment(sec, id.User.Email)
}

// PendingTOTP shows again the secret set up by StartTOTP (after a wrong code).
func PendingTOTP(u store.User) (Enrolment, bool) {
	if u.TotpSecret == nil || u.TotpConfirmedAt != nil {
		return Enrolment{}, false
	}
	e, err := enrolment(*u.TotpSecret, u.Email)
	return e, err == nil
}

func enrolment(sec, email string) (Enrolment, error) {
	uri := totp.URI("clinaudit", email, sec)
	png, err := totp.QRCodePNG(uri)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: totp.FormatSecret(sec), URI: uri, QRCodePNG: png}, nil
}

// ConfirmTOTP checks the first code from the newly set-up app, completes
// the sign-in, and returns ten backup codes (shown once, stored hashed) with
// the new session token.
func (s *Service) ConfirmTOTP(ctx context.Context, id Identity, code string, c Client) (codes []string, token string, err error) {
	if HasTOTP(id.User) {
		// Enrolment is once: an enrolled user's code, even a fresh one,
		// must not buy a new set of backup codes.
		return nil, "", ErrEnrolled
	}
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return nil, "", err
	}
	if codes, err = secret.NewBackupCodes(10); err != nil {
		return nil, "", err
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ok, err := s.useTOTPCode(ctx, tx, id.User, code)
		if err != nil {
			return err
		}
		if !ok {
			return ErrBadCode
		}
		n, err := tx.ConfirmUserTOTP(ctx, store.ConfirmUserTOTPParams{ConfirmedAt: ptr(s.now()), ID: id.User.ID})
		if err != nil {
			return err
		}
		if n != 1 { // enrolled by a concurrent request since the session was read
			return ErrEnrolled
		}
		if err := tx.DeleteBackupCodes(ctx, id.User.ID); err != nil {
			return err
		}
		for _, bc := range codes {
			if err := tx.InsertBackupCode(ctx, store.InsertBackupCodeParams{UserID: id.User.ID, CodeHash: hex.EncodeToString(secret.HashCode(bc))}); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrBadCode) {
		return nil, "", check.failed(ctx, c)
	}
	if err != nil {
		return nil, "", err
	}
	s.event(ctx, &id.User.ID, EventTwoFactorEnrolled, c)
	token, err = s.passed(ctx, id, c)
	return codes, token, err
}
