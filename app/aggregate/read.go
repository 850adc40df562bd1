package aggregate

import (
	"context"
	"errors"
	"fmt"

	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// Reading, for the dashboards: each function reads the cohort's current
// run (the last complete one) and returns it with the figures, so a page
// can say how fresh they are (Run.ComputedAt). A cohort never aggregated
// gives ErrNotRun ("Aggregation not yet performed").

// ErrNotRun means the cohort has no complete run yet.
var ErrNotRun = fmt.Errorf("aggregate: cohort not aggregated yet: %w", store.ErrNotFound)

// Current is cohort c's current run.
func Current(ctx context.Context, q store.Queries, c cohort.Cohort) (store.KpiAggregateRun, error) {
	run, err := q.GetCurrentKPIAggregateRun(ctx, int64(c))
	if errors.Is(err, store.ErrNotFound) {
		return run, ErrNotRun
	}
	return run, err
}

// Cohorts lists the current run of every cohort that has one, latest
// cohort first: which cohorts have figures, and from when.
func Cohorts(ctx context.Context, q store.Queries) ([]store.KpiAggregateRun, error) {
	return q.ListCurrentKPIAggregateRuns(ctx)
}

// History lists cohort c's latest runs, complete and failed, newest first
// (at most n): what an administrator checks when figures look stale.
func History(ctx context.Context, q store.Queries, c cohort.Cohort, n int) ([]store.KpiAggregateRun, error) {
	return q.ListKPIAggregateRuns(ctx, store.ListKPIAggregateRunsParams{Cohort: int64(c), MaxRuns: int64(n)})
}

// OrganisationReport is an organisation's dashboard: its figures at every
// level that applies to it, in Levels order (a Welsh organisation has no
// trust, ICB or region; an English one no health board).
type OrganisationReport struct {
	Run    store.KpiAggregateRun
	Levels []Figures
}

// Level returns the figures of level l, if it applies.
func (r OrganisationReport) Level(l Level) (Figures, bool) {
	for _, f := range r.Levels {
		if f.Level == l {
			return f, true
		}
	}
	return Figures{}, false
}

// ForOrganisation is the organisation's report in cohort c's current run.
// An organisation added since the run has no figures (empty Levels).
func ForOrganisation(ctx context.Context, q store.Queries, c cohort.Cohort, organisationID int64) (OrganisationReport, error) {
	run, err := Current(ctx, q, c)
	if err != nil {
		return OrganisationReport{}, err
	}
	rows, err := q.ListKPIAggregatesForOrganisation(ctx, store.ListKPIAggregatesForOrganisationParams{RunID: run.ID, OrganisationID: organisationID})
	if err != nil {
		return OrganisationReport{}, err
	}
	figs, err := GroupFigures(rows)
	if err != nil {
		return OrganisationReport{}, err
	}
	out := OrganisationReport{Run: run}
	for _, l := range levels {
		for _, f := range figs {
			if f.Level == l {
				out.Levels = append(out.Levels, f)
			}
		}
	}
	return out, nil
}

// ForEntity is one entity's figures in cohort c's current run; ok is false
// when the run has no such entity.
func ForEntity(ctx context.Context, q store.Queries, c cohort.Cohort, l Level, key string) (f Figures, run store.KpiAggregateRun, ok bool, err error) {
	run, err = Current(ctx, q, c)
	if err != nil {
		return Figures{}, run, false, err
	}
	rows, err := q.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: run.ID, Level: string(l), Entity: key})
	if err != nil {
		return Figures{}, run, false, err
	}
	figs, err := GroupFigures(rows)
	if err != nil || len(figs) == 0 {
		return Figures{}, run, false, err
	}
	return figs[0], run, true, nil
}

// LevelReport is one measure for every entity of a level.
type LevelReport struct {
	Run      store.KpiAggregateRun
	Level    Level
	Measure  kpi.Measure
	Entities []EntityCounts // by name
}

// ForLevel is measure m for every entity of level l in cohort c's current
// run, entities with no children included (with zeros).
func ForLevel(ctx context.Context, q store.Queries, c cohort.Cohort, l Level, m kpi.Measure) (LevelReport, error) {
	run, err := Current(ctx, q, c)
	if err != nil {
		return LevelReport{}, err
	}
	rows, err := q.ListKPIAggregatesForLevel(ctx, store.ListKPIAggregatesForLevelParams{RunID: run.ID, Level: string(l), Measure: m.ID()})
	if err != nil {
		return LevelReport{}, err
	}
	out := LevelReport{Run: run, Level: l, Measure: m, Entities: make([]EntityCounts, 0, len(rows))}
	for _, r := range rows {
		e, err := entityOf(r)
		if err != nil {
			return LevelReport{}, err
		}
		out.Entities = append(out.Entities, EntityCounts{Entity: e, Counts: countsOf(r)})
	}
	return out, nil
}

// GroupFigures groups rows (one per entity and measure, an entity's rows
// together) into one Figures per entity, in the rows' order: what a run's
// rows, or a publication's copy of them, read as.
func GroupFigures(rows []store.KPIAggregateRow) ([]Figures, error) {
	var out []Figures
	for _, r := range rows {
		e, err := entityOf(r)
		if err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Level != e.Level || out[n-1].Key != e.Key {
			out = append(out, Figures{Entity: e})
		}
		m, ok := kpi.MeasureByID(r.Measure)
		if !ok {
			return nil, fmt.Errorf("aggregate: unknown measure %q", r.Measure)
		}
		out[len(out)-1].Measures[m] = countsOf(r)
	}
	return out, nil
}

func entityOf(r store.KPIAggregateRow) (Entity, error) {
	l, err := ParseLevel(r.Level)
	return Entity{Level: l, Key: r.Entity, Name: r.Name, Registered: r.Registered, Complete: r.Complete, Counted: r.Counted}, err
}

func countsOf(r store.KPIAggregateRow) Counts {
	return Counts{Passed: r.Passed, TotalEligible: r.TotalEligible, Ineligible: r.Ineligible, Incomplete: r.Incomplete}
}
