package aggregate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// afterCount runs then once, after the run's count (a read outside its
// transaction) and before its transaction: another run can start and
// finish in between, as runs of a cohort now may.
type afterCount struct {
	store.Store
	then func()
}

func (a *afterCount) CountKPIAggregates(ctx context.Context, arg store.CountKPIAggregatesParams) ([]store.CountKPIAggregatesRow, error) {
	rows, err := a.Store.CountKPIAggregates(ctx, arg)
	if f := a.then; f != nil {
		a.then = nil
		f()
	}
	return rows, err
}

func at(d time.Duration) func() time.Time {
	return func() time.Time { return testNow.Add(d) }
}

// rm325 is the number of children counted at RM325 in the current run.
func rm325(t *testing.T, s store.Store) int64 {
	t.Helper()
	f, _, _, err := aggregate.ForEntity(context.Background(), s, testCohort, aggregate.Organisation, "RM325")
	if err != nil {
		t.Fatal(err)
	}
	return f.Counted
}

var oneMore = []kid{{org: "RM325", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1}}

// A run that counted, then found that a run which started after it had
// finished meanwhile, leaves that run's (newer) figures current, records
// nothing, and returns that run.
func TestOlderRunNeverReplacesNewerFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		first, err := (&aggregate.Runner{Store: s, Now: at(-time.Minute)}).Run(ctx, testCohort)
		if err != nil {
			t.Fatal(err)
		}
		counted := rm325(t, s)
		var newer store.KpiAggregateRun
		slow := &afterCount{Store: s, then: func() {
			// A change the slow run did not see, then a run that saw it.
			insertPopulation(t, s, oneMore)
			var err error
			if newer, err = (&aggregate.Runner{Store: s, Now: at(time.Minute)}).Run(ctx, testCohort); err != nil {
				t.Fatal(err)
			}
		}}
		got, err := (&aggregate.Runner{Store: slow, Now: at(0)}).Run(ctx, testCohort)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != newer.ID || !got.StartedAt.Equal(testNow.Add(time.Minute)) {
			t.Errorf("the older run returned run %d started %v, want the newer run %d", got.ID, got.StartedAt, newer.ID)
		}
		cur, err := aggregate.Current(ctx, s, testCohort)
		if err != nil || cur.ID != newer.ID {
			t.Errorf("current run %d (%v), want the newer %d", cur.ID, err, newer.ID)
		}
		if n := rm325(t, s); n != counted+1 {
			t.Errorf("RM325 counts %d, want the newer run's %d", n, counted+1)
		}
		hist, err := aggregate.History(ctx, s, testCohort, 10)
		if err != nil || len(hist) != 2 || hist[0].ID != newer.ID || hist[1].ID != first.ID {
			t.Errorf("history %+v (%v), want the newer run and the first, nothing of the older", hist, err)
		}

		// The same when the older run starts after the newer one finished.
		if _, err := (&aggregate.Runner{Store: s, Now: at(30 * time.Second)}).Run(ctx, testCohort); err != nil {
			t.Fatal(err)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != newer.ID {
			t.Errorf("after a run that started earlier, current run %d (%v), want %d", cur.ID, err, newer.ID)
		}
	})
}

// A run that started later than the one that finished while it counted
// replaces it, with the figures it counted.
func TestNewerRunReplacesOlder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		first := mustRun(t, s)
		counted := rm325(t, s)
		var older store.KpiAggregateRun
		slow := &afterCount{Store: s, then: func() {
			var err error
			if older, err = (&aggregate.Runner{Store: s, Now: at(time.Minute)}).Run(ctx, testCohort); err != nil {
				t.Fatal(err)
			}
		}}
		insertPopulation(t, s, oneMore) // seen by both runs
		newer, err := (&aggregate.Runner{Store: slow, Now: at(2 * time.Minute)}).Run(ctx, testCohort)
		if err != nil {
			t.Fatal(err)
		}
		if newer.ID == older.ID || newer.ID == first.ID || !newer.StartedAt.Equal(testNow.Add(2*time.Minute)) {
			t.Errorf("runs %d, %d, %d: want the last its own", first.ID, older.ID, newer.ID)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != newer.ID {
			t.Errorf("current run %d (%v), want %d", cur.ID, err, newer.ID)
		}
		if n := rm325(t, s); n != counted+1 {
			t.Errorf("RM325 counts %d, want %d", n, counted+1)
		}
		f, _, _, err := aggregate.ForEntity(ctx, s, testCohort, aggregate.Organisation, "RM325")
		if err != nil || f.Measure(kpi.ECG).Passed != counted+1 {
			t.Errorf("RM325's ECG %+v (%v), want %d passed", f.Measure(kpi.ECG), err, counted+1)
		}
	})
}

// The count does not need the writer: it completes while another
// transaction holds it (on SQLite the store has one writer connection, and
// a count sent there would wait until the context ends).
func TestCountReadsBesideAWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		insertPopulation(t, s, population)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cohort, last := int64(testCohort), aggregate.LastAssessmentCounted(aggregate.UKDate(testNow))
		err := s.InTx(ctx, func(tx store.Tx) error {
			if _, err := tx.LockKPIAggregateCohort(ctx, cohort); err != nil {
				return err
			}
			rows, err := s.CountKPIAggregates(ctx, store.CountKPIAggregatesParams{Cohort: &cohort, LastAssessmentCounted: &last})
			if err == nil && len(rows) == 0 {
				t.Error("no rows counted")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// failingDelete fails the deletion of old runs, which follows the switch
// in a transaction of its own.
type failingDelete struct{ store.Store }

func (f failingDelete) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.InTx(ctx, func(tx store.Tx) error { return fn(failingDeleteTx{tx}) })
}

type failingDeleteTx struct{ store.Tx }

func (failingDeleteTx) DeleteKPIAggregateResultsBefore(context.Context, store.DeleteKPIAggregateResultsBeforeParams) (int64, error) {
	return 0, errors.New("disk full")
}

// A run whose deletion of old runs fails is current all the same, and is
// not recorded as failed; the next run deletes what it left.
func TestDeletingOldRunsAfterTheSwitch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		r1, r2 := mustRun(t, s), mustRun(t, s)
		r3, err := (&aggregate.Runner{Store: failingDelete{s}, Now: at(0)}).Run(ctx, testCohort)
		if err == nil || !strings.Contains(err.Error(), "disk full") || r3.ID == 0 || r3.ID == r2.ID {
			t.Fatalf("the run returned %+v, %v; want it, and the deletion's error", r3, err)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != r3.ID {
			t.Errorf("current run %d (%v), want %d", cur.ID, err, r3.ID)
		}
		hist, err := aggregate.History(ctx, s, testCohort, 10)
		if err != nil || len(hist) != 3 || hist[0].ID != r3.ID || hist[2].ID != r1.ID {
			t.Errorf("history %+v (%v), want runs %d, %d, %d, none failed", hist, err, r3.ID, r2.ID, r1.ID)
		}
		r4 := mustRun(t, s)
		hist, err = aggregate.History(ctx, s, testCohort, 10)
		if err != nil || len(hist) != 2 || hist[0].ID != r4.ID || hist[1].ID != r3.ID {
			t.Errorf("after a good run, history %+v (%v), want %d and %d", hist, err, r4.ID, r3.ID)
		}
	})
}
