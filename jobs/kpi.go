package jobs

import (
	"context"
	"time"

	"clinaudit/app/cohort"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// ScoreKPIArgs rescores one child's KPIs. Every save that can change them
// inserts one, in the save's transaction; it is unique per child while one
// is waiting, so a burst of saves scores once.
type ScoreKPIArgs struct {
	ChildID int64 `json:"child_id"`
}

func (ScoreKPIArgs) Kind() string { return "kpi_score" }

// InsertOpts makes the job unique per child among jobs not yet finished.
// A job already running does not absorb a new save; the scorer checks for
// that itself (KPIScorer.ScoreChild stores the version it scored and
// rescores while the child moves on).
func (ScoreKPIArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// KPIScorer scores one child and stores the result.
type KPIScorer interface {
	ScoreChild(ctx context.Context, childID int64) error
}

type ScoreKPIWorker struct {
	river.WorkerDefaults[ScoreKPIArgs]
	Scorer KPIScorer
	// Aggregates, when set, gets a kpi_aggregate job AggregateDelay after
	// each child is scored (AggregateSoon), so dashboards catch up: of the
	// child's cohort only (the others did not change), or of every current
	// cohort when the child has none now (unregistered or opted out since:
	// the cohort it left changed). On SQLite a run holds the database, so
	// running one cohort rather than all keeps saves waiting less.
	Aggregates interface {
		JobInserter
		GetChild(ctx context.Context, id int64) (store.Child, error)
	}
}

func (w *ScoreKPIWorker) Work(ctx context.Context, job *river.Job[ScoreKPIArgs]) error {
	if err := w.Scorer.ScoreChild(ctx, job.Args.ChildID); err != nil || w.Aggregates == nil {
		return err
	}
	var c cohort.Cohort
	if child, err := w.Aggregates.GetChild(ctx, job.Args.ChildID); err == nil && child.Cohort != nil {
		c = cohort.Cohort(*child.Cohort)
	}
	return AggregateSoon(ctx, w.Aggregates, time.Now(), c)
}
