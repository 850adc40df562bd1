package aggregate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// Runner computes aggregations.
type Runner struct {
	Store store.Store
	// Now is the clock: a run's start, the UK date whose "year of care
	// over" it applies, and its computed and finished times. Nil means
	// time.Now.
	Now func() time.Time
	// WriterPause is how long a run pauses after each of its write
	// transactions, as a multiple of the time the transaction held the
	// writer: 0 means store.DefaultWriterPause on SQLite and none on PostgreSQL,
	// negative none.
	WriterPause float64
}

// measuresPerPart is how many measures' figures (about 560 rows each, one
// per entity) one write or deletion transaction holds: RollUpKPIAggregates
// writes as many a call (its LIMIT, app/store/internal/measuregen), and
// the deletions take as many.
const measuresPerPart = 3

func (r *Runner) now() time.Time {
	if r.Now == nil {
		return time.Now().UTC()
	}
	return r.Now().UTC()
}

// Run aggregates cohort c now: see Runner.Run.
func Run(ctx context.Context, s store.Store, c cohort.Cohort) (store.KpiAggregateRun, error) {
	return (&Runner{Store: s}).Run(ctx, c)
}

// Run aggregates cohort c at every level, for every measure, and makes it
// the cohort's current run. Readers see the previous run until the switch,
// and a run that fails leaves it in place (the failure is recorded as a
// run of its own, with its error).
//
// The expensive part, one pass over the cohort's children counting them
// per organisation, is a plain read outside any transaction: on SQLite it
// runs on a reader connection and never holds the database's one writer,
// so saves go on meanwhile. The run then writes its figures (a few hundred
// staged rows, then about 12,000 rows summed from them) in short
// transactions of a few measures each, which readers do not see: they read
// the cohort's current run. One small transaction then switches the
// current run to it, and old runs are deleted in parts after. On SQLite
// the run pauses after each transaction (WriterPause), so a save waits for
// one part, never for the whole run (docs/performance.md).
//
// Runs of the same cohort may therefore count and write at the same time;
// the one that started last wins. The switch takes the cohort's row
// first (so runs queue there), and a run whose cohort already has a
// current run that started later than it did does not switch, deletes
// what it wrote and returns that run: older data never replaces newer
// figures. A run reads after it starts, so the current figures always
// include every change committed before the current run's StartedAt.
func (r *Runner) Run(ctx context.Context, c cohort.Cohort) (store.KpiAggregateRun, error) {
	// Microseconds, what both engines store: the comparison with a stored
	// start below is then exact.
	started := r.now().Truncate(time.Microsecond)
	asOf := UKDate(started)
	last := LastAssessmentCounted(asOf)
	run, keep, err := r.run(ctx, c, started, asOf, last)
	if err != nil {
		err = fmt.Errorf("aggregate: cohort %d: %w", c, err)
		return store.KpiAggregateRun{}, errors.Join(err, r.recordFailure(ctx, c, started, asOf, last, err))
	}
	if keep != 0 {
		// The run is current whatever happens here: a failure is returned
		// (the job retries) but not recorded as a failed run.
		if err := r.deleteOld(ctx, int64(c), keep); err != nil {
			return run, fmt.Errorf("aggregate: cohort %d: %w", c, err)
		}
	}
	return run, nil
}

// errAbandoned: another run's deleteOld took this run, still running,
// for a dead one (it had two later runs switch before it).
var errAbandoned = errors.New("the run was abandoned while it wrote")

// run counts, writes the run's figures in parts and switches to it. keep
// is the run before it, for deleteOld (0: this run installed nothing). A
// run that fails or loses after it has written deletes what it wrote; if
// that fails too, a later run's deleteOld does.
func (r *Runner) run(ctx context.Context, c cohort.Cohort, started time.Time, asOf, last audit.Date) (run store.KpiAggregateRun, keep int64, err error) {
	computed := r.now()
	cohortID := int64(c)
	counts, err := r.Store.CountKPIAggregates(ctx, store.CountKPIAggregatesParams{Cohort: &cohortID, LastAssessmentCounted: &last})
	if err != nil {
		return run, 0, fmt.Errorf("counting children: %w", err)
	}
	// A newer run that finished while this one counted: nothing to write
	// (the switch checks again, under the cohort's lock).
	if current, err := r.Store.GetCurrentKPIAggregateRun(ctx, cohortID); err == nil && current.StartedAt.After(started) {
		return current, 0, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return run, 0, err
	}
	var id int64
	err = r.part(ctx, func(tx store.Tx) error {
		var err error
		id, err = tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: cohortID, Status: "running",
			AsOf: asOf, LastAssessmentCounted: last, StartedAt: started, ComputedAt: computed})
		if err != nil {
			return err
		}
		return stage(ctx, tx, id, counts)
	})
	if err != nil {
		return run, 0, fmt.Errorf("storing the counts: %w", err)
	}
	lost := false
	err = r.write(ctx, id)
	if err == nil {
		run, keep, lost, err = r.switchTo(ctx, cohortID, id, started)
	}
	if err != nil || lost {
		if derr := r.discard(ctx, id); err != nil {
			return run, 0, errors.Join(err, derr)
		}
	}
	return run, keep, err
}

// part runs fn in a write transaction of its own, then pauses for as long
// as it held the writer times the WriterPause. The pause ends early when
// ctx does, without an error: the transaction committed (it may have been
// the switch), and the next part fails on ctx.
func (r *Runner) part(ctx context.Context, fn func(store.Tx) error) error {
	var began time.Time
	if err := r.Store.InTx(ctx, func(tx store.Tx) error {
		began = time.Now()
		return fn(tx)
	}); err != nil {
		return err
	}
	_ = store.PauseAfterWrite(ctx, r.Store.Engine(), r.WriterPause, time.Since(began)) // ended early: see above
	return nil
}

// stage stores the per-organisation counts for run id, which the roll-ups
// sum.
func stage(ctx context.Context, tx store.Tx, id int64, counts []store.CountKPIAggregatesRow) error {
	for _, row := range counts {
		// The same columns in the same order (queries/shared/
		// kpi_aggregate_measures.sql): the conversion compiles only then.
		p := store.InsertKPIAggregateStagingParams(row)
		p.RunID = id
		if err := tx.InsertKPIAggregateStaging(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// write stores run id's figures from its staged counts: every level's
// entities, then every level's figures a few measures a transaction
// (reading only the staged rows, so cheap), then deletes the staged rows.
// No reader sees them before the switch.
func (r *Runner) write(ctx context.Context, id int64) error {
	var entities int64
	if err := r.part(ctx, func(tx store.Tx) error {
		var err error
		entities, err = tx.RollUpKPIAggregateEntities(ctx, id)
		return err
	}); err != nil {
		return fmt.Errorf("summing entities: %w", err)
	}
	// Every entity has a row per measure: the parts are done when they
	// have written that many (a call that writes none would cost as much
	// as a part, summing every entity again, to say so).
	for written, want := int64(0), entities*int64(kpi.NumMeasures); written < want; {
		var n int64
		if err := r.part(ctx, func(tx store.Tx) error {
			var err error
			n, err = tx.RollUpKPIAggregates(ctx, id)
			return err
		}); err != nil {
			return fmt.Errorf("summing measures: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("summing measures: %d rows of %d written, then none", written, want)
		}
		written += n
	}
	if err := r.part(ctx, func(tx store.Tx) error { return tx.ClearKPIAggregateStaging(ctx, id) }); err != nil {
		return fmt.Errorf("clearing the staged counts: %w", err)
	}
	return nil
}

// switchTo makes run id, written, the cohort's current run, unless the
// current run started after it did (lost: that run is returned).
func (r *Runner) switchTo(ctx context.Context, cohortID, id int64, started time.Time) (run store.KpiAggregateRun, keep int64, lost bool, err error) {
	err = r.part(ctx, func(tx store.Tx) error {
		previous, err := tx.LockKPIAggregateCohort(ctx, cohortID)
		if err != nil {
			return err
		}
		if previous != nil {
			current, err := tx.GetCurrentKPIAggregateRun(ctx, cohortID)
			if err != nil {
				return err
			}
			if current.StartedAt.After(started) {
				// A newer run finished while this one counted and wrote.
				run, lost = current, true
				return nil
			}
		}
		finished := r.now()
		n, err := tx.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{ID: id, FinishedAt: &finished})
		if err != nil {
			return err
		}
		if n == 0 {
			return errAbandoned
		}
		if err := tx.SetCurrentKPIAggregateRun(ctx, store.SetCurrentKPIAggregateRunParams{Cohort: cohortID, RunID: id}); err != nil {
			return err
		}
		keep = id
		if previous != nil {
			keep = *previous
		}
		run, err = tx.GetCurrentKPIAggregateRun(ctx, cohortID)
		return err
	})
	if err != nil || lost {
		return run, 0, lost, err
	}
	return run, keep, false, nil
}

// measureParts calls fn for each range of measure positions, 1 to
// kpi.NumMeasures, measuresPerPart at a time.
func measureParts(fn func(first, last int64) error) error {
	for first := 1; first <= kpi.NumMeasures; first += measuresPerPart {
		if err := fn(int64(first), int64(min(first+measuresPerPart-1, kpi.NumMeasures))); err != nil {
			return err
		}
	}
	return nil
}

// discard deletes run id, which never switched, with its figures, in
// parts, even when ctx has ended (a shutdown: it gets a few seconds of
// its own). If it fails, the run stays "running", unseen, and the
// deleteOld of the second run to switch after it deletes it.
func (r *Runner) discard(ctx context.Context, id int64) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := measureParts(func(first, last int64) error {
		return r.part(ctx, func(tx store.Tx) error {
			_, err := tx.DeleteKPIAggregateRunResults(ctx, store.DeleteKPIAggregateRunResultsParams{RunID: id, FirstMeasure: first, LastMeasure: last})
			return err
		})
	})
	if err == nil {
		err = r.part(ctx, func(tx store.Tx) error {
			_, err := tx.DeleteKPIAggregateRun(ctx, id)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("deleting the unfinished run: %w", err)
	}
	return nil
}

// deleteOld deletes the cohort's runs before keep, with their figures,
// after the switch, in parts: deleting 12,000 rows at once held SQLite's
// writer for tens of milliseconds. Keep is the run readers saw until the
// switch (one may be reading it still). Runs before keep that still run
// are marked failed first, so they never switch half deleted (a run that
// died, or one so slow that two later runs switched before it). What this
// leaves, if it fails, the next run deletes.
func (r *Runner) deleteOld(ctx context.Context, cohortID, keep int64) error {
	err := r.part(ctx, func(tx store.Tx) error {
		finished := r.now()
		_, err := tx.AbandonKPIAggregateRunsBefore(ctx, store.AbandonKPIAggregateRunsBeforeParams{Cohort: cohortID, BeforeID: keep, FinishedAt: &finished})
		return err
	})
	if err == nil {
		err = measureParts(func(first, last int64) error {
			return r.part(ctx, func(tx store.Tx) error {
				_, err := tx.DeleteKPIAggregateResultsBefore(ctx, store.DeleteKPIAggregateResultsBeforeParams{Cohort: cohortID, BeforeID: keep,
					FirstMeasure: first, LastMeasure: last})
				return err
			})
		})
	}
	if err == nil {
		err = r.part(ctx, func(tx store.Tx) error {
			_, err := tx.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: cohortID, BeforeID: keep})
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("deleting old runs: %w", err)
	}
	return nil
}

// recordFailure stores a failed run, for the people who watch the
// aggregation, even when ctx has ended (a shutdown): it gets a few seconds
// of its own.
func (r *Runner) recordFailure(ctx context.Context, c cohort.Cohort, started time.Time, asOf, last audit.Date, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	finished := r.now()
	return r.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: int64(c), Status: "failed",
			AsOf: asOf, LastAssessmentCounted: last, StartedAt: started, ComputedAt: started,
			FinishedAt: &finished, Error: cause.Error()}); err != nil {
			return fmt.Errorf("aggregate: recording the failure: %w", err)
		}
		_, err := tx.DeleteOldFailedKPIAggregateRuns(ctx, int64(c))
		return err
	})
}

// CurrentCohorts are the cohorts a run of "all current cohorts" covers on
// date today: those open for data (the recruiting and submitting cohorts,
// and the grace cohort in its grace period, §7) and every cohort with
// registered children, so figures stay right after a transfer, opt-out or
// reference-data change in a closed cohort. Oldest first.
func CurrentCohorts(ctx context.Context, q store.Queries, today time.Time) ([]cohort.Cohort, error) {
	registered, err := q.ListRegisteredCohorts(ctx)
	if err != nil {
		return nil, err
	}
	var out []cohort.Cohort
	for _, c := range cohort.RolesOn(today).Open() {
		if c >= cohort.First {
			out = append(out, c)
		}
	}
	for _, n := range registered {
		if c := cohort.Cohort(n); c >= cohort.First && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, nil
}

// RunCurrent runs every cohort of CurrentCohorts, each a run of its own
// (see Run); a cohort that fails does not stop the others, and the
// errors are returned together.
func (r *Runner) RunCurrent(ctx context.Context) ([]store.KpiAggregateRun, error) {
	cohorts, err := CurrentCohorts(ctx, r.Store, r.now().In(london))
	if err != nil {
		return nil, err
	}
	var runs []store.KpiAggregateRun
	var errs []error
	for _, c := range cohorts {
		run, err := r.Run(ctx, c)
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		runs = append(runs, run)
	}
	return runs, errors.Join(errs...)
}
