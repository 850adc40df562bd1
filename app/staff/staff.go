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
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/store"
)

// Errors. Refusals are apperr.ErrForbidden; the rest:
var (
	// ErrNotFound: no such account, or one out of the actor's scope, so
	// that nothing leaks (apperr.NotFound).
	ErrNotFound = &apperr.Error{Code: apperr.NotFound, Err: errors.New("staff: no such account")}
	// ErrAlreadyActivated: the account has a password, so an invite makes
	// no sense; its owner can use "Forgot your password?" (apperr.Conflict).
	ErrAlreadyActivated = apperr.New(apperr.Conflict, "This person has already set a password. They can use “Forgot your password?” on the sign-in page.")
)

// FieldError is bad input, named by its form field: the form is shown
// again with the message beside the field.
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

// OrganisationsInScope are the organisations the actor may pick from.
// Errors: the store's.
func (s *Service) OrganisationsInScope(ctx context.Context, a access.Actor) ([]store.OrganisationChoice, error) {
	t, b := a.QueryScope()
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
	p, err := access.PlaceOf(ctx, q, u.OrganisationID)
	if err != nil {
		return store.User{}, access.Place{}, err
	}
	if !access.Allowed(a, access.ViewUsers, p) && !(access.Role(u.Role).Registry() && a.Can(access.ManageRegistryUsers)) {
		return store.User{}, access.Place{}, ErrNotFound
	}
	return u, p, nil
}

// mayManage: the action on the account's place, plus national accounts need
// manage_national and superusers need a superuser. Registry accounts need
// manage_registry_users instead.
func mayManage(a access.Actor, u store.User, p access.Place) bool {
	action := access.ManageUsers
	if access.Role(u.Role).Registry() {
		action = access.ManageRegistryUsers
	}
	if !access.Allowed(a, action, p) {
		return false
	}
	if access.Role(u.Role).National() && !a.Can(access.ManageNational) {
		return false
	}
	return !u.IsSuperuser || a.Superuser
}

// Get returns an account with its sign-in and admin history. Errors:
// ErrNotFound, the store's.
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

func errf(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}
