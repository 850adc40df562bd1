package answers

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// The KPI scoring jobs' workers; jobs/jobs.go registers and schedules
// them.

// ScoreTimeout bounds one run of the kpi_score job: scoring one child
// takes milliseconds (a few more waiting for SQLite's one writer), so a run
// still going after this is stuck, and is cancelled and retried rather than
// hold the child's queue. A run whose process died is retried once River's
// rescuer finds it (store.RescueStuckJobsAfter).
const ScoreTimeout = 10 * time.Second

// ScoreWorker is the kpi_score job (scorequeue.Later queues it).
type ScoreWorker struct {
	river.WorkerDefaults[jobargs.ScoreKPIArgs]
	Service *Service
	// AggregateAfter queues a kpi_aggregate job AggregateDelay after each
	// child is scored (jobargs.AggregateSoon), so dashboards catch up: of
	// the child's cohort only (the others did not change), or of every
	// current cohort when the child has none now (unregistered or opted out
	// since: the cohort it left changed). On SQLite a run holds the
	// database, so running one cohort rather than all keeps saves waiting
	// less. Off when automatic aggregation is (--aggregate-every 0).
	AggregateAfter bool
}

func (w *ScoreWorker) Timeout(*river.Job[jobargs.ScoreKPIArgs]) time.Duration { return ScoreTimeout }

// Work scores the child, takes it off the queue and marks the job
// completed in the scorer's transaction, so a save after the scorer's read
// is never absorbed by this job (scorequeue).
func (w *ScoreWorker) Work(ctx context.Context, job *river.Job[jobargs.ScoreKPIArgs]) error {
	complete := func(ctx context.Context, tx store.Tx) error {
		if err := scorequeue.Done(ctx, tx, job.Args.ChildID); err != nil {
			return err
		}
		return tx.CompleteJob(ctx, job.JobRow)
	}
	if err := w.Service.ScoreChildJob(ctx, job.Args.ChildID, complete); err != nil || !w.AggregateAfter {
		return err
	}
	var c int64
	if child, err := w.Service.Store.GetChild(ctx, job.Args.ChildID); err == nil && child.Cohort != nil {
		c = *child.Cohort
	}
	return jobargs.AggregateSoon(ctx, w.Service.Store, time.Now(), c)
}

// RecalculateWorker is the kpi_recalculate job (RequestRecalculation
// queues it); a retry resumes where the last attempt stopped.
type RecalculateWorker struct {
	river.WorkerDefaults[jobargs.RecalculateKPIsArgs]
	Service *Service
}

// Timeout: a national rescore takes seconds per hundred thousand children;
// River's default would cut a large one short. Ten minutes, not more: a
// run that died with its process is taken back only after it, and a
// retry resumes where the last attempt stopped.
func (w *RecalculateWorker) Timeout(*river.Job[jobargs.RecalculateKPIsArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *RecalculateWorker) Work(ctx context.Context, job *river.Job[jobargs.RecalculateKPIsArgs]) error {
	return w.Service.Recalculate(ctx, job.Args.RecalculationID)
}

// ReconcileWorker is the kpi_reconcile job: it rescores the stale children
// (Reconcile).
type ReconcileWorker struct {
	river.WorkerDefaults[jobargs.ReconcileKPIsArgs]
	Service *Service
	Logger  *slog.Logger
	// AggregateAfter queues an aggregation of every current cohort after a
	// run that rescored anyone.
	AggregateAfter bool
}

// Timeout: short, because a run that died with its process is taken back
// only once it has passed, and the run is unique while it runs (no other
// is queued meanwhile). Nothing is lost when it is cut short: each child
// is rescored in its own transaction, and the retry finds only those still
// stale. Time passing makes a few stale a day; a rule change makes every
// child stale, and is the kpi_recalculate job's.
func (w *ReconcileWorker) Timeout(*river.Job[jobargs.ReconcileKPIsArgs]) time.Duration {
	return time.Minute
}

func (w *ReconcileWorker) Work(ctx context.Context, _ *river.Job[jobargs.ReconcileKPIsArgs]) error {
	n, err := w.Service.Reconcile(ctx)
	if w.Logger != nil && n > 0 {
		w.Logger.InfoContext(ctx, "kpi results reconciled", "rescored", n)
	}
	if err != nil || n == 0 || !w.AggregateAfter {
		return err
	}
	return jobargs.AggregateNow(ctx, w.Service.Store, 0)
}

// LockReviewWorker is the children_lock_review job (ReviewLocks).
type LockReviewWorker struct {
	river.WorkerDefaults[jobargs.LockReviewArgs]
	Service *Service
	Logger  *slog.Logger
}

// Timeout: one pass over the locked records still to review.
func (w *LockReviewWorker) Timeout(*river.Job[jobargs.LockReviewArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *LockReviewWorker) Work(ctx context.Context, _ *river.Job[jobargs.LockReviewArgs]) error {
	n, err := w.Service.ReviewLocks(ctx)
	if n > 0 && w.Logger != nil {
		w.Logger.Info("unlocked records locked with their audit incomplete", "children", n)
	}
	return err
}
