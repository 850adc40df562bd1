package auth

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/auth/password"
	"clinaudit/app/auth/secret"
	"clinaudit/app/jobargs"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

const (
	purposeInvite    = "invite"
	purposeReset     = "reset"
	purposeEmailCode = "email_code"
)

// issueToken stores the hash of a new single-use token in q (the store or a
// transaction) and returns the token, which only the email will carry.
func (s *Service) issueToken(ctx context.Context, q store.Queries, userID int64, purpose string, ttl time.Duration) (string, error) {
	token, hash := secret.NewToken()
	now := s.now()
	err := q.CreateAuthToken(ctx, store.CreateAuthTokenParams{
		Hash: hex.EncodeToString(hash), UserID: userID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(ttl),
	})
	return token, err
}

// Invite issues an invite link for u and queues its email, in tx: the
// caller creates the account in the same transaction. The link is returned
// for `clinaudit user add`, whose operator may hand it over directly.
func (s *Service) Invite(ctx context.Context, tx store.Tx, u store.User) (string, error) {
	if err := tx.RevokeAuthTokens(ctx, store.RevokeAuthTokensParams{Now: ptr(s.now()), UserID: u.ID, Purpose: purposeInvite}); err != nil {
		return "", err
	}
	token, err := s.issueToken(ctx, tx, u.ID, purposeInvite, s.Config.InviteTTL)
	if err != nil {
		return "", err
	}
	link := s.link("/account/set-password/", token)
	_, err = outbox.Enqueue(ctx, tx, inviteEmail(u, link, s.now().Add(s.Config.InviteTTL)), s.now())
	return link, err
}

// QueueReset queues RequestReset for the email, for the job worker
// (ResetRequestWorker). The page only queues it, the same one insert
// whatever the email, so neither its answer nor its timing tells whether an
// account exists.
func (s *Service) QueueReset(ctx context.Context, email string, c Client) error {
	return s.Store.InsertJob(ctx, jobargs.ResetRequestArgs{Email: email, IP: c.IP, UserAgent: truncate(c.UserAgent, 300)}, nil)
}

// RequestReset emails a reset link when email belongs to an active account,
// invited or not. It answers the same in every case, so it never tells
// whether an account exists.
func (s *Service) RequestReset(ctx context.Context, email string, c Client) error {
	u, err := s.Store.GetUserByEmail(ctx, NormaliseEmail(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !u.IsActive {
		return nil
	}
	// At most a few links an hour per account: a stranger cannot flood an inbox.
	if _, refused := s.take(ctx, fmt.Sprintf("reset:%d", u.ID), 5, time.Hour, time.Hour, s.now()); refused != nil {
		return nil
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		token, err := s.issueToken(ctx, tx, u.ID, purposeReset, s.Config.ResetTTL)
		if err != nil {
			return err
		}
		_, err = outbox.Enqueue(ctx, tx, resetEmail(u, s.link("/account/set-password/", token), s.now().Add(s.Config.ResetTTL)), s.now())
		return err
	})
	if err == nil {
		s.event(ctx, &u.ID, EventResetRequested, c)
	}
	return err
}

// TokenUser returns the user a valid, unused invite or reset token is for,
// without spending it (to show the set-password page).
func (s *Service) TokenUser(ctx context.Context, token string) (store.User, error) {
	for _, purpose := range []string{purposeInvite, purposeReset} {
		t, err := s.Store.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: sessionID(token), Purpose: purpose})
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return store.User{}, err
		}
		if t.UsedAt != nil || !s.now().Before(t.ExpiresAt) {
			return store.User{}, ErrBadToken
		}
		u, err := s.Store.GetUser(ctx, t.UserID)
		if err != nil {
			return store.User{}, err
		}
		if !u.IsActive {
			return store.User{}, ErrBadToken
		}
		return u, nil
	}
	return store.User{}, ErrBadToken
}

// PasswordRules are the rules for u's password, for display by the field.
func (s *Service) PasswordRules(u store.User) []string { return s.Policy.Rules(Privileged(u)) }

// SetPassword spends an invite or reset token and sets the password, which
// confirms the email address. Every session of the user ends: they sign in
// again, second factor included. Fails with ErrBadToken or *PolicyError.
func (s *Service) SetPassword(ctx context.Context, token, newPassword string, c Client) (store.User, error) {
	u, err := s.TokenUser(ctx, token)
	if err != nil {
		return store.User{}, err
	}
	if fails := s.Policy.Check(newPassword, passwordContext(u)); len(fails) > 0 {
		return store.User{}, &PolicyError{Failures: fails}
	}
	hash, err := s.Hasher.Hash(ctx, newPassword) // slow: outside the transaction
	if err != nil {
		return store.User{}, err
	}
	now := s.now()
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		spent := false
		for _, purpose := range []string{purposeInvite, purposeReset} {
			if _, err := tx.UseAuthToken(ctx, store.UseAuthTokenParams{Now: &now, Hash: sessionID(token), Purpose: purpose}); err == nil {
				spent = true
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if !spent { // used by a concurrent request since TokenUser
			return ErrBadToken
		}
		for _, purpose := range []string{purposeInvite, purposeReset} {
			if err := tx.RevokeAuthTokens(ctx, store.RevokeAuthTokensParams{Now: &now, UserID: u.ID, Purpose: purpose}); err != nil {
				return err
			}
		}
		if err := tx.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: &hash, SetAt: &now, ID: u.ID}); err != nil {
			return err
		}
		return tx.DeleteUserSessions(ctx, u.ID)
	})
	if err != nil {
		return store.User{}, err
	}
	s.event(ctx, &u.ID, EventPasswordSet, c)
	return u, nil
}

func passwordContext(u store.User) password.UserContext {
	return password.UserContext{Email: u.Email, FirstName: u.FirstName, Surname: u.Surname, Privileged: Privileged(u)}
}

func (s *Service) link(path, token string) string { return s.Config.BaseURL + path + token }

// PurgeSpentTokens deletes the emailed secrets (invite and reset links,
// sign-in codes) that can no longer be used: used, revoked or expired. A
// spent token is refused exactly as a missing one is (ErrBadToken, a wrong
// code), so deleting it changes no answer; it stops the table, and the
// hashes of old secrets, from growing for ever.
func (s *Service) PurgeSpentTokens(ctx context.Context) (int64, error) {
	return s.Store.DeleteSpentAuthTokens(ctx, s.now())
}
