package aggregate_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// scoredChild adds a child of cohort 5 (first year of care long over) at
// RM332 with a complete audit and a passed ECG.
func scoredChild(t *testing.T, s store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	o, err := s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	nhs, dob := "9434765919", store.Date{Year: 2015, Month: 5, Day: 3}
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: "C0000001", NHSNumber: &nhs, FirstName: "Ava", Surname: "Smith",
		DateOfBirth: &dob, Sex: 2, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	fpa, cohort := store.Date{Year: 2022, Month: 1, Day: 10}, int64(5)
	if n, err := s.RegisterChild(ctx, store.RegisterChildParams{ID: id, Version: 1, FirstPaediatricAssessmentDate: &fpa,
		Cohort: &cohort, LeadOrganisationID: o.ID, UpdatedAt: now}); err != nil || n != 1 {
		t.Fatalf("register: %d %v", n, err)
	}
	pass, complete := int64(1), true
	if _, err := s.UpsertKPIResult(ctx, store.UpsertKPIResultParams{ChildID: id, RulesVersion: kpi.RulesVersion, DataVersion: 2,
		ComputedAt: now, Ecg: &pass, AuditComplete: &complete}); err != nil {
		t.Fatal(err)
	}
	return id
}

// The kpi_aggregate job end to end: a periodic run at start-up aggregates
// every current cohort (cohort 5 has a registered child), an
// administrator's AggregateNow runs again, and a child scored by the
// kpi_score job queues a run AggregateDelay later.
func TestAggregateJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		child := scoredChild(t, s)
		t.Cleanup(func() { _ = s.StopJobs(context.Background()) })
		workers := river.NewWorkers()
		river.AddWorker(workers, &aggregate.Worker{Store: s})
		scorer := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
		river.AddWorker(workers, &answers.ScoreWorker{Service: scorer, AggregateAfter: true})
		periodic := river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return jobargs.AggregateArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond,
			PeriodicJobs: []*river.PeriodicJob{periodic}}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		current := func() store.KpiAggregateRun {
			run, _ := aggregate.Current(ctx, s, 5)
			return run
		}
		waitFor(t, "the periodic run at start-up", func() bool { return current().Children == 1 })
		f, _, ok, err := aggregate.ForEntity(ctx, s, 5, aggregate.Trust, "RM3")
		if err != nil || !ok || f.Measure(kpi.ECG) != (aggregate.Counts{Passed: 1, TotalEligible: 1}) {
			t.Errorf("trust RM3 after the job: %+v %v %v", f, ok, err)
		}

		first := current().ID
		if err := jobargs.AggregateNow(ctx, s, 5); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the run asked for", func() bool { return current().ID > first })

		if err := s.InsertJob(ctx, jobargs.ScoreKPIArgs{ChildID: child}, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				res, _ := s.ListJobs(ctx, river.NewJobListParams().First(50))
				for _, j := range res.Jobs {
					t.Logf("job %s %s %s %v", j.Kind, j.State, j.EncodedArgs, j.ScheduledAt)
				}
			}
		})
		waitFor(t, "a run of the child's cohort queued after scoring", func() bool {
			res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds(jobargs.AggregateArgs{}.Kind()).States(rivertype.JobStateScheduled))
			return err == nil && len(res.Jobs) == 1 && res.Jobs[0].ScheduledAt.After(time.Now().Add(jobargs.AggregateDelay/2)) &&
				argsOf(res.Jobs[0]).Cohort == 5
		})
	})
}

// Runs queued within one AggregateDelay window are one job; the next
// window gets its own.
func TestAggregateSoonDebounces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil { // insert only
			t.Fatal(err)
		}
		now := time.Now().Truncate(jobargs.AggregateDelay).Add(time.Second)
		for _, at := range []time.Time{now, now.Add(time.Second), now.Add(jobargs.AggregateDelay - 2*time.Second), now.Add(jobargs.AggregateDelay)} {
			if err := jobargs.AggregateSoon(ctx, s, at, 0); err != nil {
				t.Fatal(err)
			}
		}
		res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds(jobargs.AggregateArgs{}.Kind()))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 2 {
			t.Errorf("%d jobs queued, want 2 (one per window)", len(res.Jobs))
		}
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 20s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func argsOf(j *rivertype.JobRow) jobargs.AggregateArgs {
	var a jobargs.AggregateArgs
	_ = json.Unmarshal(j.EncodedArgs, &a)
	return a
}
