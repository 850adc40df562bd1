package auth

import (
	"context"
	"errors"
	"fmt"

	"clinaudit/app/auth/secret"
	"clinaudit/app/notify"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// SMS codes as a second factor (issue 19, docs/security.md "SMS codes"):
// offered only when an SMS provider is configured (Config.SMS), and only
// for a mobile number its owner has verified by typing back a code sent to
// it. Staff in privileged roles (Privileged) may not use SMS: ASVS counts
// it a restricted authenticator (SIM swap, interception), and those roles
// reach a whole registry's records; they keep the authenticator app.
//
// One code is out per owner at a time (sms_factors.code_hash): hashed and
// bound to its owner (boundCodeHash, as emailed codes are), spent when
// used, valid Config.EmailCodeTTL. Sending counts against the emailed
// codes' limits (codeSendLimit, the same per-account key for staff);
// checking counts against the owner's second-factor lock (staff 2fa:ID,
// families f2fa:ID), so verification and sign-in codes share the
// LockoutThreshold.

var (
	// ErrSMSUnavailable: no SMS provider is configured.
	ErrSMSUnavailable = errors.New("auth: SMS codes are not available")
	// ErrSMSRefused: SMS is not a second factor for a privileged account.
	ErrSMSRefused = errors.New("auth: SMS codes are not accepted for this account")
	// ErrBadPhone: the number typed is not a mobile number.
	ErrBadPhone = errors.New("auth: not a phone number")
	// ErrNoSMS: the owner has no verified number (or none being verified).
	ErrNoSMS = errors.New("auth: no verified phone number")
)

// SMSFactor is an owner's SMS second factor, for pages: numbers masked.
type SMSFactor struct {
	Phone   string // the verified number, masked; "" when none
	Pending string // a number being verified, masked; "" when none
}

// Verified reports whether the owner has a verified number.
func (f SMSFactor) Verified() bool { return f.Phone != "" }

func staffSMSOwner(userID int64) string     { return fmt.Sprintf("u:%d", userID) }
func familySMSOwner(accountID int64) string { return fmt.Sprintf("f:%d", accountID) }

// SMSOffered reports whether u may choose SMS codes as the second factor.
func (s *Service) SMSOffered(u store.User) bool { return s.Config.SMS && !Privileged(u) }

// FamilySMSOffered reports whether families may choose SMS codes.
func (s *Service) FamilySMSOffered() bool { return s.Config.SMS }

func (s *Service) smsFactor(ctx context.Context, owner string) (store.SmsFactor, SMSFactor, error) {
	f, err := s.Store.GetSMSFactor(ctx, owner)
	if errors.Is(err, store.ErrNotFound) {
		return f, SMSFactor{}, nil
	}
	if err != nil {
		return f, SMSFactor{}, err
	}
	var v SMSFactor
	if f.Phone != "" && f.VerifiedAt != nil {
		v.Phone = notify.MaskAddress(f.Phone)
	}
	if f.PendingPhone != "" {
		v.Pending = notify.MaskAddress(f.PendingPhone)
	}
	return f, v, nil
}

// usableSMS is the verified number of an owner allowed SMS, or ErrNoSMS.
func (s *Service) usableSMS(ctx context.Context, owner string) (string, error) {
	if !s.Config.SMS {
		return "", ErrSMSUnavailable
	}
	f, v, err := s.smsFactor(ctx, owner)
	if err != nil {
		return "", err
	}
	if !v.Verified() {
		return "", ErrNoSMS
	}
	return f.Phone, nil
}

// sendSMS sends a new code to phone, within the send limits (sendKey):
// a number to verify when pending, else a sign-in code to the verified
// number. The code's hash and its SMS (notify's essential sign_in_code)
// are written in one transaction.
func (s *Service) sendSMS(ctx context.Context, owner, phone string, pending bool, sendKey string, c Client) error {
	now := s.now()
	if err := s.codeSendLimit(ctx, sendKey, c, now); err != nil {
		return err
	}
	code, err := secret.NewNumericCode(6)
	if err != nil {
		return err
	}
	expires := now.Add(s.Config.EmailCodeTTL)
	hash := boundCodeHash(owner, code)
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if pending {
			if err := tx.StartSMSFactor(ctx, store.StartSMSFactorParams{Owner: owner, PendingPhone: phone, CodeHash: hash, CodeExpiresAt: &expires, UpdatedAt: now}); err != nil {
				return err
			}
		} else {
			n, err := tx.SetSMSCode(ctx, store.SetSMSCodeParams{CodeHash: hash, CodeExpiresAt: &expires, UpdatedAt: now, Owner: owner})
			if err != nil {
				return err
			}
			if n != 1 {
				return ErrNoSMS
			}
		}
		_, err := notify.SendSMSCode(ctx, tx, phone, code, expires, now)
		return err
	})
}

// useSMSCode spends the owner's code when code is it and has not expired.
func (s *Service) useSMSCode(ctx context.Context, q store.Queries, owner, code string) (bool, error) {
	n, err := q.UseSMSCode(ctx, store.UseSMSCodeParams{Now: s.now(), Owner: owner, CodeHash: boundCodeHash(owner, code)})
	return n == 1, err
}

// confirmSMS spends a verification code and makes its number the verified one.
func (s *Service) confirmSMS(ctx context.Context, owner, code string) (bool, error) {
	ok := false
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		if ok, err = s.useSMSCode(ctx, tx, owner, code); err != nil || !ok {
			return err
		}
		now := s.now()
		n, err := tx.ConfirmSMSPhone(ctx, store.ConfirmSMSPhoneParams{Now: &now, Owner: owner})
		ok = n == 1
		return err
	})
	return ok, err
}

func normalisePhone(typed string) (string, error) {
	p, ok := registry.NormalisePhone(typed)
	if !ok {
		return "", ErrBadPhone
	}
	return p, nil
}

// StaffSMS returns u's SMS factor, numbers masked.
func (s *Service) StaffSMS(ctx context.Context, u store.User) (SMSFactor, error) {
	_, v, err := s.smsFactor(ctx, staffSMSOwner(u.ID))
	return v, err
}

// StaffUsesSMS reports whether u's second factor is SMS codes: allowed,
// and a verified number.
func (s *Service) StaffUsesSMS(ctx context.Context, u store.User) bool {
	if !s.SMSOffered(u) {
		return false
	}
	_, err := s.usableSMS(ctx, staffSMSOwner(u.ID))
	return err == nil
}

// StartStaffSMS sends a code to a number id's user typed, to verify it.
// Errors: ErrSMSUnavailable, ErrSMSRefused, ErrBadPhone, *SendLimitError,
// *LockedError.
func (s *Service) StartStaffSMS(ctx context.Context, id Identity, typed string, c Client) error {
	if !s.Config.SMS {
		return ErrSMSUnavailable
	}
	if !s.SMSOffered(id.User) {
		return ErrSMSRefused
	}
	if err := s.staffSMSSetupAllowed(ctx, id); err != nil {
		return err
	}
	phone, err := normalisePhone(typed)
	if err != nil {
		return err
	}
	if err := s.checkTwoFactorLock(ctx, id.User.ID); err != nil {
		return err
	}
	if err := s.sendSMS(ctx, staffSMSOwner(id.User.ID), phone, true, fmt.Sprintf("codes:%d", id.User.ID), c); err != nil {
		s.event(ctx, &id.User.ID, EventCodeSendRefused, c)
		return err
	}
	return nil
}

// staffSMSSetupAllowed: a complete session may set up or change the
// number; one between password and second factor only when the user has
// no second factor yet (first sign-in, choosing SMS instead of the app),
// so a password alone can never put a new number in place of a factor.
func (s *Service) staffSMSSetupAllowed(ctx context.Context, id Identity) error {
	if id.Session.TwoFactorOk || !HasTOTP(id.User) && !s.StaffUsesSMS(ctx, id.User) {
		return nil
	}
	return ErrSMSRefused
}

// ConfirmStaffSMS checks the code sent by StartStaffSMS: right, the number
// is verified. A session awaiting its second factor is then complete (the
// code proved the phone, as an app's first code does) and its new token
// is returned; "" for a session that was complete. Errors: ErrSMSRefused,
// ErrBadCode, *LockedError.
func (s *Service) ConfirmStaffSMS(ctx context.Context, id Identity, code string, c Client) (string, error) {
	if !s.SMSOffered(id.User) {
		return "", ErrSMSRefused
	}
	if err := s.staffSMSSetupAllowed(ctx, id); err != nil {
		return "", err
	}
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	ok, err := s.confirmSMS(ctx, staffSMSOwner(id.User.ID), code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", check.failed(ctx, c)
	}
	if !id.Session.TwoFactorOk {
		return s.passed(ctx, id, c)
	}
	_ = s.Store.DeleteThrottle(ctx, twoFactorKey(id.User.ID))
	return "", nil
}

// RemoveStaffSMS removes u's SMS factor (its number, verified or not).
func (s *Service) RemoveStaffSMS(ctx context.Context, id Identity) error {
	return s.Store.DeleteSMSFactor(ctx, staffSMSOwner(id.User.ID))
}

// SendStaffSMSCode sends a sign-in code to the user's verified number.
// Errors: ErrSMSRefused, ErrNoSMS, *SendLimitError, *LockedError.
func (s *Service) SendStaffSMSCode(ctx context.Context, id Identity, c Client) error {
	if !s.SMSOffered(id.User) {
		return ErrSMSRefused
	}
	if err := s.checkTwoFactorLock(ctx, id.User.ID); err != nil {
		return err
	}
	owner := staffSMSOwner(id.User.ID)
	phone, err := s.usableSMS(ctx, owner)
	if err != nil {
		return err
	}
	if err := s.sendSMS(ctx, owner, phone, false, fmt.Sprintf("codes:%d", id.User.ID), c); err != nil {
		s.event(ctx, &id.User.ID, EventCodeSendRefused, c)
		return err
	}
	return nil
}

// VerifySMSCode checks an SMS sign-in code for a session awaiting its
// second factor and returns the new session token, as VerifyTOTP does.
func (s *Service) VerifySMSCode(ctx context.Context, id Identity, code string, c Client) (string, error) {
	check, err := s.reserveTwoFactor(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	owner := staffSMSOwner(id.User.ID)
	if !s.SMSOffered(id.User) {
		return "", ErrBadCode
	}
	if _, err := s.usableSMS(ctx, owner); err != nil {
		return "", ErrBadCode
	}
	ok, err := s.useSMSCode(ctx, s.Store, owner, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", check.failed(ctx, c)
	}
	return s.passed(ctx, id, c)
}

// SMSDelivery is what became of the latest code sent to an owner's
// number: the outbox's status (queued, sent, delivered, failed) and the
// provider's reason for a failure, so a failed SMS is shown, never silent.
type SMSDelivery struct {
	Status, Reason string
}

// Failed reports whether the latest code could not be sent.
func (d SMSDelivery) Failed() bool { return d.Status == "failed" }

func (s *Service) smsDelivery(ctx context.Context, owner string) (SMSDelivery, error) {
	f, err := s.Store.GetSMSFactor(ctx, owner)
	if errors.Is(err, store.ErrNotFound) {
		return SMSDelivery{}, nil
	}
	if err != nil {
		return SMSDelivery{}, err
	}
	phone := f.PendingPhone
	if phone == "" {
		phone = f.Phone
	}
	ms, err := s.Store.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: phone, PageLimit: 1})
	if err != nil || len(ms) == 0 {
		return SMSDelivery{}, err
	}
	reason := ms[0].StatusReason
	if reason == "" {
		reason = ms[0].LastError
	}
	return SMSDelivery{Status: ms[0].Status, Reason: reason}, nil
}

// StaffSMSDelivery is the fate of the latest code sent to u's number.
func (s *Service) StaffSMSDelivery(ctx context.Context, u store.User) (SMSDelivery, error) {
	return s.smsDelivery(ctx, staffSMSOwner(u.ID))
}
