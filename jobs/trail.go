package jobs

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/recordviews"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// PurgeRecordViewsArgs deletes the record-view log's rows older than
// --record-view-retention. It runs daily and at start-up.
type PurgeRecordViewsArgs struct{}

func (PurgeRecordViewsArgs) Kind() string { return "record_views_purge" }

type PurgeRecordViewsWorker struct {
	river.WorkerDefaults[PurgeRecordViewsArgs]
	Store     store.Store
	Retention time.Duration // 0 keeps every view
	Logger    *slog.Logger
	// Now is the clock; nil is time.Now. Tests replace it.
	Now func() time.Time
}

// Timeout: a day's views of the whole audit.
func (w *PurgeRecordViewsWorker) Timeout(*river.Job[PurgeRecordViewsArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *PurgeRecordViewsWorker) Work(ctx context.Context, _ *river.Job[PurgeRecordViewsArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := recordviews.Purge(ctx, w.Store, now(), w.Retention)
	if n > 0 && w.Logger != nil {
		w.Logger.Info("purged record views", "views", n)
	}
	return err
}

// LockReviewArgs is the one-off review of records locked before locking
// needed a complete audit (schema 00019): it unlocks those still
// incomplete, with a trail entry. Its queue empties on the first run, so
// later daily runs read one empty table.
type LockReviewArgs struct{}

func (LockReviewArgs) Kind() string { return "children_lock_review" }

// LockReviewer is what the review needs (answers.Service).
type LockReviewer interface {
	ReviewLocks(ctx context.Context) (int, error)
}

type LockReviewWorker struct {
	river.WorkerDefaults[LockReviewArgs]
	Reviewer LockReviewer // nil: nothing to review with
	Logger   *slog.Logger
}

// Timeout: one pass over the locked records still to review.
func (w *LockReviewWorker) Timeout(*river.Job[LockReviewArgs]) time.Duration { return 10 * time.Minute }

func (w *LockReviewWorker) Work(ctx context.Context, _ *river.Job[LockReviewArgs]) error {
	if w.Reviewer == nil {
		return nil
	}
	n, err := w.Reviewer.ReviewLocks(ctx)
	if n > 0 && w.Logger != nil {
		w.Logger.Info("unlocked records locked with their audit incomplete", "children", n)
	}
	return err
}

// registerTrail adds the workers of the child's trail and the record-view
// log.
func registerTrail(workers *river.Workers, d Deps) {
	river.AddWorker(workers, &PurgeRecordViewsWorker{Store: d.Store, Retention: d.RecordViewRetention, Logger: d.Logger})
	r, _ := d.KPI.(LockReviewer)
	river.AddWorker(workers, &LockReviewWorker{Reviewer: r, Logger: d.Logger})
}

// trailPeriodic are their schedules: daily, and at start-up.
func trailPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeRecordViewsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return LockReviewArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
}
