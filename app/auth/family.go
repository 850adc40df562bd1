package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/auth/secret"
	"clinaudit/app/jobargs"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// Families' sign-in (docs/registry.md, "Family sign-in"). A family account
// is another kind of account than staff: its own table, its own emailed
// sign-ins and its own sessions under a cookie of its own, so nothing here
// can produce a staff Identity and nothing of staff sign-in accepts a
// family's secret. There is no password: the family asks for an email with
// a one-time link and a 6-digit code, either of which signs in, once,
// within FamilyConfig.SignInTTL. A registry may require an authenticator
// app as a second factor (registry_settings.family_second_factor).
//
// The throttles are the staff ones' machinery (take, in sign_in_throttle)
// under keys of their own:
//
//   - fsend:SUBJECT / fsend-addr:IP  sign-in emails asked for one address,
//     and from one client, per SendWindow
//   - fcode:SUBJECT / fcode-addr:IP  codes typed for one address, and from
//     one client; past the limit, refused until the window ends
//   - f2fa:ACCOUNT                   authenticator codes, as staff's 2fa:ID
//
// SUBJECT hashes the normalised email, never the account: a known and an
// unknown address meet the same limits.

// FamilyConfig holds the families' rules; DefaultConfig sets them.
type FamilyConfig struct {
	SignInTTL        time.Duration // an emailed link and code work this long
	CodeAttempts     int           // wrong codes that spend an emailed sign-in
	SendLimit        int           // sign-in emails per address per SendWindow
	SendAddressLimit int           // sign-in emails asked from one client per SendWindow
	SendWindow       time.Duration
	CodeLimit        int // typed codes per address per SendWindow (any sign-in)
	CodeAddressLimit int // typed codes from one client per SendWindow
	IdleTimeout      time.Duration
	MaxLifetime      time.Duration
	InviteTTL        time.Duration // a carer's invitation link
}

// DefaultFamilyConfig is the policy of issue 17.
func DefaultFamilyConfig() FamilyConfig {
	return FamilyConfig{
		SignInTTL: 10 * time.Minute, CodeAttempts: 5,
		SendLimit: 5, SendAddressLimit: 30, SendWindow: 15 * time.Minute,
		CodeLimit: 10, CodeAddressLimit: 50,
		IdleTimeout: 30 * time.Minute, MaxLifetime: 12 * time.Hour,
		InviteTTL: 7 * 24 * time.Hour,
	}
}

// Registry settings for a family's second factor.
const (
	FamilyTwoFactorOptional = "optional"
	FamilyTwoFactorRequired = "required"
)

// FamilyIdentity is who a family session belongs to. It is not an
// Identity: no staff guard accepts it.
type FamilyIdentity struct {
	Account   store.FamilyAccount
	Session   store.FamilySession
	SessionID string
	ExpiresAt time.Time
}

// NeedsAuthenticator reports whether the account must pass an
// authenticator code to finish signing in: when its registry requires one,
// or when the family has set one up themselves. SMS codes, the other second
// factor, need a store look-up: FamilyNeedsSecondFactor (family_sms.go)
// is this plus a verified number, and decides where a session starts.
func NeedsAuthenticator(a store.FamilyAccount) bool {
	return a.FamilySecondFactor == FamilyTwoFactorRequired || familyHasTOTP(a)
}

func familyHasTOTP(a store.FamilyAccount) bool {
	return a.TotpSecret != nil && a.TotpConfirmedAt != nil
}

// familySubject names an email address in throttle keys.
func familySubject(email string) string {
	sum := sha256.Sum256([]byte(NormaliseEmail(email)))
	return hex.EncodeToString(sum[:12])
}

// familyCodeHash binds a 6-digit code to its sign-in row, so the same code
// sent twice hashes differently.
func familyCodeHash(tokenSalt string, code string) string { return boundCodeHash(tokenSalt, code) }

// QueueFamilySignIn checks the send limits for email and the client, then
// queues the sign-in email's job. Known and unknown addresses do the same
// work here (two counts and one insert); a *SendLimitError refuses it.
func (s *Service) QueueFamilySignIn(ctx context.Context, registry, email string, c Client) error {
	now, f := s.now(), s.Config.Family
	if _, until := s.take(ctx, "fsend-addr:"+c.IP, f.SendAddressLimit, f.SendWindow, f.SendWindow, now); until != nil {
		return &SendLimitError{Until: *until}
	}
	if _, until := s.take(ctx, "fsend:"+familySubject(email), f.SendLimit, f.SendWindow, f.SendWindow, now); until != nil {
		return &SendLimitError{Until: *until}
	}
	return s.Store.InsertJob(ctx, jobargs.FamilySignInArgs{Registry: registry, Email: NormaliseEmail(email), IP: c.IP, UserAgent: truncate(c.UserAgent, 300)}, nil)
}

// SendFamilySignIn emails a one-time link and code to an active family
// account with that address (the job's work); nothing for any other
// address. A contact with that address and an active relationship with
// authority, but no account yet, gets one now (firstFamilyAccount): that is
// how an approved onboarding, or a parent the registry team added, signs in
// the first time. Earlier unused sign-ins of the account are spent.
func (s *Service) SendFamilySignIn(ctx context.Context, registry, email string) error {
	a, err := s.familyAccountByEmail(ctx, registry, email)
	if errors.Is(err, ErrBadCode) {
		a, err = s.firstFamilyAccount(ctx, registry, email)
	}
	if errors.Is(err, ErrBadCode) {
		return nil
	}
	if err != nil {
		return err
	}
	link, linkHash := secret.NewToken()
	code, err := secret.NewNumericCode(6)
	if err != nil {
		return err
	}
	now := s.now()
	exp := now.Add(s.Config.Family.SignInTTL)
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.RevokeFamilySignInTokens(ctx, store.RevokeFamilySignInTokensParams{Now: &now, AccountID: a.ID}); err != nil {
			return err
		}
		h := hex.EncodeToString(linkHash)
		if err := tx.CreateFamilySignInToken(ctx, store.CreateFamilySignInTokenParams{AccountID: a.ID, LinkHash: h,
			CodeHash: familyCodeHash(h, code), CreatedAt: now, ExpiresAt: exp}); err != nil {
			return err
		}
		_, err := outbox.Enqueue(ctx, tx, familySignInEmail(a, s.link("/family/sign-in/link/", link), code, exp), now)
		return err
	})
}

// familyAccountByEmail is the active account with that address in the
// registry; ErrBadCode for none (unknown, disabled, or no such registry).
func (s *Service) familyAccountByEmail(ctx context.Context, registry, email string) (store.FamilyAccount, error) {
	r, err := s.Store.GetRegistryBySlug(ctx, registry)
	if errors.Is(err, store.ErrNotFound) {
		return store.FamilyAccount{}, ErrBadCode
	}
	if err != nil {
		return store.FamilyAccount{}, err
	}
	a, err := s.Store.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: r.ID, Email: NormaliseEmail(email)})
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Status != "active") {
		return store.FamilyAccount{}, ErrBadCode
	}
	return a, err
}

// firstFamilyAccount makes the account of a contact signing in for the
// first time: one with that email holding an active relationship with
// authority (an approved onboarding, or a parent the registry team
// added). ErrBadCode when there is none.
func (s *Service) firstFamilyAccount(ctx context.Context, registry, email string) (store.FamilyAccount, error) {
	r, err := s.Store.GetRegistryBySlug(ctx, registry)
	if errors.Is(err, store.ErrNotFound) {
		return store.FamilyAccount{}, ErrBadCode
	}
	if err != nil {
		return store.FamilyAccount{}, err
	}
	email = NormaliseEmail(email)
	t := s.Now().In(london)
	contact, err := s.Store.FindFamilyContactByEmail(ctx, store.FindFamilyContactByEmailParams{RegistryID: r.ID, Email: email,
		Today: &store.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}})
	if errors.Is(err, store.ErrNotFound) {
		return store.FamilyAccount{}, ErrBadCode
	}
	if err != nil {
		return store.FamilyAccount{}, err
	}
	id, err := s.Store.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: r.ID, ContactID: contact, Email: email, CreatedAt: s.now()})
	if errors.Is(err, store.ErrConflict) { // made by a concurrent request
		return s.familyAccountByEmail(ctx, registry, email)
	}
	if err != nil {
		return store.FamilyAccount{}, err
	}
	return s.Store.GetFamilyAccount(ctx, id)
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// FamilySignInByLink spends an emailed link and starts a session: complete,
// or awaiting the authenticator code (NeedsAuthenticator). ErrBadToken for
// a link unknown, used, expired or tampered with, or of a disabled account.
func (s *Service) FamilySignInByLink(ctx context.Context, link string, c Client) (string, store.FamilyAccount, error) {
	now := s.now()
	id, err := s.Store.UseFamilySignInLink(ctx, store.UseFamilySignInLinkParams{Now: &now, LinkHash: sessionID(link)})
	if errors.Is(err, store.ErrNotFound) {
		return "", store.FamilyAccount{}, ErrBadToken
	}
	if err != nil {
		return "", store.FamilyAccount{}, err
	}
	a, err := s.Store.GetFamilyAccount(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Status != "active") {
		return "", store.FamilyAccount{}, ErrBadToken
	}
	if err != nil {
		return "", store.FamilyAccount{}, err
	}
	token, err := s.StartFamilySession(ctx, a, c)
	return token, a, err
}

// FamilySignInByCode checks a typed 6-digit code against the latest
// emailed sign-in of the address and, when it matches, spends it and
// starts a session. A wrong code counts against the sign-in (spent after
// CodeAttempts) and against the address and client limits. Known and
// unknown addresses do the same work: a look-up and a hash comparison.
// Errors: ErrBadCode, *LockedError.
func (s *Service) FamilySignInByCode(ctx context.Context, registry, email, code string, c Client) (string, store.FamilyAccount, error) {
	now, f := s.now(), s.Config.Family
	if _, until := s.take(ctx, "fcode-addr:"+c.IP, f.CodeAddressLimit, f.SendWindow, f.SendWindow, now); until != nil {
		return "", store.FamilyAccount{}, &LockedError{Until: *until, Address: true}
	}
	if _, until := s.take(ctx, "fcode:"+familySubject(email), f.CodeLimit, f.SendWindow, f.SendWindow, now); until != nil {
		return "", store.FamilyAccount{}, &LockedError{Until: *until}
	}
	a, err := s.familyAccountByEmail(ctx, registry, email)
	if err != nil && !errors.Is(err, ErrBadCode) {
		return "", store.FamilyAccount{}, err
	}
	// Asked for an unknown address too (account 0, which has none), so
	// both take the same steps.
	t, err := s.Store.GetLatestFamilySignInToken(ctx, store.GetLatestFamilySignInTokenParams{AccountID: a.ID, Now: now})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", store.FamilyAccount{}, err
	}
	// No account or no sign-in: compare against a hash nothing matches,
	// so the answer takes the same steps.
	want := t.CodeHash
	if want == "" {
		want = familyCodeHash("none", "")
	}
	if subtle.ConstantTimeCompare([]byte(familyCodeHash(t.LinkHash, code)), []byte(want)) != 1 || t.ID == 0 {
		if t.ID != 0 {
			n, err := s.Store.CountFamilySignInAttempt(ctx, t.ID)
			if err == nil && n >= int64(f.CodeAttempts) {
				_, _ = s.Store.UseFamilySignInCode(ctx, store.UseFamilySignInCodeParams{Now: &now, ID: t.ID})
			}
		}
		return "", store.FamilyAccount{}, ErrBadCode
	}
	n, err := s.Store.UseFamilySignInCode(ctx, store.UseFamilySignInCodeParams{Now: &now, ID: t.ID})
	if err != nil {
		return "", store.FamilyAccount{}, err
	}
	if n != 1 { // spent by a concurrent request
		return "", store.FamilyAccount{}, ErrBadCode
	}
	token, err := s.StartFamilySession(ctx, a, c)
	return token, a, err
}

// StartFamilySession starts a session for a, complete unless it needs its
// authenticator code: after an emailed link or code, or a carer's accepted
// invitation (whose link proved the mailbox as a sign-in link does).
func (s *Service) StartFamilySession(ctx context.Context, a store.FamilyAccount, c Client) (string, error) {
	complete := !s.FamilyNeedsSecondFactor(ctx, a)
	token, err := s.createFamilySession(ctx, a.ID, complete, c)
	if err == nil && complete {
		_ = s.Store.RecordFamilySignIn(ctx, store.RecordFamilySignInParams{At: ptr(s.now()), ID: a.ID})
	}
	return token, err
}

func (s *Service) createFamilySession(ctx context.Context, accountID int64, complete bool, c Client) (string, error) {
	token, hash := secret.NewToken()
	now := s.now()
	err := s.Store.CreateFamilySession(ctx, store.CreateFamilySessionParams{
		ID: hex.EncodeToString(hash), AccountID: accountID, TwoFactorOk: complete,
		CreatedAt: now, ExpiresAt: now.Add(s.Config.Family.MaxLifetime), Ip: c.IP, UserAgent: truncate(c.UserAgent, 300),
	})
	return token, err
}

// AuthenticateFamily resolves a family session cookie: ErrSessionEnded when
// unknown, idle too long, past its lifetime or of a disabled account.
func (s *Service) AuthenticateFamily(ctx context.Context, token string) (FamilyIdentity, error) {
	if token == "" {
		return FamilyIdentity{}, ErrSessionEnded
	}
	id := sessionID(token)
	sess, err := s.Store.GetFamilySession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return FamilyIdentity{}, ErrSessionEnded
	}
	if err != nil {
		return FamilyIdentity{}, err
	}
	now, f := s.now(), s.Config.Family
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= f.IdleTimeout {
		_ = s.Store.DeleteFamilySession(ctx, id)
		return FamilyIdentity{}, ErrSessionEnded
	}
	a, err := s.Store.GetFamilyAccount(ctx, sess.AccountID)
	if errors.Is(err, store.ErrNotFound) { // its contact was deleted
		_ = s.Store.DeleteFamilySession(ctx, id)
		return FamilyIdentity{}, ErrSessionEnded
	}
	if err != nil {
		return FamilyIdentity{}, err
	}
	if a.Status != "active" {
		_ = s.Store.DeleteFamilyAccountSessions(ctx, a.ID)
		return FamilyIdentity{}, ErrSessionEnded
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		tctx, cancel := context.WithTimeout(ctx, touchTimeout)
		err := s.Store.TouchFamilySession(tctx, store.TouchFamilySessionParams{LastSeenAt: now, ID: id})
		cancel()
		switch {
		case err == nil:
			sess.LastSeenAt = now
		case !store.IsUnavailable(err):
			return FamilyIdentity{}, err
		}
	}
	exp := sess.LastSeenAt.Add(f.IdleTimeout)
	if sess.ExpiresAt.Before(exp) {
		exp = sess.ExpiresAt
	}
	return FamilyIdentity{Account: a, Session: sess, SessionID: id, ExpiresAt: exp}, nil
}

// SignOutFamily ends the session on the server.
func (s *Service) SignOutFamily(ctx context.Context, id FamilyIdentity) error {
	return s.Store.DeleteFamilySession(ctx, id.SessionID)
}

// PurgeFamily deletes ended family sessions and spent sign-ins (the
// periodic purge of sessions).
func (s *Service) PurgeFamily(ctx context.Context) error {
	now := s.now()
	if _, err := s.Store.DeleteExpiredFamilySessions(ctx, store.DeleteExpiredFamilySessionsParams{Now: now, IdleCutoff: now.Add(-s.Config.Family.IdleTimeout)}); err != nil {
		return err
	}
	_, err := s.Store.DeleteSpentFamilySignInTokens(ctx, now)
	return err
}

func familySignInEmail(a store.FamilyAccount, link, code string, expires time.Time) outbox.Message {
	return outbox.Message{To: a.Email, Subject: "Your sign-in link for the registry", Text: fmt.Sprintf(
		"Dear %s %s,\n\nSign in to the registry's family pages with this link:\n%s\n\n"+
			"Or type this code on the sign-in page: %s\n\n"+
			"The link and the code work once, and only until %s (10 minutes after this email was sent). "+
			"If they have expired, ask for a new email on the sign-in page.\n\n"+
			"If you did not ask to sign in, you can ignore this email: nobody can sign in without it.\n",
		a.FirstName, a.Surname, link, code, when(expires))}
}
