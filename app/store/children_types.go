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

// ChildListParams are the filters and page of the case list in every
// organisation, sorted by one column (ChildListQueries). Empty strings and
// zeros leave a filter off; OptedOut "" leaves opted-out children out,
// "yes" lists only them, "all" both. With Searching, only the children a
// search matches, as in CountChildrenMatchingParams.
type ChildListParams struct {
	Searching      bool
	NameFrom       string
	NameTo         string
	NumberFrom     string
	NumberTo       string
	AuditIDFrom    string
	AuditIDTo      string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
	PageOffset     int64
	PageLimit      int64
}

// ChildListInScopeParams are ChildListParams within one scope: the
// scope_code of the children wanted (their lead organisation's trust or
// health board).
type ChildListInScopeParams struct {
	Scope          string
	Searching      bool
	NameFrom       string
	NameTo         string
	NumberFrom     string
	NumberTo       string
	AuditIDFrom    string
	AuditIDTo      string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
	PageOffset     int64
	PageLimit      int64
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
	AuditProgress         *int64
	LockedAt              *time.Time
}

// CountChildrenMatchingParams are a search of the case list: the children
// whose name_key or first_name_key is in [NameFrom, NameTo), whose
// number_key is in [NumberFrom, NumberTo) or whose audit ID is in
// [AuditIDFrom, AuditIDTo] (empty bounds match nothing), within Scope ("":
// every organisation), filtered as ChildListParams.
type CountChildrenMatchingParams struct {
	NameFrom       string
	NameTo         string
	Scope          string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
	NumberFrom     string
	NumberTo       string
	AuditIDFrom    string
	AuditIDTo      string
}

// ListChildrenMatchingByNameParams are a page of a search sorted by name.
type ListChildrenMatchingByNameParams struct {
	PageOffset     int64
	PageLimit      int64
	NameFrom       string
	NameTo         string
	Scope          string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
	NumberFrom     string
	NumberTo       string
	AuditIDFrom    string
	AuditIDTo      string
}

// ListChildrenMatchingParams are a page of a search sorted by SortColumn.
type ListChildrenMatchingParams struct {
	Descending     bool
	SortColumn     string
	NameFrom       string
	NameTo         string
	Scope          string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
	NumberFrom     string
	NumberTo       string
	AuditIDFrom    string
	AuditIDTo      string
	PageOffset     int64
	PageLimit      int64
}

// CountChildrenParams count the case list without a search.
type CountChildrenParams struct {
	Scope          string
	OrganisationID int64
	Cohort         int64
	Registered     string
	Locked         string
	OptedOut       string
}

// ChildTotalsParams: every child in Scope ("": every organisation), or of
// one organisation when OrganisationID is not 0.
type ChildTotalsParams struct {
	Scope          string
	OrganisationID int64
}

// ChildTotals counts the children in scope and those registered.
type ChildTotals struct {
	Total      int64
	Registered int64
}
