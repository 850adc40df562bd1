package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// ReconcileKPIsArgs finds the children whose stored KPI results are stale
// and rescores them: results missing, of an older version of the child or
// of the rules, or valid only until a date that has come (a birthday, the
// end of a first year of care, a deadline: package validity). It runs
// daily and at start-up, and when a national administrator asks on the
// KPI recalculation page. It repairs what the kpi_score job cannot know
// about (time passing) and anything a lost or failed job left behind.
type ReconcileKPIsArgs struct{}

func (ReconcileKPIsArgs) Kind() string { return "kpi_reconcile" }

// InsertOpts: one waiting or running reconciliation at a time.
func (ReconcileKPIsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// KPIReconciler rescores the stale children and says how many.
type KPIReconciler interface {
	Reconcile(ctx context.Context) (int, error)
}

type ReconcileKPIsWorker struct {
	river.WorkerDefaults[ReconcileKPIsArgs]
	Reconciler KPIReconciler
	Logger     *slog.Logger
	// Aggregates, when set, gets a kpi_aggregate job of every current
	// cohort after a run that rescored anyone.
	Aggregates JobInserter
}

// Timeout: short, because a run that died with its process is taken back
// only once it has passed, and the run is unique while it runs (no other
// is queued meanwhile). Nothing is lost when it is cut short: each child
// is rescored in its own transaction, and the retry finds only those still
// stale. Time passing makes a few stale a day; a rule change makes every
// child stale, and is the kpi_recalculate job's.
func (w *ReconcileKPIsWorker) Timeout(*river.Job[ReconcileKPIsArgs]) time.Duration {
	return time.Minute
}

func (w *ReconcileKPIsWorker) Work(ctx context.Context, _ *river.Job[ReconcileKPIsArgs]) error {
	n, err := w.Reconciler.Reconcile(ctx)
	if w.Logger != nil && n > 0 {
		w.Logger.InfoContext(ctx, "kpi results reconciled", "rescored", n)
	}
	if err != nil || n == 0 || w.Aggregates == nil {
		return err
	}
	return AggregateNow(ctx, w.Aggregates, 0)
}

// ReconcilePeriodic is the daily reconciliation, also run at start-up.
func ReconcilePeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return ReconcileKPIsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

// ReconcileNow queues a reconciliation at once (the recalculation page);
// asking again while one waits adds nothing.
func ReconcileNow(ctx context.Context, j JobInserter) error {
	return j.InsertJob(ctx, ReconcileKPIsArgs{}, nil)
}
