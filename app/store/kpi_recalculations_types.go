package store

import "time"

// KPI recalculation types; they mirror the sqlc rows and params field for
// field (see types.go).

type InsertKPIRecalculationParams struct {
	RulesVersion string
	RequestedBy  *int64
	RequestedAt  time.Time
}

type KpiRecalculation struct {
	ID           int64
	RulesVersion string
	RequestedBy  *int64
	RequestedAt  time.Time
	StartedAt    *time.Time
	FinishedAt   *time.Time
	Total        int64
	Done         int64
	LastChildID  int64
	Error        string
}

type ListKPIRecalculationsRow struct {
	ID              int64
	RulesVersion    string
	RequestedBy     *int64
	RequestedAt     time.Time
	StartedAt       *time.Time
	FinishedAt      *time.Time
	Total           int64
	Done            int64
	LastChildID     int64
	Error           string
	RequestedByName string
}

type StartKPIRecalculationParams struct {
	StartedAt *time.Time
	Total     int64
	ID        int64
}

type ProgressKPIRecalculationParams struct {
	Done        int64
	LastChildID int64
	ID          int64
}

type FinishKPIRecalculationParams struct {
	FinishedAt *time.Time
	Error      string
	ID         int64
}

type FailKPIRecalculationParams struct {
	Error string
	ID    int64
}

type ListChildrenToScoreParams struct {
	AfterID int64
	MaxRows int64
}

type ListAnswersOfChildrenParams struct {
	FirstID int64
	LastID  int64
}

type ListAnswersOfChildrenRow struct {
	ChildID int64
	Section string
	RowID   int64
	Field   string
	Value   string
}

type ListChildRowsOfChildrenParams struct {
	FirstID int64
	LastID  int64
}

type ListChildRowsOfChildrenRow struct {
	ChildID int64
	ID      int64
	Section string
}
