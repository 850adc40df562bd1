package store

import "context"

// KPIRecalculationQueries keep the bulk recalculations (schema 00010) and
// read children, answers and rows a batch at a time for them.
type KPIRecalculationQueries interface {
	// InsertKPIRecalculation requests a recalculation and returns its id.
	InsertKPIRecalculation(ctx context.Context, arg InsertKPIRecalculationParams) (int64, error)
	// GetKPIRecalculation returns ErrNotFound for an unknown id.
	GetKPIRecalculation(ctx context.Context, id int64) (KpiRecalculation, error)
	// ListKPIRecalculations is the latest recalculations, newest first,
	// with who asked.
	ListKPIRecalculations(ctx context.Context, maxRows int64) ([]ListKPIRecalculationsRow, error)
	// StartKPIRecalculation sets the total and clears the error; the
	// start time is kept from a first start.
	StartKPIRecalculation(ctx context.Context, arg StartKPIRecalculationParams) error
	// ProgressKPIRecalculation records how far a recalculation got.
	ProgressKPIRecalculation(ctx context.Context, arg ProgressKPIRecalculationParams) error
	// FinishKPIRecalculation marks it finished (Error "" when it succeeded).
	FinishKPIRecalculation(ctx context.Context, arg FinishKPIRecalculationParams) error
	// FailKPIRecalculation records an error without finishing (it retries).
	FailKPIRecalculation(ctx context.Context, arg FailKPIRecalculationParams) error
	// CountChildrenToScore counts the children not deleted.
	CountChildrenToScore(ctx context.Context) (int64, error)
	// ListChildrenToScore is the next batch of children after afterID, in
	// id order, deleted ones left out.
	ListChildrenToScore(ctx context.Context, arg ListChildrenToScoreParams) ([]Child, error)
	// ListAnswersOfChildren and ListChildRowsOfChildren read every answer
	// and row of the children with ids from first to last, by child.
	ListAnswersOfChildren(ctx context.Context, arg ListAnswersOfChildrenParams) ([]ListAnswersOfChildrenRow, error)
	// ListChildRowsOfChildren reads their rows.
	ListChildRowsOfChildren(ctx context.Context, arg ListChildRowsOfChildrenParams) ([]ListChildRowsOfChildrenRow, error)
}
