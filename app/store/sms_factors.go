package store

import "context"

// SMSFactorQueries hold SMS second factors (schema 00039,
// queries/shared/sms_factors.sql; app/auth sms.go decides what they mean).
// owner is "u:ID" for a staff user, "f:ID" for a family account.
type SMSFactorQueries interface {
	// GetSMSFactor returns an owner's SMS factor. Errors: ErrNotFound.
	GetSMSFactor(ctx context.Context, owner string) (SmsFactor, error)
	// StartSMSFactor records a number to verify and its code's hash,
	// keeping any verified number until the new one is confirmed.
	StartSMSFactor(ctx context.Context, arg StartSMSFactorParams) error
	// SetSMSCode replaces the code out (a sign-in code); 0 rows: no factor.
	SetSMSCode(ctx context.Context, arg SetSMSCodeParams) (int64, error)
	// UseSMSCode spends a matching, unexpired code: 1 row, or 0.
	UseSMSCode(ctx context.Context, arg UseSMSCodeParams) (int64, error)
	// ConfirmSMSPhone makes the pending number the verified one.
	ConfirmSMSPhone(ctx context.Context, arg ConfirmSMSPhoneParams) (int64, error)
	// DeleteSMSFactor removes an owner's SMS factor.
	DeleteSMSFactor(ctx context.Context, owner string) error
}
