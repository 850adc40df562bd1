package store

import "time"

// Publication types; they mirror the sqlc rows and params field for field
// (see types.go).

type InsertKPIPublicationParams struct {
	Cohort      int64
	RunID       int64
	AsOf        Date
	ComputedAt  time.Time
	Children    int64
	PublishedAt time.Time
	PublishedBy *int64
}

type CopyKPIPublicationEntitiesParams struct {
	PublicationID int64
	RunID         int64
}

type CopyKPIPublicationResultsParams struct {
	PublicationID int64
	RunID         int64
}

type ListKPIPublicationsParams struct {
	Cohort  int64
	MaxRows int64
}

// KPIPublication is one published snapshot of a cohort: the run it copied
// (RunID, AsOf, ComputedAt, Children counted nationally), when and by whom
// (PublishedByName is empty once the account is deleted).
type KPIPublication struct {
	ID              int64
	Cohort          int64
	RunID           int64
	AsOf            Date
	ComputedAt      time.Time
	Children        int64
	PublishedAt     time.Time
	PublishedBy     *int64
	PublishedByName string
}

// PublishedOrganisation is an organisation in a cohort's latest
// publication.
type PublishedOrganisation struct {
	ODSCode string
	Name    string
}

type ListKPIPublishedForOrganisationParams struct {
	PublicationID  int64
	OrganisationID int64
}

type ListKPIAggregatesOfLevelParams struct {
	RunID int64
	Level string
}
