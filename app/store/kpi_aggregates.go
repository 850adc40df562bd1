package store

import "context"

// KPIAggregateQueries compute and read the KPI aggregation (schema 00011,
// queries/shared/kpi_aggregates.sql). app/aggregate runs them: a run of a
// cohort counts outside any transaction and writes in one, and readers
// read the cohort's current run.
type KPIAggregateQueries interface {
	// LockKPIAggregateCohort takes the cohort's row, so runs of a cohort
	// queue, and returns its current run's id (nil: none yet).
	LockKPIAggregateCohort(ctx context.Context, cohort int64) (*int64, error)
	// InsertKPIAggregateRun records a run (complete or failed) and returns its
	// id.
	InsertKPIAggregateRun(ctx context.Context, arg InsertKPIAggregateRunParams) (int64, error)
	// CountKPIAggregates counts a cohort's children per organisation (the
	// one pass over the children). It only reads: run it outside a
	// transaction, where SQLite sends it to a reader connection.
	CountKPIAggregates(ctx context.Context, arg CountKPIAggregatesParams) ([]CountKPIAggregatesRow, error)
	// InsertKPIAggregateStaging stores one of those rows as a run's staged
	// counts, which the roll-ups sum.
	InsertKPIAggregateStaging(ctx context.Context, arg InsertKPIAggregateStagingParams) error
	// RollUpKPIAggregateEntities and RollUpKPIAggregates write every level
	// from the staged counts and return the rows written.
	RollUpKPIAggregateEntities(ctx context.Context, runID int64) (int64, error)
	// RollUpKPIAggregates writes every level's figures for the next few
	// measures the run has none for; call it until it returns 0.
	RollUpKPIAggregates(ctx context.Context, runID int64) (int64, error)
	// ClearKPIAggregateStaging deletes the run's staged counts.
	ClearKPIAggregateStaging(ctx context.Context, runID int64) error
	// FinishKPIAggregateRun marks a running run complete with its national
	// count; 0 rows when it is no longer running (abandoned).
	FinishKPIAggregateRun(ctx context.Context, arg FinishKPIAggregateRunParams) (int64, error)
	// SetCurrentKPIAggregateRun makes a run the one readers see for its
	// cohort. No error for an unknown cohort.
	SetCurrentKPIAggregateRun(ctx context.Context, arg SetCurrentKPIAggregateRunParams) error
	// AbandonKPIAggregateRunsBefore marks the cohort's runs older than
	// BeforeID that are still running (not the current one) failed, so
	// they never switch while DeleteKPIAggregateResultsBefore deletes them.
	AbandonKPIAggregateRunsBefore(ctx context.Context, arg AbandonKPIAggregateRunsBeforeParams) (int64, error)
	// DeleteKPIAggregateResultsBefore deletes the figures of measures
	// FirstMeasure to LastMeasure (positions) of the cohort's runs older
	// than BeforeID, except the current run and running ones.
	DeleteKPIAggregateResultsBefore(ctx context.Context, arg DeleteKPIAggregateResultsBeforeParams) (int64, error)
	// DeleteKPIAggregateRunsBefore deletes those runs, after their figures.
	DeleteKPIAggregateRunsBefore(ctx context.Context, arg DeleteKPIAggregateRunsBeforeParams) (int64, error)
	// DeleteKPIAggregateRunResults deletes the figures of measures
	// FirstMeasure to LastMeasure of one run that is still running.
	DeleteKPIAggregateRunResults(ctx context.Context, arg DeleteKPIAggregateRunResultsParams) (int64, error)
	// DeleteKPIAggregateRun deletes a running run, after its figures.
	DeleteKPIAggregateRun(ctx context.Context, id int64) (int64, error)
	// DeleteOldFailedKPIAggregateRuns keeps the cohort's ten latest failed runs.
	DeleteOldFailedKPIAggregateRuns(ctx context.Context, cohort int64) (int64, error)

	// GetCurrentKPIAggregateRun returns ErrNotFound when the cohort has
	// never been aggregated.
	GetCurrentKPIAggregateRun(ctx context.Context, cohort int64) (KpiAggregateRun, error)
	// ListCurrentKPIAggregateRuns is every cohort's current run, latest
	// cohort first.
	ListCurrentKPIAggregateRuns(ctx context.Context) ([]KpiAggregateRun, error)
	// ListKPIAggregateRuns is a cohort's recent runs, newest first.
	ListKPIAggregateRuns(ctx context.Context, arg ListKPIAggregateRunsParams) ([]KpiAggregateRun, error)
	// ListKPIAggregatesForOrganisation is a run's figures, every measure,
	// for each entity an organisation belongs to.
	ListKPIAggregatesForOrganisation(ctx context.Context, arg ListKPIAggregatesForOrganisationParams) ([]KPIAggregateRow, error)
	// ListKPIAggregatesForEntity is a run's figures for one entity, every
	// measure in the spec's order.
	ListKPIAggregatesForEntity(ctx context.Context, arg ListKPIAggregatesForEntityParams) ([]KPIAggregateRow, error)
	// ListKPIAggregatesForLevel is one measure for every entity of a level,
	// by name.
	ListKPIAggregatesForLevel(ctx context.Context, arg ListKPIAggregatesForLevelParams) ([]KPIAggregateRow, error)
	// ListKPIMeasureCodes is the measures' codes in the spec's order.
	ListKPIMeasureCodes(ctx context.Context) ([]string, error)
	// ListOrganisationLevels is every organisation's entities, by level.
	ListOrganisationLevels(ctx context.Context) ([]OrganisationLevel, error)
	// ListRegisteredCohorts is the cohorts with registered children, in
	// order.
	ListRegisteredCohorts(ctx context.Context) ([]int64, error)
}
