// Package scorequeue queues the rescoring of a child's KPIs: the one call
// every write that can change a child's score makes, in its transaction
// (answers, rows, demographics, registration, transfer, lock and unlock,
// opt-out, restore). The kpi_score job (jobs/kpi.go) does the scoring.
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
	"time"

	"clinaudit/app/store"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Args is the kpi_score job: rescore one child.
type Args struct {
	ChildID int64 `json:"child_id"`
}

func (Args) Kind() string { return "kpi_score" }

// InsertOpts makes the job unique per child among jobs not yet finished,
// running ones included (River requires it); see the package comment for
// why a running job absorbs no write.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// Timeout bounds one run of the job: scoring one child takes milliseconds
// (a few more waiting for SQLite's one writer), so a run still going after
// this is stuck, and is cancelled and retried rather than hold the child's
// queue. A run whose process died is retried once River's rescuer finds it
// (store.RescueStuckJobsAfter).
const Timeout = 10 * time.Second

// Later queues the rescoring of child id in tx, the transaction of the
// write that changed it. Call it once per write, after the change.
func Later(ctx context.Context, tx store.Tx, id int64) error {
	args := Args{ChildID: id}
	opts := args.InsertOpts()
	return tx.InsertJob(ctx, args, &opts)
}
