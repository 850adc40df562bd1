package store

import (
	"context"
	"time"
)

// AccountQueries read and write users, sessions, one-time secrets, sign-in
// throttling, the sign-in trail and outgoing email. The Use* methods that
// return a row count affect exactly one row when the secret was valid and
// unused, and none otherwise: that is how single use is enforced.
type AccountQueries interface {
	// CreateUser returns the new id; ErrConflict when the email is taken.
	CreateUser(ctx context.Context, arg CreateUserParams) (int64, error)
	// GetUser returns one user; ErrNotFound for an unknown id.
	GetUser(ctx context.Context, id int64) (User, error)
	// GetUserByEmail expects the email lower-cased; ErrNotFound if none.
	GetUserByEmail(ctx context.Context, email string) (User, error)
	// SetUserPassword sets the hash and marks the email confirmed (a set
	// password proves the mailbox). No error for an unknown id.
	SetUserPassword(ctx context.Context, arg SetUserPasswordParams) error
	// RehashUserPassword replaces the hash only (new parameters, same
	// password). No error for an unknown id.
	RehashUserPassword(ctx context.Context, arg RehashUserPasswordParams) error
	// SetUserTOTPSecret stores a new, unconfirmed secret. No error for an
	// unknown id.
	SetUserTOTPSecret(ctx context.Context, arg SetUserTOTPSecretParams) error
	// ConfirmUserTOTP affects no row (0) when the user is enrolled already.
	ConfirmUserTOTP(ctx context.Context, arg ConfirmUserTOTPParams) (int64, error)
	// UseTOTPStep records an accepted code's step: 1, or 0 when that step
	// or a later one was used already (a replay).
	UseTOTPStep(ctx context.Context, arg UseTOTPStepParams) (int64, error)
	// RecordUserSignIn sets the last sign-in time. No error for an unknown id.
	RecordUserSignIn(ctx context.Context, arg RecordUserSignInParams) error
	// SetUserActive enables or disables an account. No error for an unknown id.
	SetUserActive(ctx context.Context, arg SetUserActiveParams) error

	// CreateSession stores a session; ErrConflict when the id exists.
	CreateSession(ctx context.Context, arg CreateSessionParams) error
	// GetSession returns a session, expired or not; ErrNotFound if none.
	GetSession(ctx context.Context, id string) (Session, error)
	// GetSessionIdentity is GetSession, GetUser of its user and
	// GetOrganisationPlace of the user's organisation in one statement.
	// ErrNotFound when there is no such session.
	GetSessionIdentity(ctx context.Context, id string) (SessionIdentity, error)
	// TouchSession sets when the session was last seen. No error if gone.
	TouchSession(ctx context.Context, arg TouchSessionParams) error
	// DeleteSession signs one session out. No error if gone.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions signs the user out everywhere.
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteOtherUserSessions signs the user out everywhere but KeepID and
	// returns how many sessions it ended.
	DeleteOtherUserSessions(ctx context.Context, arg DeleteOtherUserSessionsParams) (int64, error)
	// DeleteExpiredSessions deletes sessions expired by Now or idle since
	// IdleCutoff and returns how many.
	DeleteExpiredSessions(ctx context.Context, arg DeleteExpiredSessionsParams) (int64, error)

	// CreateAuthToken stores a one-time token (invite, reset) by its hash;
	// ErrConflict when the hash exists.
	CreateAuthToken(ctx context.Context, arg CreateAuthTokenParams) error
	// UseAuthToken returns the token's user; ErrNotFound when the token is
	// unknown, used, expired or for another purpose.
	UseAuthToken(ctx context.Context, arg UseAuthTokenParams) (int64, error)
	// GetAuthToken returns a token, used or not; ErrNotFound when no token
	// has that hash and purpose.
	GetAuthToken(ctx context.Context, arg GetAuthTokenParams) (AuthToken, error)
	// RevokeAuthTokens marks the user's unused tokens of one purpose used.
	RevokeAuthTokens(ctx context.Context, arg RevokeAuthTokensParams) error
	// DeleteSpentAuthTokens deletes the tokens that expired by before, used
	// or not, and returns how many.
	DeleteSpentAuthTokens(ctx context.Context, before time.Time) (int64, error)

	// InsertBackupCode stores one backup code's hash; ErrConflict when the
	// user has that code already.
	InsertBackupCode(ctx context.Context, arg InsertBackupCodeParams) error
	// DeleteBackupCodes deletes all the user's backup codes.
	DeleteBackupCodes(ctx context.Context, userID int64) error
	// UseBackupCode spends a code: 1, or 0 when it is unknown or spent.
	UseBackupCode(ctx context.Context, arg UseBackupCodeParams) (int64, error)

	// GetThrottle returns a sign-in throttle; ErrNotFound if none.
	GetThrottle(ctx context.Context, key string) (SignInThrottle, error)
	// PutThrottle creates or replaces a throttle.
	PutThrottle(ctx context.Context, arg PutThrottleParams) error
	// DeleteThrottle deletes one throttle. No error if gone.
	DeleteThrottle(ctx context.Context, key string) error
	// DeleteThrottlesWithPrefix deletes the throttles whose key matches
	// prefix, a LIKE pattern ("acct:<subject>:%").
	DeleteThrottlesWithPrefix(ctx context.Context, prefix string) error

	// InsertSignInEvent appends to the sign-in trail.
	InsertSignInEvent(ctx context.Context, arg InsertSignInEventParams) error
	// ListSignInEvents returns the user's latest events, newest first.
	ListSignInEvents(ctx context.Context, arg ListSignInEventsParams) ([]SignInEvent, error)

	// InsertEmail queues an outgoing email and returns its id.
	InsertEmail(ctx context.Context, arg InsertEmailParams) (int64, error)
	// GetEmail returns one email; ErrNotFound for an unknown id.
	GetEmail(ctx context.Context, id int64) (Email, error)
	// MarkEmailSent records a send (counted as an attempt) and the body as
	// sent, clearing the last error.
	MarkEmailSent(ctx context.Context, arg MarkEmailSentParams) error
	// RecordEmailFailure counts a failed attempt and keeps its error.
	RecordEmailFailure(ctx context.Context, arg RecordEmailFailureParams) error
	// ListEmails returns the latest emails, newest first.
	ListEmails(ctx context.Context, pageLimit int64) ([]Email, error)
	// ListEmailsTo returns the latest emails to one address, newest first.
	ListEmailsTo(ctx context.Context, arg ListEmailsToParams) ([]Email, error)
}
