package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// signIn returns a browser signed in as email (an account made by makeStaff).
func signIn(t *testing.T, b *browser, email string) *browser {
	t.Helper()
	b.get("/sign-in")
	if p := b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}}); p.status != 303 {
		t.Fatalf("%s signs in: %d", email, p.status)
	}
	return b
}

func childForm(nhs string) url.Values {
	return url.Values{"first_name": {"Ava"}, "surname": {"Smith"}, "nhs_number": {nhs},
		"date_of_birth-day": {"3"}, "date_of_birth-month": {"5"}, "date_of_birth-year": {"2015"},
		"sex": {"2"}, "ethnicity": {"A"}, "postcode": {"M6 8HD"}, "lead_organisation": {"RM332"}}
}

func TestChildPagesAddRegisterLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		makeStaff(t, s, a, "admin@nca.example", access.Administrator, "RM332")
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")

		// No children yet: the empty state says so, not "nothing matches".
		p := lead.get("/children")
		if p.status != 200 || p.doc.Find(`#child-empty[data-empty="none"]`).Length() != 1 || p.doc.Find("#add-child").Length() != 1 {
			t.Fatalf("empty list: %d %q", p.status, p.doc.Find("#child-results").Text())
		}
		if p.doc.Find("#nav-children").Length() != 1 {
			t.Error("no Children link in the navigation")
		}

		// The form offers the lead's own organisation first and only its trust's.
		p = lead.get("/children/new")
		if p.doc.Find(`#lead_organisation option[value="RM332"][selected]`).Length() != 1 ||
			p.doc.Find(`#lead_organisation option[value="RM335"]`).Length() != 1 ||
			p.doc.Find(`#lead_organisation option[value="RGT01"]`).Length() != 0 {
			t.Error("lead organisations offered are not the lead's trust, own one selected")
		}
		if p.doc.Find("#date_of_birth-day").Length() != 1 || p.doc.Find("#sex-1").Length() != 1 || p.doc.Find(`#unknown-postcodes`).Length() != 1 {
			t.Error("the form lacks the date inputs, sex radios or unknown postcode codes")
		}

		// Errors next to each field and in the summary, input kept.
		bad := childForm("4857773456")
		bad.Set("first_name", "")
		bad.Set("date_of_birth-day", "")
		p = lead.post("/children", bad)
		if p.status != 422 {
			t.Fatalf("bad form: %d", p.status)
		}
		for _, href := range []string{"#first_name", "#nhs_number", "#date_of_birth-day"} {
			if p.doc.Find(`.nhsuk-error-summary a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("error summary lacks a link to %s", href)
			}
		}
		if got := p.doc.Find("#nhs_number-error").Text(); !strings.Contains(got, "not a valid NHS number") {
			t.Errorf("NHS number error %q", got)
		}
		if got := p.doc.Find("#date_of_birth-error").Text(); !strings.Contains(got, "Date of birth must include a day") {
			t.Errorf("date error %q", got)
		}
		if !p.doc.Find("#date_of_birth-day").HasClass("nhsuk-input--error") || p.doc.Find("#date_of_birth-month").HasClass("nhsuk-input--error") {
			t.Error("only the missing day should be highlighted")
		}
		if p.doc.Find("#surname").AttrOr("value", "") != "Smith" || p.doc.Find("#nhs_number").AttrOr("value", "") != "4857773456" ||
			p.doc.Find("#date_of_birth-month").AttrOr("value", "") != "5" || p.doc.Find("#sex-2[checked]").Length() != 1 ||
			p.doc.Find(`#ethnicity option[value="A"][selected]`).Length() != 1 {
			t.Error("input not kept after errors")
		}

		// Added: the address names the child by number only.
		p = lead.post("/children", childForm("943 476 5919"))
		loc := p.header.Get("Location")
		if p.status != 303 || !regexp.MustCompile(`^/children/\d+\?done=created$`).MatchString(loc) {
			t.Fatalf("create: %d %s", p.status, loc)
		}
		childPath := strings.TrimSuffix(loc, "?done=created")
		id, _ := strconv.ParseInt(strings.TrimPrefix(childPath, "/children/"), 10, 64)
		p = lead.get(loc)
		auditID := strings.TrimPrefix(p.doc.Find("#audit-id").Text(), "Audit ID ")
		if !children.IsAuditID(auditID) || p.doc.Find("#nhs-number").Text() != "943 476 5919" ||
			!strings.Contains(p.doc.Find("#notice").Text(), "Child added") || p.doc.Find("#register").Length() != 1 ||
			!strings.Contains(p.doc.Find("#status").Text(), "Not registered") || p.doc.Find("#lock").Length() != 0 {
			t.Errorf("child page: audit ID %q, NHS %q, status %q", auditID, p.doc.Find("#nhs-number").Text(), p.doc.Find("#status").Text())
		}

		// The same NHS number again, spaced differently: refused at the field.
		p = lead.post("/children", childForm("9434765919"))
		if p.status != 422 || strings.TrimSpace(strings.TrimPrefix(p.doc.Find("#nhs_number-error").Text(), "Error:")) != "This NHS number is already registered in the audit" {
			t.Errorf("duplicate: %d %q", p.status, p.doc.Find("#nhs_number-error").Text())
		}

		// The list shows the child; search keeps to the URL; htmx gets a fragment.
		p = lead.get("/children")
		row := p.doc.Find(fmt.Sprintf(`#child-table tr[data-child="%d"]`, id))
		if row.Length() != 1 || !strings.Contains(row.Text(), auditID) || !strings.Contains(row.Text(), "943 476 5919") ||
			!strings.Contains(row.Text(), "3 May 2015") || !strings.Contains(row.Text(), "Not registered") {
			t.Errorf("list row %q", row.Text())
		}
		p = lead.get("/children?q=" + url.QueryEscape(strings.ToLower(auditID)))
		if p.doc.Find("#child-table tbody tr").Length() != 1 {
			t.Error("search by audit ID")
		}
		p = lead.htmxGet("/children?q=nobody")
		if strings.Contains(p.body, "<html") || p.doc.Find(`#child-empty[data-empty="filtered"]`).Length() != 1 {
			t.Errorf("htmx search with no match: %q", p.body)
		}
		p = lead.get("/children?q=smith&sort=nhs_number&dir=desc")
		if href := p.doc.Find(`a[data-sort="cohort"]`).AttrOr("href", ""); !strings.Contains(href, "q=smith") || !strings.Contains(href, "sort=cohort") {
			t.Errorf("sort link %q drops the search", href)
		}
		if aria := p.doc.Find(`th:has(a[data-sort="nhs_number"])`).AttrOr("aria-sort", ""); aria != "descending" {
			t.Errorf("aria-sort %q", aria)
		}
		if p := lead.get("/children?org=RGT01"); p.status != 403 {
			t.Errorf("filter by another trust's organisation: %d", p.status)
		}

		// Another trust's lead cannot see the child at all.
		other := signIn(t, newBrowser(t, app), "lead@rgt.example")
		for _, path := range []string{childPath, childPath + "/edit", childPath + "/register", childPath + "/lock"} {
			if p := other.get(path); p.status != 404 {
				t.Errorf("another trust's lead GET %s: %d", path, p.status)
			}
		}
		if p := other.post(childPath+"/unlock", nil); p.status != 404 {
			t.Errorf("another trust's lead unlocks: %d", p.status)
		}
		if p := other.get("/children"); p.doc.Find(`#child-empty[data-empty="none"]`).Length() != 1 {
			t.Error("another trust's list shows children")
		}
		// An administrator may edit but not register.
		admin := signIn(t, newBrowser(t, app), "admin@nca.example")
		if p := admin.get(childPath); p.doc.Find("#change-details").Length() != 1 || p.doc.Find("#register").Length() != 0 {
			t.Error("administrator's child page offers the wrong actions")
		}
		if p := admin.get(childPath + "/register"); p.status != 403 {
			t.Errorf("administrator opens registration: %d", p.status)
		}

		// Edit: a stale form is refused with 409 and a way back.
		p = lead.get(childPath + "/edit")
		if p.doc.Find("#nhs_number").AttrOr("value", "") != "943 476 5919" || p.doc.Find(`input[name="version"]`).AttrOr("value", "") != "1" {
			t.Errorf("edit form not filled: %q", p.doc.Find("#nhs_number").AttrOr("value", ""))
		}
		edit := childForm("9434765919")
		edit.Set("surname", "Smyth")
		edit.Set("version", "1")
		if p := lead.post(childPath+"/edit", edit); p.status != 303 {
			t.Fatalf("edit: %d", p.status)
		}
		p = lead.post(childPath+"/edit", edit)
		if p.status != 409 || !strings.Contains(p.doc.Find("#conflict").Text(), "Someone else changed") {
			t.Errorf("stale edit: %d %q", p.status, p.doc.Find("#conflict").Text())
		}

		// Register on today's date: the cohort card shows its dates.
		now := time.Now().In(london(t))
		lead.get(childPath + "/register")
		reg := url.Values{"first_paediatric_assessment_date-day": {strconv.Itoa(now.Day())},
			"first_paediatric_assessment_date-month": {strconv.Itoa(int(now.Month()))},
			"first_paediatric_assessment_date-year":  {strconv.Itoa(now.Year())}, "lead_organisation": {"RM332"}}
		p = lead.post(childPath+"/register", reg)
		if p.status != 422 || p.doc.Find(`.nhsuk-error-summary a[href="#eligibility"]`).Length() != 1 {
			t.Errorf("register without confirming eligibility: %d", p.status)
		}
		reg.Set("eligibility", "yes")
		if p := lead.post(childPath+"/register", reg); p.status != 303 {
			t.Fatalf("register: %d %s", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		want, _ := cohort.ForDate(now)
		p = lead.get(childPath)
		card := p.doc.Find("#cohort-card")
		if !strings.Contains(card.Text(), fmt.Sprintf("Cohort %d", want)) ||
			p.doc.Find("#deadline").Text() != want.SubmissionDeadline().Format("2 January 2006") ||
			p.doc.Find("#days-remaining").Text() != strconv.Itoa(want.DaysRemaining(now)) {
			t.Errorf("cohort card %q", card.Text())
		}
		if p.doc.Find("#register").Length() != 0 || p.doc.Find("#change-registration").Length() != 0 {
			t.Error("a clinician is offered to register again")
		}
		if p := lead.get(childPath + "/register"); p.status != 409 {
			t.Errorf("registration form for a registered child: %d", p.status)
		}

		// Lock after checking: the check page shows what is locked. This
		// child's audit is empty, so it cannot be locked (TestLockNeedsCompleteAudit);
		// the rest runs on a child with a complete audit.
		p = lead.get(childPath + "/lock")
		if p.status != 200 || !strings.Contains(p.doc.Find("#check-details").Text(), "Smyth") ||
			!strings.Contains(p.doc.Find("#check-registration").Text(), fmt.Sprint(int(want))) || p.doc.Find("#confirm-lock").Length() != 0 {
			t.Fatalf("check page: %d", p.status)
		}
		if p := lead.post(childPath+"/lock", url.Values{"version": {"3"}}); p.status != 409 {
			t.Fatalf("lock of an empty audit: %d", p.status)
		}
		childPath = childURL(completeChild(t, s, "RM332", "lead@nca.example", 3))
		p = lead.get(childPath + "/lock")
		if p := lead.post(childPath+"/lock", url.Values{"version": {p.doc.Find(`input[name="version"]`).AttrOr("value", "")}}); p.status != 303 {
			t.Fatalf("lock: %d %s", p.status, p.body)
		}
		p = lead.get(childPath)
		if got := p.doc.Find("#lock-details").Text(); !strings.Contains(got, "Locked by Lena Lead on ") {
			t.Errorf("lock details %q", got)
		}
		if p.doc.Find("#change-details").Length() != 0 || p.doc.Find("#unlock").Length() != 1 {
			t.Error("a locked child offers changes, or no unlock")
		}
		if p := lead.get(childPath + "/edit"); p.status != 409 || !strings.Contains(p.doc.Find("#conflict").Text(), "locked") {
			t.Errorf("edit form of a locked child: %d", p.status)
		}
		edit.Set("version", "4")
		if p := lead.post(childPath+"/edit", edit); p.status != 409 || !strings.Contains(p.doc.Find("#conflict").Text(), "locked") {
			t.Errorf("edit a locked child: %d %q", p.status, p.doc.Find("#conflict").Text())
		}
		if p := lead.post(childPath+"/lock", url.Values{"version": {"4"}}); p.status != 409 {
			t.Errorf("lock twice: %d", p.status)
		}
		if p := lead.post(childPath+"/unlock", nil); p.status != 303 {
			t.Errorf("unlock: %d", p.status)
		}
		if p := lead.get(childPath + "?done=unlocked"); p.doc.Find("#change-details").Length() != 1 || !strings.Contains(p.doc.Find("#notice").Text(), "unlocked") {
			t.Error("unlocked child is not editable")
		}
		if p := lead.get("/children?locked=no&registered=yes"); p.doc.Find("#child-table tbody tr").Length() != 2 { // both children
			t.Error("filter registered, not locked")
		}
	})
}

// A child whose cohort's deadline has passed is read-only: its forms and
// writes answer 409 and its page says why.
func TestChildPastDeadlineIsReadOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		ctx := context.Background()
		o, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		nhs, dob, fpa, five := "9434765919", store.Date{Year: 2015, Month: 5, Day: 3}, store.Date{Year: 2022, Month: 1, Day: 10}, int64(5)
		now := time.Now()
		id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: "C0000001", NHSNumber: &nhs, FirstName: "Old", Surname: "Cohort",
			DateOfBirth: &dob, Sex: 1, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: o.ID,
			FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &five, RegisteredAt: &now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		path := childURL(id)
		p := lead.get(path)
		if !strings.Contains(p.doc.Find("#status").Text(), "Past the submission deadline") ||
			!strings.Contains(p.doc.Find("#read-only").Text(), "deadline") || p.doc.Find("#change-details").Length() != 0 ||
			p.doc.Find("#lock").Length() != 0 || !strings.Contains(p.doc.Find("#days-remaining").Text(), "None") {
			t.Errorf("past-deadline child page: %q", p.doc.Find("main").Text())
		}
		if p.doc.Find("#postcode").Text() != "ZZ99 3WZ (Address unknown)" {
			t.Errorf("postcode %q", p.doc.Find("#postcode").Text())
		}
		for _, path := range []string{path + "/edit", path + "/lock"} {
			if p := lead.get(path); p.status != 409 {
				t.Errorf("GET %s: %d", path, p.status)
			}
		}
		f := childForm(nhs)
		f.Set("version", "1")
		if p := lead.post(path+"/edit", f); p.status != 409 || !strings.Contains(p.doc.Find("#conflict").Text(), "deadline") {
			t.Errorf("edit: %d", p.status)
		}
		if p := lead.post(path+"/lock", url.Values{"version": {"1"}}); p.status != 409 {
			t.Errorf("lock: %d", p.status)
		}
	})
}

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The footer shows the app's version on every page, the child form
// included (a field named Version once hid it).
func TestChildFormFooterShowsAppVersion(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	app, a := authApp(t, s, false)
	makeStaff(t, s, a, "footer@example.org", access.Clinician, "RGT01")
	b := newBrowser(t, app)
	b.get("/sign-in")
	b.post("/sign-in", url.Values{"email": {"footer@example.org"}, "password": {testPassword}})
	p := b.get("/children/new")
	if !strings.Contains(p.doc.Find("footer").Text(), "clinaudit test.") {
		t.Errorf("footer: %q", p.doc.Find("footer").Text())
	}
}
