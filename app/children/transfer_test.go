package children_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// lifecycleWorld is a world whose store can queue email (transfers notify).
func lifecycleWorld(t *testing.T, s store.Store) *world {
	t.Helper()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, s)
	w.svc.BaseURL = "https://audit.example"
	return w
}

// mail is every email queued, by address.
func (w *world) mail(t *testing.T) map[string][]store.Email {
	t.Helper()
	all, err := w.s.ListEmails(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.Email{}
	for _, e := range all {
		out[e.ToAddress] = append(out[e.ToAddress], e)
	}
	return out
}

// newMail is the email queued since the last call, by address, subjects only.
func (w *world) newMail(t *testing.T, seen map[int64]bool) map[string][]string {
	t.Helper()
	all, err := w.s.ListEmails(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range all {
		if !seen[e.ID] {
			seen[e.ID] = true
			out[e.ToAddress] = append(out[e.ToAddress], e.Subject)
		}
	}
	return out
}

func addresses(m map[string][]string) []string {
	var out []string
	for a := range m {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// register registers a child with a first assessment on d/m/y, or fails.
func (w *world) register(t *testing.T, email string, id int64, d, m, y string) {
	t.Helper()
	err := w.svc.Register(context.Background(), w.me(t, email), id, children.Registration{EligibilityConfirmed: true,
		FirstAssessment: children.DateInput{Day: d, Month: m, Year: y}})
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) lifecycle(t *testing.T, email string, id int64) (children.Child, children.Lifecycle) {
	t.Helper()
	c := w.get(t, email, id)
	lc, err := w.svc.Lifecycle(context.Background(), w.me(t, email).Actor, c)
	if err != nil {
		t.Fatal(err)
	}
	return c, lc
}

// A lead clinician asks; the receiving trust's lead clinician accepts; the
// child's lead organisation, and who may see it, move on acceptance only.
func TestTransferRequestAndAccept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		seen := map[int64]bool{}
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		lead, rgt := w.me(t, "lead@nca.example"), w.me(t, "lead@rgt.example")

		// Who may ask: lead clinicians and the national team with full
		// access, at the child's lead organisation.
		for who, want := range map[string]error{
			"clin@nca.example":      apperr.ErrForbidden,
			"admin@nca.example":     apperr.ErrForbidden,
			"edit@national.example": apperr.ErrForbidden,
			"view@national.example": apperr.ErrForbidden,
			"lead@rgt.example":      children.ErrNotFound, // another trust: nothing leaks
			"lead@wales.example":    children.ErrNotFound,
		} {
			if err := w.svc.RequestTransfer(ctx, w.me(t, who), id, "RGT01"); !errors.Is(err, want) {
				t.Errorf("%s asks: %v, want %v", who, err, want)
			}
		}
		// The organisation asked for: given, another, known, in England or Wales.
		for to, msg := range map[string]string{
			"":      "Choose the organisation to transfer the child to",
			"rm332": "Choose an organisation other than the child's lead organisation now",
			"NOPE1": "Choose an organisation in England or Wales from the list",
			"RGT1W": "Choose an organisation in England or Wales from the list", // Jersey
		} {
			err := w.svc.RequestTransfer(ctx, lead, id, to)
			if fe, ok := fieldError(err); !ok || fe.Field != "organisation" || fe.Message != msg {
				t.Errorf("transfer to %q: %v, want %s", to, err, msg)
			}
		}
		if got := w.newMail(t, seen); len(got) != 0 {
			t.Errorf("refused requests sent email: %v", got)
		}

		w.now = day(2025, 3, 11)
		if err := w.svc.RequestTransfer(ctx, lead, id, " rgt01 "); err != nil {
			t.Fatal(err)
		}
		// Both sides' lead clinicians are told, nobody else.
		got := w.newMail(t, seen)
		if a := addresses(got); !slices.Equal(a, []string{"lead@nca.example", "lead@rgt.example"}) {
			t.Errorf("request emailed %v", a)
		}
		mails := w.mail(t)["lead@rgt.example"]
		if len(mails) != 1 || !strings.Contains(mails[0].Subject, "to accept or reject") ||
			!strings.Contains(mails[0].BodyText, "https://audit.example/children/transfers") ||
			!strings.Contains(mails[0].BodyText, "Lena Lead asked") || !strings.Contains(mails[0].BodyText, "Dear Rita Lead") {
			t.Errorf("request email %+v", mails)
		}
		// The email names the child by audit ID only.
		c := w.get(t, "lead@nca.example", id)
		if !strings.Contains(mails[0].Subject, c.AuditID) || strings.Contains(mails[0].BodyText, "Ava") ||
			strings.Contains(mails[0].BodyText, "9434765919") || strings.Contains(mails[0].BodyText, "943 476 5919") {
			t.Errorf("request email identifies the child: %q", mails[0].BodyText)
		}

		// Pending: nothing about the child moves yet; one at a time.
		c, lc := w.lifecycle(t, "lead@nca.example", id)
		if c.Organisation.ODSCode != "RM332" || lc.Pending == nil || lc.Pending.ToOds != "RGT01" ||
			lc.Pending.RequestedByName != "Lena Lead" || !lc.Pending.RequestedAt.Equal(day(2025, 3, 11)) ||
			!lc.CanCancel || lc.CanAccept || lc.CanReject || lc.CanTransfer || lc.CanDelete || lc.CanOptOut {
			t.Errorf("origin's view of a pending transfer: %s %+v", c.Organisation.ODSCode, lc)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "7A4H1"); !errors.Is(err, children.ErrTransferPending) || !children.IsConflict(err) {
			t.Errorf("second request: %v", err)
		}
		// The receiving side sees the child it is asked to take, and may
		// answer, but not change the record; others there do not see it.
		c, lc = w.lifecycle(t, "lead@rgt.example", id)
		if !lc.CanAccept || !lc.CanReject || lc.CanCancel || c.CanEdit || c.CanRegister || lc.CanTransfer {
			t.Errorf("receiving side's view: %+v, edit %v", lc, c.CanEdit)
		}
		if err := w.svc.Update(ctx, rgt, id, c.Version, children.DemographicsOf(c.Child)); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("receiving side edits before accepting: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.me(t, "lead@wales.example").Actor, id); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("a third party sees the child: %v", err)
		}
		if p, _ := w.svc.List(ctx, rgt.Actor, children.Filter{}); p.Total != 0 {
			t.Errorf("the child is in the receiving side's case list before acceptance")
		}

		// The transfers page: incoming at RGT01, outgoing at RM332, all
		// incoming for the national team, refused to those who cannot answer.
		check := func(who string, in, out int) {
			t.Helper()
			i, o, err := w.svc.Transfers(ctx, w.me(t, who).Actor)
			if err != nil || len(i) != in || len(o) != out {
				t.Errorf("%s's transfers: %d in, %d out, %v; want %d, %d", who, len(i), len(o), err, in, out)
			}
			n, _ := w.svc.IncomingTransfers(ctx, w.me(t, who).Actor)
			if n != int64(in) {
				t.Errorf("%s's incoming count %d", who, n)
			}
		}
		check("lead@rgt.example", 1, 0)
		check("lead@nca.example", 0, 1)
		check("full@national.example", 1, 0)
		check("lead@wales.example", 0, 0)
		if _, _, err := w.svc.Transfers(ctx, w.me(t, "clin@nca.example").Actor); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a clinician lists transfers: %v", err)
		}
		if i, _, _ := w.svc.Transfers(ctx, rgt.Actor); len(i) == 1 && (i[0].Name() != "Ava Smith" || i[0].FromOds != "RM332" || i[0].NHSNumberDisplay() != "943 476 5919") {
			t.Errorf("incoming row %+v", i[0])
		}

		// Only the receiving side answers.
		if err := w.svc.AcceptTransfer(ctx, lead, id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the origin accepts its own request: %v", err)
		}
		if err := w.svc.AcceptTransfer(ctx, w.me(t, "clin@nca.example"), id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a clinician accepts: %v", err)
		}
		if err := w.svc.CancelTransfer(ctx, rgt, id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the receiving side cancels: %v", err)
		}
		w.now = day(2025, 3, 12)
		if err := w.svc.AcceptTransfer(ctx, rgt, id); err != nil {
			t.Fatal(err)
		}
		got = w.newMail(t, seen)
		if a := addresses(got); !slices.Equal(a, []string{"lead@nca.example", "lead@rgt.example"}) ||
			!strings.Contains(got["lead@nca.example"][0], "accepted") {
			t.Errorf("acceptance emailed %v", got)
		}

		// Access moved with the lead organisation.
		for who, want := range map[string]error{
			"lead@nca.example":      children.ErrNotFound,
			"clin@nca.example":      children.ErrNotFound,
			"lead@rgt.example":      nil,
			"view@national.example": nil,
		} {
			if _, err := w.svc.Get(ctx, w.me(t, who).Actor, id); !errors.Is(err, want) && (err != nil || want != nil) {
				t.Errorf("%s after the transfer: %v, want %v", who, err, want)
			}
		}
		if p, _ := w.svc.List(ctx, lead.Actor, children.Filter{}); p.Total != 0 {
			t.Error("the child stays in the old trust's case list")
		}
		if p, _ := w.svc.List(ctx, rgt.Actor, children.Filter{}); p.Total != 1 {
			t.Error("the child is not in the new trust's case list")
		}
		c, lc = w.lifecycle(t, "lead@rgt.example", id)
		if c.Organisation.ODSCode != "RGT01" || !c.CanEdit || c.UpdatedByName != "Rita Lead" || lc.Pending != nil ||
			len(lc.PreviousLeads) != 1 || lc.PreviousLeads[0].FromOds != "RM332" || lc.PreviousLeads[0].RespondedByName != "Rita Lead" ||
			lc.PreviousLeads[0].RespondedAt == nil || !lc.PreviousLeads[0].RespondedAt.Equal(day(2025, 3, 12)) || !lc.CanTransfer {
			t.Errorf("after acceptance: %s %+v", c.Organisation.ODSCode, lc)
		}
		if err := w.svc.AcceptTransfer(ctx, rgt, id); !errors.Is(err, children.ErrNoTransfer) {
			t.Errorf("accept again: %v", err)
		}
		check("lead@rgt.example", 0, 0)
	})
}

// Moving within a trust keeps the child in sight of the trust, and the
// lead clinicians of the trust can accept.
func TestTransferWithinTrust(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		lead := w.me(t, "lead@nca.example")
		if err := w.svc.RequestTransfer(ctx, lead, id, "RM335"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.AcceptTransfer(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		if c := w.get(t, "clin@nca.example", id); c.Organisation.ODSCode != "RM335" {
			t.Errorf("lead organisation %s", c.Organisation.ODSCode)
		}
		// RM335 has no lead clinician: the national team with full access is
		// told, the others are not.
		m := w.mail(t)
		if len(m["full@national.example"]) != 2 || len(m["edit@national.example"]) != 0 || len(m["lead@nca.example"]) != 2 ||
			!strings.Contains(m["full@national.example"][0].Subject, "no lead clinician at IRLAM MEDICAL CENTRE (RM335)") {
			t.Errorf("emails %v", m)
		}
	})
}

// Rejecting and cancelling leave the child where it was, and are kept in
// the history (not as previous lead organisations).
func TestTransferRejectAndCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		seen := map[int64]bool{}
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		lead, wales := w.me(t, "lead@nca.example"), w.me(t, "lead@wales.example")
		if err := w.svc.RequestTransfer(ctx, lead, id, "7A4H1"); err != nil {
			t.Fatal(err)
		}
		w.newMail(t, seen)
		if err := w.svc.RejectTransfer(ctx, w.me(t, "lead@rgt.example"), id); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("someone else rejects: %v", err)
		}
		if err := w.svc.RejectTransfer(ctx, wales, id); err != nil {
			t.Fatal(err)
		}
		got := w.newMail(t, seen)
		if a := addresses(got); !slices.Equal(a, []string{"lead@nca.example", "lead@wales.example"}) ||
			!strings.Contains(got["lead@nca.example"][0], "rejected") {
			t.Errorf("rejection emailed %v", got)
		}
		if c := w.get(t, "lead@nca.example", id); c.Organisation.ODSCode != "RM332" {
			t.Errorf("rejected transfer moved the child to %s", c.Organisation.ODSCode)
		}
		if _, err := w.svc.Get(ctx, wales.Actor, id); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("the receiving side still sees the child after rejecting: %v", err)
		}
		if err := w.svc.RejectTransfer(ctx, wales, id); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("reject again, out of sight: %v", err)
		}
		if err := w.svc.RejectTransfer(ctx, lead, id); !errors.Is(err, children.ErrNoTransfer) {
			t.Errorf("reject with nothing pending: %v", err)
		}

		// Ask again, then withdraw it: the origin may; the national team may.
		if err := w.svc.RequestTransfer(ctx, lead, id, "7A4H1"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.CancelTransfer(ctx, wales, id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the receiving side cancels: %v", err)
		}
		w.newMail(t, seen)
		if err := w.svc.CancelTransfer(ctx, w.me(t, "full@national.example"), id); err != nil {
			t.Fatal(err)
		}
		got = w.newMail(t, seen)
		if a := addresses(got); !slices.Equal(a, []string{"lead@nca.example", "lead@wales.example"}) ||
			!strings.Contains(got["lead@wales.example"][0], "cancelled") {
			t.Errorf("cancellation emailed %v", got)
		}
		_, lc := w.lifecycle(t, "lead@nca.example", id)
		if lc.Pending != nil || len(lc.PreviousLeads) != 0 || !lc.CanTransfer {
			t.Errorf("after reject and cancel: %+v", lc)
		}
		history, err := s.ListChildTransfers(ctx, id)
		if err != nil || len(history) != 2 || history[0].Status != store.TransferCancelled || history[1].Status != store.TransferRejected ||
			history[0].RespondedByName != "Nadia Full" || history[1].RespondedByName != "Llew Lead" {
			t.Errorf("history %+v %v", history, err)
		}
	})
}

// Locked children and children past their cohort's deadline cannot be
// transferred: not asked for, not accepted. A pending transfer can still be
// rejected or cancelled.
func TestTransferRefusedWhenLockedOrPastDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		lead, rgt := w.me(t, "lead@nca.example"), w.me(t, "lead@rgt.example")
		w.now = day(2024, 12, 20)
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		w.register(t, "clin@nca.example", id, "5", "1", "2023") // cohort 6, deadline 14 January 2025
		if err := w.svc.Lock(ctx, lead, id, 2); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "RGT01"); !errors.Is(err, children.ErrLocked) {
			t.Errorf("transfer a locked child: %v", err)
		}
		if _, lc := w.lifecycle(t, "lead@nca.example", id); lc.CanTransfer {
			t.Error("a locked child offers a transfer")
		}
		if err := w.svc.Unlock(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "RGT01"); err != nil {
			t.Fatal(err)
		}
		// Locked while waiting: the receiving side cannot accept, but can reject.
		if err := w.svc.Lock(ctx, lead, id, 4); err != nil {
			t.Fatal(err)
		}
		if _, lc := w.lifecycle(t, "lead@rgt.example", id); lc.CanAccept || !lc.CanReject || !strings.Contains(lc.AcceptBlocked, "locked") {
			t.Errorf("receiving side of a locked child: %+v", lc)
		}
		if err := w.svc.AcceptTransfer(ctx, rgt, id); !errors.Is(err, children.ErrLocked) {
			t.Errorf("accept for a locked child: %v", err)
		}
		if err := w.svc.Unlock(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		// Past the deadline while waiting: accepting is refused, rejecting is not.
		w.now = day(2025, 1, 15)
		if err := w.svc.AcceptTransfer(ctx, rgt, id); !errors.Is(err, children.ErrPastDeadline) {
			t.Errorf("accept past the deadline: %v", err)
		}
		if err := w.svc.RejectTransfer(ctx, rgt, id); err != nil {
			t.Errorf("reject past the deadline: %v", err)
		}
		if err := w.svc.RequestTransfer(ctx, lead, id, "RGT01"); !errors.Is(err, children.ErrPastDeadline) {
			t.Errorf("transfer past the deadline: %v", err)
		}
		if c := w.get(t, "lead@nca.example", id); c.Organisation.ODSCode != "RM332" {
			t.Errorf("moved to %s", c.Organisation.ODSCode)
		}
	})
}

// A deactivated lead clinician is not emailed; with no active one at the
// receiving organisation, the national team with full access is. A child
// in Jersey cannot be transferred to England or Wales.
func TestTransferRecipientsAndJersey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		if err := s.SetUserActive(ctx, store.SetUserActiveParams{IsActive: false, UpdatedAt: w.now, ID: w.users["lead@rgt.example"].ID}); err != nil {
			t.Fatal(err)
		}
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		if err := w.svc.RequestTransfer(ctx, w.me(t, "full@national.example"), id, "RGT01"); err != nil {
			t.Fatal(err)
		}
		m := w.newMail(t, map[int64]bool{})
		if a := addresses(m); !slices.Equal(a, []string{"full@national.example", "lead@nca.example"}) ||
			!strings.Contains(m["lead@nca.example"][0], "no lead clinician at ADDENBROOKE'S HOSPITAL (RGT01)") {
			t.Errorf("emailed %v", m)
		}
		if body := w.mail(t)["full@national.example"][0].BodyText; !strings.Contains(body, "Nadia Full asked") ||
			!strings.Contains(body, "because ADDENBROOKE'S HOSPITAL (RGT01) has no active lead clinician account") {
			t.Errorf("body %q", body)
		}

		j := newChild("9990000018", "RGT1W")
		j.UniqueReferenceNumber, j.Postcode = "JE-1", "JE2 3QW"
		jid := w.create(t, "clin@jersey.example", j)
		if err := w.svc.RequestTransfer(ctx, w.me(t, "full@national.example"), jid, "RGT01"); !errors.Is(err, children.ErrJerseyTransfer) {
			t.Errorf("transfer a Jersey child: %v", err)
		}
		if _, lc := w.lifecycle(t, "full@national.example", jid); lc.CanTransfer {
			t.Error("a Jersey child offers a transfer")
		}
	})
}

// Two people ask at once: one transfer is made, the other is told one is
// waiting.
func TestTransferConcurrentRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			me := w.me(t, "lead@nca.example")
			to := []string{"RGT01", "7A4H1"}[i%2]
			wg.Go(func() { errs[i] = w.svc.RequestTransfer(context.Background(), me, id, to) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, children.ErrTransferPending):
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d transfers made", ok)
		}
	})
}
