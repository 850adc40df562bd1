// Package scorequeue queues the rescoring of a child's KPIs: the one call
// every write that can change a child's score makes, in its transaction
// (answers, rows, demographics, registration, transfer, lock and unlock,
// opt-out, restore). The kpi_score job (answers.ScoreWorker) does the
// scoring.
//
// Rescoring is coalesced but never lost. A child waiting to be rescored
// has one row in kpi_score_queue (schema 00040). The write that inserts
// the row inserts the kpi_score job too; a write that finds the row adds
// nothing, because the job queued with it has not read the child yet. So
// a burst of saves costs one small upsert each, not River's unique insert
// (a quarter of a SQLite save's CPU, issue 22). The job deletes the row in
// the transaction that reads, stores and marks it completed, which holds
// the child's lock (answers.ScoreChildJob), and every write takes that
// lock too. So a write either committed before the scorer read (and is
// scored), or waits for the scorer to commit, then finds no row and queues
// a new job.
//
// A row whose job has not scored the child within StaleAfter (the job
// lost, or still failing) is renewed by the next write, which queues
// another job; the daily reconciliation (kpi_reconcile) rescores whatever
// stays stale without a write.
package scorequeue

import (
	"context"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// StaleAfter is how long a queued row stands for its job: far beyond a
// run's timeout (answers.ScoreTimeout) and River's first retries.
const StaleAfter = time.Hour

// Later queues the rescoring of child id in tx, the transaction of the
// write that changed it. Call it once per write, after the change.
func Later(ctx context.Context, tx store.Tx, id int64) error {
	now := time.Now().UTC()
	n, err := tx.QueueChildScoring(ctx, store.QueueChildScoringParams{ChildID: id, QueuedAt: now, StaleAt: now.Add(StaleAfter)})
	if err != nil || n == 0 {
		return err
	}
	return tx.InsertJob(ctx, jobargs.ScoreKPIArgs{ChildID: id}, nil)
}

// Done is the kpi_score job's half, in the transaction that holds the
// child's lock and scores it: the child no longer waits.
func Done(ctx context.Context, tx store.Tx, id int64) error {
	return tx.DequeueChildScoring(ctx, id)
}
