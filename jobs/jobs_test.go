package jobs_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/jobs"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The periodic optimize job runs at start-up and completes on both engines.
func TestOptimizeRunsOnStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		workers := river.NewWorkers()
		jobs.Register(workers, jobs.Deps{Store: s, Auth: newAuth(t, s)})
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 1, PeriodicJobs: jobs.Periodic(), PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds(jobs.OptimizeArgs{}.Kind()).States(rivertype.JobStateCompleted))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Jobs) > 0 {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("no completed optimize job within 20s")
	})
}

func newAuth(t *testing.T, s store.Store) *auth.Service {
	t.Helper()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return a
}
