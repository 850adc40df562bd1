package store

import "context"

// KPIPublicationQueries publish cohorts' KPI figures and read what was
// published (schema 00012, queries/shared/kpi_publications.sql).
// app/publish runs them: a publication copies a run's figures in one
// transaction, and the public pages read only publications.
type KPIPublicationQueries interface {
	// InsertKPIPublication records a publication of a run and returns its
	// id.
	InsertKPIPublication(ctx context.Context, arg InsertKPIPublicationParams) (int64, error)
	// CopyKPIPublicationEntities and CopyKPIPublicationResults copy a
	// run's figures into a publication and return the rows copied.
	CopyKPIPublicationEntities(ctx context.Context, arg CopyKPIPublicationEntitiesParams) (int64, error)
	// CopyKPIPublicationResults copies the run's figures per measure.
	CopyKPIPublicationResults(ctx context.Context, arg CopyKPIPublicationResultsParams) (int64, error)
	// ListKPIPublications is a cohort's publications, newest first.
	ListKPIPublications(ctx context.Context, arg ListKPIPublicationsParams) ([]KPIPublication, error)
	// ListLatestKPIPublications is the latest publication of every
	// cohort that has one, latest cohort first.
	ListLatestKPIPublications(ctx context.Context) ([]KPIPublication, error)
	// ListPublishedOrganisations is the organisations in any cohort's
	// latest publication, by name.
	ListPublishedOrganisations(ctx context.Context) ([]PublishedOrganisation, error)
	// ListKPIPublishedForOrganisation is a publication's figures for each
	// entity an organisation belongs to, every measure.
	ListKPIPublishedForOrganisation(ctx context.Context, arg ListKPIPublishedForOrganisationParams) ([]KPIAggregateRow, error)
	// ListKPIPublished is every entity of every level in a publication,
	// every measure (the public pages' small-number suppression).
	ListKPIPublished(ctx context.Context, publicationID int64) ([]KPIAggregateRow, error)
	// ListKPIAggregatesOfLevel is every entity of a level in a run, every
	// measure (the KPI download).
	ListKPIAggregatesOfLevel(ctx context.Context, arg ListKPIAggregatesOfLevelParams) ([]KPIAggregateRow, error)
}
