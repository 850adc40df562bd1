package answers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// registerKPIWorkers adds the KPI jobs' workers, with svc as the scorer,
// and the email worker (keeping email in the outbox): River refuses to
// insert a kind with no worker, and a transfer queues email.
func registerKPIWorkers(workers *river.Workers, svc *answers.Service) {
	river.AddWorker(workers, &answers.ScoreWorker{Service: svc})
	river.AddWorker(workers, &answers.RecalculateWorker{Service: svc})
	river.AddWorker(workers, &answers.ReconcileWorker{Service: svc})
	river.AddWorker(workers, &answers.LockReviewWorker{Service: svc})
	river.AddWorker(workers, &delivery.Worker{Store: svc.Store})
}

// startWorkers works the store's jobs for real, with svc as the scorer.
func startWorkers(t testing.TB, s store.Store, svc *answers.Service) {
	t.Helper()
	workers := river.NewWorkers()
	registerKPIWorkers(workers, svc)
	if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := s.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.StopJobs(context.Background()) })
}

func dateInput(t time.Time) children.DateInput {
	return children.DateInput{Day: fmt.Sprint(t.Day()), Month: fmt.Sprint(int(t.Month())), Year: fmt.Sprint(t.Year())}
}

// Every write to a child that can change its score queues its rescoring:
// once the queue is idle its stored result is a fresh score (issue 13:
// a changed date of birth and sex, or a first assessment date moved by the
// national team, left the stored result at the old version for good).
func TestEveryWriteRescoresTheChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		svc := w.svc()
		kids := svc.Children
		nat := nationalUser(t, w)
		startWorkers(t, s, svc)
		for _, tc := range []struct {
			name   string
			change func(id int64) error
			child  func() int64 // the child to change; nil: a new registered child
		}{
			{"date of birth and sex", func(id int64) error {
				c, err := kids.Get(ctx, nat.Actor, id)
				if err != nil {
					return err
				}
				d := children.DemographicsOf(c.Child)
				d.DateOfBirth, d.Sex = dateInput(time.Date(2009, time.March, 3, 0, 0, 0, 0, time.UTC)), "1"
				return kids.Update(ctx, nat, id, c.Version, d)
			}, nil},
			{"first assessment date, by the national team", func(id int64) error {
				return kids.Register(ctx, nat, id, children.Registration{EligibilityConfirmed: true,
					FirstAssessment: dateInput(now.AddDate(0, 0, -200))})
			}, nil},
			{"lock", func(id int64) error {
				c, err := kids.Get(ctx, nat.Actor, id)
				if err != nil {
					return err
				}
				return kids.Lock(ctx, nat, id, c.Version)
			}, func() int64 { return completeGirl(t, w, svc, nat) }}, // only a complete audit locks
			{"transfer", func(id int64) error {
				if err := kids.RequestTransfer(ctx, nat, id, "RGT01"); err != nil {
					return err
				}
				return kids.AcceptTransfer(ctx, nat, id)
			}, nil},
			{"delete and restore", func(id int64) error {
				c, err := kids.Get(ctx, nat.Actor, id)
				if err != nil {
					return err
				}
				if err := kids.Delete(ctx, nat, id, c.Version); err != nil {
					return err
				}
				return kids.Restore(ctx, nat, id)
			}, nil},
			{"opt-out", func(id int64) error { return kids.OptOut(ctx, nat, id) }, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var id int64
				if tc.child != nil {
					id = tc.child()
				} else {
					id = w.child(t, childOpts{})
				}
				w.save(t, carl, id, forms.Investigations, key(forms.Investigations.Section, 0, "twelve_lead_ecg_status"), lit(true), w.version(t, id))
				drain(t, s)
				checkFresh(t, svc, id)
				if err := tc.change(id); err != nil {
					t.Fatal(err)
				}
				drain(t, s)
				checkFresh(t, svc, id)
			})
		}
		// Unlocking too.
		id := w.child(t, childOpts{locked: true})
		drain(t, s)
		if err := kids.Unlock(ctx, nat, id); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		checkFresh(t, svc, id)
	})
}

// Saves in quick bursts are all scored: a save that lands while the
// child's kpi_score job runs is not absorbed by it (issue 13: 18 saves in
// 60 ms left the stored result at version 15 of 20).
func TestQuickSavesAreAllScored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		svc := w.svc()
		startWorkers(t, s, svc)
		f := forms.Investigations
		id := w.child(t, childOpts{})
		for round := range 10 {
			for i := range 18 {
				w.save(t, carl, id, f, key(f.Section, 0, "twelve_lead_ecg_status"), lit((round+i)%2 == 0), w.version(t, id))
			}
			drain(t, s)
			r, err := s.GetKPIResult(context.Background(), id)
			if v := w.version(t, id); err != nil || r.DataVersion != v {
				t.Fatalf("round %d: stored result of version %d, child at version %d (%v)", round, r.DataVersion, v, err)
			}
			// The job took the child off the queue, so the next burst queues
			// a new job (scorequeue).
			if n, err := s.CountChildrenQueuedForScoring(context.Background()); err != nil || n != 0 {
				t.Fatalf("round %d: %d children still queued once every job ran (%v)", round, n, err)
			}
		}
		checkFresh(t, svc, id)
	})
}
