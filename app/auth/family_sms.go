package auth

import (
	"context"
	"fmt"

	"clinaudit/app/store"
)

// A family's SMS codes (sms.go has the rules): a number verified from the
// two-factor page, then a code to it at each sign-in, checked under the
// family's own second-factor lock (f2fa:ACCOUNT).

func familySendKey(accountID int64) string { return fmt.Sprintf("codes:f:%d", accountID) }

// FamilySMS returns the account's SMS factor, numbers masked.
func (s *Service) FamilySMS(ctx context.Context, a store.FamilyAccount) (SMSFactor, error) {
	_, v, err := s.smsFactor(ctx, familySMSOwner(a.ID))
	return v, err
}

// FamilyUsesSMS reports whether the account signs in with SMS codes.
func (s *Service) FamilyUsesSMS(ctx context.Context, a store.FamilyAccount) bool {
	_, err := s.usableSMS(ctx, familySMSOwner(a.ID))
	return err == nil
}

// FamilyNeedsSecondFactor is NeedsAuthenticator with SMS: the registry
// requires a second factor, or the family set one up (an app or SMS).
func (s *Service) FamilyNeedsSecondFactor(ctx context.Context, a store.FamilyAccount) bool {
	return NeedsAuthenticator(a) || s.FamilyUsesSMS(ctx, a)
}

func (s *Service) familyLock(ctx context.Context, accountID int64) error {
	if until := s.lockedUntil(ctx, familyTwoFactorKey(accountID), s.now()); until != nil {
		return &LockedError{Until: *until}
	}
	return nil
}

// familySMSSetupAllowed: a complete session may set up or change the
// number; one awaiting its second factor only when the account has none
// yet (the registry requires one), so a new number cannot stand in for
// the app or the number already set up.
func (s *Service) familySMSSetupAllowed(ctx context.Context, id FamilyIdentity) error {
	if id.Session.TwoFactorOk || !familyHasTOTP(id.Account) && !s.FamilyUsesSMS(ctx, id.Account) {
		return nil
	}
	return ErrSMSRefused
}

// StartFamilySMS sends a code to a number the family typed, to verify it.
// Errors: ErrSMSUnavailable, ErrBadPhone, *SendLimitError, *LockedError.
func (s *Service) StartFamilySMS(ctx context.Context, id FamilyIdentity, typed string, c Client) error {
	if !s.Config.SMS {
		return ErrSMSUnavailable
	}
	if err := s.familySMSSetupAllowed(ctx, id); err != nil {
		return err
	}
	phone, err := normalisePhone(typed)
	if err != nil {
		return err
	}
	if err := s.familyLock(ctx, id.Account.ID); err != nil {
		return err
	}
	return s.sendSMS(ctx, familySMSOwner(id.Account.ID), phone, true, familySendKey(id.Account.ID), c)
}

// ConfirmFamilySMS checks the code sent by StartFamilySMS and verifies the
// number. A session awaiting its second factor is then complete (the code
// proved the phone, as an app's first code does): its new token is
// returned; "" for a session that was complete. Errors: ErrSMSRefused,
// ErrBadCode, *LockedError.
func (s *Service) ConfirmFamilySMS(ctx context.Context, id FamilyIdentity, code string, c Client) (string, error) {
	if err := s.familySMSSetupAllowed(ctx, id); err != nil {
		return "", err
	}
	if err := s.familyCodeCheck(ctx, id.Account.ID); err != nil {
		return "", err
	}
	ok, err := s.confirmSMS(ctx, familySMSOwner(id.Account.ID), code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrBadCode
	}
	if id.Session.TwoFactorOk {
		_ = s.Store.DeleteThrottle(ctx, familyTwoFactorKey(id.Account.ID))
		return "", nil
	}
	return s.completeFamily(ctx, id, c)
}

// RemoveFamilySMS removes the account's SMS factor; only from a complete
// session. Errors: ErrSMSRefused.
func (s *Service) RemoveFamilySMS(ctx context.Context, id FamilyIdentity) error {
	if !id.Session.TwoFactorOk {
		return ErrSMSRefused
	}
	return s.Store.DeleteSMSFactor(ctx, familySMSOwner(id.Account.ID))
}

// SendFamilySMSCode sends a sign-in code to the verified number.
// Errors: ErrSMSUnavailable, ErrNoSMS, *SendLimitError, *LockedError.
func (s *Service) SendFamilySMSCode(ctx context.Context, id FamilyIdentity, c Client) error {
	if err := s.familyLock(ctx, id.Account.ID); err != nil {
		return err
	}
	owner := familySMSOwner(id.Account.ID)
	phone, err := s.usableSMS(ctx, owner)
	if err != nil {
		return err
	}
	return s.sendSMS(ctx, owner, phone, false, familySendKey(id.Account.ID), c)
}

// VerifyFamilySMSCode checks an SMS sign-in code for a session awaiting
// its second factor; right, it returns a complete session's token.
// Errors: ErrBadCode, *LockedError.
func (s *Service) VerifyFamilySMSCode(ctx context.Context, id FamilyIdentity, code string, c Client) (string, error) {
	if err := s.familyCodeCheck(ctx, id.Account.ID); err != nil {
		return "", err
	}
	owner := familySMSOwner(id.Account.ID)
	if _, err := s.usableSMS(ctx, owner); err != nil {
		return "", ErrBadCode
	}
	ok, err := s.useSMSCode(ctx, s.Store, owner, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrBadCode
	}
	return s.completeFamily(ctx, id, c)
}

// FamilySMSDelivery is the fate of the latest code sent to the account's number.
func (s *Service) FamilySMSDelivery(ctx context.Context, a store.FamilyAccount) (SMSDelivery, error) {
	return s.smsDelivery(ctx, familySMSOwner(a.ID))
}
