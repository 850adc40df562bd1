package storetest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestKPIResultQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		a := newRegisteredChild(t, s, "A1", lead, 7)
		b := newRegisteredChild(t, s, "B2", lead, 7)
		stale := func(today *store.Date) []int64 {
			return get[[]int64](t)(s.ListStaleKPIChildren(ctx, store.ListStaleKPIChildrenParams{RulesVersion: "r1", Today: today, MaxRows: 10}))
		}
		if ids := stale(day(2025, 3, 1)); len(ids) != 2 || ids[0] != a {
			t.Errorf("ListStaleKPIChildren with no results = %v, want both", ids)
		}
		if v := get[int64](t)(s.LockChildForScoring(ctx, a)); v != 2 {
			t.Errorf("LockChildForScoring = %d, want version 2", v)
		}
		_, err := s.GetKPIResult(ctx, a)
		wantNotFound(t, "GetKPIResult before scoring", err)

		r := store.UpsertKPIResultParams{ChildID: a, RulesVersion: "r1", DataVersion: 2, ComputedAt: at(1), Ecg: ptr(int64(1)), Mri: ptr(int64(0)),
			AuditComplete: ptr(true), ValidUntil: day(2025, 6, 1)}
		n, err := s.UpsertKPIResult(ctx, r)
		wantRows(t, "UpsertKPIResult", n, err, 1)
		older := r
		older.DataVersion, older.Ecg = 1, ptr(int64(0))
		n, err = s.UpsertKPIResult(ctx, older)
		wantRows(t, "UpsertKPIResult of an older version", n, err, 0)
		got := get[store.KpiResult](t)(s.GetKPIResult(ctx, a))
		if got.DataVersion != 2 || *got.Ecg != 1 || *got.Mri != 0 || got.Sudep != nil || !*got.AuditComplete || *got.ValidUntil != *day(2025, 6, 1) || !got.ComputedAt.Equal(at(1)) {
			t.Errorf("GetKPIResult = %+v", got)
		}

		var bulk store.BulkKPIResult
		bulk.ChildID, bulk.RulesVersion, bulk.DataVersion, bulk.ComputedAt = b, "r1", 2, at(2).Format(store.BulkTimeFormat)
		bulk.S[0], bulk.S[20] = ptr(int64(2)), ptr(int64(1))
		bulk.Complete, bulk.ValidUntil = true, ptr("2025-03-02")
		js, _ := json.Marshal([]store.BulkKPIResult{bulk})
		n, err = s.UpsertKPIResults(ctx, string(js))
		wantRows(t, "UpsertKPIResults", n, err, 1)
		got = get[store.KpiResult](t)(s.GetKPIResult(ctx, b))
		if *got.PaediatricianWithExpertiseInEpilepsies != 2 || *got.SchoolIndividualHealthcarePlan != 1 || got.Ecg != nil || !*got.AuditComplete ||
			*got.ValidUntil != *day(2025, 3, 2) || !got.ComputedAt.Equal(at(2)) {
			t.Errorf("GetKPIResult after UpsertKPIResults = %+v", got)
		}
		// Both results are current until B2's runs out on 2 March.
		if ids := stale(day(2025, 3, 1)); len(ids) != 0 {
			t.Errorf("ListStaleKPIChildren with current results = %v", ids)
		}
		if ids := stale(day(2025, 3, 2)); len(ids) != 1 || ids[0] != b {
			t.Errorf("ListStaleKPIChildren on 2 March = %v, want B2", ids)
		}
		check(t, s.DeleteKPIResult(ctx, a))
		_, err = s.GetKPIResult(ctx, a)
		wantNotFound(t, "GetKPIResult after DeleteKPIResult", err)
	})
}

func TestKPIRecalculationQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		ann := newUser(t, s, "ann@example.org", nil)
		id := get[int64](t)(s.InsertKPIRecalculation(ctx, store.InsertKPIRecalculationParams{RulesVersion: "r2", RequestedBy: &ann, RequestedAt: at(0)}))
		_, err := s.GetKPIRecalculation(ctx, id+100)
		wantNotFound(t, "GetKPIRecalculation", err)
		check(t, s.StartKPIRecalculation(ctx, store.StartKPIRecalculationParams{StartedAt: ptr(at(1)), Total: 3, ID: id}))
		check(t, s.ProgressKPIRecalculation(ctx, store.ProgressKPIRecalculationParams{Done: 2, LastChildID: 9, ID: id}))
		check(t, s.FailKPIRecalculation(ctx, store.FailKPIRecalculationParams{Error: "boom", ID: id}))
		r := get[store.KpiRecalculation](t)(s.GetKPIRecalculation(ctx, id))
		if r.RulesVersion != "r2" || !r.StartedAt.Equal(at(1)) || r.Total != 3 || r.Done != 2 || r.LastChildID != 9 || r.Error != "boom" || r.FinishedAt != nil {
			t.Errorf("GetKPIRecalculation after a failure = %+v", r)
		}
		// A restart keeps the first start time and clears the error.
		check(t, s.StartKPIRecalculation(ctx, store.StartKPIRecalculationParams{StartedAt: ptr(at(5)), Total: 3, ID: id}))
		check(t, s.FinishKPIRecalculation(ctx, store.FinishKPIRecalculationParams{FinishedAt: ptr(at(6)), ID: id}))
		r = get[store.KpiRecalculation](t)(s.GetKPIRecalculation(ctx, id))
		if !r.StartedAt.Equal(at(1)) || r.Error != "" || !r.FinishedAt.Equal(at(6)) {
			t.Errorf("GetKPIRecalculation after a restart and finish = %+v", r)
		}
		id2 := get[int64](t)(s.InsertKPIRecalculation(ctx, store.InsertKPIRecalculationParams{RulesVersion: "r3", RequestedAt: at(7)}))
		rs := get[[]store.ListKPIRecalculationsRow](t)(s.ListKPIRecalculations(ctx, 10))
		if len(rs) != 2 || rs[0].ID != id2 || rs[0].RequestedByName != "" || rs[1].RequestedByName != "Ann Ann" {
			t.Errorf("ListKPIRecalculations = %+v, want both, newest first", rs)
		}

		a := newChild(t, s, "A1", lead, nil)
		b := newChild(t, s, "B2", lead, nil)
		c := newChild(t, s, "C3", lead, nil)
		n, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: at(1), ID: c, Version: 1})
		wantRows(t, "SoftDeleteChild", n, err, 1)
		if n := get[int64](t)(s.CountChildrenToScore(ctx)); n != 2 {
			t.Errorf("CountChildrenToScore = %d, want 2 (one deleted)", n)
		}
		if cs := get[[]store.Child](t)(s.ListChildrenToScore(ctx, store.ListChildrenToScoreParams{AfterID: a, MaxRows: 10})); len(cs) != 1 || cs[0].ID != b || cs[0].AuditID != "B2" {
			t.Errorf("ListChildrenToScore after A1 = %+v, want B2", cs)
		}
		row := get[int64](t)(s.InsertChildRow(ctx, store.InsertChildRowParams{ChildID: b, Section: "episodes", ClientKey: "k", CreatedAt: at(1)}))
		for _, f := range []string{"f1", "f2"} {
			check(t, s.UpsertAnswer(ctx, store.UpsertAnswerParams{ChildID: b, Section: "episodes", RowID: row, Field: f, Value: "v", Version: 1, UpdatedAt: at(1)}))
		}
		as := get[[]store.ListAnswersOfChildrenRow](t)(s.ListAnswersOfChildren(ctx, store.ListAnswersOfChildrenParams{FirstID: a, LastID: b}))
		if len(as) != 1 || as[0].ChildID != b || len(strings.Split(as[0].AnswerList, "\x1e")) != 2 || !strings.Contains(as[0].AnswerList, "episodes\x1f") {
			t.Errorf("ListAnswersOfChildren = %+v, want B2's two answers", as)
		}
		rows := get[[]store.ListChildRowsOfChildrenRow](t)(s.ListChildRowsOfChildren(ctx, store.ListChildRowsOfChildrenParams{FirstID: a, LastID: b}))
		if len(rows) != 1 || rows[0].ChildID != b || !strings.HasSuffix(rows[0].RowList, "\x1fepisodes") {
			t.Errorf("ListChildRowsOfChildren = %+v, want B2's row", rows)
		}
	})
}
