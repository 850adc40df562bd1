package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
)

// JobsConfig configures the River client a Store runs. With MaxWorkers 0 the
// client only inserts jobs (the shape of `serve --workers=0` next to separate
// `worker` processes).
type JobsConfig struct {
	Workers      *river.Workers
	MaxWorkers   int
	PeriodicJobs []*river.PeriodicJob
	Logger       *slog.Logger
	// PollInterval is how often workers look for new jobs where the engine
	// cannot notify them (SQLite). Zero means one second.
	PollInterval time.Duration
}

// JobTimeout bounds one run of a job whose worker names no Timeout of its
// own; every kind that may take longer names one (the workers beside their
// domains, and the table in docs/operations.md).
const JobTimeout = 20 * time.Second

// RescueStuckJobsAfter is how long a job may stay `running` before River's
// rescuer (on the leader, every 30 s) looks at it: a job whose process
// died (a kill, a crash, a lost machine) is retried once it is older than
// this and than its kind's timeout. River's default of an hour left a
// killed kpi_score running, and its child unscored, for that hour (issue
// 23). It may not be below JobTimeout; kinds with a longer Timeout are
// left alone until it has passed.
const RescueStuckJobsAfter = JobTimeout

// RiverConfig turns c into River's configuration; adapters add their driver.
func (c JobsConfig) RiverConfig() *river.Config {
	cfg := &river.Config{
		Logger:               c.Logger,
		FetchPollInterval:    c.PollInterval,
		JobTimeout:           JobTimeout,
		RescueStuckJobsAfter: RescueStuckJobsAfter,
	}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = time.Second
	}
	if c.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MaxWorkers > 0 && c.Workers != nil {
		cfg.Workers = c.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.MaxWorkers}}
		cfg.PeriodicJobs = c.PeriodicJobs
	}
	return cfg
}

// JobHost owns the River client bound to the Store's database.
type JobHost interface {
	// ConfigureJobs creates the River client; call it once, before
	// StartJobs or InsertJob.
	ConfigureJobs(cfg JobsConfig) error
	// StartJobs starts working jobs; a no-op for an insert-only client.
	StartJobs(ctx context.Context) error
	// StopJobs stops fetching jobs and waits for running ones to finish;
	// those still running shortly before ctx's deadline are cancelled
	// (and retried later), so it returns by the deadline.
	StopJobs(ctx context.Context) error
	// Jobs lists jobs, for tests and the admin job pages.
	ListJobs(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	// InsertJob inserts a job on its own (outside any data change).
	InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// RiverHost implements JobHost for any River driver; each adapter embeds one
// with its own transaction type and supplies its driver to Configure.
type RiverHost[TTx any] struct {
	client  *river.Client[TTx]
	working bool
}

// Configure creates the River client on driver.
func (h *RiverHost[TTx]) Configure(driver riverdriver.Driver[TTx], cfg JobsConfig) error {
	rc := cfg.RiverConfig()
	c, err := river.NewClient(driver, rc)
	if err != nil {
		return fmt.Errorf("store: river client: %w", err)
	}
	h.client, h.working = c, rc.Workers != nil
	return nil
}

// StartJobs starts the workers. Jobs run under a context that ctx's end
// does not cancel: River treats a cancelled start context as an abrupt
// stop that cancels every running job, so only StopJobs stops them.
func (h *RiverHost[TTx]) StartJobs(ctx context.Context) error {
	if h.client == nil {
		return ErrJobsNotConfigured
	}
	if !h.working {
		return nil // insert-only: nothing to start
	}
	return h.client.Start(context.WithoutCancel(ctx))
}

// hardStopGrace is the part of StopJobs' time kept for cancelled jobs to
// record their failure: at most this, at most a fifth of the whole.
const hardStopGrace = 2 * time.Second

// StopJobs is River's soft stop (no new jobs; running ones finish) until
// shortly before ctx's deadline, then its hard stop (running jobs'
// contexts cancelled; River retries them) for what is left.
func (h *RiverHost[TTx]) StopJobs(ctx context.Context) error {
	if h.client == nil || !h.working {
		return nil
	}
	soft := ctx
	if deadline, ok := ctx.Deadline(); ok {
		grace := min(hardStopGrace, time.Until(deadline)/5)
		var cancel context.CancelFunc
		soft, cancel = context.WithDeadline(ctx, deadline.Add(-grace))
		defer cancel()
	}
	err := h.client.Stop(soft)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if herr := h.client.StopAndCancel(ctx); herr != nil {
		return herr
	}
	return fmt.Errorf("store: jobs still running at the shutdown deadline were cancelled: %w", err)
}

func (h *RiverHost[TTx]) ListJobs(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error) {
	if h.client == nil {
		return nil, ErrJobsNotConfigured
	}
	return h.client.JobList(ctx, params)
}

func (h *RiverHost[TTx]) InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if h.client == nil {
		return ErrJobsNotConfigured
	}
	_, err := h.client.Insert(ctx, args, opts)
	return err
}

// InsertJobTx inserts a job in the caller's transaction tx.
func (h *RiverHost[TTx]) InsertJobTx(ctx context.Context, tx TTx, args river.JobArgs, opts *river.InsertOpts) error {
	if h.client == nil {
		return ErrJobsNotConfigured
	}
	_, err := h.client.InsertTx(ctx, tx, args, opts)
	return err
}

// Client is the River client, for riverui and tests; nil before Configure.
func (h *RiverHost[TTx]) Client() *river.Client[TTx] { return h.client }

// CompletedJob is the args type river.JobCompleteTx is given by the
// adapters' Tx.CompleteJob: completing a job needs only its row.
type CompletedJob struct{}

func (CompletedJob) Kind() string { return "" }
