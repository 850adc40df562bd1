package store

import "time"

// Account administration types; they mirror the sqlc rows and params
// field for field (see types.go).

type CountUsersParams struct {
	ScopeTrust     string
	ScopeBoard     string
	Pattern        string
	OrganisationID int64
	Role           string
	Status         string
}

type InsertUserAdminEventParams struct {
	UserID     int64
	ActorID    *int64
	Action     string
	Detail     string
	OccurredAt time.Time
}

type ListOrganisationsInScopeParams struct {
	ScopeTrust string
	ScopeBoard string
}

// OrganisationChoice is an organisation offered in a select.
type OrganisationChoice struct {
	ID      int64
	ODSCode string
	Name    string
}

type ListUserAdminEventsParams struct {
	UserID    int64
	PageLimit int64
}

// UserAdminEvent is one change to an account.
type UserAdminEvent struct {
	ID         int64
	Action     string
	Detail     string
	OccurredAt time.Time
	ActorName  interface{}
}

type ListUsersParams struct {
	Now            *time.Time
	Descending     bool
	SortColumn     string
	ScopeTrust     string
	ScopeBoard     string
	Pattern        string
	OrganisationID int64
	Role           string
	Status         string
	PageOffset     int64
	PageLimit      int64
}

// UserListItem is one row of the staff list.
type UserListItem struct {
	ID                int64
	Email             string
	FirstName         string
	Surname           string
	Role              string
	OrganisationID    *int64
	IsSuperuser       bool
	IsActive          bool
	EmailConfirmed    bool
	LastSignInAt      *time.Time
	TwoFactorEnrolled bool
	OrganisationName  string
	OrganisationOds   string
	Locked            bool
	SortUp            interface{}
	SortDown          string
}

type ResetUserTwoFactorParams struct {
	UpdatedAt time.Time
	ID        int64
}

type UpdateUserAccessParams struct {
	Role           string
	OrganisationID *int64
	IsSuperuser    bool
	UpdatedAt      time.Time
	ID             int64
}

type CountActiveLocksParams struct {
	KeyPrefix string
	Now       *time.Time
}
