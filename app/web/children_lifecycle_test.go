package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// insertChild adds a child at ods straight into the store: registered
// today when registered, locked too when locked.
func insertChild(t *testing.T, s store.Store, ods, nhs string, registered, locked bool) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	dob, now := store.Date{Year: 2015, Month: 5, Day: 3}, time.Now()
	p := store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "Ava", Surname: "Smith",
		DateOfBirth: &dob, Sex: 2, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: now}
	if registered {
		today := time.Now().In(london(t))
		fpa, c := store.NewDate(today), int64(0)
		n, _ := cohort.ForDate(today)
		c = int64(n)
		p.FirstPaediatricAssessmentDate, p.EligibilityConfirmed, p.Cohort, p.RegisteredAt = &fpa, true, &c, &now
	}
	if locked {
		p.LockedAt = &now
	}
	id, err := s.InsertChild(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func text(r response, sel string) string { return strings.TrimSpace(r.doc.Find(sel).Text()) }

// Asking for a transfer, the receiving side accepting it, and access
// moving with the lead organisation, through the pages.
func TestChildTransferPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		makeStaff(t, s, a, "lead@wales.example", access.LeadClinician, "7A4H1")
		id := insertChild(t, s, "RM332", "9434765919", false, false)
		path := childURL(id)
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")

		p := lead.get(path)
		if p.doc.Find("#transfer").AttrOr("href", "") != path+"/transfer" || p.doc.Find("#pending-transfer").Length() != 0 {
			t.Fatalf("child page offers no transfer: %q", text(p, "#manage"))
		}
		// The form lists organisations in England and Wales, not the child's own or Jersey's.
		p = lead.get(path + "/transfer")
		if p.status != 200 || p.doc.Find(`#organisation option[value="RGT01"]`).Length() != 1 ||
			p.doc.Find(`#organisation option[value="7A4H1"]`).Length() != 1 ||
			p.doc.Find(`#organisation option[value="RM332"]`).Length() != 0 ||
			p.doc.Find(`#organisation option[value="RGT1W"]`).Length() != 0 ||
			!strings.Contains(text(p, "#transfer-steps"), "waits until a lead clinician") {
			t.Fatalf("transfer form: %d", p.status)
		}
		p = lead.post(path+"/transfer", url.Values{"organisation": {""}})
		if p.status != 422 || p.doc.Find(`.nhsuk-error-summary a[href="#organisation"]`).Length() != 1 ||
			!strings.Contains(text(p, "#organisation-error"), "Choose the organisation") {
			t.Errorf("empty transfer: %d", p.status)
		}
		p = lead.post(path+"/transfer", url.Values{"organisation": {"RGT01"}})
		if p.status != 303 || p.header.Get("Location") != path+"?done=transfer-requested" {
			t.Fatalf("request: %d %s", p.status, p.header.Get("Location"))
		}
		p = lead.get(path + "?done=transfer-requested")
		if !strings.Contains(text(p, "#notice"), "Transfer requested") || !strings.Contains(text(p, "#pending-transfer"), "ADDENBROOKE'S HOSPITAL (RGT01)") ||
			p.doc.Find("#cancel-transfer").Length() != 1 || p.doc.Find("#accept-transfer").Length() != 0 ||
			p.doc.Find("#transfer").Length() != 0 || p.doc.Find("#delete").Length() != 0 || p.doc.Find("#opt-out").Length() != 0 {
			t.Errorf("child page with a pending transfer: %q", text(p, "main"))
		}
		// One at a time: the form and a second request answer 409.
		if p := lead.get(path + "/transfer"); p.status != 409 || !strings.Contains(text(p, "#conflict"), "waiting for an answer") {
			t.Errorf("transfer form while one waits: %d", p.status)
		}
		if p := lead.post(path+"/transfer", url.Values{"organisation": {"7A4H1"}}); p.status != 409 {
			t.Errorf("second request: %d", p.status)
		}
		// The origin's transfers page lists it as outgoing.
		p = lead.get("/children/transfers")
		if p.doc.Find(fmt.Sprintf(`#outgoing tr[data-child="%d"]`, id)).Length() != 1 || p.doc.Find("#incoming").Length() != 0 {
			t.Errorf("origin's transfers page: %q", text(p, "main"))
		}
		// Emails went to both lead clinicians.
		for _, addr := range []string{"lead@nca.example", "lead@rgt.example"} {
			if m, _ := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 5}); len(m) != 1 {
				t.Errorf("%s got %d emails", addr, len(m))
			}
		}

		// The receiving side: told on the case list, answers on the transfers
		// page or the child's page, which it may now see (but not change).
		rgt := signIn(t, newBrowser(t, app), "lead@rgt.example")
		p = rgt.get("/children")
		if !strings.Contains(text(p, "#incoming-transfers"), "1 transfer of a child is waiting for your answer") {
			t.Errorf("case list banner %q", text(p, "#incoming-transfers"))
		}
		p = rgt.get("/children/transfers")
		row := p.doc.Find(fmt.Sprintf(`#incoming tr[data-child="%d"]`, id))
		if row.Length() != 1 || !strings.Contains(row.Text(), "Ava Smith") || !strings.Contains(row.Text(), "ECCLES GATEWAY (RM332)") ||
			row.Find(fmt.Sprintf("#accept-%d", id)).Length() != 1 || row.Find(fmt.Sprintf("#reject-%d", id)).Length() != 1 {
			t.Errorf("incoming row %q", row.Text())
		}
		p = rgt.get(path)
		if p.status != 200 || p.doc.Find("#accept-transfer").Length() != 1 || p.doc.Find("#reject-transfer").Length() != 1 ||
			p.doc.Find("#cancel-transfer").Length() != 0 || p.doc.Find("#change-details").Length() != 0 || p.doc.Find("#manage").Length() != 0 {
			t.Errorf("receiving side's child page: %d", p.status)
		}
		if p := rgt.get(path + "/edit"); p.status != 403 {
			t.Errorf("receiving side edits: %d", p.status)
		}
		if p := rgt.post(path+"/transfer/cancel", nil); p.status != 403 {
			t.Errorf("receiving side cancels: %d", p.status)
		}
		// Not the origin, not a third party.
		if p := lead.post(path+"/transfer/accept", nil); p.status != 403 {
			t.Errorf("origin accepts: %d", p.status)
		}
		wales := signIn(t, newBrowser(t, app), "lead@wales.example")
		wales.get("/children")
		if p := wales.post(path+"/transfer/accept", nil); p.status != 404 {
			t.Errorf("third party accepts: %d", p.status)
		}
		p = rgt.post(path+"/transfer/accept", nil)
		if p.status != 303 || p.header.Get("Location") != path+"?done=transfer-accepted" {
			t.Fatalf("accept: %d %s", p.status, p.header.Get("Location"))
		}
		p = rgt.get(path + "?done=transfer-accepted")
		if !strings.Contains(text(p, "#lead-organisation"), "RGT01") || !strings.Contains(text(p, "#previous-leads"), "ECCLES GATEWAY (RM332)") ||
			p.doc.Find("#change-details").Length() != 1 || p.doc.Find("#pending-transfer").Length() != 0 {
			t.Errorf("after acceptance: %q", text(p, "main"))
		}
		// The old trust has lost sight of the child.
		for _, path := range []string{path, path + "/transfer", path + "/delete", path + "/opt-out"} {
			if p := lead.get(path); p.status != 404 {
				t.Errorf("old lead organisation GET %s: %d", path, p.status)
			}
		}
		if p := rgt.get("/children/transfers"); p.doc.Find("#no-incoming").Length() != 1 {
			t.Error("accepted transfer still listed")
		}

		// Reject from the transfers page: back to it, with a notice.
		if p := rgt.post(path+"/transfer", url.Values{"organisation": {"7A4H1"}}); p.status != 303 {
			t.Fatalf("second transfer: %d", p.status)
		}
		wales.get("/children/transfers")
		p = wales.post(path+"/transfer/reject", nil)
		if p.status != 303 || p.header.Get("Location") != "/children/transfers?done=rejected" {
			t.Fatalf("reject: %d %s", p.status, p.header.Get("Location"))
		}
		if p := wales.get("/children/transfers?done=rejected"); !strings.Contains(text(p, "#notice"), "Transfer rejected") {
			t.Error("no notice after rejecting")
		}
		if p := wales.get(path); p.status != 404 {
			t.Errorf("rejecting side still sees the child: %d", p.status)
		}
		// And cancel, on the asking side.
		rgt.get(path)
		if p := rgt.post(path+"/transfer", url.Values{"organisation": {"7A4H1"}}); p.status != 303 {
			t.Fatalf("third transfer: %d", p.status)
		}
		if p := rgt.post(path+"/transfer/cancel", nil); p.status != 303 || p.header.Get("Location") != path+"?done=transfer-cancelled" {
			t.Errorf("cancel: %d", p.status)
		}
		if p := rgt.post(path+"/transfer/cancel", nil); p.status != 409 || !strings.Contains(text(p, "#conflict"), "no transfer") {
			t.Errorf("cancel twice: %d %q", p.status, text(p, "#conflict"))
		}

		// A clinician may not transfer, or see the transfers page.
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		other := insertChild(t, s, "RM332", "4010232137", false, false)
		if p := clin.get(childURL(other)); p.doc.Find("#transfer").Length() != 0 || p.doc.Find("#delete").Length() != 1 {
			t.Error("a clinician's child page offers a transfer, or no deletion")
		}
		if p := clin.get("/children"); p.doc.Find("#transfers-link").Length() != 0 || p.doc.Find("#deleted-link").Length() != 0 {
			t.Error("a clinician's case list links to transfers or deleted children")
		}
		for _, path := range []string{"/children/transfers", childURL(other) + "/transfer"} {
			if p := clin.get(path); p.status != 403 {
				t.Errorf("clinician GET %s: %d", path, p.status)
			}
		}
	})
}

// Locked and past-deadline children refuse transfers and deletion (409);
// the opt-out stays open.
func TestChildLifecycleRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		ctx := context.Background()
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		locked := childURL(insertChild(t, s, "RM332", "9434765919", true, true))
		p := lead.get(locked)
		if p.doc.Find("#transfer").Length() != 0 || p.doc.Find("#delete").Length() != 0 || p.doc.Find("#opt-out").Length() != 1 {
			t.Errorf("locked child's page: %q", text(p, "#manage"))
		}
		for _, path := range []string{locked + "/transfer", locked + "/delete"} {
			if p := lead.get(path); p.status != 409 || !strings.Contains(text(p, "#conflict"), "locked") {
				t.Errorf("GET %s of a locked child: %d", path, p.status)
			}
		}
		if p := lead.post(locked+"/transfer", url.Values{"organisation": {"RGT01"}}); p.status != 409 {
			t.Errorf("transfer a locked child: %d", p.status)
		}
		if p := lead.post(locked+"/delete", url.Values{"version": {"1"}}); p.status != 409 {
			t.Errorf("delete a locked child: %d", p.status)
		}
		if p := lead.get(locked + "/opt-out"); p.status != 200 || !strings.Contains(text(p, "#removed"), "the lock on the record") {
			t.Errorf("opt-out page of a locked child: %d %q", p.status, text(p, "#removed"))
		}

		// Past the deadline: cohort 5 closed on 9 January 2024.
		o, _ := s.GetOrganisationByODS(ctx, "RM332")
		nhs, dob, fpa, five, now := "4010232137", store.Date{Year: 2015, Month: 5, Day: 3}, store.Date{Year: 2022, Month: 1, Day: 10}, int64(5), time.Now()
		old, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: "C0000001", NHSNumber: &nhs, FirstName: "Old", Surname: "Cohort",
			DateOfBirth: &dob, Sex: 1, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: o.ID,
			FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &five, RegisteredAt: &now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		path := childURL(old)
		for _, path := range []string{path + "/transfer", path + "/delete"} {
			if p := lead.get(path); p.status != 409 || !strings.Contains(text(p, "#conflict"), "deadline") {
				t.Errorf("GET %s past the deadline: %d", path, p.status)
			}
		}
		if p := lead.post(path+"/transfer", url.Values{"organisation": {"RGT01"}}); p.status != 409 {
			t.Errorf("transfer past the deadline: %d", p.status)
		}
		if p := lead.get(path + "/opt-out"); p.status != 200 {
			t.Errorf("opt-out page past the deadline: %d", p.status)
		}
	})
}

// The opt-out page says what will happen and that it cannot be undone; the
// child then shows as ##########, leaves the case list unless asked for,
// and refuses every change.
func TestChildOptOutPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "admin@nca.example", access.Administrator, "RM332")
		id := insertChild(t, s, "RM332", "9434765919", true, false)
		insertChild(t, s, "RM332", "4010232137", false, false)
		path := childURL(id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		admin := signIn(t, newBrowser(t, app), "admin@nca.example")
		if p := admin.get(path); p.doc.Find("#opt-out").Length() != 0 || p.doc.Find("#delete").Length() != 0 {
			t.Error("an administrator is offered to opt out or delete")
		}
		for _, r := range []response{admin.get(path + "/opt-out"), admin.post(path+"/opt-out", nil)} {
			if r.status != 403 {
				t.Errorf("administrator opts out: %d", r.status)
			}
		}

		p := clin.get(path)
		auditID := strings.TrimPrefix(text(p, "#audit-id"), "Audit ID ")
		if p.doc.Find("#opt-out").AttrOr("href", "") != path+"/opt-out" {
			t.Fatal("no opt-out link")
		}
		p = clin.get(path + "/opt-out")
		if p.status != 200 || !strings.Contains(text(p, "#cannot-undo"), "This cannot be undone") ||
			!strings.Contains(text(p, "#removed"), "NHS number, date of birth") || !strings.Contains(text(p, "#removed"), "cohort") ||
			!strings.Contains(text(p, "#kept"), auditID) || !strings.Contains(text(p, "#kept"), "ECCLES GATEWAY (RM332)") ||
			p.doc.Find("#confirm-opt-out").Length() != 1 {
			t.Fatalf("opt-out page: %d %q", p.status, text(p, "main"))
		}
		p = clin.post(path+"/opt-out", nil)
		if p.status != 303 || p.header.Get("Location") != path+"?done=opted-out" {
			t.Fatalf("opt out: %d", p.status)
		}
		p = clin.get(path + "?done=opted-out")
		if text(p, "h1") != "##########" || !strings.Contains(text(p, "#status"), "Opted out") || !strings.Contains(text(p, "#opted-out"), "Opted out of the audit on") ||
			text(p, "#audit-id") != "Audit ID "+auditID || p.doc.Find("#nhs-number").Length() != 0 || p.doc.Find("#registration").Length() != 0 ||
			p.doc.Find("#change-details").Length() != 0 || p.doc.Find("#manage").Length() != 0 || strings.Contains(text(p, "main"), "943 476 5919") ||
			strings.Contains(text(p, "main"), "Ava") {
			t.Errorf("opted-out child page: %q", text(p, "main"))
		}
		// Out of the list by default; the filter shows them.
		if p := clin.get("/children"); p.doc.Find(fmt.Sprintf(`tr[data-child="%d"]`, id)).Length() != 0 || p.doc.Find("#child-table tbody tr").Length() != 1 {
			t.Error("opted-out child in the default list")
		}
		p = clin.get("/children?opted_out=yes")
		row := p.doc.Find(fmt.Sprintf(`tr[data-child="%d"]`, id))
		if row.Length() != 1 || !strings.Contains(row.Text(), "##########") || !strings.Contains(row.Text(), "Opted out") ||
			p.doc.Find(`#opted_out option[value="yes"][selected]`).Length() != 1 || p.doc.Find("#child-table tbody tr").Length() != 1 {
			t.Errorf("opted-out filter: %q", row.Text())
		}
		if href := p.doc.Find(`a[data-sort="cohort"]`).AttrOr("href", ""); !strings.Contains(href, "opted_out=yes") {
			t.Errorf("sort link %q drops the opted-out filter", href)
		}
		if p := clin.get("/children?opted_out=all"); p.doc.Find("#child-table tbody tr").Length() != 2 {
			t.Error("the all filter")
		}
		// For good.
		for _, path := range []string{path + "/opt-out", path + "/edit", path + "/delete", path + "/register"} {
			if p := clin.get(path); p.status != 409 || !strings.Contains(text(p, "#conflict"), "opted out") {
				t.Errorf("GET %s of an opted-out child: %d %q", path, p.status, text(p, "#conflict"))
			}
		}
		if p := clin.post(path+"/opt-out", nil); p.status != 409 {
			t.Errorf("opt out twice: %d", p.status)
		}
	})
}

// Deleting through its confirmation page, the deleted children page of the
// national team, restoring, and a restore refused after 30 days.
func TestChildDeleteAndRestorePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "full@national.example", access.NationalFull, "")
		makeStaff(t, s, a, "edit@national.example", access.NationalEdit, "")
		ctx := context.Background()
		id := insertChild(t, s, "RM332", "9434765919", false, false)
		path := childURL(id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		full := signIn(t, newBrowser(t, app), "full@national.example")

		p := clin.get(path + "/delete")
		if p.status != 200 || !strings.Contains(text(p, "#what-happens"), "30 days") || !strings.Contains(text(p, "#what-happens"), "disappears") ||
			p.doc.Find(`input[name="version"]`).AttrOr("value", "") != "1" || p.doc.Find(`a[href="`+path+`/opt-out"]`).Length() != 1 {
			t.Fatalf("delete page: %d %q", p.status, text(p, "main"))
		}
		if p := clin.post(path+"/delete", url.Values{"version": {"0"}}); p.status != 409 || !strings.Contains(text(p, "#conflict"), "Someone else changed") {
			t.Errorf("delete from a stale page: %d", p.status)
		}
		p = clin.post(path+"/delete", url.Values{"version": {"1"}})
		if p.status != 303 || p.header.Get("Location") != "/children?done=deleted" {
			t.Fatalf("delete: %d %s", p.status, p.header.Get("Location"))
		}
		if p := clin.get("/children?done=deleted"); !strings.Contains(text(p, "#notice"), "Record deleted") || p.doc.Find(`#child-empty[data-empty="none"]`).Length() != 1 {
			t.Errorf("list after deletion: %q", text(p, "main"))
		}
		for _, b := range []*browser{clin, full} {
			for _, path := range []string{path, path + "/edit", path + "/delete"} {
				if p := b.get(path); p.status != 404 {
					t.Errorf("GET %s of a deleted child: %d", path, p.status)
				}
			}
		}

		// Deleted children: the national team with full access only.
		edit := signIn(t, newBrowser(t, app), "edit@national.example")
		for _, b := range []*browser{clin, edit} {
			if p := b.get("/children/deleted"); p.status != 403 {
				t.Errorf("deleted children page: %d", p.status)
			}
			b.get("/children")
			if p := b.post(path+"/restore", nil); p.status != 403 {
				t.Errorf("restore: %d", p.status)
			}
		}
		p = full.get("/children")
		if p.doc.Find("#deleted-link").AttrOr("href", "") != "/children/deleted" {
			t.Error("no link to the deleted children")
		}
		p = full.get("/children/deleted")
		row := p.doc.Find(fmt.Sprintf(`#deleted-table tr[data-child="%d"]`, id))
		if p.status != 200 || row.Length() != 1 || !strings.Contains(row.Text(), "Ava Smith") || !strings.Contains(row.Text(), "943 476 5919") ||
			!strings.Contains(row.Text(), "by Lena Lead") || row.Find(fmt.Sprintf("#restore-%d", id)).Length() != 1 {
			t.Fatalf("deleted row %q", row.Text())
		}
		p = full.post(path+"/restore", nil)
		if p.status != 303 || p.header.Get("Location") != path+"?done=restored" {
			t.Fatalf("restore: %d", p.status)
		}
		if p := clin.get(path); p.status != 200 {
			t.Errorf("restored child: %d", p.status)
		}
		if p := full.post(path+"/restore", nil); p.status != 404 {
			t.Errorf("restore a child that is not deleted: %d", p.status)
		}

		// Deleted 31 days ago: listed as waiting to be removed; restore is 409.
		oldID := insertChild(t, s, "RM332", "4010232137", false, false)
		if _, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: time.Now().Add(-31 * 24 * time.Hour), ID: oldID, Version: 1}); err != nil {
			t.Fatal(err)
		}
		p = full.get("/children/deleted")
		row = p.doc.Find(fmt.Sprintf(`#deleted-table tr[data-child="%d"]`, oldID))
		if !strings.Contains(row.Text(), "To be removed for good") || row.Find("button").Length() != 0 {
			t.Errorf("expired row %q", row.Text())
		}
		p = full.post(childURL(oldID)+"/restore", nil)
		if p.status != 409 || !strings.Contains(text(p, "#conflict"), "more than 30 days ago") {
			t.Errorf("restore after 30 days: %d %q", p.status, text(p, "#conflict"))
		}
	})
}
