package auth

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth/secret"
	"clinaudit/app/store"
)

// Identity is who a request's session belongs to.
type Identity struct {
	User    store.User
	Session store.Session
	// Place is where the user's organisation sits, read with the session
	// (the zero Place for none): access.ActorAt builds the actor from it.
	Place     access.Place
	SessionID string // the stored id (hash of the token), never the token
	// ExpiresAt is when the session ends if the user does nothing more:
	// the earlier of the idle timeout and the absolute lifetime.
	ExpiresAt time.Time
}

// touchEvery limits last-seen writes to one per interval per session: the
// idle timeout is minutes, so seconds of slack cost nothing.
const touchEvery = 15 * time.Second

// touchTimeout bounds the wait for the database to record activity.
const touchTimeout = 2 * time.Second

func sessionID(token string) string { return hex.EncodeToString(secret.HashToken(token)) }

func (s *Service) createSession(ctx context.Context, userID int64, complete bool, c Client) (string, error) {
	token, hash := secret.NewToken()
	now := s.now()
	err := s.Store.CreateSession(ctx, store.CreateSessionParams{
		ID: hex.EncodeToString(hash), UserID: userID, TwoFactorOk: complete,
		CreatedAt: now, ExpiresAt: now.Add(s.Config.MaxLifetime),
		Ip: c.IP, UserAgent: truncate(c.UserAgent, 300),
	})
	return token, err
}

// Authenticate resolves a session cookie. It fails with ErrSessionEnded when
// the token is unknown, idle too long, past its lifetime, or its user has
// been deactivated (whose sessions it then ends, all of them). A session
// that still awaits its second factor is returned with TwoFactorOk false.
func (s *Service) Authenticate(ctx context.Context, token string) (Identity, error) {
	if token == "" {
		return Identity{}, ErrSessionEnded
	}
	id := sessionID(token)
	row, err := s.Store.GetSessionIdentity(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, ErrSessionEnded
	}
	if err != nil {
		return Identity{}, err
	}
	sess, u, place := splitIdentity(row)
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.Config.IdleTimeout {
		_ = s.Store.DeleteSession(ctx, id)
		return Identity{}, ErrSessionEnded
	}
	if !u.IsActive {
		_ = s.Store.DeleteUserSessions(ctx, u.ID)
		return Identity{}, ErrSessionEnded
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		// Bounded, and forgiven when the database cannot write (a held
		// lock, a full disk): a page that only reads should still load,
		// and the next request touches the session instead.
		tctx, cancel := context.WithTimeout(ctx, touchTimeout)
		err := s.Store.TouchSession(tctx, store.TouchSessionParams{LastSeenAt: now, ID: id})
		cancel()
		switch {
		case err == nil:
			sess.LastSeenAt = now
		case !store.IsUnavailable(err):
			return Identity{}, err
		}
	}
	exp := sess.LastSeenAt.Add(s.Config.IdleTimeout)
	if sess.ExpiresAt.Before(exp) {
		exp = sess.ExpiresAt
	}
	return Identity{User: u, Session: sess, Place: place, SessionID: id, ExpiresAt: exp}, nil
}

// splitIdentity is the session, its user and where the user's organisation
// sits, as GetSession, GetUser and access.PlaceOf would give them.
func splitIdentity(r store.SessionIdentity) (store.Session, store.User, access.Place) {
	sess := store.Session{ID: r.ID, UserID: r.UserID, TwoFactorOk: r.TwoFactorOk, CreatedAt: r.CreatedAt,
		LastSeenAt: r.LastSeenAt, ExpiresAt: r.ExpiresAt, Ip: r.Ip, UserAgent: r.UserAgent}
	u := store.User{ID: r.UserID, Email: r.UserEmail, FirstName: r.UserFirstName, Surname: r.UserSurname, Role: r.UserRole,
		OrganisationID: r.UserOrganisationID, IsSuperuser: r.UserIsSuperuser, IsActive: r.UserIsActive,
		EmailConfirmed: r.UserEmailConfirmed, PasswordHash: r.UserPasswordHash, PasswordSetAt: r.UserPasswordSetAt,
		TotpSecret: r.UserTotpSecret, TotpConfirmedAt: r.UserTotpConfirmedAt, TotpLastStep: r.UserTotpLastStep,
		TwoFactorExempt: r.UserTwoFactorExempt, LastSignInAt: r.UserLastSignInAt, CreatedAt: r.UserCreatedAt,
		UpdatedAt: r.UserUpdatedAt}
	return sess, u, access.PlaceFrom(u.OrganisationID, r.PlaceTrustOdsCode, r.PlaceLocalHealthBoardOdsCode)
}

// Extend records activity now, for the "Stay signed in" button.
func (s *Service) Extend(ctx context.Context, id Identity) error {
	return s.Store.TouchSession(ctx, store.TouchSessionParams{LastSeenAt: s.now(), ID: id.SessionID})
}

// SignOut ends the session on the server.
func (s *Service) SignOut(ctx context.Context, id Identity, c Client) error {
	if err := s.Store.DeleteSession(ctx, id.SessionID); err != nil {
		return err
	}
	s.event(ctx, &id.User.ID, EventSignedOut, c)
	return nil
}

// EndOtherSessions signs the user out everywhere but here, and says how many
// sessions it ended.
func (s *Service) EndOtherSessions(ctx context.Context, id Identity) (int64, error) {
	return s.Store.DeleteOtherUserSessions(ctx, store.DeleteOtherUserSessionsParams{UserID: id.User.ID, KeepID: id.SessionID})
}

// rotate replaces a session by a new, complete one: a new token after the
// second factor, so a token seen before it is worthless after.
func (s *Service) rotate(ctx context.Context, id Identity, c Client) (string, error) {
	if err := s.Store.DeleteSession(ctx, id.SessionID); err != nil {
		return "", err
	}
	return s.createSession(ctx, id.User.ID, true, c)
}

// PurgeExpiredSessions deletes sessions past their lifetime or idle too
// long; a periodic job calls it.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	now := s.now()
	return s.Store.DeleteExpiredSessions(ctx, store.DeleteExpiredSessionsParams{Now: now, IdleCutoff: now.Add(-s.Config.IdleTimeout)})
}
