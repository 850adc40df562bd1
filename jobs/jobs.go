// Package jobs holds clinaudit's background jobs: their River arguments (what
// the rest of the app inserts, inside the transaction of the change that
// causes them) and their workers. It imports store, never web.
package jobs

import (
	"time"

	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Register adds every worker to workers.
func Register(workers *river.Workers, s store.Store) {
	river.AddWorker(workers, &OptimizeWorker{Store: s})
}

// Periodic lists the jobs River inserts on a schedule.
func Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return OptimizeArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
}
