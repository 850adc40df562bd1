package aggregate

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/cohort"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Worker is the kpi_aggregate job (jobargs.AggregateArgs): it aggregates
// one cohort, or every current cohort.
type Worker struct {
	river.WorkerDefaults[jobargs.AggregateArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Timeout: a run of one cohort over 1,000,000 children takes under 2 s
// (docs/performance.md), so a minute is ample, and a run that died with
// its process is retried a minute or so later (River's rescuer waits for
// the kind's timeout before it takes a running job back).
func (w *Worker) Timeout(*river.Job[jobargs.AggregateArgs]) time.Duration { return time.Minute }

func (w *Worker) Work(ctx context.Context, job *river.Job[jobargs.AggregateArgs]) error {
	r := &Runner{Store: w.Store, Now: w.Now}
	var runs []store.KpiAggregateRun
	var err error
	if job.Args.Cohort != 0 {
		var run store.KpiAggregateRun
		if run, err = r.Run(ctx, cohort.Cohort(job.Args.Cohort)); err == nil {
			runs = append(runs, run)
		}
	} else {
		runs, err = r.RunCurrent(ctx)
	}
	if w.Logger != nil {
		for _, run := range runs {
			if run.FinishedAt != nil {
				w.Logger.Info("kpi aggregation", "cohort", run.Cohort, "run", run.ID, "children", run.Children,
					"ms", run.FinishedAt.Sub(run.StartedAt).Milliseconds())
			}
		}
	}
	return err
}
