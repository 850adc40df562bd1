package store

import "time"

// KPI aggregation types; they mirror the sqlc rows and params field for
// field (see types.go).

type InsertKPIAggregateRunParams struct {
	Cohort                int64
	Status                string
	AsOf                  Date
	LastAssessmentCounted Date
	StartedAt             time.Time
	ComputedAt            time.Time
	FinishedAt            *time.Time
	Error                 string
}

type FinishKPIAggregateRunParams struct {
	FinishedAt *time.Time
	ID         int64
}

type SetCurrentKPIAggregateRunParams struct {
	RunID  int64
	Cohort int64
}

type DeleteKPIAggregateResultsBeforeParams struct {
	Cohort   int64
	BeforeID int64
}

type DeleteKPIAggregateRunsBeforeParams struct {
	Cohort   int64
	BeforeID int64
}

type ListKPIAggregateRunsParams struct {
	Cohort  int64
	MaxRuns int64
}

type ListKPIAggregatesForOrganisationParams struct {
	RunID          int64
	OrganisationID int64
}

type ListKPIAggregatesForEntityParams struct {
	RunID  int64
	Level  string
	Entity string
}

type ListKPIAggregatesForLevelParams struct {
	RunID   int64
	Level   string
	Measure string
}

// KpiAggregateRun is one aggregation of a cohort (Status "complete" or
// "failed").
type KpiAggregateRun struct {
	ID                    int64
	Cohort                int64
	Status                string
	AsOf                  Date
	LastAssessmentCounted Date
	StartedAt             time.Time
	ComputedAt            time.Time
	FinishedAt            *time.Time
	Children              int64
	Error                 string
}

// KPIAggregateRow is one entity's figures for one measure: the entity's
// children (registered, complete, counted) and the four counts of spec
// 8.3. The three ListKPIAggregatesFor* queries all return it.
type KPIAggregateRow struct {
	Level         string
	Entity        string
	Name          string
	Registered    int64
	Complete      int64
	Counted       int64
	Measure       string
	Passed        int64
	TotalEligible int64
	Ineligible    int64
	Incomplete    int64
}

// OrganisationLevel is one entity an organisation belongs to.
type OrganisationLevel struct {
	OrganisationID int64
	Level          string
	Entity         string
	Name           string
}
