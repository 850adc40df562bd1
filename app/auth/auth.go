// Package auth signs users in and keeps them signed in: passwords, lockout
// and throttling, the second factor, sessions, invite and reset links. It
// knows nothing of HTTP: the web package turns its results into pages and
// cookies. Secrets (passwords, tokens, codes) never leave it except to the
// user they belong to, and never reach a log.
package auth

import (
	"errors"
	"fmt"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
)

// Config holds the rules. Defaults come from DefaultConfig.
type Config struct {
	IdleTimeout time.Duration // sign out after this long without a request
	MaxLifetime time.Duration // sign out this long after sign-in regardless

	TwoFactorForAll bool // national roles and superusers need it anyway

	LockoutThreshold int           // consecutive failures that lock an account (from one client)
	LockoutDuration  time.Duration // how long the lock lasts
	AddressLimit     int           // failures from one client, any accounts, before it is throttled
	AddressWindow    time.Duration // the window those failures are counted in, and the throttle's length
	SlowAfter        int           // failures on an account, from every client, before new clients are slowed
	SlowMax          time.Duration // the longest wait the slow-down imposes
	KnownClientFor   time.Duration // a client the user signed in from this recently is spared the slow-down

	// Emailed sign-in codes: at most CodeSendLimit per account and
	// CodeSendAddressLimit per client, each per CodeSendWindow.
	CodeSendLimit        int
	CodeSendAddressLimit int
	CodeSendWindow       time.Duration

	InviteTTL    time.Duration
	ResetTTL     time.Duration
	EmailCodeTTL time.Duration // also an SMS code's life (sms.go)

	// SMS: an SMS provider is configured, so SMS codes may be a second
	// factor (sms.go); false offers no SMS anywhere.
	SMS bool

	BaseURL string // for links in emails

	Family FamilyConfig // families' passwordless sign-in (family.go)
}

// DefaultConfig is the policy of decisions.md and the sign-in issue.
func DefaultConfig() Config {
	return Config{
		IdleTimeout: 30 * time.Minute, MaxLifetime: 12 * time.Hour,
		TwoFactorForAll:  true,
		LockoutThreshold: 5, LockoutDuration: 10 * time.Minute,
		AddressLimit: 30, AddressWindow: 15 * time.Minute,
		SlowAfter: 10, SlowMax: 15 * time.Minute, KnownClientFor: 90 * 24 * time.Hour,
		CodeSendLimit: 3, CodeSendAddressLimit: 30, CodeSendWindow: 15 * time.Minute,
		InviteTTL: 72 * time.Hour, ResetTTL: 72 * time.Hour, EmailCodeTTL: 5 * time.Minute,
		BaseURL: "http://127.0.0.1:8080",
		Family:  DefaultFamilyConfig(),
	}
}

// Service is the sign-in machinery over one store.
type Service struct {
	Store  store.Store
	Hasher *password.Hasher
	Policy password.Policy
	Config Config
	Now    func() time.Time
}

// New returns a Service with the default hasher.
func New(s store.Store, policy password.Policy, cfg Config) (*Service, error) {
	h, err := password.NewHasher(password.DefaultParams(), 0)
	if err != nil {
		return nil, err
	}
	return &Service{Store: s, Hasher: h, Policy: policy, Config: cfg, Now: time.Now}, nil
}

// Errors a caller shows to the user. None says whether an email exists.
var (
	ErrBadCredentials = errors.New("auth: wrong email or password")
	ErrDeactivated    = errors.New("auth: account deactivated")
	ErrSessionEnded   = errors.New("auth: session ended")
	ErrBadCode        = errors.New("auth: wrong or expired code")
	ErrBadToken       = errors.New("auth: link not valid")
	// ErrEnrolled refuses to enrol an authenticator app twice.
	ErrEnrolled = errors.New("auth: an authenticator app is set up already")
)

// SendLimitError refuses to email another sign-in code before Until.
type SendLimitError struct{ Until time.Time }

func (e *SendLimitError) Error() string {
	return fmt.Sprintf("auth: no more emailed codes until %s", e.Until.Format(time.RFC3339))
}

// LockedError says an account (from this client) or a client is locked
// out, or the account slowed down for new clients, and until when.
type LockedError struct {
	Until   time.Time
	Address bool // the client is throttled, not the account
	Slowed  bool // the account is slowed down for clients new to it
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("auth: locked until %s", e.Until.Format(time.RFC3339))
}

// PolicyError lists every password rule a new password fails.
type PolicyError struct{ Failures []password.Failure }

func (e *PolicyError) Error() string { return "auth: password does not meet the policy" }

// Privileged reports whether u needs the longer password and always a second
// factor: national staff, registry staff (both roles reach a whole
// registry's records, names included or not) and superusers.
func Privileged(u store.User) bool {
	r := access.Role(u.Role)
	return u.IsSuperuser || r.National() || r.Registry()
}

// NeedsTwoFactor reports whether u must pass a second factor to sign in.
func (s *Service) NeedsTwoFactor(u store.User) bool {
	if u.TwoFactorExempt {
		return false
	}
	return s.Config.TwoFactorForAll || Privileged(u)
}

// HasTOTP reports whether u has finished enrolling an authenticator app.
func HasTOTP(u store.User) bool { return u.TotpSecret != nil && u.TotpConfirmedAt != nil }

// Client is who is asking: recorded with every sign-in event.
type Client struct {
	IP        string
	UserAgent string
}

func (s *Service) now() time.Time { return s.Now().UTC() }
