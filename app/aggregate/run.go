package aggregate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
)

// Runner computes aggregations.
type Runner struct {
	Store store.Store
	// Now is the clock: a run's start, the UK date whose "year of care
	// over" it applies, and its computed and finished times. Nil means
	// time.Now.
	Now func() time.Time
}

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
// the cohort's current run. Readers see the previous run until this one
// commits, and a run that fails leaves it in place (the failure is
// recorded as a run of its own, with its error).
//
// The work is set-based SQL in two parts. The expensive one, one pass over
// the cohort's children counting them per organisation, is a plain read
// outside any transaction: on SQLite it runs on a reader connection and
// never holds the database's one writer, so saves go on meanwhile. Then one
// transaction stores those few hundred rows, writes every level's figures
// summed from them (about 12,000 rows) and switches the current run; a
// second deletes old runs. Those two still hold SQLite's writer, for tens
// of milliseconds each (docs/performance.md).
//
// Runs of the same cohort may therefore count at the same time; the one
// that started last wins. The transaction takes the cohort's row first (so
// runs queue there), and a run whose cohort already has a current run that
// started later than it did installs nothing and returns that run: older
// data never replaces newer figures. A run reads after it starts, so the
// current figures always include every change committed before the
// current run's StartedAt.
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

// run counts, then installs the run in one transaction. keep is the run
// before it, for deleteOld (0: this run installed nothing).
func (r *Runner) run(ctx context.Context, c cohort.Cohort, started time.Time, asOf, last audit.Date) (run store.KpiAggregateRun, keep int64, err error) {
	computed := r.now()
	cohortID := int64(c)
	counts, err := r.Store.CountKPIAggregates(ctx, store.CountKPIAggregatesParams{Cohort: &cohortID, LastAssessmentCounted: &last})
	if err != nil {
		return run, 0, fmt.Errorf("counting children: %w", err)
	}
	err = r.Store.InTx(ctx, func(tx store.Tx) error {
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
				// A newer run finished while this one counted.
				run = current
				return nil
			}
		}
		id, err := tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: cohortID, Status: "running",
			AsOf: asOf, LastAssessmentCounted: last, StartedAt: started, ComputedAt: computed})
		if err != nil {
			return err
		}
		if err := write(ctx, tx, id, counts); err != nil {
			return err
		}
		finished := r.now()
		if err := tx.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{ID: id, FinishedAt: &finished}); err != nil {
			return err
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
	if err != nil {
		return run, 0, err
	}
	return run, keep, nil
}

// deleteOld deletes the cohort's runs before keep, with their figures, in
// a transaction of its own after the switch: deleting 12,000 rows holds
// SQLite's writer for tens of milliseconds, and saves should wait for one
// of the two at a time. Keep is the run readers saw until the switch (one
// may be reading it still); what this leaves, if it fails, the next run
// deletes.
func (r *Runner) deleteOld(ctx context.Context, cohortID, keep int64) error {
	err := r.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteKPIAggregateResultsBefore(ctx, store.DeleteKPIAggregateResultsBeforeParams{Cohort: cohortID, BeforeID: keep}); err != nil {
			return err
		}
		_, err := tx.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: cohortID, BeforeID: keep})
		return err
	})
	if err != nil {
		return fmt.Errorf("deleting old runs: %w", err)
	}
	return nil
}

// write stores run id's figures from the per-organisation counts: staged,
// then every level and entity summed from them (reading only the staged
// rows, so cheap).
func write(ctx context.Context, tx store.Tx, id int64, counts []store.CountKPIAggregatesRow) error {
	for _, row := range counts {
		// The same columns in the same order (queries/shared/
		// kpi_aggregate_measures.sql): the conversion compiles only then.
		p := store.InsertKPIAggregateStagingParams(row)
		p.RunID = id
		if err := tx.InsertKPIAggregateStaging(ctx, p); err != nil {
			return fmt.Errorf("storing the counts: %w", err)
		}
	}
	if _, err := tx.RollUpKPIAggregateEntities(ctx, id); err != nil {
		return fmt.Errorf("summing entities: %w", err)
	}
	if _, err := tx.RollUpKPIAggregates(ctx, id); err != nil {
		return fmt.Errorf("summing measures: %w", err)
	}
	return tx.ClearKPIAggregateStaging(ctx, id)
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

// RunCurrent runs every cohort of CurrentCohorts, each in its own
// transaction; a cohort that fails does not stop the others, and the
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
