package api

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// NewPurgeWorker is the hourly api_idempotency_purge job: the first
// responses kept for retries, once their IdempotencyTTL is over, and the
// tokens issued to OAuth clients, once expired.
func NewPurgeWorker(st store.Store, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeAPIIdempotencyArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeAPIIdempotencyArgs]{
		Purge: func(ctx context.Context, now time.Time) (int64, error) {
			return st.DeleteExpiredAPIIdempotency(ctx, now)
		},
		Limit:   5 * time.Minute,
		Message: "purged expired API idempotency keys and client tokens", Key: "rows",
		Logger: log,
	}
}
