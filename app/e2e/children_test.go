package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/cohort"
	"clinaudit/app/datefield"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

const (
	// rgt01ClinicianEmail is the demo's clinician at RGT01, Cal Clinton; demo
	// accounts sign in with cli.DemoPassword and no second factor.
	rgt01ClinicianEmail = "clinician@rgt01.demo.clinaudit.invalid"
	rgt01ClinicianName  = "Cal Clinton"

	newChildFirstName = "Tamsin"
	newChildSurname   = "Quillfeather"
	newChildPostcode  = "CB2 0QQ"
	newChildSex       = "2" // Female
	newChildEthnicity = "A" // White British
	newChildLead      = "RGT01"
	// badNHSNumber is 9434765919 with the wrong check digit.
	badNHSNumber = "9434765910"

	addChildButton = `main form[action="/children"] button[type="submit"]`
)

var (
	childPageRE = regexp.MustCompile(`^/children/([0-9]+)$`)
	auditIDRE   = regexp.MustCompile(`^Audit ID (C[0-9A-HJKMNP-TV-Z]{7})$`)
	lockedByRE  = regexp.MustCompile(`Locked by (.+) on ([0-9]{1,2} [A-Z][a-z]+ [0-9]{4} at [0-9]{2}:[0-9]{2})\.`)
)

// TestCreateRegisterFindLockChild walks the demo clinician at RGT01 through
// a child's record in a real browser: adding a child (a bad NHS number and
// a missing surname first, refused with an error summary that links to the
// fields, everything typed kept), registering them into the open cohort,
// finding them in the case list by NHS number typed with spaces and by
// audit ID (htmx swaps the results as they type), and locking the record
// after checking it; the locked record says who locked it and when, and its
// edit form is refused with a 409 page.
func TestCreateRegisterFindLockChild(t *testing.T) { eachEngine(t, testCreateRegisterFindLockChild) }

func testCreateRegisterFindLockChild(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser

	srv := startServer(t, e, "--demo-audits", "40") // a few complete audits, for the lock
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	b := startBrowser(t, ctx)

	// The child: aged 8, first assessed 30 days ago, which is in an open
	// cohort whatever the date (the oldest open cohort starts at least a
	// year ago) and on or after the earliest date a clinician may enter.
	today := ukToday()
	dob := today.AddDate(-8, 0, -100)
	fpa := today.AddDate(0, 0, -30)
	roles := cohort.RolesOn(today)
	earliest := roles.EarliestFirstAssessment()
	wantCohort, ok := cohort.ForDate(fpa)
	if !ok || fpa.Before(earliest) || !slices.Contains(roles.Open(), wantCohort) {
		t.Fatalf("first assessment %s: cohort %d, earliest %s, open cohorts %v", datefield.Format(fpa), wantCohort, datefield.Format(earliest), roles.Open())
	}
	nhs := srv.unusedNHSNumber()
	nhsSpaced := nhsnumber.Format(nhs) // "999 123 4567"

	// Sign in and open Children from the header.
	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the RGT01 clinician", rgt01ClinicianEmail, cli.DemoPassword)
	if b.path() != "/" {
		t.Fatalf("after signing in at %s, want /", b.where())
	}
	b.checkConsole("the home page")
	if got := b.text("#nav-children"); got != "Children" {
		t.Errorf("the Children link in the header says %q", got)
	}
	if status := b.submit("open Children", chromedp.Click(css("#nav-children"))); status != 200 || b.path() != "/children" {
		t.Fatalf("Children: status %d at %s", status, b.where())
	}
	b.do("wait for the case list", chromedp.WaitVisible(css("main #add-child")), chromedp.WaitVisible(css("main #child-table")))
	if !eval[bool](b, `document.getElementById("nav-children").getAttribute("aria-current") === "page"`) {
		t.Errorf("the header's Children link is not marked as the current page")
	}
	b.checkConsole("the case list")
	b.screenshot("case-list")

	// 1. Add a child: a bad NHS number and no surname first.
	if status := b.submit("open the add form", chromedp.Click(css("main #add-child"))); status != 200 || b.path() != "/children/new" {
		t.Fatalf("add form: status %d at %s", status, b.where())
	}
	b.do("wait for the add form", chromedp.WaitVisible(css("main #first_name")))
	if got := eval[string](b, `document.getElementById("lead_organisation").value`); got != newChildLead {
		t.Errorf("the add form's lead organisation is %q, want the clinician's own, %s", got, newChildLead)
	}
	b.checkConsole("the add form")
	dobDay, dobMonth, dobYear := strconv.Itoa(dob.Day()), strconv.Itoa(int(dob.Month())), strconv.Itoa(dob.Year())
	b.do("fill in the add form without a surname",
		chromedp.SendKeys(css("main #first_name"), newChildFirstName),
		chromedp.SendKeys(css("main #nhs_number"), badNHSNumber),
		chromedp.SendKeys(css("main #date_of_birth-day"), dobDay),
		chromedp.SendKeys(css("main #date_of_birth-month"), dobMonth),
		chromedp.SendKeys(css("main #date_of_birth-year"), dobYear),
		chromedp.Click(css("main #sex-"+newChildSex)),
		chromedp.SetValue(css("main #ethnicity"), newChildEthnicity),
		chromedp.SendKeys(css("main #postcode"), newChildPostcode))
	if got := eval[string](b, `document.getElementById("ethnicity").value`); got != newChildEthnicity {
		t.Fatalf("ethnicity is %q after choosing %s (is it in the list?)", got, newChildEthnicity)
	}
	status := b.submit("add the child with a bad NHS number and no surname", chromedp.Click(css(addChildButton)))
	if status != 422 || b.path() != "/children" {
		t.Fatalf("bad NHS number and no surname: status %d at %s, want 422 on the form", status, b.where())
	}
	b.do("wait for the error summary", chromedp.WaitVisible(css("main .nhsuk-error-summary")))
	type link struct{ Href, Text string }
	links := eval[[]link](b, `[...document.querySelectorAll("main .nhsuk-error-summary a")].map(a => ({Href: a.getAttribute("href"), Text: a.textContent.trim()}))`)
	wantLinks := []link{
		{"#surname", "Enter the child's surname"},
		{"#nhs_number", "This is not a valid NHS number: check the digits"},
	}
	if fmt.Sprint(links) != fmt.Sprint(wantLinks) {
		t.Errorf("error summary links %v, want %v", links, wantLinks)
	}
	for _, l := range wantLinks {
		id := strings.TrimPrefix(l.Href, "#")
		if got := b.text("main #" + id + "-error"); !strings.Contains(got, l.Text) {
			t.Errorf("the message next to #%s says %q, want %q", id, got, l.Text)
		}
		if !eval[bool](b, fmt.Sprintf(`(() => { const i = document.getElementById(%q);
			return i.classList.contains("nhsuk-input--error") && (i.getAttribute("aria-describedby") || "").split(" ").includes(%q); })()`, id, id+"-error")) {
			t.Errorf("#%s is not marked as in error and described by its message", id)
		}
	}
	if !eval[bool](b, `document.activeElement === document.querySelector("main .nhsuk-error-summary")`) {
		t.Errorf("the error summary does not have the focus (is app.js running?)")
	}
	kept := eval[map[string]string](b, `(() => { const v = id => document.getElementById(id).value; return {
		first_name: v("first_name"), surname: v("surname"), nhs_number: v("nhs_number"),
		day: v("date_of_birth-day"), month: v("date_of_birth-month"), year: v("date_of_birth-year"),
		sex: (document.querySelector("input[name=sex]:checked") || {}).value || "",
		ethnicity: v("ethnicity"), postcode: v("postcode"), lead: v("lead_organisation")}; })()`)
	wantKept := map[string]string{"first_name": newChildFirstName, "surname": "", "nhs_number": badNHSNumber,
		"day": dobDay, "month": dobMonth, "year": dobYear, "sex": newChildSex, "ethnicity": newChildEthnicity,
		"postcode": newChildPostcode, "lead": newChildLead}
	if fmt.Sprint(kept) != fmt.Sprint(wantKept) {
		t.Errorf("the refused form holds %v, want what was typed, %v", kept, wantKept)
	}
	// The summary's link takes the focus to its field (NHS.UK's script).
	b.do("follow the summary's link to the NHS number", chromedp.Click(css(`main .nhsuk-error-summary a[href="#nhs_number"]`)))
	if got := eval[string](b, `document.activeElement.id`); got != "nhs_number" {
		t.Errorf("after clicking the summary's NHS number link the focus is on %q, want #nhs_number", got)
	}
	b.checkConsole("the add form with errors")
	b.screenshot("add-form-errors")

	// Then a valid child.
	b.do("correct the NHS number and add the surname",
		clearInput("main #nhs_number"),
		chromedp.SendKeys(css("main #nhs_number"), nhs),
		chromedp.SendKeys(css("main #surname"), newChildSurname))
	b.screenshot("add-form-corrected")
	status = b.submit("add the child", chromedp.Click(css(addChildButton)))
	m := childPageRE.FindStringSubmatch(b.path())
	if status != 200 || m == nil {
		t.Fatalf("add the child: status %d at %s, want the child's page", status, b.where())
	}
	childPath := "/children/" + m[1]
	b.do("wait for the child's page", chromedp.WaitVisible(css("main #notice")), chromedp.WaitVisible(css("main #audit-id")))
	assertContains(t, "notice after adding", b.text("main #notice"), "Child added")
	am := auditIDRE.FindStringSubmatch(b.text("main #audit-id"))
	if am == nil {
		t.Fatalf("the child's page shows no audit ID: %q", b.text("main #audit-id"))
	}
	auditID := am[1]
	if got := b.text("main h1"); got != newChildFirstName+" "+newChildSurname {
		t.Errorf("the child's page is headed %q", got)
	}
	for sel, want := range map[string]string{
		"main #nhs-number": nhsSpaced,
		"main #dob":        datefield.Format(dob),
		"main #postcode":   newChildPostcode,
	} {
		if got := b.text(sel); got != want {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	assertContains(t, "the child's lead organisation", b.text("main #lead-organisation"), "("+newChildLead+")")
	assertContains(t, "the child's status", b.text("main #status"), "Not registered")
	b.checkConsole("the new child's page")
	b.screenshot("child-added")

	// 2. Register: eligibility, the first paediatric assessment, the lead site.
	if status := b.submit("open the registration form", chromedp.Click(css("main #register"))); status != 200 || b.path() != childPath+"/register" {
		t.Fatalf("registration form: status %d at %s", status, b.where())
	}
	b.do("wait for the registration form", chromedp.WaitVisible(css("main #first_paediatric_assessment_date-day")))
	assertContains(t, "the registration form's caption", b.text("main .nhsuk-caption-l"), auditID)
	assertContains(t, "the first assessment's hint", b.text("main #first_paediatric_assessment_date-hint"),
		"The earliest date you can enter is "+datefield.Format(earliest))
	b.checkConsole("the registration form")
	b.do("fill in the registration form",
		chromedp.Click(css("main #eligibility")),
		chromedp.SendKeys(css("main #first_paediatric_assessment_date-day"), strconv.Itoa(fpa.Day())),
		chromedp.SendKeys(css("main #first_paediatric_assessment_date-month"), strconv.Itoa(int(fpa.Month()))),
		chromedp.SendKeys(css("main #first_paediatric_assessment_date-year"), strconv.Itoa(fpa.Year())),
		chromedp.SetValue(css("main #lead_organisation"), newChildLead))
	if !eval[bool](b, `document.getElementById("eligibility").checked`) {
		t.Errorf("eligibility is not checked after clicking it")
	}
	if got := eval[string](b, `document.getElementById("lead_organisation").value`); got != newChildLead {
		t.Fatalf("the lead organisation is %q after choosing %s (is it in the list?)", got, newChildLead)
	}
	b.screenshot("register-form")
	status = b.submit("register", chromedp.Click(css(`main #register-form button[type="submit"]`)))
	if status != 200 || b.path() != childPath {
		t.Fatalf("register: status %d at %s, want the child's page", status, b.where())
	}
	b.do("wait for the cohort card", chromedp.WaitVisible(css("main #notice")), chromedp.WaitVisible(css("main #cohort-card")))
	assertContains(t, "notice after registering", b.text("main #notice"), "Child registered")
	assertContains(t, "the child's status", b.text("main #status"), "Registered")
	if got := b.text("main #fpa"); got != datefield.Format(fpa) {
		t.Errorf("the first assessment shows %q, want %s", got, datefield.Format(fpa))
	}
	if got := b.text("main #cohort-card .nhsuk-card__heading"); got != fmt.Sprintf("Cohort %d", wantCohort) {
		t.Errorf("the cohort card is headed %q, want Cohort %d", got, wantCohort)
	}
	if got := b.text("main #deadline"); got != datefield.Format(wantCohort.SubmissionDeadline()) {
		t.Errorf("the cohort card's deadline is %q, want %s", got, datefield.Format(wantCohort.SubmissionDeadline()))
	}
	days := b.text("main #days-remaining")
	// (Either day's count, should the test run across midnight.)
	if !slices.Contains([]string{strconv.Itoa(wantCohort.DaysRemaining(today)), strconv.Itoa(wantCohort.DaysRemaining(ukToday()))}, days) {
		t.Errorf("the cohort card's days remaining is %q, want %d", days, wantCohort.DaysRemaining(today))
	}
	b.checkConsole("the registered child's page")
	b.screenshot("child-registered")

	// 3. Find the child in the case list: by NHS number typed with spaces,
	// then by audit ID (in lower case: the search reads it forgivingly).
	if status := b.submit("back to the case list", chromedp.Click(css("#nav-children"))); status != 200 || b.path() != "/children" {
		t.Fatalf("case list: status %d at %s", status, b.where())
	}
	b.do("wait for the search box", chromedp.WaitVisible(css("main #q")), chromedp.WaitVisible(css("main #child-table")))
	b.search(nhsSpaced)
	b.assertOneResult("search by NHS number", m[1], auditID, nhsSpaced)
	b.checkConsole("the case list searched by NHS number")
	b.screenshot("search-nhs-number")

	b.search(strings.ToLower(auditID))
	b.assertOneResult("search by audit ID", m[1], auditID, nhsSpaced)
	b.checkConsole("the case list searched by audit ID")
	b.screenshot("search-audit-id")

	// 4. Lock: open the child from the results, check, confirm.
	rowLink := fmt.Sprintf(`main #child-table tr[data-child="%s"] a[href="%s"]`, m[1], childPath)
	if status := b.submit("open the child from the results", chromedp.Click(css(rowLink))); status != 200 || b.path() != childPath {
		t.Fatalf("open the child: status %d at %s", status, b.where())
	}
	b.do("wait for the lock link", chromedp.WaitVisible(css("main #lock")))
	if status := b.submit("open the check before locking", chromedp.Click(css("main #lock"))); status != 200 || b.path() != childPath+"/lock" {
		t.Fatalf("check before locking: status %d at %s", status, b.where())
	}
	b.do("wait for the check", chromedp.WaitVisible(css("main #check-details")), chromedp.WaitVisible(css("main #lock-missing")))
	assertContains(t, "the check page's details", b.text("main #check-details"),
		newChildFirstName+" "+newChildSurname, nhsSpaced, datefield.Format(dob), newChildPostcode)
	assertContains(t, "the check page's registration", b.text("main #check-registration"),
		"("+newChildLead+")", datefield.Format(fpa), strconv.Itoa(int(wantCohort)), datefield.Format(wantCohort.SubmissionDeadline()))
	assertContains(t, "the check page's caption", b.text("main .nhsuk-caption-l"), auditID)
	// The new child's audit is empty: no Lock button, and what is missing
	// is listed, each linked to its question.
	assertContains(t, "the check page of an empty audit", b.text("main #lock-incomplete"), "once every section of the audit is complete")
	if eval[bool](b, `!!document.querySelector("main #confirm-lock")`) {
		t.Errorf("an empty audit is offered to lock")
	}
	if !eval[bool](b, fmt.Sprintf(`!!document.querySelector('main #lock-missing a[href^="%s/forms/"]')`, childPath)) {
		t.Errorf("the missing answers are not linked to their questions")
	}
	b.checkConsole("the check before locking")
	b.screenshot("lock-check")

	// A demo child at RGT01 with a complete audit locks: its check page
	// shows the answers, form by form.
	childPath = fmt.Sprintf("/children/%d", srv.completeChild("RGT01"))
	b.open("open the check before locking a complete audit", srv.base+childPath+"/lock", 200)
	b.do("wait for the complete check", chromedp.WaitVisible(css("main #confirm-lock")))
	assertContains(t, "the check page's answers", b.text("main"), "Audit answers", "Treatment and care planning", "(Completed)")

	lockClicked := time.Now()
	status = b.submit("lock the record", chromedp.Click(css("main #confirm-lock")))
	if status != 200 || b.path() != childPath {
		t.Fatalf("lock: status %d at %s, want the child's page", status, b.where())
	}
	b.do("wait for the locked record", chromedp.WaitVisible(css("main #notice")), chromedp.WaitVisible(css("main #lock-details")))
	assertContains(t, "notice after locking", b.text("main #notice"), "Record locked")
	assertContains(t, "the locked child's status", b.text("main #status"), "Registered", "Locked")
	lockDetails := b.text("main #lock-details")
	if lm := lockedByRE.FindStringSubmatch(lockDetails); lm == nil {
		t.Errorf("the lock details %q do not say who locked the record and when", lockDetails)
	} else {
		if lm[1] != rgt01ClinicianName {
			t.Errorf("locked by %q, want %s", lm[1], rgt01ClinicianName)
		}
		at, err := time.ParseInLocation("2 January 2006 at 15:04", lm[2], london)
		if err != nil {
			t.Errorf("lock time %q: %v", lm[2], err)
		} else if at.Before(lockClicked.Truncate(time.Minute)) || at.After(time.Now()) {
			t.Errorf("locked at %s (%v), not between the click (%v) and now", lm[2], at, lockClicked)
		}
	}
	for _, sel := range []string{"#change-details", "#change-registration", "#register", "#lock"} {
		if eval[bool](b, fmt.Sprintf(`!!document.querySelector("main %s")`, sel)) {
			t.Errorf("the locked record still offers %s", sel)
		}
	}
	if !eval[bool](b, `!!document.querySelector("main #unlock")`) {
		t.Errorf("the locked record offers the clinician no Unlock button")
	}
	b.checkConsole("the locked child's page")
	b.screenshot("child-locked")

	// Editing is refused: the edit form's URL answers 409 with a page that
	// says why and leads back to the record.
	b.open("open the locked child's edit form", srv.base+childPath+"/edit", 409)
	b.do("wait for the refusal", chromedp.WaitVisible(css("main #conflict")))
	if got := b.text("main h1"); got != "Your change was not saved" {
		t.Errorf("the refusal is headed %q", got)
	}
	assertContains(t, "the refusal", b.text("main #conflict"), "This child's record is locked, so it cannot be changed")
	if !eval[bool](b, fmt.Sprintf(`!!document.querySelector('main a[href=%q]')`, childPath)) {
		t.Errorf("the refusal has no link back to the child's record")
	}
	if eval[bool](b, `!!document.querySelector("main form#child-form")`) {
		t.Errorf("the refusal shows the edit form")
	}
	b.checkConsole("the refused edit form")
	b.screenshot("edit-refused")

	srv.checkLogs()
	for _, w := range b.console.allWarnings() {
		t.Logf("console warning: %s", w)
	}
	t.Logf("the walk took %v", time.Since(started).Round(time.Millisecond))
}

// search types query into the case list's search box, replacing what was
// there, and waits until htmx has swapped in the results for it: the URL it
// pushes carries the query and no request is in flight.
func (b *browser) search(query string) {
	b.t.Helper()
	step := fmt.Sprintf("search for %q", query)
	b.do(step,
		clearInput("main #q"),
		chromedp.SendKeys(chromedp.CSS("main #q"), query))
	b.waitFor(step+": wait for the results", fmt.Sprintf(`(() => {
		const q = document.getElementById("q");
		return q.value === %[1]q && new URLSearchParams(location.search).get("q") === %[1]q &&
			!document.querySelector(".htmx-request") && !!document.querySelector("#child-results #child-count, #child-results #child-empty");
	})()`, query))
}

// assertOneResult fails the test unless the case list shows exactly one
// child, the one with this id, audit ID and NHS number.
func (b *browser) assertOneResult(what, id, auditID, nhs string) {
	b.t.Helper()
	type row struct{ ID, Text string }
	rows := eval[[]row](b, `[...document.querySelectorAll("#child-results #child-table tbody tr")].map(r => ({ID: r.dataset.child, Text: r.innerText}))`)
	if len(rows) != 1 {
		count := eval[string](b, `(document.querySelector("#child-results #child-count, #child-results #child-empty") || {}).innerText || ""`)
		b.t.Fatalf("%s: %d rows, want 1 (%q; page: %s)", what, len(rows), count, b.where())
	}
	if rows[0].ID != id {
		b.t.Errorf("%s: the row is child %s, want %s", what, rows[0].ID, id)
	}
	assertContains(b.t, what+": the row", rows[0].Text, auditID, nhs, newChildFirstName, newChildSurname)
	assertContains(b.t, what+": the count", b.text("main #child-count"), "1 child matches")
}

// clearInput empties a text input, as selecting its text and deleting it
// would (chromedp.Clear only resets the value attribute, which a typed value
// overrides; chromedp.SetValue refuses an empty value).
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = "", true`, sel))
}

// waitFor waits until the JavaScript expression is true in the page.
func (b *browser) waitFor(step, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.where())
	}
}

// unusedNHSNumber draws valid NHS numbers in the 999 test range from a
// seeded source until one belongs to no child in the server's database
// (deleted ones included: uniqueness covers them).
func (s *server) unusedNHSNumber() string {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	r := rand.New(rand.NewPCG(2026, 12))
	for range 100 {
		n := nhsnumber.Generate(r)
		var count int
		if err := st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM children WHERE nhs_number = ?`, n).Scan(&count); err != nil {
			s.t.Fatal(err)
		}
		if count == 0 {
			return n
		}
	}
	s.t.Fatal("100 NHS numbers drawn, every one already used")
	return ""
}

// completeChild is a demo child at ods with a complete audit (as scored
// at seeding), not locked, in a cohort open today.
func (s *server) completeChild(ods string) int64 {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	rows, err := st.DB().QueryContext(context.Background(), `
		SELECT c.id, c.cohort FROM children c
		JOIN organisations o ON o.id = c.lead_organisation_id
		JOIN kpi_results k ON k.child_id = c.id
		WHERE o.ods_code = ? AND k.audit_complete AND c.locked_at IS NULL AND c.opted_out_at IS NULL AND c.deleted_at IS NULL
		ORDER BY c.id`, ods)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var number int
		if err := rows.Scan(&id, &number); err != nil {
			s.t.Fatal(err)
		}
		if cohort.Cohort(number).IsOpen(ukToday()) {
			return id
		}
	}
	s.t.Fatalf("no demo child at %s has a complete audit in an open cohort", ods)
	return 0
}

// london is the UK's time zone, as the app reads it (UTC when the zone
// database is missing).
var london = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()

// ukToday is today's date in the UK, whose calendar decides cohorts and
// deadlines, at midnight UTC as package cohort's dates are.
func ukToday() time.Time {
	y, m, d := time.Now().In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// lockChild locks a child in the database, as the demo's lead at RGT01.
func (s *server) lockChild(id int64) {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	lead := s.userID(rgt01LeadEmail)
	if _, err := st.DB().ExecContext(context.Background(), `UPDATE children SET locked_at = ?, locked_by = ?, version = version + 1 WHERE id = ?`,
		time.Now().UTC(), lead, id); err != nil {
		s.t.Fatal(err)
	}
}
