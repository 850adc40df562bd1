package store

import (
	"context"
	"time"

	"clinaudit/app/jobargs"

	"github.com/riverqueue/river"
)

// OptimizeWorker is the database_optimize job: it asks the database to
// refresh its query-planner statistics. SQLite only does this when told
// (PRAGMA optimize); PostgreSQL's autovacuum already does, so there it is a
// no-op.
type OptimizeWorker struct {
	river.WorkerDefaults[jobargs.OptimizeArgs]
	Store Store
}

// Timeout: PRAGMA optimize may analyse large tables.
func (w *OptimizeWorker) Timeout(*river.Job[jobargs.OptimizeArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *OptimizeWorker) Work(ctx context.Context, _ *river.Job[jobargs.OptimizeArgs]) error {
	return w.Store.Optimize(ctx)
}
