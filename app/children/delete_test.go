package children_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// Deleting hides the child from everyone; the national team with full
// access sees it on the deleted list and can restore it as it was.
func TestDeleteAndRestore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		clin, full := w.me(t, "clin@nca.example"), w.me(t, "full@national.example")
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		keep := w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))

		for who, want := range map[string]error{
			"admin@nca.example":     apperr.ErrForbidden,
			"edit@national.example": apperr.ErrForbidden,
			"view@national.example": apperr.ErrForbidden,
			"lead@rgt.example":      children.ErrNotFound,
		} {
			if err := w.svc.Delete(ctx, w.me(t, who), id, 1); !errors.Is(err, want) {
				t.Errorf("%s deletes: %v, want %v", who, err, want)
			}
		}
		if err := w.svc.Delete(ctx, clin, id, 7); !errors.Is(err, children.ErrStale) {
			t.Errorf("delete from a stale page: %v", err)
		}
		if _, lc := w.lifecycle(t, "clin@nca.example", id); !lc.CanDelete {
			t.Error("a clinician is not offered to delete")
		}
		if _, lc := w.lifecycle(t, "admin@nca.example", id); lc.CanDelete || lc.CanOptOut || lc.CanTransfer {
			t.Errorf("an administrator is offered %+v", lc)
		}
		deletedAt := w.now
		if err := w.svc.Delete(ctx, clin, id, 1); err != nil {
			t.Fatal(err)
		}
		// Gone from every page and list, for everyone.
		for _, who := range []string{"clin@nca.example", "lead@nca.example", "full@national.example"} {
			if _, err := w.svc.Get(ctx, w.me(t, who).Actor, id); !errors.Is(err, children.ErrNotFound) {
				t.Errorf("%s sees a deleted child: %v", who, err)
			}
			p, err := w.svc.List(ctx, w.me(t, who).Actor, children.Filter{OptedOut: "all"})
			if err != nil || p.Total != 1 || p.Rows[0].ID != keep || p.Totals.Total != 1 {
				t.Errorf("%s's list: %d, totals %+v, %v", who, p.Total, p.Totals, err)
			}
		}
		for name, err := range map[string]error{
			"delete":   w.svc.Delete(ctx, clin, id, 2),
			"edit":     w.svc.Update(ctx, clin, id, 2, children.Demographics{}),
			"opt out":  w.svc.OptOut(ctx, clin, id),
			"transfer": w.svc.RequestTransfer(ctx, w.me(t, "lead@nca.example"), id, "RGT01"),
		} {
			if !errors.Is(err, children.ErrNotFound) {
				t.Errorf("%s a deleted child: %v", name, err)
			}
		}
		// Its NHS number stays taken until it is purged.
		_, err := w.svc.Create(ctx, clin, newChild("9434765919", "RM332"))
		if fe, ok := fieldError(err); !ok || fe.Message != children.MsgNHSNumberTaken {
			t.Errorf("reuse a deleted child's NHS number: %v", err)
		}

		// The deleted list: the national team with full access only.
		for _, who := range []string{"clin@nca.example", "lead@nca.example", "edit@national.example", "view@national.example"} {
			if _, err := w.svc.Deleted(ctx, w.me(t, who).Actor); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s lists deleted children: %v", who, err)
			}
			if err := w.svc.Restore(ctx, w.me(t, who), id); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s restores: %v", who, err)
			}
		}
		w.now = deletedAt.Add(24 * time.Hour)
		rows, err := w.svc.Deleted(ctx, full.Actor)
		if err != nil || len(rows) != 1 {
			t.Fatalf("deleted list: %+v %v", rows, err)
		}
		r := rows[0]
		if r.ID != id || r.Name() != "Ava Smith" || r.NHSNumberDisplay() != "943 476 5919" || r.OrganisationOds != "RM332" ||
			r.DeletedByName != "Carl Clin" || !r.DeletedAt.Equal(deletedAt) || !r.Restorable ||
			!r.RestoreUntil.Equal(deletedAt.Add(30*24*time.Hour)) {
			t.Errorf("deleted row %+v", r)
		}
		if err := w.svc.Restore(ctx, full, keep); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("restore a child that is not deleted: %v", err)
		}
		if err := w.svc.Restore(ctx, full, id); err != nil {
			t.Fatal(err)
		}
		c := w.get(t, "clin@nca.example", id)
		if c.FirstName != "Ava" || c.NHSNumber != "9434765919" || c.UpdatedByName != "Nadia Full" || c.Version != 3 {
			t.Errorf("restored %+v", c.Child)
		}
		if rows, _ := w.svc.Deleted(ctx, full.Actor); len(rows) != 0 {
			t.Errorf("a restored child is still listed as deleted")
		}
	})
}

// Deleting is for mistakes while the record is open: not for a locked child,
// one past its cohort's deadline, or one with a transfer waiting.
func TestDeleteRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		lead := w.me(t, "lead@nca.example")
		w.now = day(2024, 12, 20)
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		w.register(t, "clin@nca.example", id, "5", "1", "2023") // cohort 6, deadline 14 January 2025
		if err := w.svc.Lock(ctx, lead, id, 2); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Delete(ctx, lead, id, 3); !errors.Is(err, children.ErrLocked) {
			t.Errorf("delete a locked child: %v", err)
		}
		if _, lc := w.lifecycle(t, "lead@nca.example", id); lc.CanDelete {
			t.Error("a locked child offers deletion")
		}
		if err := w.svc.Unlock(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "RGT01"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Delete(ctx, lead, id, 4); !errors.Is(err, children.ErrTransferPending) {
			t.Errorf("delete with a transfer pending: %v", err)
		}
		if err := w.svc.CancelTransfer(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		w.now = day(2025, 1, 15)
		if err := w.svc.Delete(ctx, w.me(t, "full@national.example"), id, 4); !errors.Is(err, children.ErrPastDeadline) {
			t.Errorf("delete past the deadline: %v", err)
		}
	})
}

// The 30-day boundary: restorable up to and including 30 days after the
// deletion, purged (with its transfers) once more than 30 days have passed.
func TestRestoreWindowAndPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		clin, full, lead := w.me(t, "clin@nca.example"), w.me(t, "full@national.example"), w.me(t, "lead@nca.example")
		t0 := day(2025, 3, 10)
		w.now = t0
		old := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		// A rejected transfer: a row that hangs off the child.
		if err := w.svc.RequestTransfer(ctx, lead, old, "RGT01"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RejectTransfer(ctx, w.me(t, "lead@rgt.example"), old); err != nil {
			t.Fatal(err)
		}
		recent := w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))
		alive := w.create(t, "clin@nca.example", newChild("9990000018", "RM332"))
		if err := w.svc.Delete(ctx, clin, old, 1); err != nil {
			t.Fatal(err)
		}
		w.now = t0.Add(time.Hour)
		if err := w.svc.Delete(ctx, clin, recent, 1); err != nil {
			t.Fatal(err)
		}

		// Exactly 30 days on: still restorable, and not purged.
		w.now = t0.Add(children.RestoreWindow)
		if n, err := children.PurgeDeleted(ctx, s, w.now); err != nil || n != 0 {
			t.Errorf("purge at 30 days: %d, %v", n, err)
		}
		if rows, _ := w.svc.Deleted(ctx, full.Actor); len(rows) != 2 || !rows[1].Restorable {
			t.Errorf("at 30 days: %+v", rows)
		}
		if err := w.svc.Restore(ctx, full, old); err != nil {
			t.Fatalf("restore at exactly 30 days: %v", err)
		}
		if err := w.svc.Delete(ctx, clin, old, 3); err != nil { // deleted again, now
			t.Fatal(err)
		}

		// A second later for the recent one... it was deleted an hour after
		// t0, so at t0+30d+1h+1s it is past the window.
		w.now = t0.Add(children.RestoreWindow + time.Hour + time.Second)
		rows, err := w.svc.Deleted(ctx, full.Actor)
		if err != nil || len(rows) != 2 || rows[1].ID != recent || rows[1].Restorable || !rows[0].Restorable {
			t.Errorf("past the window: %+v %v", rows, err)
		}
		if err := w.svc.Restore(ctx, full, recent); !errors.Is(err, children.ErrRestoreExpired) || !children.IsConflict(err) {
			t.Errorf("restore past the window: %v", err)
		}
		n, err := children.PurgeDeleted(ctx, s, w.now)
		if err != nil || n != 1 {
			t.Fatalf("purge: %d, %v", n, err)
		}
		if _, err := s.GetDeletedChild(ctx, recent); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("purged child still there: %v", err)
		}
		if err := w.svc.Restore(ctx, full, recent); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("restore a purged child: %v", err)
		}
		// Its NHS number is free again.
		w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))
		// The other deleted child (deleted again at t0+30d) waits; the live one stays.
		if _, err := s.GetDeletedChild(ctx, old); err != nil {
			t.Errorf("recently deleted child purged: %v", err)
		}
		if _, err := w.svc.Get(ctx, clin.Actor, alive); err != nil {
			t.Errorf("live child: %v", err)
		}

		// 30 days and a second after its second deletion, it goes with its transfers.
		if h, _ := s.ListChildTransfers(ctx, old); len(h) != 1 {
			t.Fatalf("transfers before the purge: %d", len(h))
		}
		w.now = t0.Add(2*children.RestoreWindow + time.Second)
		if n, err := children.PurgeDeleted(ctx, s, w.now); err != nil || n != 1 {
			t.Errorf("second purge: %d, %v", n, err)
		}
		if h, err := s.ListChildTransfers(ctx, old); err != nil || len(h) != 0 {
			t.Errorf("transfers of a purged child: %d, %v", len(h), err)
		}
		if _, err := w.svc.Get(ctx, clin.Actor, alive); err != nil {
			t.Errorf("live child after purges: %v", err)
		}
	})
}
