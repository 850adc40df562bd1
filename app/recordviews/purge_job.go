package recordviews

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// NewPurgeWorker is the daily record_views_purge job: it deletes the log's
// rows older than retention (Purge); 0 keeps every view.
func NewPurgeWorker(st store.Store, retention time.Duration, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeRecordViewsArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeRecordViewsArgs]{
		Purge: func(ctx context.Context, now time.Time) (int64, error) { return Purge(ctx, st, now, retention) },
		// A day's views of the whole audit.
		Limit:   10 * time.Minute,
		Message: "purged record views", Key: "views",
		Logger: log,
	}
}
