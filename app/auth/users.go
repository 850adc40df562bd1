package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// NewUser describes an account to create.
type NewUser struct {
	Email         string
	FirstName     string
	Surname       string
	Role          access.Role
	Organisation  string // ODS code; empty for national and registry roles
	Superuser     bool
	TwoFactorSkip bool // demo accounts only
}

// ErrEmailTaken means an account already uses the email.
var ErrEmailTaken = errors.New("auth: an account already uses this email address")

// CreateUser validates and creates an account with no password, in tx.
// Whoever creates it then sends the invite (Invite or InviteLink).
func (s *Service) CreateUser(ctx context.Context, tx store.Tx, n NewUser) (store.User, error) {
	email := NormaliseEmail(n.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return store.User{}, fmt.Errorf("auth: %q is not an email address", n.Email)
	}
	if strings.TrimSpace(n.FirstName) == "" || strings.TrimSpace(n.Surname) == "" {
		return store.User{}, errors.New("auth: a first name and a surname are needed")
	}
	if _, ok := access.ParseRole(string(n.Role)); !ok {
		return store.User{}, fmt.Errorf("auth: unknown role %q", n.Role)
	}
	var orgID *int64
	switch {
	case !n.Role.HasOrganisation() && n.Organisation != "":
		return store.User{}, errors.New("auth: national and registry roles belong to no organisation")
	case n.Role.HasOrganisation() && n.Organisation == "":
		return store.User{}, errors.New("auth: this role needs an organisation (its ODS code)")
	case n.Role.HasOrganisation():
		o, err := tx.GetOrganisationByODS(ctx, strings.ToUpper(strings.TrimSpace(n.Organisation)))
		if errors.Is(err, store.ErrNotFound) {
			return store.User{}, fmt.Errorf("auth: no organisation has ODS code %q", n.Organisation)
		}
		if err != nil {
			return store.User{}, err
		}
		orgID = &o.ID
	}
	id, err := tx.CreateUser(ctx, store.CreateUserParams{
		Email: email, FirstName: strings.TrimSpace(n.FirstName), Surname: strings.TrimSpace(n.Surname),
		Role: string(n.Role), OrganisationID: orgID, IsSuperuser: n.Superuser,
		TwoFactorExempt: n.TwoFactorSkip, CreatedAt: s.now(),
	})
	if errors.Is(err, store.ErrConflict) {
		return store.User{}, ErrEmailTaken
	}
	if err != nil {
		return store.User{}, err
	}
	return tx.GetUser(ctx, id)
}

// SetPasswordDirect sets a password without a token, checked against the
// policy: for demo accounts, which have no inbox.
func (s *Service) SetPasswordDirect(ctx context.Context, u store.User, pw string) error {
	if fails := s.Policy.Check(pw, passwordContext(u)); len(fails) > 0 {
		return &PolicyError{Failures: fails}
	}
	hash, err := s.Hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	now := s.now()
	return s.Store.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: &hash, SetAt: &now, ID: u.ID})
}
