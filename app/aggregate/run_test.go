package aggregate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

func runner(s store.Store) *aggregate.Runner {
	return &aggregate.Runner{Store: s, Now: func() time.Time { return testNow }}
}

func mustRun(t *testing.T, s store.Store) store.KpiAggregateRun {
	t.Helper()
	run, err := runner(s).Run(context.Background(), testCohort)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// The population's counts, worked out by hand, at every level: KPI 1 and
// KPI 4 (ECG), and the children registered, complete and counted.
func TestAggregationByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		run := mustRun(t, s)
		if run.Status != "complete" || run.Children != 10 || run.AsOf.String() != "2025-02-28" ||
			run.LastAssessmentCounted.String() != "2024-02-29" || !run.ComputedAt.Equal(testNow) {
			t.Errorf("run %+v", run)
		}

		type counts = aggregate.Counts
		for _, c := range []struct {
			level                         aggregate.Level
			key                           string
			registered, complete, counted int64
			kpi1, ecg                     counts
		}{
			{aggregate.Organisation, "RGT01", 7, 4, 3, counts{1, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.Organisation, "RM301", 2, 2, 2, counts{2, 2, 0, 0}, counts{1, 1, 0, 1}},
			{aggregate.Organisation, "RM325", 1, 1, 1, counts{0, 1, 0, 0}, counts{1, 1, 0, 0}},
			{aggregate.Organisation, "RCF22", 0, 0, 0, counts{}, counts{}}, // a child of cohort 6 only
			{aggregate.Organisation, "RM317", 0, 0, 0, counts{}, counts{}}, // no children at all
			{aggregate.Organisation, "7A1A4", 2, 2, 2, counts{2, 2, 0, 0}, counts{1, 2, 0, 0}},
			{aggregate.Organisation, "7A3C7", 1, 1, 1, counts{0, 0, 0, 1}, counts{0, 0, 1, 0}},
			{aggregate.Organisation, "RGT1W", 1, 1, 1, counts{0, 1, 0, 0}, counts{1, 1, 0, 0}},
			{aggregate.Trust, "RGT", 7, 4, 3, counts{1, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.Trust, "RM3", 3, 3, 3, counts{2, 3, 0, 0}, counts{2, 2, 0, 1}},
			{aggregate.Trust, "RCF", 0, 0, 0, counts{}, counts{}},
			{aggregate.Trust, "RGT1W", 1, 1, 1, counts{0, 1, 0, 0}, counts{1, 1, 0, 0}},
			{aggregate.LocalHealthBoard, "7A1", 2, 2, 2, counts{2, 2, 0, 0}, counts{1, 2, 0, 0}},
			{aggregate.LocalHealthBoard, "7A3", 1, 1, 1, counts{0, 0, 0, 1}, counts{0, 0, 1, 0}},
			{aggregate.LocalHealthBoard, "7A2", 0, 0, 0, counts{}, counts{}},
			{aggregate.ICB, "QUE", 7, 4, 3, counts{1, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.ICB, "QOP", 3, 3, 3, counts{2, 3, 0, 0}, counts{2, 2, 0, 1}},
			{aggregate.ICB, "QWO", 0, 0, 0, counts{}, counts{}},
			{aggregate.NHSEnglandRegion, "Y61", 7, 4, 3, counts{1, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.NHSEnglandRegion, "Y62", 3, 3, 3, counts{2, 3, 0, 0}, counts{2, 2, 0, 1}},
			{aggregate.NHSEnglandRegion, "Y63", 0, 0, 0, counts{}, counts{}},
			{aggregate.OpenUKNetwork, "EPEN", 7, 4, 3, counts{1, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.OpenUKNetwork, "NWEIG", 3, 3, 3, counts{2, 3, 0, 0}, counts{2, 2, 0, 1}},
			{aggregate.OpenUKNetwork, "EPIC", 2, 2, 2, counts{2, 2, 0, 0}, counts{1, 2, 0, 0}},
			{aggregate.OpenUKNetwork, "SWEP", 1, 1, 1, counts{0, 0, 0, 1}, counts{0, 0, 1, 0}},
			{aggregate.OpenUKNetwork, "SWIPE", 1, 1, 1, counts{0, 1, 0, 0}, counts{1, 1, 0, 0}},
			{aggregate.Country, "E92000001", 10, 7, 6, counts{3, 5, 0, 1}, counts{3, 4, 1, 1}},
			{aggregate.Country, "W92000004", 3, 3, 3, counts{2, 2, 0, 1}, counts{1, 2, 1, 0}},
			{aggregate.Country, "JEY", 1, 1, 1, counts{0, 1, 0, 0}, counts{1, 1, 0, 0}},
			{aggregate.National, aggregate.NationalKey, 14, 11, 10, counts{5, 8, 0, 2}, counts{5, 7, 2, 1}},
		} {
			f, _, ok, err := aggregate.ForEntity(ctx, s, testCohort, c.level, c.key)
			if err != nil || !ok {
				t.Errorf("%s %s: %v %v", c.level, c.key, ok, err)
				continue
			}
			if f.Registered != c.registered || f.Complete != c.complete || f.Counted != c.counted {
				t.Errorf("%s %s: registered %d complete %d counted %d, want %d %d %d", c.level, c.key,
					f.Registered, f.Complete, f.Counted, c.registered, c.complete, c.counted)
			}
			if got := f.Measure(kpi.PaediatricianWithExpertiseInEpilepsies); got != c.kpi1 {
				t.Errorf("%s %s KPI 1: %+v, want %+v", c.level, c.key, got, c.kpi1)
			}
			if got := f.Measure(kpi.ECG); got != c.ecg {
				t.Errorf("%s %s ECG: %+v, want %+v", c.level, c.key, got, c.ecg)
			}
			for m, counts := range f.Measures {
				if counts.Total() != f.Counted {
					t.Errorf("%s %s %s: %d children in the counts, %d counted", c.level, c.key, kpi.Measure(m).ID(), counts.Total(), f.Counted)
				}
			}
		}

		// Counted children summed over each level: Welsh children are in no
		// trust, ICB or region, English ones in no health board, and
		// Jersey's child is in a trust but no ICB or region.
		for _, c := range []struct {
			level   aggregate.Level
			counted int64
		}{
			{aggregate.Organisation, 10}, {aggregate.Trust, 7}, {aggregate.LocalHealthBoard, 3}, {aggregate.ICB, 6},
			{aggregate.NHSEnglandRegion, 6}, {aggregate.OpenUKNetwork, 10}, {aggregate.Country, 10}, {aggregate.National, 10},
		} {
			r, err := aggregate.ForLevel(ctx, s, testCohort, c.level, kpi.ECG)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, e := range r.Entities {
				sum += e.Counted
			}
			if sum != c.counted {
				t.Errorf("%s: %d children counted over its entities, want %d", c.level, sum, c.counted)
			}
		}

		// A Welsh organisation's report: no trust, ICB or region.
		rep, err := aggregate.ForOrganisation(ctx, s, testCohort, organisationsByODS(t, s)["7A1A4"].ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Levels {
			got = append(got, string(f.Level)+" "+f.Key)
		}
		want := "organisation 7A1A4, local_health_board 7A1, open_uk_network EPIC, country W92000004, national national"
		if strings.Join(got, ", ") != want {
			t.Errorf("Welsh organisation's levels:\n%s\nwant\n%s", strings.Join(got, ", "), want)
		}
		if rep.Run.ID != run.ID {
			t.Errorf("report of run %d, want %d", rep.Run.ID, run.ID)
		}
		if f, ok := rep.Level(aggregate.National); !ok || f.Name != aggregate.NationalName || f.Counted != 10 {
			t.Errorf("national figures %+v %v", f.Entity, ok)
		}
		rep, err = aggregate.ForOrganisation(ctx, s, testCohort, organisationsByODS(t, s)["RM325"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Levels) != 7 {
			t.Errorf("an English organisation has %d levels, want 7 (all but health board)", len(rep.Levels))
		}
		if f, ok := rep.Level(aggregate.Trust); !ok || f.Key != "RM3" || f.Measure(kpi.ECG) != (counts{2, 2, 0, 1}) {
			t.Errorf("RM325's trust: %+v %v", f, ok)
		}
	})
}

// Every entity of every level, every measure, matches the Go model of
// which children count (aggregate.Child) and how (aggregate.Counts).
func TestAggregationMatchesModel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		mustRun(t, s)
		want := expectedFigures(organisationsByODS(t, s), population, testCohort, aggregate.UKDate(testNow))
		for _, l := range aggregate.Levels() {
			entities := 0
			for k := range want {
				if k.level == l {
					entities++
				}
			}
			for _, m := range kpi.Measures() {
				r, err := aggregate.ForLevel(ctx, s, testCohort, l, m.Measure)
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Entities) != entities {
					t.Errorf("%s %s: %d entities, want %d (every entity, children or not)", l, m.ID, len(r.Entities), entities)
				}
				for _, e := range r.Entities {
					w, ok := want[entityKey{l, e.Key}]
					if !ok {
						t.Errorf("%s %s: unexpected entity", l, e.Key)
						continue
					}
					if e.Name == "" || e.Registered != w.Registered || e.Complete != w.Complete || e.Counted != w.Counted {
						t.Errorf("%s %s: %+v, want %+v", l, e.Key, e.Entity, w.Entity)
					}
					if e.Counts != w.Measures[m.Measure] {
						t.Errorf("%s %s %s: %+v, want %+v", l, e.Key, m.ID, e.Counts, w.Measures[m.Measure])
					}
				}
			}
		}
	})
}

// failingStore fails a run after it has counted the children, before it
// has summed every level.
type failingStore struct{ store.Store }

func (f failingStore) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.InTx(ctx, func(tx store.Tx) error { return fn(failingTx{tx}) })
}

type failingTx struct{ store.Tx }

func (failingTx) RollUpKPIAggregates(context.Context, int64) (int64, error) {
	return 0, errors.New("disk on fire")
}

// A run that fails leaves the previous run's figures for readers, and is
// recorded with its error; the next good run replaces the figures.
func TestFailedRunKeepsPreviousResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population)
		first := mustRun(t, s)

		// One more counted child at RM325, then a run that fails half-way.
		insertPopulation(t, s, []kid{{org: "RM325", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1}})
		_, err := (&aggregate.Runner{Store: failingStore{s}, Now: func() time.Time { return testNow }}).Run(ctx, testCohort)
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("the failing run returned %v", err)
		}
		cur, err := aggregate.Current(ctx, s, testCohort)
		if err != nil || cur.ID != first.ID {
			t.Fatalf("current run %d (%v), want the first, %d", cur.ID, err, first.ID)
		}
		f, _, _, err := aggregate.ForEntity(ctx, s, testCohort, aggregate.Organisation, "RM325")
		if err != nil || f.Counted != 1 || f.Measure(kpi.ECG) != (aggregate.Counts{Passed: 1, TotalEligible: 1}) {
			t.Errorf("after a failed run RM325 has %+v (%v), want the first run's figures", f, err)
		}
		hist, err := aggregate.History(ctx, s, testCohort, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Status != "failed" || !strings.Contains(hist[0].Error, "disk on fire") ||
			hist[0].FinishedAt == nil || hist[1].ID != first.ID || hist[1].Status != "complete" {
			t.Errorf("history %+v", hist)
		}

		second := mustRun(t, s)
		f, _, _, err = aggregate.ForEntity(ctx, s, testCohort, aggregate.Organisation, "RM325")
		if err != nil || second.ID == first.ID || f.Counted != 2 || f.Measure(kpi.ECG) != (aggregate.Counts{Passed: 2, TotalEligible: 2}) {
			t.Errorf("after a good run RM325 has %+v (%v)", f, err)
		}
	})
}

// Each run replaces the current one; the one before it is kept (a reader
// may be on it) and older ones are deleted with their figures.
func TestRunsReplaceEachOther(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := aggregate.Current(ctx, s, testCohort); !errors.Is(err, aggregate.ErrNotRun) || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a cohort never aggregated: %v", err)
		}
		insertPopulation(t, s, population)
		r1, r2, r3 := mustRun(t, s), mustRun(t, s), mustRun(t, s)
		hist, err := aggregate.History(ctx, s, testCohort, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].ID != r3.ID || hist[1].ID != r2.ID {
			t.Errorf("runs kept: %+v, want %d and %d", hist, r3.ID, r2.ID)
		}
		if _, err := s.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: r1.ID,
			Level: string(aggregate.National), Entity: aggregate.NationalKey}); err != nil {
			t.Fatal(err)
		}
		rows, err := s.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: r2.ID,
			Level: string(aggregate.National), Entity: aggregate.NationalKey})
		if err != nil || len(rows) != kpi.NumMeasures {
			t.Errorf("the previous run's figures: %d rows (%v), want them kept", len(rows), err)
		}
		for _, table := range []string{"kpi_aggregate_results", "kpi_aggregate_entities", "kpi_aggregate_staging"} {
			if n := rawCount(t, s, fmt.Sprintf("SELECT count(*) FROM %s WHERE run_id = %d", table, r1.ID)); n != 0 {
				t.Errorf("%s keeps %d rows of the oldest run", table, n)
			}
			if n := rawCount(t, s, fmt.Sprintf("SELECT count(*) FROM %s WHERE run_id = %d", table, r3.ID)); (n == 0) != (table == "kpi_aggregate_staging") {
				t.Errorf("%s has %d rows of the current run", table, n)
			}
		}

		// Another cohort has runs of its own.
		if _, err := runner(s).Run(ctx, 8); err != nil {
			t.Fatal(err)
		}
		cohorts, err := aggregate.Cohorts(ctx, s)
		if err != nil || len(cohorts) != 2 || cohorts[0].Cohort != 8 || cohorts[1].ID != r3.ID {
			t.Errorf("cohorts with runs: %+v (%v)", cohorts, err)
		}
	})
}

// rawCount runs a query that returns one number, in SQL both engines read.
func rawCount(t *testing.T, s store.Store, q string) int64 {
	t.Helper()
	var n int64
	var err error
	switch s := s.(type) {
	case *litestore.Store:
		err = s.DB().QueryRowContext(context.Background(), q).Scan(&n)
	case *pgstore.Store:
		err = s.Pool().QueryRow(context.Background(), q).Scan(&n)
	default:
		t.Fatalf("no raw SQL for %T", s)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
