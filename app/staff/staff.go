// Package staff is account administration: the staff list, inviting,
// changing role and organisation, deactivating, unlocking and resetting a
// second factor. Every operation asks access.Allowed about the account's
// organisation first, and records what it changed in the account's admin
// history in the same transaction. Accounts are never deleted.
package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
)

// Errors the web layer turns into statuses: 403, 404 and 422.
var (
	ErrForbidden = errors.New("staff: not allowed")
	ErrNotFound  = errors.New("staff: no such account") // also for accounts out of scope: nothing leaks
)

// FieldError is bad input, named by its form field.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Service administers accounts.
type Service struct {
	Store store.Store
	Auth  *auth.Service
	Now   func() time.Time
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// ActorFor builds the access actor of a signed-in user, reading where their
// organisation sits now (so a change applies on the next request).
func ActorFor(ctx context.Context, q store.Queries, u store.User) (access.Actor, error) {
	a := access.Actor{Role: access.Role(u.Role), Superuser: u.IsSuperuser}
	if u.OrganisationID == nil {
		return a, nil
	}
	p, err := placeOf(ctx, q, u.OrganisationID)
	a.Organisation, a.Trust, a.HealthBoard = p.Organisation, p.Trust, p.HealthBoard
	return a, err
}

// placeOf is where an organisation sits; the zero Place for none.
func placeOf(ctx context.Context, q store.Queries, orgID *int64) (access.Place, error) {
	if orgID == nil {
		return access.Place{}, nil
	}
	o, err := q.GetOrganisation(ctx, *orgID)
	if err != nil {
		return access.Place{}, err
	}
	return PlaceOfOrganisation(o), nil
}

// PlaceOfOrganisation is where o sits for access decisions.
func PlaceOfOrganisation(o store.Organisation) access.Place {
	return access.Place{Organisation: o.ID, Trust: deref(o.TrustODSCode), HealthBoard: deref(o.LocalHealthBoardODSCode)}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// scope is the actor's reach as the queries' scope parameters.
func scope(a access.Actor) (trust, board string) {
	if a.National() {
		return "", ""
	}
	if a.Trust == "" && a.HealthBoard == "" {
		return "\x00none", "\x00none" // an organisation user without one reaches nothing
	}
	return a.Trust, a.HealthBoard
}

// OrganisationsInScope are the organisations the actor may pick from.
func (s *Service) OrganisationsInScope(ctx context.Context, a access.Actor) ([]store.OrganisationChoice, error) {
	t, b := scope(a)
	return s.Store.ListOrganisationsInScope(ctx, store.ListOrganisationsInScopeParams{ScopeTrust: t, ScopeBoard: b})
}

// Account is one account as its page shows it.
type Account struct {
	User         store.User
	Organisation *store.Organisation
	Locked       bool
	SignIns      []store.SignInEvent
	History      []store.UserAdminEvent
	// Emails sent to the account, so an admin can see an invite that
	// failed. Bodies are never shown: they hold links and codes.
	Emails []store.Email
	// What the viewer may do to it.
	CanManage bool
}

// load fetches an account the actor may see, or ErrNotFound.
func (s *Service) load(ctx context.Context, q store.Queries, a access.Actor, id int64) (store.User, access.Place, error) {
	u, err := q.GetUser(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, access.Place{}, ErrNotFound
	}
	if err != nil {
		return store.User{}, access.Place{}, err
	}
	p, err := placeOf(ctx, q, u.OrganisationID)
	if err != nil {
		return store.User{}, access.Place{}, err
	}
	if !access.Allowed(a, access.ViewUsers, p) {
		return store.User{}, access.Place{}, ErrNotFound
	}
	return u, p, nil
}

// mayManage: the action on the account's place, plus national accounts need
// manage_national and superusers need a superuser.
func mayManage(a access.Actor, u store.User, p access.Place) bool {
	if !access.Allowed(a, access.ManageUsers, p) {
		return false
	}
	if access.Role(u.Role).National() && !a.Can(access.ManageNational) {
		return false
	}
	return !u.IsSuperuser || a.Superuser
}

// Get returns an account with its sign-in and admin history.
func (s *Service) Get(ctx context.Context, a access.Actor, id int64) (Account, error) {
	u, p, err := s.load(ctx, s.Store, a, id)
	if err != nil {
		return Account{}, err
	}
	acc := Account{User: u, CanManage: mayManage(a, u, p)}
	if u.OrganisationID != nil {
		o, err := s.Store.GetOrganisation(ctx, *u.OrganisationID)
		if err != nil {
			return Account{}, err
		}
		acc.Organisation = &o
	}
	if acc.SignIns, err = s.Store.ListSignInEvents(ctx, store.ListSignInEventsParams{UserID: &u.ID, PageLimit: 50}); err != nil {
		return Account{}, err
	}
	if acc.History, err = s.Store.ListUserAdminEvents(ctx, store.ListUserAdminEventsParams{UserID: u.ID, PageLimit: 50}); err != nil {
		return Account{}, err
	}
	if acc.Emails, err = s.Store.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: u.Email, PageLimit: 20}); err != nil {
		return Account{}, err
	}
	// Locked from some client, or slowed down for new clients (app/auth
	// limits.go): either way the admin's Unlock clears it.
	for _, prefix := range []string{fmt.Sprintf("acct:%d:%%", u.ID), fmt.Sprintf("slow:%d", u.ID)} {
		locks, err := s.Store.CountActiveLocks(ctx, store.CountActiveLocksParams{KeyPrefix: prefix, Now: ptr(s.now())})
		if err != nil {
			return Account{}, err
		}
		acc.Locked = acc.Locked || locks > 0
	}
	return acc, nil
}

func ptr[T any](v T) *T { return &v }

// record writes one admin-history row in q.
func (s *Service) record(ctx context.Context, q store.Queries, actorID *int64, userID int64, action, detail string) error {
	return q.InsertUserAdminEvent(ctx, store.InsertUserAdminEventParams{UserID: userID, ActorID: actorID, Action: action,
		Detail: detail, OccurredAt: s.now()})
}

func describe(role access.Role, superuser bool, org string) string {
	d := role.Label()
	if superuser {
		d += ", superuser"
	}
	if org != "" {
		d += " at " + org
	}
	return d
}

func cleanODS(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func errf(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}
