package storetest_test

import (
	"context"
	"fmt"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// welsh returns a Welsh organisation, in another scope than RGT01's trust.
func welsh(t *testing.T, s store.Queries) store.Organisation {
	t.Helper()
	os, err := s.ListOrganisations(context.Background(), store.ListOrganisationsParams{Pattern: "%", CountryCode: "W92000004", PageLimit: 1})
	check(t, err)
	return os[0]
}

func TestChildLifecycleQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		from := org(t, s, "RGT01")
		to := welsh(t, s)
		user := newUser(t, s, "ann@example.org", &from)
		lead := newUser(t, s, "lead@example.org", &to.ID)
		check(t, s.UpdateUserAccess(ctx, store.UpdateUserAccessParams{Role: "lead_clinician", OrganisationID: &to.ID, UpdatedAt: at(0), ID: lead}))
		a := newChild(t, s, "A1", from, &user)

		if none := get[[]store.ChildTransfer](t)(s.ListChildTransfers(ctx, a)); len(none) != 0 {
			t.Errorf("ListChildTransfers with none = %+v", none)
		}
		tr := get[int64](t)(s.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: a, FromOrganisationID: from, ToOrganisationID: to.ID, RequestedAt: at(1), RequestedBy: &user}))
		_, err := s.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: a, FromOrganisationID: from, ToOrganisationID: to.ID, RequestedAt: at(2)})
		wantConflict(t, "InsertChildTransfer with one pending", err)
		p := get[[]store.ChildTransfer](t)(s.ListChildTransfers(ctx, a))[0]
		if p.ID != tr || p.Status != store.TransferPending || p.FromOds != "RGT01" || p.ToOds != to.ODSCode || p.RequestedByName != "Ann Ann" || !p.RequestedAt.Equal(at(1)) {
			t.Errorf("the pending transfer = %+v", p)
		}
		pending := get[[]store.PendingChildTransfer](t)(s.ListPendingChildTransfers(ctx, store.ListPendingChildTransfersParams{ScopeBoard: *to.LocalHealthBoardODSCode}))
		if len(pending) != 1 || pending[0].ChildID != a || pending[0].FromTrust != "RGT" || pending[0].ToBoard != *to.LocalHealthBoardODSCode || pending[0].AuditID != "A1" {
			t.Errorf("ListPendingChildTransfers into the board = %+v", pending)
		}
		if n := get[int64](t)(s.CountIncomingChildTransfers(ctx, store.CountIncomingChildTransfersParams{ScopeBoard: *to.LocalHealthBoardODSCode})); n != 1 {
			t.Errorf("CountIncomingChildTransfers into the board = %d, want 1", n)
		}
		if n := get[int64](t)(s.CountIncomingChildTransfers(ctx, store.CountIncomingChildTransfersParams{ScopeTrust: "RGT"})); n != 0 {
			t.Errorf("CountIncomingChildTransfers into the sending trust = %d, want 0", n)
		}
		recipients := get[[]store.Recipient](t)(s.ListActiveUsersWithRole(ctx, store.ListActiveUsersWithRoleParams{Role: "lead_clinician", OrganisationID: to.ID}))
		if len(recipients) != 1 || recipients[0].ID != lead || recipients[0].Email != "lead@example.org" {
			t.Errorf("ListActiveUsersWithRole = %+v, want the lead clinician", recipients)
		}
		orgs := get[[]store.OrganisationChoice](t)(s.ListTransferOrganisations(ctx))
		if len(orgs) < 300 {
			t.Errorf("ListTransferOrganisations = %d organisations, want every one in England and Wales", len(orgs))
		}

		n, err := s.AnswerChildTransfer(ctx, store.AnswerChildTransferParams{Status: store.TransferAccepted, RespondedAt: ptr(at(3)), RespondedBy: &lead, ID: tr})
		wantRows(t, "AnswerChildTransfer", n, err, 1)
		n, err = s.AnswerChildTransfer(ctx, store.AnswerChildTransferParams{Status: store.TransferRejected, RespondedAt: ptr(at(4)), ID: tr})
		wantRows(t, "AnswerChildTransfer when answered", n, err, 0)
		n, err = s.MoveChildLeadOrganisation(ctx, store.MoveChildLeadOrganisationParams{ToOrganisationID: to.ID, UpdatedAt: at(3), UpdatedBy: &lead, ID: a, FromOrganisationID: from})
		wantRows(t, "MoveChildLeadOrganisation", n, err, 1)
		n, err = s.MoveChildLeadOrganisation(ctx, store.MoveChildLeadOrganisationParams{ToOrganisationID: to.ID, UpdatedAt: at(3), ID: a, FromOrganisationID: from})
		wantRows(t, "MoveChildLeadOrganisation from where it no longer is", n, err, 0)
		if c := get[store.Child](t)(s.GetChild(ctx, a)); c.LeadOrganisationID != to.ID {
			t.Errorf("after the move, lead organisation = %d, want %d", c.LeadOrganisationID, to.ID)
		}
		all := get[[]store.ChildTransfer](t)(s.ListChildTransfers(ctx, a))
		if len(all) != 1 || all[0].Status != store.TransferAccepted || all[0].RespondedByName != "Ann Lead" || !all[0].RespondedAt.Equal(at(3)) {
			t.Errorf("ListChildTransfers = %+v", all)
		}

		// Opt-out blanks the identifiers and keeps the row.
		n, err = s.OptOutChild(ctx, store.OptOutChildParams{UpdatedAt: at(5), UpdatedBy: &lead, ID: a})
		wantRows(t, "OptOutChild", n, err, 1)
		n, err = s.OptOutChild(ctx, store.OptOutChildParams{UpdatedAt: at(6), ID: a})
		wantRows(t, "OptOutChild twice", n, err, 0)
		if c := get[store.Child](t)(s.GetChild(ctx, a)); c.OptedOutAt == nil || c.NHSNumber != "" || c.Surname != "" || c.AuditID != "A1" {
			t.Errorf("after OptOutChild, GetChild = %+v", c)
		}
		n, err = s.DeleteChildTransfers(ctx, a)
		wantRows(t, "DeleteChildTransfers", n, err, 1)

		// Soft deletion, restore and purge.
		b := newChild(t, s, "B2", from, &user)
		_, err = s.GetDeletedChild(ctx, b)
		wantNotFound(t, "GetDeletedChild of a live child", err)
		n, err = s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: at(10), UpdatedBy: &user, ID: b, Version: 2})
		wantRows(t, "SoftDeleteChild at a stale version", n, err, 0)
		n, err = s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: at(10), UpdatedBy: &user, ID: b, Version: 1})
		wantRows(t, "SoftDeleteChild", n, err, 1)
		_, err = s.GetChild(ctx, b)
		wantNotFound(t, "GetChild of a deleted child", err)
		if d := get[store.DeletedChild](t)(s.GetDeletedChild(ctx, b)); d.AuditID != "B2" || !d.DeletedAt.Equal(at(10)) || d.DeletedByName != "Ann Ann" || d.OrganisationOds != "RGT01" {
			t.Errorf("GetDeletedChild = %+v", d)
		}
		if ds := get[[]store.DeletedChild](t)(s.ListDeletedChildren(ctx, 10)); len(ds) != 1 || ds[0].ID != b {
			t.Errorf("ListDeletedChildren = %+v", ds)
		}
		n, err = s.RestoreChild(ctx, store.RestoreChildParams{UpdatedAt: at(11), ID: b, DeletedSince: ptr(at(11))})
		wantRows(t, "RestoreChild deleted before the window", n, err, 0)
		n, err = s.RestoreChild(ctx, store.RestoreChildParams{UpdatedAt: at(11), UpdatedBy: &user, ID: b, DeletedSince: ptr(at(9))})
		wantRows(t, "RestoreChild", n, err, 1)
		if c := get[store.Child](t)(s.GetChild(ctx, b)); c.Version != 3 || c.UpdatedByName != "Ann Ann" {
			t.Errorf("after RestoreChild, GetChild = %+v", c)
		}
		n, err = s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: at(12), ID: b, Version: 3})
		wantRows(t, "SoftDeleteChild again", n, err, 1)
		_ = get[int64](t)(s.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: b, FromOrganisationID: from, ToOrganisationID: to.ID, RequestedAt: at(12)}))
		n, err = s.PurgeDeletedChildTransfers(ctx, ptr(at(13)))
		wantRows(t, "PurgeDeletedChildTransfers", n, err, 1)
		n, err = s.PurgeDeletedChildren(ctx, ptr(at(12)))
		wantRows(t, "PurgeDeletedChildren of one deleted at the cut-off", n, err, 0)
		n, err = s.PurgeDeletedChildren(ctx, ptr(at(13)))
		wantRows(t, "PurgeDeletedChildren", n, err, 1)
		_, err = s.GetDeletedChild(ctx, b)
		wantNotFound(t, "GetDeletedChild after the purge", err)
	})
}

func TestChildChangeQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		ann := newUser(t, s, "ann@example.org", &lead)
		bob := newUser(t, s, "bob@example.org", &lead)
		a := newChild(t, s, "A1", lead, &ann)
		for i, ch := range []struct {
			kind string
			by   int64
		}{{"demographics", ann}, {"registration", bob}, {"lock", ann}} {
			check(t, s.InsertChildChange(ctx, store.InsertChildChangeParams{ChildID: a, Kind: ch.kind, Field: "f", OldValue: nil, NewValue: ptr(fmt.Sprint(i)),
				Cause: "form", Note: "n", ChangedAt: at(i), ChangedBy: &ch.by, RequestID: fmt.Sprint("r", i)}))
		}
		cs := get[[]store.ListChildChangesRow](t)(s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: a, PageLimit: 10}))
		if len(cs) != 3 || cs[0].Kind != "lock" || *cs[0].NewValue != "2" || cs[0].OldValue != nil || cs[2].ChangedByName != "Ann Ann" || cs[1].RequestID != "r1" {
			t.Errorf("ListChildChanges = %+v, want three, newest first", cs)
		}
		if cs := get[[]store.ListChildChangesRow](t)(s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: a, ChangedByFilter: ann, KindFilter: "lock", PageLimit: 10})); len(cs) != 1 {
			t.Errorf("ListChildChanges of ann's locks = %d, want 1", len(cs))
		}
		authors := get[[]store.ChangeAuthor](t)(s.ListChildChangeAuthors(ctx, a))
		if len(authors) != 2 || *authors[0].ID != ann || authors[1].Name != "Ann Bob" {
			t.Errorf("ListChildChangeAuthors = %+v, want ann and bob by name", authors)
		}
		check(t, s.DeleteChildChanges(ctx, a))
		if cs := get[[]store.ListChildChangesRow](t)(s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: a, PageLimit: 10})); len(cs) != 0 {
			t.Errorf("after DeleteChildChanges, %d changes", len(cs))
		}

		// The lock review: only locked children are queued, once.
		b := newChild(t, s, "B2", lead, &ann)
		n, err := s.LockChild(ctx, store.LockChildParams{UpdatedAt: at(1), ID: b, Version: 1})
		wantRows(t, "LockChild", n, err, 1)
		n, err = s.QueueChildrenLockReview(ctx)
		wantRows(t, "QueueChildrenLockReview", n, err, 1)
		n, err = s.QueueChildrenLockReview(ctx)
		wantRows(t, "QueueChildrenLockReview again", n, err, 0)
		if q := get[[]int64](t)(s.ListChildrenLockReview(ctx, 10)); len(q) != 1 || q[0] != b {
			t.Errorf("ListChildrenLockReview = %v, want [%d]", q, b)
		}
		check(t, s.DeleteChildLockReview(ctx, b))
		if q := get[[]int64](t)(s.ListChildrenLockReview(ctx, 10)); len(q) != 0 {
			t.Errorf("after DeleteChildLockReview, %v", q)
		}

		// The record-view log.
		for i, v := range []struct {
			user  int64
			child int64
			audit string
		}{{ann, a, "A1"}, {bob, a, "A1"}, {ann, b, "B2"}} {
			check(t, s.InsertRecordView(ctx, store.InsertRecordViewParams{UserID: v.user, ChildID: v.child, AuditID: v.audit, Route: "/children/x", ViewedAt: at(i)}))
		}
		vs := get[[]store.ListRecordViewsRow](t)(s.ListRecordViews(ctx, store.ListRecordViewsParams{UserFilter: ann, PageLimit: 10}))
		if len(vs) != 2 || vs[0].AuditID != "B2" || vs[0].UserEmail != "ann@example.org" || vs[0].UserName != "Ann Ann" || !vs[1].ViewedAt.Equal(at(0)) {
			t.Errorf("ListRecordViews of ann = %+v, want two, newest first", vs)
		}
		if vs := get[[]store.ListRecordViewsRow](t)(s.ListRecordViews(ctx, store.ListRecordViewsParams{AuditIDFilter: "A1", PageLimit: 10})); len(vs) != 2 {
			t.Errorf("ListRecordViews of A1 = %d, want 2", len(vs))
		}
		n, err = s.PurgeRecordViews(ctx, at(2))
		wantRows(t, "PurgeRecordViews", n, err, 2)
	})
}
