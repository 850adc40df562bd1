package jobs

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/cohort"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The KPI aggregation (app/aggregate, docs/aggregation.md) runs as the
// kpi_aggregate job: on a schedule (AggregatePeriodic, the
// --aggregate-every setting), AggregateDelay after children are scored
// (AggregateSoon, from the kpi_score worker), and when an administrator
// asks (AggregateNow).

// DefaultAggregateEvery is the periodic run's default interval.
const DefaultAggregateEvery = 10 * time.Minute

// AggregateDelay is how long after a child is scored its cohort's figures
// are recomputed: a burst of saves within it makes one run.
const AggregateDelay = 30 * time.Second

// AggregateArgs aggregates one cohort, or every current cohort
// (aggregate.CurrentCohorts) when Cohort is 0.
type AggregateArgs struct {
	Cohort int64 `json:"cohort,omitempty"`
}

func (AggregateArgs) Kind() string { return "kpi_aggregate" }

// InsertOpts makes the job unique per cohort argument and AggregateDelay
// window of its scheduled time, among jobs not yet finished: saves within
// one window queue one run, and a save during a run (whose window has
// passed) queues the next. A run that fails is retried twice; the next
// periodic run comes anyway.
func (AggregateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: AggregateDelay,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// JobInserter inserts a job on its own; a store.Store is one.
type JobInserter interface {
	InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// AggregateSoon queues an aggregation of cohort c (0: every current
// cohort) for AggregateDelay after now, unless one is queued for then
// already.
func AggregateSoon(ctx context.Context, j JobInserter, now time.Time, c cohort.Cohort) error {
	return j.InsertJob(ctx, AggregateArgs{Cohort: int64(c)}, &river.InsertOpts{ScheduledAt: now.Add(AggregateDelay)})
}

// AggregateNow queues an aggregation of cohort c (0: every current cohort)
// to run at once, for an administrator's "recompute now"; asking again
// before it has run adds nothing. The figures change when the job commits:
// aggregate.Current's ComputedAt says when.
func AggregateNow(ctx context.Context, j JobInserter, c cohort.Cohort) error {
	return j.InsertJob(ctx, AggregateArgs{Cohort: int64(c)}, nil)
}

// AggregatePeriodic is the periodic aggregation of every current cohort,
// every interval and at start-up; none when every is 0.
func AggregatePeriodic(every time.Duration) []*river.PeriodicJob {
	if every <= 0 {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return AggregateArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

type AggregateWorker struct {
	river.WorkerDefaults[AggregateArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Timeout: a run of one cohort over 1,000,000 children takes under 2 s
// (docs/performance.md), so a minute is ample, and a run that died with
// its process is retried a minute or so later (River's rescuer waits for
// the kind's timeout before it takes a running job back).
func (w *AggregateWorker) Timeout(*river.Job[AggregateArgs]) time.Duration { return time.Minute }

func (w *AggregateWorker) Work(ctx context.Context, job *river.Job[AggregateArgs]) error {
	r := &aggregate.Runner{Store: w.Store, Now: w.Now}
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
