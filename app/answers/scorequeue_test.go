package answers_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/forms"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A burst of saves queues one kpi_score job (the child's kpi_score_queue
// row coalesces the rest); once a scorer has taken the child off the queue
// the next save queues another; and a row whose job has not scored the
// child within scorequeue.StaleAfter is renewed with a new job. No workers
// run here, so every job stays waiting and can be counted.
func TestSavesQueueOneScoringJobAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		f := forms.Investigations
		k := key(f.Section, 0, "twelve_lead_ecg_status")
		id := w.child(t, childOpts{})
		saves := func(n int) {
			for i := range n {
				w.save(t, carl, id, f, k, lit(i%2 == 0), w.version(t, id))
			}
		}
		queued := func() int64 {
			n, err := s.CountChildrenQueuedForScoring(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		saves(5)
		if got := w.kpiJobs(t)[id]; got != 1 {
			t.Fatalf("after registration and 5 saves: %d kpi_score jobs, want 1", got)
		}
		if got := queued(); got != 1 {
			t.Fatalf("after 5 saves: %d children queued, want 1", got)
		}

		// The scorer's half, as the job does it in its transaction.
		if err := s.InTx(ctx, func(tx store.Tx) error { return scorequeue.Done(ctx, tx, id) }); err != nil {
			t.Fatal(err)
		}
		if got := queued(); got != 0 {
			t.Fatalf("after the scorer: %d children queued, want 0", got)
		}
		saves(3)
		if got := w.kpiJobs(t)[id]; got != 2 {
			t.Fatalf("3 saves after the scorer: %d kpi_score jobs, want 2", got)
		}

		// A row queued longer ago than StaleAfter: its job is taken as lost.
		long := time.Now().UTC().Add(-scorequeue.StaleAfter - time.Minute)
		if err := s.DequeueChildScoring(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.QueueChildScoring(ctx, store.QueueChildScoringParams{ChildID: id, QueuedAt: long, StaleAt: long.Add(scorequeue.StaleAfter)}); err != nil {
			t.Fatal(err)
		}
		saves(2)
		if got := w.kpiJobs(t)[id]; got != 3 {
			t.Fatalf("2 saves after the row went stale: %d kpi_score jobs, want 3", got)
		}
	})
}
