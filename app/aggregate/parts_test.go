package aggregate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// watched calls after once every write transaction has committed, with its
// number (1 for the first), and lets tx wrap each transaction's queries.
type watched struct {
	store.Store
	n     int
	wrap  func(n int, tx store.Tx) store.Tx
	after func(n int)
}

func (w *watched) InTx(ctx context.Context, fn func(store.Tx) error) error {
	w.n++
	n := w.n
	err := w.Store.InTx(ctx, func(tx store.Tx) error {
		if w.wrap != nil {
			tx = w.wrap(n, tx)
		}
		return fn(tx)
	})
	if err == nil && w.after != nil {
		w.after(n)
	}
	return err
}

// rowsOfRun counts a run's rows in the tables a run writes.
func rowsOfRun(t *testing.T, s store.Store, id int64) (results, entities, staging int64) {
	t.Helper()
	q := func(table string) int64 {
		return rawCount(t, s, fmt.Sprintf("SELECT count(*) FROM %s WHERE run_id = %d", table, id))
	}
	return q("kpi_aggregate_results"), q("kpi_aggregate_entities"), q("kpi_aggregate_staging")
}

// A run writes its figures in several transactions, and readers see the
// previous run's figures until the one that switches.
func TestRunWritesInPartsBeforeTheSwitch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		first := mustRun(t, s)
		// One more counted child at RM325: the new run's figures differ.
		insertPopulation(t, s, []kid{{org: "RM325", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1}})

		var writing, switched int // transactions that wrote the new run's figures; the switch's number
		var maxRows int64         // most result rows the run had before the switch
		w := &watched{Store: s}
		w.after = func(n int) {
			cur, err := aggregate.Current(ctx, s, testCohort)
			if err != nil {
				t.Fatal(err)
			}
			f, _, _, err := aggregate.ForEntity(ctx, s, testCohort, aggregate.Organisation, "RM325")
			if err != nil {
				t.Fatal(err)
			}
			if cur.ID == first.ID {
				if f.Counted != 1 {
					t.Errorf("after transaction %d (before the switch) readers see RM325 counted %d, want the first run's 1", n, f.Counted)
				}
				results, _, _ := rowsOfRun(t, s, first.ID+1)
				if results > maxRows {
					writing++
					maxRows = results
				}
			} else if switched == 0 {
				switched = n
				if f.Counted != 2 {
					t.Errorf("after the switch readers see RM325 counted %d, want 2", f.Counted)
				}
			}
		}
		run, err := runner(w).Run(ctx, testCohort)
		if err != nil {
			t.Fatal(err)
		}
		if run.ID != first.ID+1 || switched == 0 {
			t.Fatalf("run %d, switched in transaction %d; want run %d switched", run.ID, switched, first.ID+1)
		}
		results, _, _ := rowsOfRun(t, s, run.ID)
		if maxRows != results || writing < 3 {
			t.Errorf("before the switch %d transactions wrote %d of the run's %d result rows; want every row, in 3 or more", writing, maxRows, results)
		}
	})
}

// failingRollUp and failingDiscard fail one query of a transaction.
type failingRollUp struct{ store.Tx }

func (failingRollUp) RollUpKPIAggregates(context.Context, int64) (int64, error) {
	return 0, errors.New("disk on fire")
}

type failingDiscard struct{ store.Tx }

func (failingDiscard) DeleteKPIAggregateRunResults(context.Context, store.DeleteKPIAggregateRunResultsParams) (int64, error) {
	return 0, errors.New("disk gone")
}

// A run that fails between parts leaves no rows that are ever shown: it
// deletes what it wrote; and when that fails too, a later run's deleteOld
// does.
func TestRunFailingBetweenPartsLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		first := mustRun(t, s)

		// The fourth transaction fails: the counts, entities and the first
		// measures are written by then.
		failAt := func(n int, tx store.Tx) store.Tx {
			if n == 4 {
				return failingRollUp{tx}
			}
			return tx
		}
		failed := first.ID + 1
		_, err := runner(&watched{Store: s, wrap: failAt}).Run(ctx, testCohort)
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("the failing run returned %v", err)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != first.ID {
			t.Errorf("current run %d (%v), want %d", cur.ID, err, first.ID)
		}
		if r, e, st := rowsOfRun(t, s, failed); r+e+st != 0 {
			t.Errorf("the failed run left %d results, %d entities, %d staged rows", r, e, st)
		}

		// Now its deletion fails too: the rows stay, never current, until
		// the second run to switch after it.
		_, err = runner(&watched{Store: s, wrap: func(n int, tx store.Tx) store.Tx {
			if n == 4 {
				return failingRollUp{tx}
			}
			return failingDiscard{tx}
		}}).Run(ctx, testCohort)
		if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "disk gone") {
			t.Fatalf("the failing run returned %v", err)
		}
		orphan := rawCount(t, s, "SELECT coalesce(max(id), 0) FROM kpi_aggregate_runs WHERE status = 'running'")
		if r, _, _ := rowsOfRun(t, s, orphan); r == 0 {
			t.Fatalf("run %d left no rows: not the orphan this test needs", orphan)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != first.ID {
			t.Errorf("current run %d (%v), want %d", cur.ID, err, first.ID)
		}
		second := mustRun(t, s)
		if second.ID <= orphan {
			t.Fatalf("run %d after the orphan %d", second.ID, orphan)
		}
		if cur, err := aggregate.Current(ctx, s, testCohort); err != nil || cur.ID != second.ID {
			t.Errorf("current run %d (%v), want %d", cur.ID, err, second.ID)
		}
		if r, _, _ := rowsOfRun(t, s, orphan); r == 0 {
			t.Errorf("the orphan's rows went before a run after it was kept")
		}
		mustRun(t, s)
		if r, e, st := rowsOfRun(t, s, orphan); r+e+st != 0 || rawCount(t, s, fmt.Sprintf("SELECT count(*) FROM kpi_aggregate_runs WHERE id = %d", orphan)) != 0 {
			t.Errorf("two runs later the orphan keeps %d results, %d entities, %d staged rows, or its run", r, e, st)
		}
	})
}

// countingDeletes counts the transactions that delete old runs' figures.
type countingDeletes struct {
	store.Tx
	calls *int
}

func (c countingDeletes) DeleteKPIAggregateResultsBefore(ctx context.Context, arg store.DeleteKPIAggregateResultsBeforeParams) (int64, error) {
	*c.calls++
	return c.Tx.DeleteKPIAggregateResultsBefore(ctx, arg)
}

// deleteOld deletes everything before the run kept, in parts: a few
// measures a transaction.
func TestDeleteOldInParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		r1, r2 := mustRun(t, s), mustRun(t, s)
		deleting := 0
		w := &watched{Store: s}
		// A counter per transaction.
		var perTx []int
		w.wrap = func(n int, tx store.Tx) store.Tx {
			perTx = append(perTx, 0)
			return countingDeletes{tx, &perTx[len(perTx)-1]}
		}
		r3, err := runner(w).Run(ctx, testCohort)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range perTx {
			if c > 1 {
				t.Errorf("a transaction deleted figures %d times, want once", c)
			}
			deleting += c
		}
		if want := (kpi.NumMeasures + 2) / 3; deleting != want {
			t.Errorf("%d transactions deleted old figures, want %d (3 measures each)", deleting, want)
		}
		if r, e, _ := rowsOfRun(t, s, r1.ID); r+e != 0 || rawCount(t, s, fmt.Sprintf("SELECT count(*) FROM kpi_aggregate_runs WHERE id = %d", r1.ID)) != 0 {
			t.Errorf("the oldest run keeps %d results, %d entities, or its run", r, e)
		}
		r2Rows, _, _ := rowsOfRun(t, s, r2.ID)
		r3Rows, _, _ := rowsOfRun(t, s, r3.ID)
		if r2Rows == 0 || r2Rows != r3Rows {
			t.Errorf("the run kept has %d result rows, the current %d; want them equal", r2Rows, r3Rows)
		}
	})
}

// A run whose context ends in the pause after its switch stays current
// with every figure: the switch committed, and only deleting old runs is
// left to a later run.
func TestCancelAfterTheSwitchKeepsTheRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		insertPopulation(t, s, population)
		first := mustRun(t, s)
		want, _, _ := rowsOfRun(t, s, first.ID)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &watched{Store: s}
		w.after = func(int) {
			if cur, err := aggregate.Current(context.Background(), s, testCohort); err == nil && cur.ID != first.ID {
				cancel() // in the pause after the switch
			}
		}
		r := runner(w)
		r.WriterPause = 5
		run, err := r.Run(ctx, testCohort)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the run returned %v, want the deletion cancelled", err)
		}
		cur, cerr := aggregate.Current(context.Background(), s, testCohort)
		if cerr != nil || cur.ID == first.ID || cur.ID != run.ID {
			t.Fatalf("current run %d (%v), want the new run %d", cur.ID, cerr, run.ID)
		}
		if got, _, _ := rowsOfRun(t, s, cur.ID); got != want {
			t.Errorf("the current run has %d result rows, want %d", got, want)
		}
	})
}
