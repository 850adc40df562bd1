package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

type sleepArgs struct{ For time.Duration }

func (sleepArgs) Kind() string { return "test_sleep" }

// sleepWorker sleeps, or until its context ends, and says which.
type sleepWorker struct {
	river.WorkerDefaults[sleepArgs]
	started chan struct{}
	ended   chan error
}

func (w *sleepWorker) Timeout(*river.Job[sleepArgs]) time.Duration { return time.Minute }

func (w *sleepWorker) Work(ctx context.Context, job *river.Job[sleepArgs]) error {
	close(w.started)
	select {
	case <-time.After(job.Args.For):
		w.ended <- nil
		return nil
	case <-ctx.Done():
		w.ended <- ctx.Err()
		return ctx.Err()
	}
}

// startSleeper runs one job that sleeps for d, and returns once it has
// started, with the context StartJobs was given (serve's, which SIGTERM
// cancels) and its cancel.
func startSleeper(t *testing.T, s store.Store, d time.Duration) (*sleepWorker, context.CancelFunc) {
	t.Helper()
	w := &sleepWorker{started: make(chan struct{}), ended: make(chan error, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 1, PollInterval: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.StartJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertJob(context.Background(), sleepArgs{For: d}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.started:
	case <-time.After(20 * time.Second):
		t.Fatal("the job did not start")
	}
	return w, cancel
}

// SIGTERM cancels serve's context, the one StartJobs was given; a job
// running then finishes during StopJobs rather than being cancelled
// (issue 23: River treats a cancelled start context as a hard stop).
func TestStopJobsLetsRunningJobsFinish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w, cancelStart := startSleeper(t, s, 1500*time.Millisecond)
		cancelStart()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := s.StopJobs(ctx); err != nil {
			t.Errorf("StopJobs: %v", err)
		}
		select {
		case err := <-w.ended:
			if err != nil {
				t.Errorf("the running job was cancelled (%v), want it finished", err)
			}
		default:
			t.Error("StopJobs returned before the running job ended")
		}
	})
}

// A job still running near the deadline is cancelled, so StopJobs (and
// serve, which must exit within --shutdown-timeout) returns by then.
func TestStopJobsCancelsAtTheDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w, cancelStart := startSleeper(t, s, time.Minute)
		defer cancelStart()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		began := time.Now()
		err := s.StopJobs(ctx)
		if took := time.Since(began); took > 2500*time.Millisecond {
			t.Errorf("StopJobs took %s with a 2 s deadline", took)
		}
		if err == nil {
			t.Error("StopJobs said nothing of the job it cancelled")
		}
		select {
		case err := <-w.ended:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("the job ended with %v, want cancelled", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("the job was not cancelled")
		}
	})
}

// A job whose process died is taken back within a minute, not River's
// default hour (issue 23; app/faults proves it with SIGKILL).
func TestJobsRescuedWithinAMinute(t *testing.T) {
	cfg := store.JobsConfig{}.RiverConfig()
	if cfg.RescueStuckJobsAfter <= 0 || cfg.RescueStuckJobsAfter > time.Minute || cfg.RescueStuckJobsAfter < cfg.JobTimeout {
		t.Errorf("RescueStuckJobsAfter %s, JobTimeout %s", cfg.RescueStuckJobsAfter, cfg.JobTimeout)
	}
}
