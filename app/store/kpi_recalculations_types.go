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

// ListAnswersOfChildrenRow is one child's answers: items joined by U+001E,
// each "section U+001F row_id U+001F field U+001F value".
type ListAnswersOfChildrenRow struct {
	ChildID    int64
	AnswerList string
}

type ListChildRowsOfChildrenParams struct {
	FirstID int64
	LastID  int64
}

// ListChildRowsOfChildrenRow is one child's rows: items joined by U+001E,
// each "id U+001F section", in no particular order.
type ListChildRowsOfChildrenRow struct {
	ChildID int64
	RowList string
}
