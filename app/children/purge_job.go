package children

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// NewPurgeWorker is the daily children_purge job: it removes for good the
// children deleted more than RestoreWindow ago (PurgeDeleted).
func NewPurgeWorker(st store.Store, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeChildrenArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeChildrenArgs]{
		Purge: func(ctx context.Context, now time.Time) (int64, error) { return PurgeDeleted(ctx, st, now) },
		// A day's deletions, each with every row that hangs off the child.
		Limit:   10 * time.Minute,
		Message: "purged deleted children", Key: "children",
		Logger: log,
	}
}
