package api

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth/secret"
	"clinaudit/app/store"
)

// A token's scope narrows what its account may do through it: the account's
// role still decides, through the same permission table as the pages.
const (
	AccessRead  = "read"
	AccessWrite = "write"

	DomainRegistry = "registry"
	DomainAudit    = "audit"
)

// TokenPrefix starts every personal API token, so that a leaked one is
// recognisable (secret scanners, logs).
const TokenPrefix = "clinaudit_pat_"

// Token lifetimes a person may choose on the account page.
var TokenLifetimes = []int{7, 30, 90, 365} // days

// Tokens issues, lists, revokes and resolves personal API tokens.
type Tokens struct {
	Store store.Store
	Now   func() time.Time
}

// TokenInput is the account page's form.
type TokenInput struct {
	Name, Access, Domain string
	Days                 int
}

// Caller is who a bearer token speaks for.
type Caller struct {
	TokenID        int64
	Me             access.Me
	Access, Domain string
	// RequestID is the call's id (X-Request-ID), for the trail.
	RequestID string
}

// ErrBadToken is a token that is unknown, revoked, expired or whose
// account is deactivated: the API answers 401 and says no more.
var ErrBadToken = errors.New("api token unknown, revoked or expired")

// Create issues a token for user: the plain token is returned once, only
// its hash is stored. Errors: children.FieldErrors, the store's.
func (t *Tokens) Create(ctx context.Context, userID int64, in TokenInput) (plain string, id int64, err error) {
	if errs := checkScope(in.Name, in.Access, in.Domain, &in.Days); len(errs) > 0 {
		return "", 0, errs
	}
	name := strings.TrimSpace(in.Name)
	raw, hash := secret.NewToken()
	now := t.Now().UTC().Truncate(time.Second)
	id, err = t.Store.CreateAPIToken(ctx, store.CreateAPITokenParams{UserID: userID, Name: name, Hash: hex.EncodeToString(hash),
		Access: in.Access, Domain: in.Domain, CreatedAt: now, ExpiresAt: now.Add(time.Duration(in.Days) * 24 * time.Hour)})
	return TokenPrefix + raw, id, err
}

func validDays(d int) bool {
	for _, v := range TokenLifetimes {
		if v == d {
			return true
		}
	}
	return false
}

// List is the user's tokens, newest first (hashes only).
func (t *Tokens) List(ctx context.Context, userID int64) ([]store.APIToken, error) {
	return t.Store.ListUserAPITokens(ctx, userID)
}

// Revoke ends one of the user's tokens now. Errors: apperr.ErrNotFound
// (not theirs, or already revoked), the store's.
func (t *Tokens) Revoke(ctx context.Context, userID, id int64) error {
	now := t.Now().UTC().Truncate(time.Second)
	n, err := t.Store.RevokeAPIToken(ctx, store.RevokeAPITokenParams{RevokedAt: &now, ID: id, UserID: userID})
	if err == nil && n == 0 {
		err = apperr.ErrNotFound
	}
	return err
}

// Authenticate resolves a bearer token to its caller, with the account's
// role and organisation as they are now. Errors: ErrBadToken, the store's.
func (t *Tokens) Authenticate(ctx context.Context, bearer string) (Caller, error) {
	raw, ok := strings.CutPrefix(bearer, TokenPrefix)
	if !ok || raw == "" {
		return Caller{}, ErrBadToken
	}
	tok, err := t.Store.GetAPITokenByHash(ctx, hex.EncodeToString(secret.HashToken(raw)))
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, ErrBadToken
	}
	if err != nil {
		return Caller{}, err
	}
	if tok.RevokedAt != nil || !t.Now().Before(tok.ExpiresAt) {
		return Caller{}, ErrBadToken
	}
	u, err := t.Store.GetUser(ctx, tok.UserID)
	if err != nil {
		return Caller{}, err
	}
	if !u.IsActive {
		return Caller{}, ErrBadToken
	}
	a, err := access.ActorFor(ctx, t.Store, u)
	if err != nil {
		return Caller{}, err
	}
	return Caller{TokenID: tok.ID, Me: access.Me{ID: u.ID, Actor: a}, Access: tok.Access, Domain: tok.Domain}, nil
}
