package recordviews

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// PurgeWorker is the daily record_views_purge job: it deletes the log's
// rows older than Retention (Purge).
type PurgeWorker struct {
	river.WorkerDefaults[jobargs.PurgeRecordViewsArgs]
	Store     store.Store
	Retention time.Duration // 0 keeps every view
	Logger    *slog.Logger
	// Now is the clock; nil is time.Now. Tests replace it.
	Now func() time.Time
}

// Timeout: a day's views of the whole audit.
func (w *PurgeWorker) Timeout(*river.Job[jobargs.PurgeRecordViewsArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[jobargs.PurgeRecordViewsArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := Purge(ctx, w.Store, now(), w.Retention)
	if n > 0 && w.Logger != nil {
		w.Logger.Info("purged record views", "views", n)
	}
	return err
}
