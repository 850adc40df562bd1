package store

import "context"

// KPIAggregateQueries compute and read the KPI aggregation (schema 00011,
// queries/shared/kpi_aggregates.sql). app/aggregate runs them: a run of a
// cohort is one transaction, and readers read the cohort's current run.
type KPIAggregateQueries interface {
	// LockKPIAggregateCohort takes the cohort's row, so runs of a cohort
	// queue, and returns its current run's id (nil: none yet).
	LockKPIAggregateCohort(ctx context.Context, cohort int64) (*int64, error)
	InsertKPIAggregateRun(ctx context.Context, arg InsertKPIAggregateRunParams) (int64, error)
	// StageKPIAggregates counts the run's cohort per organisation (the one
	// pass over the children) and returns the rows staged.
	StageKPIAggregates(ctx context.Context, runID int64) (int64, error)
	// RollUpKPIAggregateEntities and RollUpKPIAggregates write every level
	// from the staged counts and return the rows written.
	RollUpKPIAggregateEntities(ctx context.Context, runID int64) (int64, error)
	RollUpKPIAggregates(ctx context.Context, runID int64) (int64, error)
	ClearKPIAggregateStaging(ctx context.Context, runID int64) error
	FinishKPIAggregateRun(ctx context.Context, arg FinishKPIAggregateRunParams) error
	SetCurrentKPIAggregateRun(ctx context.Context, arg SetCurrentKPIAggregateRunParams) error
	// DeleteKPIAggregateResultsBefore, then DeleteKPIAggregateRunsBefore,
	// delete the cohort's runs older than BeforeID with their figures.
	DeleteKPIAggregateResultsBefore(ctx context.Context, arg DeleteKPIAggregateResultsBeforeParams) (int64, error)
	DeleteKPIAggregateRunsBefore(ctx context.Context, arg DeleteKPIAggregateRunsBeforeParams) (int64, error)
	// DeleteOldFailedKPIAggregateRuns keeps the cohort's ten latest failed runs.
	DeleteOldFailedKPIAggregateRuns(ctx context.Context, cohort int64) (int64, error)

	// GetCurrentKPIAggregateRun returns ErrNotFound when the cohort has
	// never been aggregated.
	GetCurrentKPIAggregateRun(ctx context.Context, cohort int64) (KpiAggregateRun, error)
	ListCurrentKPIAggregateRuns(ctx context.Context) ([]KpiAggregateRun, error)
	ListKPIAggregateRuns(ctx context.Context, arg ListKPIAggregateRunsParams) ([]KpiAggregateRun, error)
	ListKPIAggregatesForOrganisation(ctx context.Context, arg ListKPIAggregatesForOrganisationParams) ([]KPIAggregateRow, error)
	ListKPIAggregatesForEntity(ctx context.Context, arg ListKPIAggregatesForEntityParams) ([]KPIAggregateRow, error)
	ListKPIAggregatesForLevel(ctx context.Context, arg ListKPIAggregatesForLevelParams) ([]KPIAggregateRow, error)
	ListKPIMeasureCodes(ctx context.Context) ([]string, error)
	ListOrganisationLevels(ctx context.Context) ([]OrganisationLevel, error)
	ListRegisteredCohorts(ctx context.Context) ([]int64, error)
}
