package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// aggregate runs the aggregation of cohort 7 by hand, as app/aggregate does,
// and returns the run's id.
func aggregate(t *testing.T, s store.Store, m int) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	cohort, last := int64(7), *day(2025, 2, 28)
	// The count reads outside the transaction (a reader on SQLite).
	counts, err := s.CountKPIAggregates(ctx, store.CountKPIAggregatesParams{Cohort: &cohort, LastAssessmentCounted: &last})
	if err != nil || len(counts) == 0 {
		t.Errorf("CountKPIAggregates = %d rows, %v; want rows", len(counts), err)
	}
	check(t, s.InTx(ctx, func(tx store.Tx) error {
		previous, err := tx.LockKPIAggregateCohort(ctx, 7)
		if err != nil {
			return err
		}
		if id, err = tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: 7, Status: "running", AsOf: *day(2025, 3, 1),
			LastAssessmentCounted: last, StartedAt: at(m), ComputedAt: at(m)}); err != nil {
			return err
		}
		for _, row := range counts {
			p := store.InsertKPIAggregateStagingParams(row)
			p.RunID = id
			if err := tx.InsertKPIAggregateStaging(ctx, p); err != nil {
				return err
			}
		}
		if n, err := tx.RollUpKPIAggregateEntities(ctx, id); err != nil || n == 0 {
			t.Errorf("RollUpKPIAggregateEntities = %d, %v; want rows", n, err)
		}
		// A few measures a call, until it writes none: 21 measures, every
		// entity's row each.
		entities := rowsOf(t, tx)
		for call := 0; ; call++ {
			n, err := tx.RollUpKPIAggregates(ctx, id)
			if err != nil {
				return err
			}
			if n == 0 {
				if call != 7 {
					t.Errorf("RollUpKPIAggregates wrote in %d calls, want 7 (3 measures each)", call)
				}
				break
			}
			if n != 3*entities {
				t.Errorf("RollUpKPIAggregates call %d wrote %d rows, want 3 measures of %d entities", call, n, entities)
			}
		}
		if err := tx.ClearKPIAggregateStaging(ctx, id); err != nil {
			return err
		}
		if n, err := tx.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{FinishedAt: ptr(at(m + 1)), ID: id}); err != nil || n != 1 {
			t.Errorf("FinishKPIAggregateRun = %d, %v; want the run", n, err)
		}
		if n, err := tx.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{FinishedAt: ptr(at(m + 1)), ID: id}); err != nil || n != 0 {
			t.Errorf("FinishKPIAggregateRun of a complete run = %d, %v; want none", n, err)
		}
		if err := tx.SetCurrentKPIAggregateRun(ctx, store.SetCurrentKPIAggregateRunParams{RunID: id, Cohort: 7}); err != nil {
			return err
		}
		if previous != nil {
			if _, err := tx.DeleteKPIAggregateResultsBefore(ctx, store.DeleteKPIAggregateResultsBeforeParams{Cohort: 7, BeforeID: *previous, FirstMeasure: 1, LastMeasure: 21}); err != nil {
				return err
			}
			if _, err := tx.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: 7, BeforeID: *previous}); err != nil {
				return err
			}
		}
		return nil
	}))
	return id
}

// scoredChildren adds two registered children of cohort 7 at RGT01 with
// complete results: A1 passes the ECG measure, B2 fails it.
func scoredChildren(t *testing.T, s store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	lead := org(t, s, "RGT01")
	for i, id := range []int64{newRegisteredChild(t, s, "A1", lead, 7), newRegisteredChild(t, s, "B2", lead, 7)} {
		n, err := s.UpsertKPIResult(ctx, store.UpsertKPIResultParams{ChildID: id, RulesVersion: "r1", DataVersion: 2, ComputedAt: at(1),
			Ecg: ptr(int64(1 - i)), AuditComplete: ptr(true)})
		wantRows(t, "UpsertKPIResult", n, err, 1)
	}
	return lead
}

func TestKPIAggregateQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		_, err := s.GetCurrentKPIAggregateRun(ctx, 7)
		wantNotFound(t, "GetCurrentKPIAggregateRun before any run", err)
		lead := scoredChildren(t, s)
		if cs := get[[]int64](t)(s.ListRegisteredCohorts(ctx)); len(cs) != 1 || cs[0] != 7 {
			t.Errorf("ListRegisteredCohorts = %v, want [7]", cs)
		}
		codes := get[[]string](t)(s.ListKPIMeasureCodes(ctx))
		if len(codes) != 21 {
			t.Fatalf("ListKPIMeasureCodes = %v, want 21", codes)
		}
		ecg := codes[4] // the fifth measure, kpi_results.ecg

		first := aggregate(t, s, 10)
		run := aggregate(t, s, 20)
		cur := get[store.KpiAggregateRun](t)(s.GetCurrentKPIAggregateRun(ctx, 7))
		if cur.ID != run || cur.Status != "complete" || cur.AsOf != *day(2025, 3, 1) || !cur.FinishedAt.Equal(at(21)) || cur.Children != 2 {
			t.Errorf("GetCurrentKPIAggregateRun = %+v, want run %d, complete, 2 children", cur, run)
		}
		if rs := get[[]store.KpiAggregateRun](t)(s.ListCurrentKPIAggregateRuns(ctx)); len(rs) != 1 || rs[0].ID != run {
			t.Errorf("ListCurrentKPIAggregateRuns = %+v", rs)
		}
		// The first run was current while the second ran, so it is kept.
		if rs := get[[]store.KpiAggregateRun](t)(s.ListKPIAggregateRuns(ctx, store.ListKPIAggregateRunsParams{Cohort: 7, MaxRuns: 10})); len(rs) != 2 || rs[0].ID != run || rs[1].ID != first {
			t.Errorf("ListKPIAggregateRuns = %+v, want both, newest first", rs)
		}

		national := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: run, Level: "national", Entity: "national"}))
		if len(national) != 21 || national[4].Measure != ecg || national[4].Registered != 2 || national[4].Counted != 2 || national[4].Passed != 1 || national[4].TotalEligible != 2 {
			t.Errorf("ListKPIAggregatesForEntity(national) = %d rows, ECG %+v; want 21, ECG passed 1 of 2", len(national), national)
		}
		byOrg := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForOrganisation(ctx, store.ListKPIAggregatesForOrganisationParams{RunID: run, OrganisationID: lead}))
		levels := map[string]bool{}
		for _, r := range byOrg {
			levels[r.Level] = true
			if r.Measure == ecg && (r.Passed != 1 || r.Registered != 2) {
				t.Errorf("ListKPIAggregatesForOrganisation: %s %s ECG = %+v, want 1 passed of 2", r.Level, r.Entity, r)
			}
		}
		if !levels["organisation"] || !levels["trust"] || !levels["national"] || len(byOrg) != 21*len(levels) {
			t.Errorf("ListKPIAggregatesForOrganisation levels = %v (%d rows), want organisation, trust, national and more, 21 each", levels, len(byOrg))
		}
		// Every trust has a row; only RGT has children.
		trusts := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForLevel(ctx, store.ListKPIAggregatesForLevelParams{RunID: run, Level: "trust", Measure: ecg}))
		var rgt []store.KPIAggregateRow
		for i, r := range trusts {
			if r.Entity == "RGT" {
				rgt = append(rgt, r)
			} else if r.Registered != 0 || r.Measure != ecg {
				t.Errorf("ListKPIAggregatesForLevel(trust, ECG): %+v, want no children", r)
			}
			if i > 0 && trusts[i-1].Name > r.Name {
				t.Errorf("ListKPIAggregatesForLevel not by name at %s", r.Entity)
			}
		}
		if len(rgt) != 1 || rgt[0].Passed != 1 || rgt[0].Registered != 2 {
			t.Errorf("ListKPIAggregatesForLevel(trust, ECG) for RGT = %+v, want 1 passed of 2", rgt)
		}
		ols := get[[]store.OrganisationLevel](t)(s.ListOrganisationLevels(ctx))
		found := false
		for _, l := range ols {
			found = found || (l.OrganisationID == lead && l.Level == "trust" && l.Entity == "RGT")
		}
		if !found {
			t.Errorf("ListOrganisationLevels has no trust RGT for RGT01 (%d rows)", len(ols))
		}

		// Failed runs: the ten latest are kept.
		for i := range 12 {
			_ = get[int64](t)(s.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: 7, Status: "failed", AsOf: *day(2025, 3, 1),
				LastAssessmentCounted: *day(2025, 2, 28), StartedAt: at(30 + i), ComputedAt: at(30 + i), FinishedAt: ptr(at(30 + i)), Error: "boom"}))
		}
		n, err := s.DeleteOldFailedKPIAggregateRuns(ctx, 7)
		wantRows(t, "DeleteOldFailedKPIAggregateRuns", n, err, 2)
		// A third run deletes the first (the second was current).
		aggregate(t, s, 50)
		if rs := get[[]store.KpiAggregateRun](t)(s.ListKPIAggregateRuns(ctx, store.ListKPIAggregateRunsParams{Cohort: 7, MaxRuns: 20})); len(rs) != 12 || rs[len(rs)-1].ID != run {
			t.Errorf("after a third run, %d runs, the oldest %d; want 12 (10 failed), the oldest %d", len(rs), rs[len(rs)-1].ID, run)
		}
		n, err = s.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: 7, BeforeID: run})
		wantRows(t, "DeleteKPIAggregateRunsBefore (done by the run already)", n, err, 0)
		if rows := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: first, Level: "national", Entity: "national"})); len(rows) != 0 {
			t.Errorf("the first run's figures outlived it: %d rows", len(rows))
		}
	})
}

func TestKPIPublicationQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := scoredChildren(t, s)
		ann := newUser(t, s, "ann@example.org", nil)
		run := aggregate(t, s, 10)
		cur := get[store.KpiAggregateRun](t)(s.GetCurrentKPIAggregateRun(ctx, 7))
		var pub int64
		check(t, s.InTx(ctx, func(tx store.Tx) error {
			var err error
			pub, err = tx.InsertKPIPublication(ctx, store.InsertKPIPublicationParams{Cohort: 7, RunID: run, AsOf: cur.AsOf, ComputedAt: cur.ComputedAt,
				Children: cur.Children, PublishedAt: at(20), PublishedBy: &ann})
			if err != nil {
				return err
			}
			if n, err := tx.CopyKPIPublicationEntities(ctx, store.CopyKPIPublicationEntitiesParams{PublicationID: pub, RunID: run}); err != nil || n == 0 {
				t.Errorf("CopyKPIPublicationEntities = %d, %v", n, err)
			}
			if n, err := tx.CopyKPIPublicationResults(ctx, store.CopyKPIPublicationResultsParams{PublicationID: pub, RunID: run}); err != nil || n == 0 {
				t.Errorf("CopyKPIPublicationResults = %d, %v", n, err)
			}
			return nil
		}))
		ps := get[[]store.KPIPublication](t)(s.ListKPIPublications(ctx, store.ListKPIPublicationsParams{Cohort: 7, MaxRows: 10}))
		if len(ps) != 1 || ps[0].ID != pub || ps[0].RunID != run || ps[0].Children != 2 || ps[0].PublishedByName != "Ann Ann" || !ps[0].PublishedAt.Equal(at(20)) {
			t.Errorf("ListKPIPublications = %+v", ps)
		}
		if ps := get[[]store.KPIPublication](t)(s.ListLatestKPIPublications(ctx)); len(ps) != 1 || ps[0].ID != pub {
			t.Errorf("ListLatestKPIPublications = %+v", ps)
		}
		os := get[[]store.PublishedOrganisation](t)(s.ListPublishedOrganisations(ctx))
		found := false
		for _, o := range os {
			found = found || o.ODSCode == "RGT01"
		}
		if !found || len(os) != 342 {
			t.Errorf("ListPublishedOrganisations = %d organisations (RGT01 among them: %v), want every one", len(os), found)
		}
		// What was published is what the run computed.
		want := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForOrganisation(ctx, store.ListKPIAggregatesForOrganisationParams{RunID: run, OrganisationID: lead}))
		got := get[[]store.KPIAggregateRow](t)(s.ListKPIPublishedForOrganisation(ctx, store.ListKPIPublishedForOrganisationParams{PublicationID: pub, OrganisationID: lead}))
		if len(got) == 0 || len(got) != len(want) {
			t.Fatalf("ListKPIPublishedForOrganisation = %d rows, the run's %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("published row %d = %+v, the run's %+v", i, got[i], want[i])
			}
		}
		// Every entity of every level, every measure: the RGT01 rows among them.
		passed := func(rows []store.KPIAggregateRow, level, entity string) (n int64, found int) {
			for _, r := range rows {
				if r.Level == level && r.Entity == entity {
					n += r.Passed
					found++
				}
			}
			return n, found
		}
		all := get[[]store.KPIAggregateRow](t)(s.ListKPIPublished(ctx, pub))
		if n, found := passed(all, "organisation", "RGT01"); n != 1 || found != 21 {
			t.Errorf("ListKPIPublished: RGT01 has %d rows, %d passed; want 21, 1", found, n)
		}
		trusts := get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesOfLevel(ctx, store.ListKPIAggregatesOfLevelParams{RunID: run, Level: "trust"}))
		if n, found := passed(trusts, "trust", "RGT"); n != 1 || found != 21 || len(trusts)%21 != 0 {
			t.Errorf("ListKPIAggregatesOfLevel(trust): RGT has %d rows, %d passed, of %d; want 21, 1", found, n, len(trusts))
		}
	})
}

// rowsOf counts the entities of every level (one row of a measure each).
func rowsOf(t *testing.T, tx store.Tx) int64 {
	t.Helper()
	ols, err := tx.ListOrganisationLevels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]string]bool{}
	for _, l := range ols {
		seen[[2]string{l.Level, l.Entity}] = true
	}
	return int64(len(seen))
}

// A run that never switched is deleted in parts: its figures a few
// measures at a time, then the run (its entities go with it); a running run
// before another is abandoned (marked failed) before its figures go, and
// never switches then; the current run is never deleted.
func TestKPIAggregateDeletionInParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		scoredChildren(t, s)
		kept := aggregate(t, s, 10)
		results := func(run int64) int {
			return len(get[[]store.KPIAggregateRow](t)(s.ListKPIAggregatesForEntity(ctx, store.ListKPIAggregatesForEntityParams{RunID: run, Level: "national", Entity: "national"})))
		}
		// A run written but not switched.
		var orphan int64
		check(t, s.InTx(ctx, func(tx store.Tx) error {
			var err error
			orphan, err = tx.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: 7, Status: "running", AsOf: *day(2025, 3, 1),
				LastAssessmentCounted: *day(2025, 2, 28), StartedAt: at(11), ComputedAt: at(11)})
			if err != nil {
				return err
			}
			if _, err := tx.RollUpKPIAggregateEntities(ctx, orphan); err != nil {
				return err
			}
			_, err = tx.RollUpKPIAggregates(ctx, orphan)
			return err
		}))
		if n := results(orphan); n != 3 {
			t.Fatalf("the orphan has %d national figures, want 3", n)
		}
		n, err := s.DeleteKPIAggregateRunResults(ctx, store.DeleteKPIAggregateRunResultsParams{RunID: kept, FirstMeasure: 1, LastMeasure: 21})
		wantRows(t, "DeleteKPIAggregateRunResults of a complete run", n, err, 0)
		n, err = s.DeleteKPIAggregateRunResults(ctx, store.DeleteKPIAggregateRunResultsParams{RunID: orphan, FirstMeasure: 1, LastMeasure: 2})
		if err != nil || n == 0 || results(orphan) != 1 {
			t.Errorf("DeleteKPIAggregateRunResults(1-2) = %d, %v; %d national figures left, want 1", n, err, results(orphan))
		}
		// Two later runs: the orphan is before the one kept.
		aggregate(t, s, 20)
		current := aggregate(t, s, 30)
		n, err = s.AbandonKPIAggregateRunsBefore(ctx, store.AbandonKPIAggregateRunsBeforeParams{Cohort: 7, BeforeID: current + 1, FinishedAt: ptr(at(40))})
		wantRows(t, "AbandonKPIAggregateRunsBefore", n, err, 1)
		n, err = s.FinishKPIAggregateRun(ctx, store.FinishKPIAggregateRunParams{ID: orphan, FinishedAt: ptr(at(40))})
		wantRows(t, "FinishKPIAggregateRun of an abandoned run", n, err, 0)
		n, err = s.DeleteKPIAggregateRun(ctx, orphan)
		wantRows(t, "DeleteKPIAggregateRun of a run no longer running", n, err, 0)
		// Everything before current+1 but the current run goes.
		n, err = s.DeleteKPIAggregateResultsBefore(ctx, store.DeleteKPIAggregateResultsBeforeParams{Cohort: 7, BeforeID: current + 1, FirstMeasure: 3, LastMeasure: 3})
		if err != nil || results(orphan) != 0 || results(current) != 21 {
			t.Errorf("DeleteKPIAggregateResultsBefore(3) = %d, %v; the orphan keeps %d, the current %d national figures", n, err, results(orphan), results(current))
		}
		n, err = s.DeleteKPIAggregateRunsBefore(ctx, store.DeleteKPIAggregateRunsBeforeParams{Cohort: 7, BeforeID: current + 1})
		wantRows(t, "DeleteKPIAggregateRunsBefore", n, err, 2) // the orphan and the run at 20 (the third run deleted the first)
		if cur := get[store.KpiAggregateRun](t)(s.GetCurrentKPIAggregateRun(ctx, 7)); cur.ID != current {
			t.Errorf("current run %d, want %d", cur.ID, current)
		}
		// A running run is deleted by DeleteKPIAggregateRun.
		running := get[int64](t)(s.InsertKPIAggregateRun(ctx, store.InsertKPIAggregateRunParams{Cohort: 7, Status: "running", AsOf: *day(2025, 3, 1),
			LastAssessmentCounted: *day(2025, 2, 28), StartedAt: at(50), ComputedAt: at(50)}))
		n, err = s.DeleteKPIAggregateRun(ctx, running)
		wantRows(t, "DeleteKPIAggregateRun", n, err, 1)
	})
}
