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
// the cohort's current run, all in one transaction: readers see the
// previous run until this one commits, and a run that fails leaves it in
// place (the failure is recorded as a run of its own, with its error).
//
// The work is set-based SQL: one pass over the cohort's children counts
// them per organisation, and every level is summed from those counts. Runs
// of the same cohort wait for each other. On SQLite the run holds the
// database's one writer (and, as the store has one connection, every other
// query of the process) until it commits.
func (r *Runner) Run(ctx context.Context, c cohort.Cohort) (store.KpiAggregateRun, error) {
	started := r.now()
	asOf := UKDate(started)
	last := LastAssessmentCounted(asOf)
	var run store.KpiAggregateRun
	err := r.Store.InTx(ctx, func(tx store.Tx) error {
		previous, err := tx.LockKPIAggregateCohort(ctx, int64(c))
		if err != nil {
			return err
		}
		id, err := tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: int64(c), Status: "running",
			AsOf: asOf, LastAssessmentCounted: last, StartedAt: started, ComputedAt: r.now()})
		if err != nil {
			return err
		}
		if err := compute(ctx, tx, id); err != nil {
			return err
		}
		finished := r.now()
		if err := tx.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{ID: id, FinishedAt: &finished}); err != nil {
			return err
		}
		if err := tx.SetCurrentKPIAggregateRun(ctx, store.SetCurrentKPIAggregateRunParams{Cohort: int64(c), RunID: id}); err != nil {
			return err
		}
		// Keep the run readers saw until now (one may be reading it still)
		// and everything since; older runs go with their figures.
		keep := id
		if previous != nil {
			keep = *previous
		}
		if _, err := tx.DeleteKPIAggregateResultsBefore(ctx, store.DeleteKPIAggregateResultsBeforeParams{Cohort: int64(c), BeforeID: keep}); err != nil {
			return err
		}
		if _, err := tx.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: int64(c), BeforeID: keep}); err != nil {
			return err
		}
		run, err = tx.GetCurrentKPIAggregateRun(ctx, int64(c))
		return err
	})
	if err != nil {
		err = fmt.Errorf("aggregate: cohort %d: %w", c, err)
		return store.KpiAggregateRun{}, errors.Join(err, r.recordFailure(ctx, c, started, asOf, last, err))
	}
	return run, nil
}

// compute writes run id's figures: the one pass over the children, then
// every level and entity summed from it.
func compute(ctx context.Context, tx store.Tx, id int64) error {
	if _, err := tx.StageKPIAggregates(ctx, id); err != nil {
		return fmt.Errorf("counting children: %w", err)
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
