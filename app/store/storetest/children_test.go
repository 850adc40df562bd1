package storetest_test

import (
	"context"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestChildQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		user := newUser(t, s, "ann@example.org", &lead)
		a := newChild(t, s, "A1", lead, &user)
		dup := childParams("A1", lead, &user)
		dup.NHSNumber = ptr("another")
		_, err := s.InsertChild(ctx, dup)
		if wantConflict(t, "InsertChild with a taken audit ID", err); err == nil || !strings.Contains(err.Error(), "audit_id") {
			t.Errorf("conflict %v does not name audit_id", err)
		}
		n, err := s.InsertChildIfNew(ctx, store.InsertChildIfNewParams(childParams("A1", lead, &user)))
		wantRows(t, "InsertChildIfNew of a taken audit ID", n, err, 0)
		n, err = s.InsertChildIfNew(ctx, store.InsertChildIfNewParams(childParams("B2", lead, &user)))
		wantRows(t, "InsertChildIfNew", n, err, 1)

		c := get[store.Child](t)(s.GetChild(ctx, a))
		if c.AuditID != "A1" || c.NHSNumber != "nhs-A1" || c.Surname != "Surname-A1" || *c.DateOfBirth != *day(2015, 6, 1) ||
			c.LeadOrganisationID != lead || c.Cohort != nil || c.RegisteredAt != nil || c.Version != 1 || c.UpdatedByName != "Ann Ann" {
			t.Errorf("GetChild = %+v", c)
		}
		_, err = s.GetChild(ctx, a+1000)
		wantNotFound(t, "GetChild", err)

		upd := store.UpdateChildDemographicsParams{NHSNumber: ptr("nhs-A1b"), FirstName: "Zoe", Surname: "Surname-A1", DateOfBirth: day(2016, 1, 2),
			Sex: 2, Postcode: "CB1 1AA", Ethnicity: "B", UpdatedAt: at(1), UpdatedBy: &user, ID: a, Version: 1}
		n, err = s.UpdateChildDemographics(ctx, upd)
		wantRows(t, "UpdateChildDemographics", n, err, 1)
		n, err = s.UpdateChildDemographics(ctx, upd)
		wantRows(t, "UpdateChildDemographics at a stale version", n, err, 0)
		upd.Version, upd.NHSNumber = 2, ptr("nhs-B2")
		_, err = s.UpdateChildDemographics(ctx, upd)
		if wantConflict(t, "UpdateChildDemographics to another child's NHS number", err); err == nil || !strings.Contains(err.Error(), "nhs_number") {
			t.Errorf("conflict %v does not name nhs_number", err)
		}
		n, err = s.RegisterChild(ctx, store.RegisterChildParams{FirstPaediatricAssessmentDate: day(2024, 12, 1), Cohort: ptr(int64(7)),
			LeadOrganisationID: lead, UpdatedAt: at(2), UpdatedBy: &user, ID: a, Version: 2})
		wantRows(t, "RegisterChild", n, err, 1)
		n, err = s.LockChild(ctx, store.LockChildParams{UpdatedAt: at(3), UpdatedBy: &user, ID: a, Version: 3})
		wantRows(t, "LockChild", n, err, 1)
		c = get[store.Child](t)(s.GetChild(ctx, a))
		if c.FirstName != "Zoe" || c.NHSNumber != "nhs-A1b" || c.Cohort == nil || *c.Cohort != 7 || !c.EligibilityConfirmed ||
			c.RegisteredAt == nil || c.RegisteredByName != "Ann Ann" || !c.LockedAt.Equal(at(3)) || c.LockedByName != "Ann Ann" || c.Version != 4 {
			t.Errorf("after update, register and lock, GetChild = %+v", c)
		}
		n, err = s.LockChild(ctx, store.LockChildParams{UpdatedAt: at(4), ID: a, Version: 4})
		wantRows(t, "LockChild when locked", n, err, 0)
		n, err = s.UnlockChild(ctx, store.UnlockChildParams{UpdatedAt: at(4), UpdatedBy: &user, ID: a, Version: 4})
		wantRows(t, "UnlockChild", n, err, 1)
		if c = get[store.Child](t)(s.GetChild(ctx, a)); c.LockedAt != nil || c.Version != 5 {
			t.Errorf("after UnlockChild, locked %v version %d", c.LockedAt, c.Version)
		}

		// The case list: A1 (Zoe, registered, cohort 7) and B2.
		scope := "RGT"
		if n := get[int64](t)(s.CountChildren(ctx, store.CountChildrenParams{})); n != 2 {
			t.Errorf("CountChildren = %d, want 2", n)
		}
		if n := get[int64](t)(s.CountChildren(ctx, store.CountChildrenParams{Scope: scope, Registered: "yes"})); n != 1 {
			t.Errorf("CountChildren registered in %s = %d, want 1", scope, n)
		}
		if tot := get[store.ChildTotals](t)(s.ChildTotals(ctx, store.ChildTotalsParams{Scope: scope})); tot != (store.ChildTotals{Total: 2, Registered: 1}) {
			t.Errorf("ChildTotals = %+v, want 2, 1 registered", tot)
		}
		if tot := get[store.ChildTotals](t)(s.ChildTotals(ctx, store.ChildTotalsParams{Scope: "NONE"})); tot != (store.ChildTotals{}) {
			t.Errorf("ChildTotals of another scope = %+v, want none", tot)
		}
		for _, col := range store.ChildSortColumns {
			for _, desc := range []bool{false, true} {
				all := get[[]store.ChildListItem](t)(store.ListChildrenSorted(ctx, s, col, desc, store.ChildListParams{PageLimit: 10}))
				in := get[[]store.ChildListItem](t)(store.ListChildrenInScopeSorted(ctx, s, col, desc, store.ChildListInScopeParams{Scope: scope, PageLimit: 10}))
				out := get[[]store.ChildListItem](t)(store.ListChildrenInScopeSorted(ctx, s, col, desc, store.ChildListInScopeParams{Scope: "NONE", PageLimit: 10}))
				if len(all) != 2 || len(in) != 2 || len(out) != 0 {
					t.Errorf("sorted by %s (desc %v): %d, %d in scope, %d in another; want 2, 2, 0", col, desc, len(all), len(in), len(out))
				}
			}
		}
		_, err = store.ListChildrenSorted(ctx, s, "no_such_column", false, store.ChildListParams{PageLimit: 10})
		if err == nil {
			t.Errorf("ListChildrenSorted by an unknown column: no error")
		}
		byName := get[[]store.ChildListItem](t)(store.ListChildrenSorted(ctx, s, "name", false, store.ChildListParams{PageLimit: 10}))
		if byName[0].AuditID != "A1" || !byName[0].Registered || byName[0].OrganisationOds != "RGT01" || byName[1].Registered {
			t.Errorf("by name = %+v, want A1 (registered) then B2", byName)
		}
		// A search by name key ("surname first name", lower case): B2 only.
		m := store.CountChildrenMatchingParams{NameFrom: "surname-b2", NameTo: "surname-b3"}
		if n := get[int64](t)(s.CountChildrenMatching(ctx, m)); n != 1 {
			t.Errorf("CountChildrenMatching = %d, want 1", n)
		}
		if n := get[int64](t)(s.CountChildrenMatching(ctx, store.CountChildrenMatchingParams{AuditIDFrom: "A1", AuditIDTo: "B2"})); n != 2 {
			t.Errorf("CountChildrenMatching by audit ID = %d, want 2", n)
		}
		page := store.ListChildrenMatchingByNameParams{NameFrom: "surname-", NameTo: "surname.", PageLimit: 10}
		asc := get[[]store.ChildListItem](t)(s.ListChildrenMatchingByNameAsc(ctx, page))
		desc := get[[]store.ChildListItem](t)(s.ListChildrenMatchingByNameDesc(ctx, page))
		if len(asc) != 2 || asc[0].AuditID != "A1" || len(desc) != 2 || desc[0].AuditID != "B2" {
			t.Errorf("ListChildrenMatchingByName asc %v desc %v, want A1, B2 and B2, A1", ids(asc), ids(desc))
		}
		any := get[[]store.ChildListItem](t)(s.ListChildrenMatching(ctx, store.ListChildrenMatchingParams{SortColumn: "audit_id", Descending: true,
			NameFrom: "surname-", NameTo: "surname.", PageLimit: 10}))
		if len(any) != 2 || any[0].AuditID != "B2" {
			t.Errorf("ListChildrenMatching by audit ID descending = %v, want B2, A1", ids(any))
		}
	})
}

func ids(cs []store.ChildListItem) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.AuditID)
	}
	return out
}
