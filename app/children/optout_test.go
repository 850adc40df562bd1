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

// An opt-out removes every identifier, the registration, the lock and the
// other sites, keeps the row, audit ID and lead organisation, and closes
// the record for good (spec §11.2).
func TestOptOutRemovesDataAndKeepsTheRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		lead, clin := w.me(t, "lead@nca.example"), w.me(t, "clin@nca.example")
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM335"))
		w.register(t, "clin@nca.example", id, "1", "2", "2025")
		// A previous lead site (RM335 → RM332) and a rejected request.
		if err := w.svc.RequestTransfer(ctx, lead, id, "RM332"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.AcceptTransfer(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "RGT01"); err != nil {
			t.Fatal(err)
		}
		// Waiting for an answer: answer it first.
		if err := w.svc.OptOut(ctx, clin, id); !errors.Is(err, children.ErrTransferPending) {
			t.Errorf("opt out with a transfer pending: %v", err)
		}
		if err := w.svc.RejectTransfer(ctx, w.me(t, "lead@rgt.example"), id); err != nil {
			t.Fatal(err)
		}
		before := w.get(t, "clin@nca.example", id)
		if err := w.svc.Lock(ctx, clin, id, before.Version); err != nil {
			t.Fatal(err)
		}

		// Who may: clinicians, lead clinicians, the national team with full
		// access, in scope.
		for who, want := range map[string]error{
			"admin@nca.example":     apperr.ErrForbidden,
			"edit@national.example": apperr.ErrForbidden,
			"view@national.example": apperr.ErrForbidden,
			"lead@rgt.example":      children.ErrNotFound,
		} {
			if err := w.svc.OptOut(ctx, w.me(t, who), id); !errors.Is(err, want) {
				t.Errorf("%s opts out: %v, want %v", who, err, want)
			}
		}
		if _, lc := w.lifecycle(t, "clin@nca.example", id); !lc.CanOptOut {
			t.Error("a locked child's page does not offer the opt-out")
		}
		w.now = w.now.Add(time.Hour)
		if err := w.svc.OptOut(ctx, clin, id); err != nil { // locked: allowed all the same
			t.Fatal(err)
		}

		c, lc := w.lifecycle(t, "lead@nca.example", id)
		if !c.OptedOut() || !c.OptedOutAt.Equal(w.now) || c.UpdatedByName != "Carl Clin" {
			t.Errorf("opted out: %v at %v by %q", c.OptedOut(), c.OptedOutAt, c.UpdatedByName)
		}
		// Kept.
		if c.ID != id || c.AuditID != before.AuditID || c.Organisation.ODSCode != "RM332" || !c.CreatedAt.Equal(before.CreatedAt) {
			t.Errorf("kept: audit ID %q, lead %s", c.AuditID, c.Organisation.ODSCode)
		}
		// Removed: identifiers, registration, lock, other sites.
		if c.NHSNumber != "" || c.UniqueReferenceNumber != "" || c.FirstName != "" || c.Surname != "" || c.DateOfBirth != nil ||
			c.Sex != nil || c.Postcode != "" || c.Ethnicity != "" {
			t.Errorf("identifiers left: %+v", c.Child)
		}
		if c.FirstPaediatricAssessmentDate != nil || c.EligibilityConfirmed || c.Cohort != nil || c.RegisteredAt != nil ||
			c.RegisteredByName != "" || c.LockedAt != nil || c.LockedByName != "" || c.Registered() || c.Locked() {
			t.Errorf("registration or lock left: %+v", c.Child)
		}
		if history, err := s.ListChildTransfers(ctx, id); err != nil || len(history) != 0 || len(lc.PreviousLeads) != 0 {
			t.Errorf("other sites left: %+v %v", history, err)
		}
		// For good: every write is refused, and the page offers none.
		if !errors.Is(c.ReadOnly, children.ErrOptedOut) || c.CanEdit || c.CanRegister || c.CanLock || c.CanUnlock ||
			lc.CanOptOut || lc.CanDelete || lc.CanTransfer {
			t.Errorf("an opted-out child offers changes: %+v %+v", c, lc)
		}
		reg := children.Registration{EligibilityConfirmed: true, FirstAssessment: children.DateInput{Day: "1", Month: "2", Year: "2025"}}
		for name, err := range map[string]error{
			"opt out":  w.svc.OptOut(ctx, lead, id),
			"edit":     w.svc.Update(ctx, lead, id, c.Version, children.DemographicsOf(before.Child)),
			"register": w.svc.Register(ctx, w.me(t, "full@national.example"), id, reg),
			"transfer": w.svc.RequestTransfer(ctx, lead, id, "RGT01"),
			"delete":   w.svc.Delete(ctx, lead, id, c.Version),
		} {
			if !errors.Is(err, children.ErrOptedOut) || !children.IsConflict(err) {
				t.Errorf("%s an opted-out child: %v", name, err)
			}
		}

		// The case list leaves them out unless asked; the totals count them.
		other := w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))
		list := func(f children.Filter) children.Page {
			p, err := w.svc.List(ctx, lead.Actor, f)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if p := list(children.Filter{}); p.Total != 1 || p.Rows[0].ID != other || p.Totals.Total != 2 {
			t.Errorf("default list: %d rows, totals %+v", p.Total, p.Totals)
		}
		if p := list(children.Filter{OptedOut: "yes"}); p.Total != 1 || p.Rows[0].ID != id || !p.Rows[0].OptedOut || p.Rows[0].Name() != "" {
			t.Errorf("opted out only: %+v", p.Rows)
		}
		if p := list(children.Filter{OptedOut: "all"}); p.Total != 2 {
			t.Errorf("everyone: %d", p.Total)
		}
		if p := list(children.Filter{OptedOut: "yes", Query: before.AuditID}); p.Total != 1 {
			t.Errorf("opted-out child found by audit ID: %d", p.Total)
		}
		if f := (children.Filter{OptedOut: "maybe"}).Normalise(); f.OptedOut != "" || f.Filtered() {
			t.Errorf("unknown opted-out filter %+v", f)
		}
		// The NHS number is gone, so it no longer blocks another record.
		w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
	})
}

// An opt-out is the family's decision, so the cohort's deadline does not
// stop it.
func TestOptOutAfterTheDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		w.now = day(2024, 12, 20)
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		w.register(t, "clin@nca.example", id, "5", "1", "2023")
		w.now = day(2025, 1, 15)
		if c := w.get(t, "clin@nca.example", id); !errors.Is(c.ReadOnly, children.ErrPastDeadline) {
			t.Fatalf("not past the deadline: %v", c.ReadOnly)
		}
		if err := w.svc.OptOut(context.Background(), w.me(t, "lead@nca.example"), id); err != nil {
			t.Fatal(err)
		}
		if c := w.get(t, "clin@nca.example", id); !c.OptedOut() || c.Cohort != nil {
			t.Errorf("after the deadline: %+v", c.Child)
		}
	})
}
