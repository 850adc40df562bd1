package store

import "time"

// Account, session and sign-in types; they mirror the sqlc rows and params
// field for field (see types.go).

type User struct {
	ID              int64
	Email           string
	FirstName       string
	Surname         string
	Role            string
	OrganisationID  *int64
	IsSuperuser     bool
	IsActive        bool
	EmailConfirmed  bool
	PasswordHash    *string
	PasswordSetAt   *time.Time
	TotpSecret      *string
	TotpConfirmedAt *time.Time
	TotpLastStep    int64
	TwoFactorExempt bool
	LastSignInAt    *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

type Session struct {
	ID          string
	UserID      int64
	TwoFactorOk bool
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	Ip          string
	UserAgent   string
}

type AuthToken struct {
	Hash      string
	UserID    int64
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

type SignInThrottle struct {
	Key         string
	Failures    int64
	WindowStart time.Time
	LockedUntil *time.Time
}

type SignInEvent struct {
	ID         int64
	UserID     *int64
	Event      string
	OccurredAt time.Time
	Ip         string
	UserAgent  string
}

type Email struct {
	ID        int64
	ToAddress string
	Subject   string
	BodyText  string
	CreatedAt time.Time
	SentAt    *time.Time
	Attempts  int64
	LastError string
}

type ConfirmUserTOTPParams struct {
	ConfirmedAt *time.Time
	ID          int64
}

type CreateAuthTokenParams struct {
	Hash      string
	UserID    int64
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
}

type CreateSessionParams struct {
	ID          string
	UserID      int64
	TwoFactorOk bool
	CreatedAt   time.Time
	ExpiresAt   time.Time
	Ip          string
	UserAgent   string
}

type CreateUserParams struct {
	Email           string
	FirstName       string
	Surname         string
	Role            string
	OrganisationID  *int64
	IsSuperuser     bool
	TwoFactorExempt bool
	CreatedAt       time.Time
}

type DeleteExpiredSessionsParams struct {
	Now        time.Time
	IdleCutoff time.Time
}

type DeleteOtherUserSessionsParams struct {
	UserID int64
	KeepID string
}

type GetAuthTokenParams struct {
	Hash    string
	Purpose string
}

type InsertBackupCodeParams struct {
	UserID   int64
	CodeHash string
}

type InsertEmailParams struct {
	ToAddress string
	Subject   string
	BodyText  string
	CreatedAt time.Time
}

type InsertSignInEventParams struct {
	UserID     *int64
	Event      string
	OccurredAt time.Time
	Ip         string
	UserAgent  string
}

type ListSignInEventsParams struct {
	UserID    *int64
	PageLimit int64
}

type MarkEmailSentParams struct {
	SentAt   *time.Time
	BodyText string
	ID       int64
}

type PutThrottleParams struct {
	Key         string
	Failures    int64
	WindowStart time.Time
	LockedUntil *time.Time
}

type RecordEmailFailureParams struct {
	LastError string
	ID        int64
}

type RecordUserSignInParams struct {
	At *time.Time
	ID int64
}

type RehashUserPasswordParams struct {
	PasswordHash *string
	ID           int64
}

type RevokeAuthTokensParams struct {
	Now     *time.Time
	UserID  int64
	Purpose string
}

type SetUserPasswordParams struct {
	PasswordHash *string
	SetAt        *time.Time
	ID           int64
}

type SetUserTOTPSecretParams struct {
	TotpSecret *string
	UpdatedAt  time.Time
	ID         int64
}

type TouchSessionParams struct {
	LastSeenAt time.Time
	ID         string
}

type UseAuthTokenParams struct {
	Now     *time.Time
	Hash    string
	Purpose string
}

type UseBackupCodeParams struct {
	Now      *time.Time
	UserID   int64
	CodeHash string
}

type UseTOTPStepParams struct {
	Step int64
	ID   int64
}

type SetUserActiveParams struct {
	IsActive  bool
	UpdatedAt time.Time
	ID        int64
}

type ListEmailsToParams struct {
	ToAddress string
	PageLimit int64
}
