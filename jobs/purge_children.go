package jobs

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// PurgeChildrenArgs removes for good the children deleted more than 30 days
// ago (children.RestoreWindow), with every row that hangs off them. It runs
// daily; a child is purged by the first run after its restore window ends.
type PurgeChildrenArgs struct{}

func (PurgeChildrenArgs) Kind() string { return "children_purge" }

type PurgeChildrenWorker struct {
	river.WorkerDefaults[PurgeChildrenArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil is time.Now. Tests replace it.
	Now func() time.Time
}

// Timeout: a day's deletions, each with every row that hangs off the child.
func (w *PurgeChildrenWorker) Timeout(*river.Job[PurgeChildrenArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *PurgeChildrenWorker) Work(ctx context.Context, _ *river.Job[PurgeChildrenArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := children.PurgeDeleted(ctx, w.Store, now())
	if err != nil {
		return err
	}
	if n > 0 && w.Logger != nil {
		w.Logger.Info("purged deleted children", "children", n)
	}
	return nil
}
