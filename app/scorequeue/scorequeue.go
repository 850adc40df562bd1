// Package scorequeue queues the rescoring of a child's KPIs: the one call
// every write that can change a child's score makes, in its transaction
// (answers, rows, demographics, registration, transfer, lock and unlock,
// opt-out, restore). The kpi_score job (answers.ScoreWorker) does the
// scoring.
//
// Rescoring is coalesced but never lost. The job is unique per child while
// it waits or runs, so a burst of writes queues one job. A write that lands
// while the job runs is not lost either: the scorer reads, stores and marks
// its job completed in one transaction that holds the child's lock
// (answers.ScoreChild), and every write takes that lock too. So a write
// either committed before the scorer read (and is scored), or waits for
// the job to be completed, and then its own insert finds no job to join
// and queues a new one.
package scorequeue

import (
	"context"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// Later queues the rescoring of child id in tx, the transaction of the
// write that changed it. Call it once per write, after the change.
func Later(ctx context.Context, tx store.Tx, id int64) error {
	args := jobargs.ScoreKPIArgs{ChildID: id}
	opts := args.InsertOpts()
	return tx.InsertJob(ctx, args, &opts)
}
