package children

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// PurgeWorker is the daily children_purge job: it removes for good the
// children deleted more than RestoreWindow ago (PurgeDeleted).
type PurgeWorker struct {
	river.WorkerDefaults[jobargs.PurgeChildrenArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil is time.Now. Tests replace it.
	Now func() time.Time
}

// Timeout: a day's deletions, each with every row that hangs off the child.
func (w *PurgeWorker) Timeout(*river.Job[jobargs.PurgeChildrenArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[jobargs.PurgeChildrenArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := PurgeDeleted(ctx, w.Store, now())
	if err != nil {
		return err
	}
	if n > 0 && w.Logger != nil {
		w.Logger.Info("purged deleted children", "children", n)
	}
	return nil
}
