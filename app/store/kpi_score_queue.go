package store

import "context"

// KPIScoreQueueQueries keep the children waiting to be rescored (schema
// 00040; app/scorequeue says how the row and the kpi_score job go
// together).
type KPIScoreQueueQueries interface {
	// QueueChildScoring records that the child waits to be rescored: 1 when
	// it did not wait yet, or its row was stale and is renewed (the caller
	// queues the job), 0 when a job is queued already.
	QueueChildScoring(ctx context.Context, arg QueueChildScoringParams) (int64, error)
	// DequeueChildScoring removes the child's row; no error if none.
	DequeueChildScoring(ctx context.Context, childID int64) error
	// CountChildrenQueuedForScoring counts the children waiting.
	CountChildrenQueuedForScoring(ctx context.Context) (int64, error)
}
