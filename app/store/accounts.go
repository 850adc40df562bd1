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
	GetUser(ctx context.Context, id int64) (User, error)
	// GetUserByEmail expects the email lower-cased; ErrNotFound if none.
	GetUserByEmail(ctx context.Context, email string) (User, error)
	SetUserPassword(ctx context.Context, arg SetUserPasswordParams) error
	RehashUserPassword(ctx context.Context, arg RehashUserPasswordParams) error
	SetUserTOTPSecret(ctx context.Context, arg SetUserTOTPSecretParams) error
	// ConfirmUserTOTP affects no row (0) when the user is enrolled already.
	ConfirmUserTOTP(ctx context.Context, arg ConfirmUserTOTPParams) (int64, error)
	UseTOTPStep(ctx context.Context, arg UseTOTPStepParams) (int64, error)
	RecordUserSignIn(ctx context.Context, arg RecordUserSignInParams) error
	SetUserActive(ctx context.Context, arg SetUserActiveParams) error

	CreateSession(ctx context.Context, arg CreateSessionParams) error
	GetSession(ctx context.Context, id string) (Session, error)
	TouchSession(ctx context.Context, arg TouchSessionParams) error
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteOtherUserSessions(ctx context.Context, arg DeleteOtherUserSessionsParams) (int64, error)
	DeleteExpiredSessions(ctx context.Context, arg DeleteExpiredSessionsParams) (int64, error)

	CreateAuthToken(ctx context.Context, arg CreateAuthTokenParams) error
	// UseAuthToken returns the token's user; ErrNotFound when the token is
	// unknown, used, expired or for another purpose.
	UseAuthToken(ctx context.Context, arg UseAuthTokenParams) (int64, error)
	GetAuthToken(ctx context.Context, arg GetAuthTokenParams) (AuthToken, error)
	RevokeAuthTokens(ctx context.Context, arg RevokeAuthTokensParams) error
	DeleteSpentAuthTokens(ctx context.Context, before time.Time) (int64, error)

	InsertBackupCode(ctx context.Context, arg InsertBackupCodeParams) error
	DeleteBackupCodes(ctx context.Context, userID int64) error
	UseBackupCode(ctx context.Context, arg UseBackupCodeParams) (int64, error)

	GetThrottle(ctx context.Context, key string) (SignInThrottle, error)
	PutThrottle(ctx context.Context, arg PutThrottleParams) error
	DeleteThrottle(ctx context.Context, key string) error
	DeleteThrottlesWithPrefix(ctx context.Context, prefix string) error

	InsertSignInEvent(ctx context.Context, arg InsertSignInEventParams) error
	ListSignInEvents(ctx context.Context, arg ListSignInEventsParams) ([]SignInEvent, error)

	InsertEmail(ctx context.Context, arg InsertEmailParams) (int64, error)
	GetEmail(ctx context.Context, id int64) (Email, error)
	MarkEmailSent(ctx context.Context, arg MarkEmailSentParams) error
	RecordEmailFailure(ctx context.Context, arg RecordEmailFailureParams) error
	ListEmails(ctx context.Context, pageLimit int64) ([]Email, error)
	ListEmailsTo(ctx context.Context, arg ListEmailsToParams) ([]Email, error)
}
