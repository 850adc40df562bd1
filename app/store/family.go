package store

import (
	"context"
	"time"
)

// FamilyQueries hold families' accounts, their emailed sign-ins, their
// sessions and carer invitations (schema 00028-00029, docs/registry.md
// "Family sign-in"). They never touch users or sessions: a family account
// is a different kind of account from staff.
type FamilyQueries interface {
	// CreateFamilyAccount returns the new id; ErrConflict when the registry
	// has an account with that email, or the contact has one.
	CreateFamilyAccount(ctx context.Context, arg CreateFamilyAccountParams) (int64, error)
	// GetFamilyAccount returns one account with its contact's name. Errors:
	// ErrNotFound (also when its contact is deleted).
	GetFamilyAccount(ctx context.Context, id int64) (FamilyAccount, error)
	// GetFamilyAccountByEmail expects the email lower-cased. Errors:
	// ErrNotFound (also when its contact is deleted).
	GetFamilyAccountByEmail(ctx context.Context, arg GetFamilyAccountByEmailParams) (FamilyAccount, error)
	// SetFamilyAccountStatus enables or disables an account. No error for an unknown id.
	SetFamilyAccountStatus(ctx context.Context, arg SetFamilyAccountStatusParams) error
	// SetFamilyAccountEmail changes the address it signs in with;
	// ErrConflict when another account of the registry has it.
	SetFamilyAccountEmail(ctx context.Context, arg SetFamilyAccountEmailParams) error
	// SetFamilyTOTPSecret stores a new, unconfirmed secret.
	SetFamilyTOTPSecret(ctx context.Context, arg SetFamilyTOTPSecretParams) error
	// ConfirmFamilyTOTP completes an enrolment: 0 when enrolled already.
	ConfirmFamilyTOTP(ctx context.Context, arg ConfirmFamilyTOTPParams) (int64, error)
	// UseFamilyTOTPStep records an accepted code's step: 1, or 0 for a replay.
	UseFamilyTOTPStep(ctx context.Context, arg UseFamilyTOTPStepParams) (int64, error)
	// RecordFamilySignIn sets the last sign-in time.
	RecordFamilySignIn(ctx context.Context, arg RecordFamilySignInParams) error

	// CreateFamilySignInToken stores an emailed sign-in by its hashes;
	// ErrConflict when the link hash exists.
	CreateFamilySignInToken(ctx context.Context, arg CreateFamilySignInTokenParams) error
	// UseFamilySignInLink spends a sign-in by its link and returns its
	// account; ErrNotFound when unknown, used or expired.
	UseFamilySignInLink(ctx context.Context, arg UseFamilySignInLinkParams) (int64, error)
	// GetLatestFamilySignInToken is the account's newest usable sign-in;
	// ErrNotFound when none.
	GetLatestFamilySignInToken(ctx context.Context, arg GetLatestFamilySignInTokenParams) (FamilySignInToken, error)
	// CountFamilySignInAttempt counts a wrong code and returns the count.
	// Errors: ErrNotFound.
	CountFamilySignInAttempt(ctx context.Context, id int64) (int64, error)
	// UseFamilySignInCode spends a sign-in by id: 1, or 0 when spent or expired.
	UseFamilySignInCode(ctx context.Context, arg UseFamilySignInCodeParams) (int64, error)
	// RevokeFamilySignInTokens spends every unused sign-in of an account.
	RevokeFamilySignInTokens(ctx context.Context, arg RevokeFamilySignInTokensParams) error
	// DeleteSpentFamilySignInTokens deletes those used or expired by
	// before and returns how many.
	DeleteSpentFamilySignInTokens(ctx context.Context, before time.Time) (int64, error)

	// CreateFamilySession stores a session; ErrConflict when the id exists.
	CreateFamilySession(ctx context.Context, arg CreateFamilySessionParams) error
	// GetFamilySession returns a session, expired or not; ErrNotFound if none.
	GetFamilySession(ctx context.Context, id string) (FamilySession, error)
	// TouchFamilySession sets when it was last seen. No error if gone.
	TouchFamilySession(ctx context.Context, arg TouchFamilySessionParams) error
	// DeleteFamilySession ends one session. No error if gone.
	DeleteFamilySession(ctx context.Context, id string) error
	// DeleteFamilyAccountSessions ends every session of an account.
	DeleteFamilyAccountSessions(ctx context.Context, accountID int64) error
	// DeleteExpiredFamilySessions deletes sessions expired by Now or idle
	// since IdleCutoff and returns how many.
	DeleteExpiredFamilySessions(ctx context.Context, arg DeleteExpiredFamilySessionsParams) (int64, error)

	// MoveFamilyAccount moves the account of a contact merged away to the
	// contact kept: 1, or 0 when there is none or the kept one has one.
	MoveFamilyAccount(ctx context.Context, arg MoveFamilyAccountParams) (int64, error)
	// FindFamilyContactByEmail is the contact a first sign-in with that
	// email makes an account for. Errors: ErrNotFound.
	FindFamilyContactByEmail(ctx context.Context, arg FindFamilyContactByEmailParams) (int64, error)
	// ListFamilyPatients lists the patients an account holds an active
	// relationship with authority for (none for a disabled account).
	ListFamilyPatients(ctx context.Context, arg ListFamilyPatientsParams) ([]FamilyPatient, error)

	// CreateFamilyInvitation stores an invitation by its token's hash and
	// returns its id; ErrConflict when the hash exists.
	CreateFamilyInvitation(ctx context.Context, arg CreateFamilyInvitationParams) (int64, error)
	// GetFamilyInvitation returns an invitation, used or not. Errors: ErrNotFound.
	GetFamilyInvitation(ctx context.Context, tokenHash string) (FamilyInvitation, error)
	// UseFamilyInvitation spends it: 1, or 0 when used or expired.
	UseFamilyInvitation(ctx context.Context, arg UseFamilyInvitationParams) (int64, error)
	// ListFamilyInvitations lists a patient's invitations, newest first.
	ListFamilyInvitations(ctx context.Context, arg ListFamilyInvitationsParams) ([]FamilyInvitation, error)
}
