package store

import "context"

// UserAdminQueries serve the account administration pages. Scope
// parameters (ScopeTrust, ScopeBoard) both empty mean every organisation.
type UserAdminQueries interface {
	ListUsers(ctx context.Context, arg ListUsersParams) ([]UserListItem, error)
	CountUsers(ctx context.Context, arg CountUsersParams) (int64, error)
	UpdateUserAccess(ctx context.Context, arg UpdateUserAccessParams) error
	ResetUserTwoFactor(ctx context.Context, arg ResetUserTwoFactorParams) error
	InsertUserAdminEvent(ctx context.Context, arg InsertUserAdminEventParams) error
	ListUserAdminEvents(ctx context.Context, arg ListUserAdminEventsParams) ([]UserAdminEvent, error)
	// GetOrganisation returns ErrNotFound for an unknown id.
	GetOrganisation(ctx context.Context, id int64) (Organisation, error)
	// CountActiveLocks counts sign-in locks in force whose key starts so.
	CountActiveLocks(ctx context.Context, arg CountActiveLocksParams) (int64, error)
	ListOrganisationsInScope(ctx context.Context, arg ListOrganisationsInScopeParams) ([]OrganisationChoice, error)
}
