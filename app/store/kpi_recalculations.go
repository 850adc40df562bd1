package store

import "context"

// KPIRecalculationQueries keep the bulk recalculations (schema 00010) and
// read children, answers and rows a batch at a time for them.
type KPIRecalculationQueries interface {
	InsertKPIRecalculation(ctx context.Context, arg InsertKPIRecalculationParams) (int64, error)
	GetKPIRecalculation(ctx context.Context, id int64) (KpiRecalculation, error)
	ListKPIRecalculations(ctx context.Context, maxRows int64) ([]ListKPIRecalculationsRow, error)
	StartKPIRecalculation(ctx context.Context, arg StartKPIRecalculationParams) error
	ProgressKPIRecalculation(ctx context.Context, arg ProgressKPIRecalculationParams) error
	FinishKPIRecalculation(ctx context.Context, arg FinishKPIRecalculationParams) error
	FailKPIRecalculation(ctx context.Context, arg FailKPIRecalculationParams) error
	CountChildrenToScore(ctx context.Context) (int64, error)
	// ListChildrenToScore is the next batch of children after afterID, in
	// id order, deleted ones left out.
	ListChildrenToScore(ctx context.Context, arg ListChildrenToScoreParams) ([]Child, error)
	// ListAnswersOfChildren and ListChildRowsOfChildren read every answer
	// and row of the children with ids from first to last, by child.
	ListAnswersOfChildren(ctx context.Context, arg ListAnswersOfChildrenParams) ([]ListAnswersOfChildrenRow, error)
	ListChildRowsOfChildren(ctx context.Context, arg ListChildRowsOfChildrenParams) ([]ListChildRowsOfChildrenRow, error)
}
