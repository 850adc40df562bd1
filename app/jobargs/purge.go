package jobargs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// PurgeWorker is the worker of a job that deletes what is due at the run's
// time (children past their restore window, old record views, expired
// exports): the domains differ only in what Purge deletes, so they share
// this and build it beside their domain (children.NewPurgeWorker).
type PurgeWorker[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	// Purge deletes what is due at now and returns how many rows went.
	Purge func(ctx context.Context, now time.Time) (int64, error)
	// Limit is the run's timeout.
	Limit time.Duration
	// Message and Key are the log line of a run that deleted any: Message,
	// with the count under Key.
	Message, Key string
	Logger       *slog.Logger
	// Now is the clock; nil is time.Now. Tests replace it.
	Now func() time.Time
}

func (w *PurgeWorker[A]) Timeout(*river.Job[A]) time.Duration { return w.Limit }

// Work logs nothing on error: a failed purge may count rows its
// rolled-back transaction kept.
func (w *PurgeWorker[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := w.Purge(ctx, now())
	if err == nil && n > 0 && w.Logger != nil {
		w.Logger.Info(w.Message, w.Key, n)
	}
	return err
}
