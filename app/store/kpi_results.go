package store

import "context"

// KPIResultQueries keep each child's stored KPI results (schema 00009).
type KPIResultQueries interface {
	// UpsertKPIResult returns 0 rows when a newer version of the child was
	// scored already.
	UpsertKPIResult(ctx context.Context, arg UpsertKPIResultParams) (int64, error)
	// UpsertKPIResults is UpsertKPIResult for a batch, in one statement:
	// results is the JSON of []BulkKPIResult.
	UpsertKPIResults(ctx context.Context, results string) (int64, error)
	// GetKPIResult returns ErrNotFound for a child never scored.
	GetKPIResult(ctx context.Context, childID int64) (KpiResult, error)
	// DeleteKPIResult deletes the child's result. No error if none.
	DeleteKPIResult(ctx context.Context, childID int64) error
	// LockChildForScoring returns the child's version and, on PostgreSQL,
	// holds its row lock until the transaction ends (SQLite's write lock is
	// held already): the scorer's read and the completion of its job are
	// then one step for every write to the child.
	LockChildForScoring(ctx context.Context, id int64) (int64, error)
	// ListStaleKPIChildren lists the children the reconciliation rescores.
	ListStaleKPIChildren(ctx context.Context, arg ListStaleKPIChildrenParams) ([]int64, error)
}
