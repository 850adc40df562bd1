package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/synth"

	"github.com/PuerkitoBio/goquery"
)

// completeChild imports a child with a complete audit at ods (a synth
// document, as the demo does) and has email choose its Milestones centres,
// which a document cannot carry. It returns the child's id.
func completeChild(t *testing.T, s store.Store, ods, email string, seed uint64) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
	today := svc.Children.Today()
	g := synth.New(synth.Options{Seed: seed, Today: audit.DateOf(today), From: audit.DateOf(cohort.RolesOn(today).Recruiting.Start()), Complete: 1})
	d := g.Next()
	if !d.Complete {
		t.Fatal("synth made an incomplete child")
	}
	id, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: d.Child, RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// registeredChildAt inserts a registered child with no answers at ods.
func registeredChildAt(t *testing.T, s store.Store, ods, nhs string) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	today := now.In(london(t))
	n, _ := cohort.ForDate(today)
	fpa, c, dob := store.NewDate(today), int64(n), store.Date{Year: 2015, Month: 5, Day: 3}
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "Ivy",
		Surname: "Incomplete", DateOfBirth: &dob, Sex: 2, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: o.ID,
		FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Submission only when complete (spec §1.6, §5.2, §11.1): the check page
// shows the audit's answers; an incomplete audit cannot be locked, and the
// page says what is missing, each linked to its question; a complete one
// locks.
func TestLockNeedsCompleteAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")

		empty := registeredChildAt(t, s, "RM332", "9434765919")
		path := childURL(empty)
		p := lead.get(path + "/lock")
		if p.status != 200 {
			t.Fatalf("check page: %d", p.status)
		}
		if p.doc.Find("#confirm-lock").Length() != 0 || !strings.Contains(p.doc.Find("#lock-incomplete").Text(), "once every section of the audit is complete") {
			t.Errorf("an incomplete audit is offered to lock: %q", p.doc.Find("#lock-incomplete").Text())
		}
		first := p.doc.Find("#lock-missing li a").First()
		if href, _ := first.Attr("href"); !strings.HasPrefix(href, path+"/forms/") || !strings.Contains(href, "#") || first.Text() == "" {
			t.Errorf("missing answers are not linked to their questions: %q -> %q", first.Text(), href)
		}
		// The server refuses it whatever the page offered.
		p = lead.post(path+"/lock", url.Values{"version": {"1"}})
		if p.status != 409 || !strings.Contains(p.doc.Find("#lock-refused").Text(), "This child's audit is not complete") ||
			!strings.Contains(p.doc.Find("#lock-refused").Text(), "1 of 7 sections are complete") || p.doc.Find("#lock-missing li").Length() == 0 {
			t.Fatalf("lock of an empty audit: %d %q", p.status, p.doc.Find("#lock-refused").Text())
		}
		if c, _ := s.GetChild(context.Background(), empty); c.LockedAt != nil {
			t.Fatal("an incomplete audit was locked")
		}

		// A complete audit: the check page shows its answers and locks.
		full := completeChild(t, s, "RM332", "lead@nca.example", 1)
		path = childURL(full)
		p = lead.get(path + "/lock")
		if p.status != 200 || p.doc.Find("#confirm-lock").Length() != 1 || p.doc.Find("#lock-missing").Length() != 0 {
			t.Fatalf("check page of a complete audit: %d", p.status)
		}
		page := p.doc.Find("main").Text()
		for _, want := range []string{"Audit answers", "First paediatric assessment (Completed)", "Treatment and care planning (Completed)",
			forms.FirstPaediatricAssessment.Questions[0].Label} {
			if !strings.Contains(page, want) {
				t.Errorf("check page lacks %q", want)
			}
		}
		// Each question with its answer in words.
		label := forms.FirstPaediatricAssessment.Questions[0].Label
		p.doc.Find(".app-check-form .nhsuk-summary-list__row").Each(func(_ int, r *goquery.Selection) {
			if r.Find("dt").Text() == label {
				if v := r.Find("dd").Text(); v == "" || v == "Not answered" {
					t.Errorf("%q shows %q", label, v)
				}
				label = ""
			}
		})
		if label != "" {
			t.Errorf("the check page lacks the question %q", label)
		}
		version := p.doc.Find(`input[name="version"]`).AttrOr("value", "")
		if p := lead.post(path+"/lock", url.Values{"version": {version}}); p.status != 303 {
			t.Fatalf("lock of a complete audit: %d %s", p.status, p.doc.Find("main").Text())
		}
		if got := lead.get(path).doc.Find("#lock-details").Text(); !strings.Contains(got, "Locked by") {
			t.Errorf("lock details %q", got)
		}
	})
}

// historyRows are the history table's rows as text: "Section | Question |
// Before | After | Why".
func historyRows(b *browser, path string) []string {
	var out []string
	b.get(path).doc.Find("#history tbody tr").Each(func(_ int, r *goquery.Selection) {
		cells := r.Find("td")
		out = append(out, fmt.Sprintf("%s | %s | %s | %s | %s", strings.TrimSpace(cells.Eq(2).Text()), cells.Eq(3).Text(),
			cells.Eq(4).Text(), cells.Eq(5).Text(), cells.Eq(6).Text()))
	})
	return out
}

func hasRow(rows []string, prefix string) bool {
	return slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, prefix) })
}

// Every change to the child itself is in its history with the answers':
// details, registration, lock and unlock, transfer, opt-out, deletion and
// restore, each with who, before, after and why; identifiers masked for
// those who may not change them; filterable by kind.
func TestHistoryShowsEveryChangeToTheChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		makeStaff(t, s, a, "full@national.example", access.NationalFull, "")
		makeStaff(t, s, a, "view@national.example", access.NationalView, "")
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		full := signIn(t, newBrowser(t, app), "full@national.example")
		view := signIn(t, newBrowser(t, app), "view@national.example")

		// Added on the form: every detail, from "Not set".
		lead.get("/children/new")
		full.get("/children")
		if p := lead.post("/children", childForm("9434765919")); p.status != 303 {
			t.Fatalf("add: %d", p.status)
		}
		ctx := context.Background()
		list, err := s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: 1, PageLimit: 100})
		if err != nil || len(list) == 0 {
			t.Fatalf("no trail of the new child: %v", err)
		}
		id := int64(1)
		path := childURL(id)
		rows := historyRows(lead, path+"/history")
		if !hasRow(rows, "Details | NHS number | Not set | 943 476 5919 | Changed on a form") || !hasRow(rows, "Details | Surname | Not set | Smith |") {
			t.Errorf("creation not in the history: %q", rows)
		}
		// Details changed: old and new, and only what changed.
		edit := childForm("4010232137")
		edit.Set("surname", "Smyth")
		edit.Set("version", "1")
		if p := lead.post(path+"/edit", edit); p.status != 303 {
			t.Fatalf("edit: %d", p.status)
		}
		rows = historyRows(lead, path+"/history")
		if !hasRow(rows, "Details | NHS number | 943 476 5919 | 401 023 2137 | Changed on a form") || !hasRow(rows, "Details | Surname | Smith | Smyth |") ||
			hasRow(rows, "Details | First name | Ava | Ava") {
			t.Errorf("edit not in the history: %q", rows)
		}
		// National view-only may view the child but not change identifiers: masked.
		masked := historyRows(view, path+"/history")
		if !hasRow(masked, "Details | NHS number | ******5919 | ******2137 |") || !hasRow(masked, "Details | Surname | Hidden | Hidden |") ||
			strings.Contains(strings.Join(masked, "\n"), "Smyth") {
			t.Errorf("identifiers not masked for national view-only: %q", masked)
		}
		// Registered, then the registration changed by the national team.
		now := time.Now().In(london(t))
		reg := url.Values{"eligibility": {"yes"}, "first_paediatric_assessment_date-day": {fmt.Sprint(now.Day())},
			"first_paediatric_assessment_date-month": {fmt.Sprint(int(now.Month()))}, "first_paediatric_assessment_date-year": {fmt.Sprint(now.Year())},
			"lead_organisation": {"RM332"}}
		if p := lead.post(path+"/register", reg); p.status != 303 {
			t.Fatalf("register: %d", p.status)
		}
		earlier := now.AddDate(0, 0, -1)
		reg.Set("first_paediatric_assessment_date-day", fmt.Sprint(earlier.Day()))
		reg.Set("first_paediatric_assessment_date-month", fmt.Sprint(int(earlier.Month())))
		reg.Set("first_paediatric_assessment_date-year", fmt.Sprint(earlier.Year()))
		full.get(path + "/register")
		reg.Del("csrf") // the lead's
		if p := full.post(path+"/register", reg); p.status != 303 {
			t.Fatalf("national re-registration: %d %s", p.status, p.doc.Find("main").Text())
		}
		rows = historyRows(lead, path+"/history?kind=registration")
		if !hasRow(rows, "Registration | First paediatric assessment date | "+now.Format("2 January 2006")+" | "+earlier.Format("2 January 2006")+" | National audit team") ||
			!hasRow(rows, "Registration | Eligibility confirmed | No | Yes | Changed on a form") || !hasRow(rows, "Registration | Cohort | Not set |") {
			t.Errorf("registration not in the history: %q", rows)
		}
		if hasRow(rows, "Details") {
			t.Errorf("the registration filter shows other kinds: %q", rows)
		}

		// Lock and unlock (a complete child), then a transfer to RGT01, accepted.
		done := completeChild(t, s, "RM332", "lead@nca.example", 2)
		dpath := childURL(done)
		c, _ := s.GetChild(ctx, done)
		if p := lead.post(dpath+"/lock", url.Values{"version": {fmt.Sprint(c.Version)}}); p.status != 303 {
			t.Fatalf("lock: %d", p.status)
		}
		if p := lead.post(dpath+"/unlock", nil); p.status != 303 {
			t.Fatalf("unlock: %d", p.status)
		}
		rows = historyRows(lead, dpath+"/history?kind=lock")
		if len(rows) != 2 || !strings.HasPrefix(rows[0], "Lock | Record | Locked | Not locked | Changed on a form") ||
			!strings.HasPrefix(rows[1], "Lock | Record | Not locked | Locked | Changed on a form") {
			t.Errorf("lock and unlock: %q", rows)
		}
		if rows := historyRows(lead, dpath+"/history"); !hasRow(rows, "Details | NHS number | Not set |") || !strings.Contains(strings.Join(rows, "\n"), "| Imported") {
			t.Errorf("an imported child's details are not in its history as imported: %q", rows)
		}
		if p := lead.post(dpath+"/transfer", url.Values{"organisation": {"RGT01"}}); p.status != 303 {
			t.Fatalf("transfer: %d", p.status)
		}
		if p := full.post(dpath+"/transfer/accept", nil); p.status != 303 {
			t.Fatalf("accept: %d", p.status)
		}
		rows = historyRows(full, dpath+"/history?kind=transfer")
		if !hasRow(rows, "Transfer | Lead organisation | RM332 | RGT01 | Transfer of lead organisation") ||
			!hasRow(rows, "Transfer | Transfer of lead organisation | Waiting for an answer | Accepted | Transfer of lead organisation: From ") ||
			!hasRow(rows, "Transfer | Transfer of lead organisation | Not set | Waiting for an answer |") {
			t.Errorf("transfer: %q", rows)
		}

		// Deleted and restored by the national team.
		other := registeredChildAt(t, s, "RM332", "9449305552")
		if p := lead.post(childURL(other)+"/delete", url.Values{"version": {"1"}}); p.status != 303 {
			t.Fatalf("delete: %d", p.status)
		}
		if p := full.post(childURL(other)+"/restore", nil); p.status != 303 {
			t.Fatalf("restore: %d", p.status)
		}
		rows = historyRows(full, childURL(other)+"/history?kind=deletion")
		if len(rows) != 2 || !strings.HasPrefix(rows[0], "Deletion | Record deleted | Yes | No | National audit team") ||
			!strings.HasPrefix(rows[1], "Deletion | Record deleted | No | Yes | Changed on a form") {
			t.Errorf("delete and restore: %q", rows)
		}

		// Opt-out: the trail's old identifiers go with the rest; the opt-out stays.
		if p := lead.post(path+"/opt-out", nil); p.status != 303 {
			t.Fatalf("opt out: %d", p.status)
		}
		rows = historyRows(full, path+"/history")
		if len(rows) != 1 || !strings.HasPrefix(rows[0], "Opt-out | Opted out of the audit | No | Yes | Changed on a form: Identifiers") {
			t.Errorf("opt-out: %q", rows)
		}
	})
}

// The record-view log: a page of a child shown is one row (user, child,
// time, page); htmx requests of a page are not; only national full access
// reads the log.
func TestRecordViewLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "full@national.example", access.NationalFull, "")
		makeStaff(t, s, a, "edit@national.example", access.NationalEdit, "")
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		full := signIn(t, newBrowser(t, app), "full@national.example")
		edit := signIn(t, newBrowser(t, app), "edit@national.example")
		id := registeredChildAt(t, s, "RM332", "9434765919")
		c, _ := s.GetChild(context.Background(), id)
		path := childURL(id)

		if p := lead.get(path + "/forms/first_paediatric_assessment"); p.status != 200 {
			t.Fatalf("form page: %d", p.status)
		}
		// The form's htmx requests (a follow-up question, an autosave) are not views.
		lead.htmxGet(path + "/forms/first_paediatric_assessment/question?key=first_paediatric_assessment..first_paediatric_assessment_in_acute_or_nonacute_setting")
		lead.htmxPost(path+"/forms/first_paediatric_assessment/answer", url.Values{"key": {"first_paediatric_assessment..first_paediatric_assessment_in_acute_or_nonacute_setting"}, "value": {"1"}, "version": {"1"}})
		// A child out of reach is not a view either (404).
		if p := lead.get(childURL(id + 1000)); p.status != 404 {
			t.Fatalf("missing child: %d", p.status)
		}

		p := full.get("/admin/record-views?child=" + strings.ToLower(c.AuditID))
		if p.status != 200 {
			t.Fatalf("log page: %d", p.status)
		}
		var rows []string
		p.doc.Find("#record-views tbody tr").Each(func(_ int, r *goquery.Selection) {
			cells := r.Find("td")
			rows = append(rows, cells.Eq(1).Text()+" | "+cells.Eq(2).Text()+" | "+cells.Eq(3).Text())
		})
		want := "Lena Lead (lead@nca.example) | " + c.AuditID + " | " + path + "/forms/first_paediatric_assessment"
		if len(rows) != 1 || rows[0] != want {
			t.Errorf("log rows %q, want [%q]", rows, want)
		}
		if when := p.doc.Find("#record-views tbody tr td").First().Text(); !strings.Contains(when, time.Now().In(london(t)).Format("2 Jan 2006")) {
			t.Errorf("view time %q", when)
		}
		// By account: the national user's own view of the log page is not a child's.
		if p := full.get("/admin/record-views?email=LEAD@nca.example"); p.doc.Find("#record-views tbody tr").Length() != 1 {
			t.Errorf("filter by email: %q", p.doc.Find("main").Text())
		}
		if p := full.get("/admin/record-views?email=nobody@nca.example"); !strings.Contains(p.doc.Find("#record-views-unknown").Text(), "No account has the email") {
			t.Error("an unknown email is not said to be unknown")
		}
		// The child's history links to its views for those who may read them.
		if p := full.get(path + "/history"); p.doc.Find("#history-views").AttrOr("href", "") != "/admin/record-views?child="+c.AuditID {
			t.Error("the history does not link to the record's views")
		}
		if p := lead.get(path + "/history"); p.doc.Find("#history-views").Length() != 0 {
			t.Error("a lead clinician is offered the record-view log")
		}
		for _, b := range []*browser{lead, edit} {
			if p := b.get("/admin/record-views"); p.status != 403 {
				t.Errorf("the log answered %d to someone without national full access", p.status)
			}
			if p := b.get("/children"); p.doc.Find("#nav-record-views").Length() != 0 {
				t.Error("the navigation offers the record-view log to someone who may not read it")
			}
		}
		if p := full.get("/children"); p.doc.Find("#nav-record-views").AttrOr("href", "") != "/admin/record-views" {
			t.Error("the navigation does not offer national full access the record-view log")
		}
		u, err := s.GetUserByEmail(context.Background(), "lead@nca.example")
		if err != nil {
			t.Fatal(err)
		}
		if p := full.get(fmt.Sprintf("/admin/users/%d", u.ID)); p.doc.Find("#staff-record-views").AttrOr("href", "") != "/admin/record-views?email=lead%40nca.example" {
			t.Errorf("the staff page does not link to the records the person opened (%d): %q", p.status, p.doc.Find("#staff-record-views").AttrOr("href", ""))
		}
	})
}
