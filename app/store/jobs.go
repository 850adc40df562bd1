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

// RiverConfig turns c into River's configuration; adapters add their driver.
func (c JobsConfig) RiverConfig() *river.Config {
	cfg := &river.Config{
		Logger:            c.Logger,
		FetchPollInterval: c.PollInterval,
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
	// StopJobs waits for running jobs to finish or ctx to end.
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

func (h *RiverHost[TTx]) StartJobs(ctx context.Context) error {
	if h.client == nil {
		return ErrJobsNotConfigured
	}
	if !h.working {
		return nil // insert-only: nothing to start
	}
	return h.client.Start(ctx)
}

func (h *RiverHost[TTx]) StopJobs(ctx context.Context) error {
	if h.client == nil || !h.working {
		return nil
	}
	return h.client.Stop(ctx)
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
