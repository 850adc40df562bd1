package jobs

import (
	"context"
	"time"

	"clinaudit/app/cohort"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// ScoreKPIArgs rescores one child's KPIs; scorequeue.Later inserts it
// (what makes it coalesced but never lost is said there).
type ScoreKPIArgs = scorequeue.Args

// KPIScorer scores one child and stores the result, then calls done in
// the same transaction (answers.Service.ScoreChildJob).
type KPIScorer interface {
	ScoreChildJob(ctx context.Context, childID int64, done func(context.Context, store.Tx) error) error
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

// Timeout: a stuck run is cancelled and retried (scorequeue.Timeout).
func (w *ScoreKPIWorker) Timeout(*river.Job[ScoreKPIArgs]) time.Duration { return scorequeue.Timeout }

// Work scores the child and marks the job completed in the scorer's
// transaction, so a save after the scorer's read is never absorbed by this
// job (scorequeue).
func (w *ScoreKPIWorker) Work(ctx context.Context, job *river.Job[ScoreKPIArgs]) error {
	complete := func(ctx context.Context, tx store.Tx) error { return tx.CompleteJob(ctx, job.JobRow) }
	if err := w.Scorer.ScoreChildJob(ctx, job.Args.ChildID, complete); err != nil || w.Aggregates == nil {
		return err
	}
	var c cohort.Cohort
	if child, err := w.Aggregates.GetChild(ctx, job.Args.ChildID); err == nil && child.Cohort != nil {
		c = cohort.Cohort(*child.Cohort)
	}
	return AggregateSoon(ctx, w.Aggregates, time.Now(), c)
}
