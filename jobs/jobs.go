// Package jobs is the job system's one registry: every background job
// clinaudit runs, its worker and, for the periodic ones, its schedule.
// Workers live beside their domain and arguments in app/jobargs; only cli
// imports this package, so no domain package depends on the list of all
// jobs.
package jobs

import (
	"log/slog"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/answers"
	"clinaudit/app/api"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/export"
	"clinaudit/app/files"
	"clinaudit/app/jobargs"
	"clinaudit/app/outbox"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/recordviews"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/riverqueue/river"
)

// Adding a background job: its arguments in app/jobargs (with whatever
// queues it), its worker beside its domain, and one line in All (two
// if it runs on a schedule).

// Deps is what the workers need.
type Deps struct {
	Store   store.Store
	Auth    *auth.Service
	Answers *answers.Service
	// Email and SMS are the providers of each channel
	// (docs/notifications.md); nil keeps that channel's messages in the
	// outbox.
	Email outbox.Provider
	SMS   outbox.Provider
	// BaseURL starts the links in messages (--base-url).
	BaseURL string
	Logger  *slog.Logger
	// AggregateEvery is the periodic KPI aggregation's interval
	// (--aggregate-every); 0 turns automatic aggregation off, the runs
	// after scoring included.
	AggregateEvery time.Duration
	// RecordViewRetention is how long the record-view log is kept (0: for
	// ever).
	RecordViewRetention time.Duration
	// Files reads uploaded genetic reports and purges deleted files.
	Files *files.Service
}

// Set is every worker and every periodic job.
type Set struct {
	workers  *river.Workers
	kinds    []string // of the workers, for the test that none is missing
	periodic []periodicJob
}

// periodicJob inserts args every interval, and at start-up (on the leader:
// one process of many).
type periodicJob struct {
	every time.Duration
	args  river.JobArgs
}

// All lists every job clinaudit runs: its worker, and for the periodic
// ones, their schedule.
func All(d Deps) *Set {
	j := &Set{workers: river.NewWorkers()}
	log, s := d.Logger, d.Store
	afterScoring := d.AggregateEvery > 0

	add(j, &answers.ScoreWorker{Service: d.Answers, AggregateAfter: afterScoring})
	add(j, &answers.RecalculateWorker{Service: d.Answers})
	add(j, &answers.ReconcileWorker{Service: d.Answers, Logger: log, AggregateAfter: afterScoring})
	add(j, &answers.LockReviewWorker{Service: d.Answers, Logger: log})
	add(j, &aggregate.Worker{Store: s, Logger: log})
	add(j, &export.Worker{Runner: &export.Runner{Store: s, Answers: d.Answers, Logger: log}})
	add(j, export.NewPurgeWorker(s, log))
	add(j, children.NewPurgeWorker(s, log))
	add(j, registry.NewPurgeWorker(s, log))
	add(j, api.NewPurgeWorker(s, log)) // the API's idempotency keys (docs/api.md)
	add(j, recordviews.NewPurgeWorker(s, d.RecordViewRetention, log))
	add(j, &delivery.Worker{Store: s, Email: d.Email, SMS: d.SMS, Logger: log})
	add(j, &auth.ResetRequestWorker{Auth: d.Auth})
	add(j, &auth.FamilySignInWorker{Auth: d.Auth})
	add(j, &auth.PurgeSessionsWorker{Auth: d.Auth})
	add(j, &auth.PurgeTokensWorker{Auth: d.Auth})
	add(j, &store.OptimizeWorker{Store: s})
	// Families joining the registry (issue 17): the daily purge of
	// onboarding submissions and due withdrawals, and re-consent emails.
	add(j, registry.NewOnboardingPurgeWorker(s, log))
	add(j, &registry.ReconsentWorker{Store: s, BaseURL: baseURL(d.Auth)})
	add(j, &survey.ReminderWorker{Service: &survey.Service{Store: s, BaseURL: d.BaseURL}, Logger: log})
	add(j, &files.ExtractWorker{Files: d.Files, Logger: log})
	add(j, files.NewPurgeWorker(d.Files, log))

	const day = 24 * time.Hour
	j.every(day, jobargs.PurgeRecordViewsArgs{})
	j.every(day, jobargs.LockReviewArgs{})
	j.every(6*time.Hour, jobargs.OptimizeArgs{})
	j.every(15*time.Minute, jobargs.PurgeSessionsArgs{})
	j.every(day, jobargs.PurgeAuthTokensArgs{})
	j.every(day, jobargs.PurgeChildrenArgs{})
	j.every(day, jobargs.PurgeRegistryArgs{})
	j.every(day, jobargs.PurgeOnboardingArgs{})
	j.every(time.Hour, jobargs.PurgeExportsArgs{})
	j.every(day, jobargs.PurgeFilesArgs{})
	j.every(time.Hour, jobargs.PurgeAPIIdempotencyArgs{})
	if d.AggregateEvery > 0 {
		j.every(d.AggregateEvery, jobargs.AggregateArgs{}) // every current cohort
	}
	j.every(day, jobargs.ReconcileKPIsArgs{})
	j.every(time.Hour, jobargs.SurveyRemindersArgs{})
	return j
}

// baseURL is where links in emails point (the auth service's setting).
func baseURL(a *auth.Service) string {
	if a == nil {
		return ""
	}
	return a.Config.BaseURL
}

// add registers worker w, and notes its kind.
func add[T river.JobArgs](j *Set, w river.Worker[T]) {
	river.AddWorker(j.workers, w)
	var args T
	j.kinds = append(j.kinds, args.Kind())
}

func (j *Set) every(d time.Duration, args river.JobArgs) {
	j.periodic = append(j.periodic, periodicJob{every: d, args: args})
}

// Config is the store's job configuration: maxWorkers at once (0: insert
// only, as `serve --workers=0` does).
func (j *Set) Config(maxWorkers int, logger *slog.Logger) store.JobsConfig {
	var periodic []*river.PeriodicJob
	for _, p := range j.periodic {
		args := p.args
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(p.every),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return store.JobsConfig{Workers: j.workers, MaxWorkers: maxWorkers, PeriodicJobs: periodic, Logger: logger}
}
