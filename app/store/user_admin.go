package store

import "context"

// UserAdminQueries serve the account administration pages. Scope
// parameters (ScopeTrust, ScopeBoard) both empty mean every organisation.
type UserAdminQueries interface {
	// ListUsers is a page of the staff list in scope, sorted as asked.
	ListUsers(ctx context.Context, arg ListUsersParams) ([]UserListItem, error)
	// CountUsers counts the staff list in scope.
	CountUsers(ctx context.Context, arg CountUsersParams) (int64, error)
	// UpdateUserAccess sets a user's role, organisation and superuser flag.
	// No error for an unknown id.
	UpdateUserAccess(ctx context.Context, arg UpdateUserAccessParams) error
	// ResetUserTwoFactor clears a user's TOTP enrolment. No error for an
	// unknown id.
	ResetUserTwoFactor(ctx context.Context, arg ResetUserTwoFactorParams) error
	// InsertUserAdminEvent appends to an account's history.
	InsertUserAdminEvent(ctx context.Context, arg InsertUserAdminEventParams) error
	// ListUserAdminEvents is an account's history, newest first.
	ListUserAdminEvents(ctx context.Context, arg ListUserAdminEventsParams) ([]UserAdminEvent, error)
	// GetOrganisation returns ErrNotFound for an unknown id.
	GetOrganisation(ctx context.Context, id int64) (Organisation, error)
	// GetOrganisationPlace returns ErrNotFound for an unknown id.
	GetOrganisationPlace(ctx context.Context, id int64) (OrganisationPlace, error)
	// CountActiveLocks counts sign-in locks in force whose key starts so.
	CountActiveLocks(ctx context.Context, arg CountActiveLocksParams) (int64, error)
	// ListOrganisationsInScope is the organisations in scope, by name.
	ListOrganisationsInScope(ctx context.Context, arg ListOrganisationsInScopeParams) ([]OrganisationChoice, error)
}
