package storetest_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestKPIScoreQueueQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		a := newRegisteredChild(t, s, "A1", lead, 7)
		queue := func(child int64, m int) (int64, error) {
			return s.QueueChildScoring(ctx, store.QueueChildScoringParams{ChildID: child, QueuedAt: at(m), StaleAt: at(m).Add(time.Hour)})
		}
		n, err := queue(a, 0)
		wantRows(t, "QueueChildScoring of a child not queued", n, err, 1)
		n, err = queue(a, 59)
		wantRows(t, "QueueChildScoring while its row is current", n, err, 0)
		n, err = queue(a, 61)
		wantRows(t, "QueueChildScoring after its row went stale", n, err, 1)
		// Renewed: current again for an hour from minute 61.
		n, err = queue(a, 120)
		wantRows(t, "QueueChildScoring while the renewed row is current", n, err, 0)
		if c := get[int64](t)(s.CountChildrenQueuedForScoring(ctx)); c != 1 {
			t.Errorf("CountChildrenQueuedForScoring = %d, want 1", c)
		}
		check(t, s.DequeueChildScoring(ctx, a))
		check(t, s.DequeueChildScoring(ctx, a)) // none left: no error
		if c := get[int64](t)(s.CountChildrenQueuedForScoring(ctx)); c != 0 {
			t.Errorf("CountChildrenQueuedForScoring after DequeueChildScoring = %d, want 0", c)
		}
		n, err = queue(a, 121)
		wantRows(t, "QueueChildScoring after DequeueChildScoring", n, err, 1)
	})
}
