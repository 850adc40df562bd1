package jobs

import (
	"context"
	"time"

	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// OptimizeArgs asks the database to refresh its query-planner statistics.
// SQLite only does this when told (PRAGMA optimize); PostgreSQL's autovacuum
// already does, so there it is a no-op.
type OptimizeArgs struct{}

func (OptimizeArgs) Kind() string { return "database_optimize" }

type OptimizeWorker struct {
	river.WorkerDefaults[OptimizeArgs]
	Store store.Store
}

// Timeout: PRAGMA optimize may analyse large tables.
func (w *OptimizeWorker) Timeout(*river.Job[OptimizeArgs]) time.Duration { return 5 * time.Minute }

func (w *OptimizeWorker) Work(ctx context.Context, _ *river.Job[OptimizeArgs]) error {
	return w.Store.Optimize(ctx)
}
