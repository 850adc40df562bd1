package store

import "time"

// Children types; they mirror the sqlc rows and params field for field
// (see types.go).

type InsertChildParams struct {
	AuditID                       string
	NHSNumber                     *string
	UniqueReferenceNumber         *string
	FirstName                     string
	Surname                       string
	DateOfBirth                   *Date
	Sex                           int64
	Postcode                      string
	Ethnicity                     string
	LeadOrganisationID            int64
	FirstPaediatricAssessmentDate *Date
	EligibilityConfirmed          bool
	Cohort                        *int64
	RegisteredAt                  *time.Time
	RegisteredBy                  *int64
	LockedAt                      *time.Time
	LockedBy                      *int64
	CreatedAt                     time.Time
	CreatedBy                     *int64
}

// InsertChildIfNewParams are InsertChildParams, for the bulk insert.
type InsertChildIfNewParams InsertChildParams

// Child is one child as its page shows it: demographics (blank after an
// opt-out), lead organisation, registration and lock, with the names of who
// registered, locked and last changed it.
type Child struct {
	ID                            int64
	AuditID                       string
	NHSNumber                     string
	UniqueReferenceNumber         string
	FirstName                     string
	Surname                       string
	DateOfBirth                   *Date
	Sex                           *int64
	Postcode                      string
	Ethnicity                     string
	LeadOrganisationID            int64
	FirstPaediatricAssessmentDate *Date
	EligibilityConfirmed          bool
	Cohort                        *int64
	RegisteredAt                  *time.Time
	RegisteredByName              string
	LockedAt                      *time.Time
	LockedByName                  string
	CreatedAt                     time.Time
	UpdatedAt                     time.Time
	UpdatedByName                 string
	Version                       int64
	// OptedOutAt is set once the child is opted out (spec §11.2).
	OptedOutAt *time.Time
}

type UpdateChildDemographicsParams struct {
	NHSNumber             *string
	UniqueReferenceNumber *string
	FirstName             string
	Surname               string
	DateOfBirth           *Date
	Sex                   int64
	Postcode              string
	Ethnicity             string
	UpdatedAt             time.Time
	UpdatedBy             *int64
	ID                    int64
	Version               int64
}

type RegisterChildParams struct {
	FirstPaediatricAssessmentDate *Date
	Cohort                        *int64
	LeadOrganisationID            int64
	UpdatedAt                     time.Time
	UpdatedBy                     *int64
	ID                            int64
	Version                       int64
}

type LockChildParams struct {
	UpdatedAt time.Time
	UpdatedBy *int64
	ID        int64
	Version   int64
}

type UnlockChildParams struct {
	UpdatedAt time.Time
	UpdatedBy *int64
	ID        int64
	Version   int64
}

type ListChildrenParams struct {
	Descending       bool
	SortColumn       string
	ScopeTrust       string
	ScopeBoard       string
	Search           bool
	NamePattern      string
	NumberPattern    string
	ReferencePattern string
	AuditIDPattern   string
	OrganisationID   int64
	Cohort           int64
	Registered       string
	Locked           string
	OptedOut         string // "" leaves opted-out children out, "yes" lists only them, "all" both
	PageOffset       int64
	PageLimit        int64
}

// ChildListItem is one row of the case list.
type ChildListItem struct {
	ID                    int64
	AuditID               string
	NHSNumber             string
	UniqueReferenceNumber string
	FirstName             string
	Surname               string
	DateOfBirth           *Date
	Sex                   *int64
	Cohort                *int64
	Registered            bool
	Locked                bool
	OptedOut              bool
	OrganisationOds       string
	OrganisationName      string
	SortUp                string
	SortDown              string
}

type CountChildrenParams struct {
	ScopeTrust       string
	ScopeBoard       string
	Search           bool
	NamePattern      string
	NumberPattern    string
	ReferencePattern string
	AuditIDPattern   string
	OrganisationID   int64
	Cohort           int64
	Registered       string
	Locked           string
	OptedOut         string
}

type ChildTotalsParams struct {
	ScopeTrust     string
	ScopeBoard     string
	OrganisationID int64
}

// ChildTotals counts the children in scope and those registered.
type ChildTotals struct {
	Total      int64
	Registered int64
}
