package storetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestAnswerQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		ann := newUser(t, s, "ann@example.org", &lead)
		a := newChild(t, s, "A1", lead, &ann)

		v := get[int64](t)(s.BumpChildVersion(ctx, store.BumpChildVersionParams{UpdatedAt: at(1), UpdatedBy: &ann, ID: a}))
		if v != 2 {
			t.Errorf("BumpChildVersion = %d, want 2", v)
		}
		_, err := s.BumpChildVersion(ctx, store.BumpChildVersionParams{UpdatedAt: at(1), ID: a + 1000})
		wantNotFound(t, "BumpChildVersion of an unknown child", err)

		row := get[int64](t)(s.InsertChildRow(ctx, store.InsertChildRowParams{ChildID: a, Section: "antiepilepsy_medicines", ClientKey: "k1", CreatedAt: at(1), CreatedBy: &ann}))
		_, err = s.InsertChildRow(ctx, store.InsertChildRowParams{ChildID: a, Section: "antiepilepsy_medicines", ClientKey: "k1", CreatedAt: at(2)})
		wantNotFound(t, "InsertChildRow with a used client key", err)
		if r := get[store.GetChildRowByClientKeyRow](t)(s.GetChildRowByClientKey(ctx, store.GetChildRowByClientKeyParams{ChildID: a, ClientKey: "k1"})); r.ID != row || r.Section != "antiepilepsy_medicines" {
			t.Errorf("GetChildRowByClientKey = %+v, want row %d", r, row)
		}
		_, err = s.GetChildRowByClientKey(ctx, store.GetChildRowByClientKeyParams{ChildID: a, ClientKey: "nope"})
		wantNotFound(t, "GetChildRowByClientKey", err)
		row2 := get[int64](t)(s.InsertChildRow(ctx, store.InsertChildRowParams{ChildID: a, Section: "antiepilepsy_medicines", ClientKey: "k2", CreatedAt: at(1)}))
		if rs := get[[]store.ListChildRowsRow](t)(s.ListChildRows(ctx, a)); len(rs) != 2 || rs[0].ID != row || rs[1].ID != row2 {
			t.Errorf("ListChildRows = %+v, want both in the order added", rs)
		}

		put := func(section string, rowID int64, field, value string, m int) {
			check(t, s.UpsertAnswer(ctx, store.UpsertAnswerParams{ChildID: a, Section: section, RowID: rowID, Field: field, Value: value, Version: v, UpdatedAt: at(m), UpdatedBy: &ann}))
		}
		put("first", 0, "b", "old", 1)
		put("first", 0, "b", "new", 2)
		put("first", 0, "a", "x", 2)
		put("antiepilepsy_medicines", row, "name", "m1", 2)
		put("antiepilepsy_medicines", row2, "name", "m2", 2)
		as := get[[]store.ListAnswersRow](t)(s.ListAnswers(ctx, a))
		if len(as) != 4 || as[0].RowID != row || as[2].Field != "a" || as[3].Value != "new" || !as[3].UpdatedAt.Equal(at(2)) || as[3].UpdatedByName != "Ann Ann" {
			t.Errorf("ListAnswers = %+v, want 4 by section, row and field", as)
		}
		in := func(sections ...string) ([]store.ListAnswersRow, []store.ListChildRowsRow) {
			return get[[]store.ListAnswersRow](t)(s.ListAnswersInSections(ctx, store.ListAnswersInSectionsParams{ChildID: a, Sections: sections})),
				get[[]store.ListChildRowsRow](t)(s.ListChildRowsInSections(ctx, store.ListChildRowsInSectionsParams{ChildID: a, Sections: sections}))
		}
		if as, rs := in("first"); len(as) != 2 || as[0].Field != "a" || as[1].Value != "new" || len(rs) != 0 {
			t.Errorf("in section first: ListAnswersInSections = %+v, ListChildRowsInSections = %+v; want its 2 answers, no rows", as, rs)
		}
		if as, rs := in("antiepilepsy_medicines", "nowhere"); len(as) != 2 || as[0].RowID != row || len(rs) != 2 || rs[1].ID != row2 {
			t.Errorf("in the medicines: ListAnswersInSections = %+v, ListChildRowsInSections = %+v; want 2 answers, 2 rows", as, rs)
		}
		if as, rs := in("first", "antiepilepsy_medicines"); len(as) != 4 || len(rs) != 2 {
			t.Errorf("in both sections: %d answers, %d rows; want 4 and 2", len(as), len(rs))
		}
		check(t, s.DeleteAnswer(ctx, store.DeleteAnswerParams{ChildID: a, Section: "first", RowID: 0, Field: "a"}))
		check(t, s.DeleteRowAnswers(ctx, store.DeleteRowAnswersParams{ChildID: a, RowID: row2}))
		n, err := s.DeleteChildRow(ctx, store.DeleteChildRowParams{ID: row2, ChildID: a})
		wantRows(t, "DeleteChildRow", n, err, 1)
		n, err = s.DeleteChildRow(ctx, store.DeleteChildRowParams{ID: row2, ChildID: a})
		wantRows(t, "DeleteChildRow again", n, err, 0)
		if as := get[[]store.ListAnswersRow](t)(s.ListAnswers(ctx, a)); len(as) != 2 {
			t.Errorf("after the deletes, ListAnswers = %+v, want 2", as)
		}

		bob := newUser(t, s, "bob@example.org", &lead)
		for i, by := range []int64{ann, bob, ann} {
			check(t, s.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: a, Section: "first", RowID: 0, Field: "b",
				OldValue: ptr(fmt.Sprint(i)), NewValue: ptr(fmt.Sprint(i + 1)), Cause: "answer", Version: int64(i + 2), ChangedAt: at(i), ChangedBy: &by, RequestID: "r"}))
		}
		check(t, s.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: a, Section: "antiepilepsy_medicines", RowID: row, Field: "name", NewValue: ptr("m1"), Cause: "answer", Version: 2, ChangedAt: at(5), ChangedBy: &ann}))
		cs := get[[]store.ListAnswerChangesRow](t)(s.ListAnswerChanges(ctx, store.ListAnswerChangesParams{ChildID: a, PageLimit: 10}))
		if len(cs) != 4 || cs[0].Section != "antiepilepsy_medicines" || cs[0].OldValue != nil || *cs[1].NewValue != "3" || cs[2].ChangedByName != "Ann Bob" {
			t.Errorf("ListAnswerChanges = %+v, want four, newest first", cs)
		}
		if cs := get[[]store.ListAnswerChangesRow](t)(s.ListAnswerChanges(ctx, store.ListAnswerChangesParams{ChildID: a, SectionFilter: "first", FieldFilter: "b", ChangedByFilter: ann, PageLimit: 10})); len(cs) != 2 {
			t.Errorf("ListAnswerChanges of ann's to first.b = %d, want 2", len(cs))
		}
		last := get[store.GetLastAnswerChangeRow](t)(s.GetLastAnswerChange(ctx, store.GetLastAnswerChangeParams{ChildID: a, Section: "first", RowID: 0, Field: "b"}))
		if last.Version != 4 || *last.NewValue != "3" || last.ChangedByName != "Ann Ann" || !last.ChangedAt.Equal(at(2)) {
			t.Errorf("GetLastAnswerChange = %+v", last)
		}
		_, err = s.GetLastAnswerChange(ctx, store.GetLastAnswerChangeParams{ChildID: a, Section: "first", RowID: 0, Field: "never"})
		wantNotFound(t, "GetLastAnswerChange of an answer never changed", err)
		if au := get[[]store.ChangeAuthor](t)(s.ListAnswerChangeAuthors(ctx, a)); len(au) != 2 || *au[0].ID != ann || au[1].Name != "Ann Bob" {
			t.Errorf("ListAnswerChangeAuthors = %+v", au)
		}

		check(t, s.DeleteChildAnswers(ctx, a))
		check(t, s.DeleteChildRows(ctx, a))
		check(t, s.DeleteChildAnswerChanges(ctx, a))
		if as, rs, cs := get[[]store.ListAnswersRow](t)(s.ListAnswers(ctx, a)), get[[]store.ListChildRowsRow](t)(s.ListChildRows(ctx, a)),
			get[[]store.ListAnswerChangesRow](t)(s.ListAnswerChanges(ctx, store.ListAnswerChangesParams{ChildID: a, PageLimit: 10})); len(as)+len(rs)+len(cs) != 0 {
			t.Errorf("after the opt-out deletes: %d answers, %d rows, %d changes", len(as), len(rs), len(cs))
		}
	})
}

func TestChildProgressQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		a := newChild(t, s, "A1", lead, nil)
		b := newChild(t, s, "B2", lead, nil)
		progress := func() map[string]int64 {
			out := map[string]int64{}
			for _, c := range get[[]store.ChildListItem](t)(store.ListChildrenSorted(ctx, s, "audit_id", false, store.ChildListParams{PageLimit: 10})) {
				if c.AuditProgress != nil {
					out[c.AuditID] = *c.AuditProgress
				}
			}
			return out
		}
		check(t, s.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{AuditProgress: 40, ID: a, Version: 1}))
		check(t, s.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{AuditProgress: 90, ID: a, Version: 2})) // stale: no-op
		if p := progress(); p["A1"] != 40 || len(p) != 1 {
			t.Errorf("after SetChildAuditProgress, progress = %v, want A1 40", p)
		}
		batch, _ := json.Marshal(map[string][2]int64{fmt.Sprint(a): {60, 1}, fmt.Sprint(b): {70, 5}})
		n, err := s.SetChildrenAuditProgress(ctx, string(batch))
		wantRows(t, "SetChildrenAuditProgress (B2 at a stale version)", n, err, 1)
		if p := progress(); p["A1"] != 60 || len(p) != 1 {
			t.Errorf("after SetChildrenAuditProgress, progress = %v, want A1 60", p)
		}
	})
}
