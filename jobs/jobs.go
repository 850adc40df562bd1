// Package jobs holds clinaudit's background jobs: their River arguments (what
// the rest of the app inserts, inside the transaction of the change that
// causes them) and their workers. It imports store, never web.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/mail"

	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Deps is what the workers need.
type Deps struct {
	Store  store.Store
	Auth   *auth.Service
	Mail   mail.Sender // nil keeps email in the outbox
	Logger *slog.Logger
	// KPI scores children (the kpi_score job); nil leaves the job out.
	KPI KPIScorer
	// Exports writes record exports (the records_export job); nil leaves
	// the job out.
	Exports RecordExporter
	// AggregateAfterScoring queues an aggregation soon after children are
	// scored; off when automatic aggregation is (--aggregate-every 0).
	AggregateAfterScoring bool
	// RecordViewRetention is how long the record-view log is kept (0: for
	// ever).
	RecordViewRetention time.Duration
}

// Register adds every worker to workers.
func Register(workers *river.Workers, d Deps) {
	river.AddWorker(workers, &OptimizeWorker{Store: d.Store})
	river.AddWorker(workers, &EmailWorker{Store: d.Store, Sender: d.Mail, Logger: d.Logger})
	river.AddWorker(workers, &PurgeSessionsWorker{Auth: d.Auth})
	river.AddWorker(workers, &ResetRequestWorker{Auth: d.Auth})
	river.AddWorker(workers, &PurgeChildrenWorker{Store: d.Store, Logger: d.Logger})
	river.AddWorker(workers, &AggregateWorker{Store: d.Store, Logger: d.Logger})
	registerTrail(workers, d)
	if d.KPI != nil {
		w := &ScoreKPIWorker{Scorer: d.KPI}
		if d.AggregateAfterScoring {
			w.Aggregates = d.Store
		}
		river.AddWorker(workers, w)
	}
	if r, ok := d.KPI.(KPIRecalculator); ok {
		river.AddWorker(workers, &RecalculateKPIsWorker{Recalculator: r})
	}
	if r, ok := d.KPI.(KPIReconciler); ok {
		w := &ReconcileKPIsWorker{Reconciler: r, Logger: d.Logger}
		if d.AggregateAfterScoring {
			w.Aggregates = d.Store
		}
		river.AddWorker(workers, w)
	}
	river.AddWorker(workers, &PurgeExportsWorker{Store: d.Store, Logger: d.Logger})
	if d.Exports != nil {
		river.AddWorker(workers, &ExportRecordsWorker{Exporter: d.Exports})
	}
}

// Periodic lists the jobs River inserts on a schedule, but for the KPI
// aggregation, whose interval is a setting (AggregatePeriodic).
func Periodic() []*river.PeriodicJob {
	return append(trailPeriodic(),
		river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return OptimizeArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeSessionsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeChildrenArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeExportsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
	)
}

// PurgeSessionsArgs deletes sessions that have ended, so the table only
// holds live ones, and sign-in counts that have lapsed.
type PurgeSessionsArgs struct{}

func (PurgeSessionsArgs) Kind() string { return "sessions_purge" }

type PurgeSessionsWorker struct {
	river.WorkerDefaults[PurgeSessionsArgs]
	Auth *auth.Service
}

// Timeout: a few deletes, but of tables that grow between runs.
func (w *PurgeSessionsWorker) Timeout(*river.Job[PurgeSessionsArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *PurgeSessionsWorker) Work(ctx context.Context, _ *river.Job[PurgeSessionsArgs]) error {
	if _, err := w.Auth.PurgeExpiredSessions(ctx); err != nil {
		return err
	}
	_, err := w.Auth.PurgeStaleLimits(ctx)
	return err
}
