package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/auth/totp"
	"clinaudit/app/cli"
	"clinaudit/app/store"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const (
	// rgt01LeadEmail is the demo's lead clinician at RGT01; demo accounts
	// sign in with cli.DemoPassword and no second factor.
	rgt01LeadEmail = "lead@rgt01.demo.clinaudit.invalid"

	newStaffEmail     = "nia.newcomer@example.org"
	newStaffFirstName = "Nia"
	newStaffSurname   = "Newcomer"
	newStaffOrg       = "RGT01"

	addStaffButton = `main form[action="/admin/users"] button[type="submit"]`
	staffNavLink   = `header a.nhsuk-header__navigation-link[href="/admin/users"]`
	addStaffLink   = `main a[href="/admin/users/new"]`
	// sessionCookie is the session cookie's name over plain HTTP.
	sessionCookie = "session"
)

var staffPageRE = regexp.MustCompile(`^/admin/users/([0-9]+)$`)

// TestLeadInvitesDeactivates walks a lead clinician and the person they
// invite through an account's life, each in a browser context of their own
// (separate cookies): the lead adds a clinician from the Staff pages; the
// clinician opens the invite, sets a password, sets up an authenticator and
// signs in; the lead sees that on the account's page and deactivates the
// account; the clinician's open page then finds the session ended, both on an
// htmx request (the "You were signed out" banner) and on a plain navigation
// (sent to sign in).
func TestLeadInvitesDeactivates(t *testing.T) { eachEngine(t, testLeadInvitesDeactivates) }

func testLeadInvitesDeactivates(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	lead := startBrowser(t, ctx)
	lead.shots = newScreenshots(t)
	clin := lead.newPerson() // shares the screenshots, numbered in one sequence

	// 1. The lead signs in (a demo account: no second factor) and adds a
	// clinician from the Staff pages.
	lead.open("lead: open the sign-in page", srv.base+"/sign-in", 200)
	lead.signInAs("lead: sign in", rgt01LeadEmail, cli.DemoPassword)
	if lead.path() != "/" {
		t.Fatalf("lead: after signing in at %s, want /", lead.location())
	}
	lead.checkConsole("the lead's home page")

	if got := lead.text(staffNavLink); got != "Staff" {
		t.Errorf("lead: the Staff link in the header says %q", got)
	}
	if status := lead.submit("lead: open Staff", chromedp.Click(css(staffNavLink))); status != 200 || lead.path() != "/admin/users" {
		t.Fatalf("lead: Staff: status %d at %s", status, lead.location())
	}
	lead.do("lead: wait for the staff list", chromedp.WaitVisible(css(addStaffLink)))
	if got := lead.text(addStaffLink); got != "Add a member of staff" {
		t.Errorf("lead: the add link says %q", got)
	}
	lead.checkConsole("the staff list")
	lead.screenshot("lead-staff-list")

	if status := lead.submit("lead: open the add form", chromedp.Click(css(addStaffLink))); status != 200 || lead.path() != "/admin/users/new" {
		t.Fatalf("lead: add form: status %d at %s", status, lead.location())
	}
	lead.do("lead: fill in the add form",
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), newStaffEmail),
		chromedp.SendKeys(css("#first_name"), newStaffFirstName),
		chromedp.SendKeys(css("#surname"), newStaffSurname),
		chromedp.Click(css("#role-clinician")),
		chromedp.SetValue(css("#organisation"), newStaffOrg))
	if !eval[bool](lead, `document.getElementById("role-clinician").checked`) {
		t.Errorf("lead: the Clinician role is not checked after clicking it")
	}
	if got := eval[string](lead, `document.getElementById("organisation").value`); got != newStaffOrg {
		t.Fatalf("lead: organisation is %q after choosing %s (is it in the list?)", got, newStaffOrg)
	}
	lead.checkConsole("the add form")
	lead.screenshot("lead-add-form")

	status := lead.submit("lead: add and send the invite", chromedp.Click(css(addStaffButton)))
	m := staffPageRE.FindStringSubmatch(lead.path())
	if status != 200 || m == nil {
		t.Fatalf("lead: after adding: status %d at %s, want the account's page", status, lead.where())
	}
	accountURL := srv.base + "/admin/users/" + m[1]
	lead.do("lead: wait for the new account's page", chromedp.WaitVisible(css("#notice")), chromedp.WaitVisible(css("#badges")))
	if got := lead.text("#notice"); !strings.Contains(got, "We have emailed an invite link") {
		t.Errorf("lead: notice after adding says %q", got)
	}
	if got := lead.text("main h1"); got != newStaffFirstName+" "+newStaffSurname {
		t.Errorf("lead: the account's page is headed %q", got)
	}
	assertContains(t, "lead: badges of the new account", lead.text("#badges"), "Active", "Invited, no password yet", "No two-factor yet")
	assertContains(t, "lead: the new account's organisation", lead.text("main dd#organisation"), newStaffOrg)
	assertContains(t, "lead: the new account's history", lead.text("#admin-history"), "invited")
	lead.checkConsole("the new account's page")
	lead.screenshot("lead-invited")

	// 2. The clinician, in a browser of their own, opens the invite, sets a
	// password, sets up an authenticator app and signs in.
	clin.open("clinician: open the demo mailbox", srv.base+"/demo/mailbox", 200)
	invite := `.demo-email[data-to="` + newStaffEmail + `"] pre`
	clin.do("clinician: wait for the invite", chromedp.WaitVisible(css(invite)))
	link := inviteLinkRE.FindString(clin.text(invite))
	if !strings.HasPrefix(link, srv.base+"/account/set-password/") {
		t.Fatalf("clinician: invite link %q does not start with %s/account/set-password/", link, srv.base)
	}
	clin.checkConsole("the clinician's demo mailbox")

	clin.open("clinician: open the invite link", link, 200)
	status = clin.submit("clinician: set a password",
		chromedp.WaitVisible(css("#password")),
		chromedp.SendKeys(css("#password"), goodPassword),
		chromedp.SendKeys(css("#confirm"), goodPassword),
		chromedp.Click(css(setPasswordButton)))
	if status != 200 || clin.path() != "/sign-in" {
		t.Fatalf("clinician: set password: status %d at %s, want the sign-in page", status, clin.where())
	}
	clin.checkConsole("the clinician's set-password and sign-in pages")

	clin.signInAs("clinician: sign in", newStaffEmail, goodPassword)
	if clin.path() != "/sign-in/two-factor" {
		t.Fatalf("clinician: after the password at %s, want /sign-in/two-factor", clin.where())
	}
	clin.do("clinician: wait for the authenticator set-up", chromedp.WaitVisible(css("#totp-secret")))
	secret := strings.ReplaceAll(clin.text("#totp-secret"), " ", "")
	code, err := totp.Code(secret, time.Now())
	if err != nil {
		t.Fatalf("clinician: TOTP code from the displayed secret %q: %v", secret, err)
	}
	clin.checkConsole("the clinician's authenticator set-up page")
	status = clin.submit("clinician: enter the first code",
		chromedp.SendKeys(css("#code"), code),
		chromedp.Click(css(totpSetupButton)))
	if status != 200 {
		t.Fatalf("clinician: set-up code: status %d at %s", status, clin.where())
	}
	clin.do("clinician: wait for the backup codes", chromedp.WaitVisible(css("#backup-codes li")))
	clin.checkConsole("the clinician's backup codes page")
	if status := clin.submit("clinician: continue from the backup codes", chromedp.Click(css(`main a.nhsuk-button`))); status != 200 {
		t.Fatalf("clinician: continue: status %d at %s", status, clin.where())
	}
	if status := clin.submit("clinician: open the account page", chromedp.Click(css("#nav-account"))); status != 200 || clin.path() != "/account" {
		t.Fatalf("clinician: account page: status %d at %s", status, clin.where())
	}
	clin.do("clinician: wait for the account page", chromedp.WaitVisible(css("#sign-in-events")))
	if got := clin.text("#nav-account"); got != newStaffFirstName+" "+newStaffSurname {
		t.Errorf("clinician: header shows %q", got)
	}
	clin.checkConsole("the clinician's account page")
	clin.screenshot("clinician-account")
	// The session cookie this page was served with, to put back later.
	staleSession := clin.cookie(srv.base, sessionCookie)
	if staleSession == nil {
		t.Fatalf("clinician: no %q cookie while signed in", sessionCookie)
	}

	// 3. The lead reloads the account's page: the invite was taken up. Then
	// deactivates the account.
	if status := lead.submit("lead: reload the account's page", reloadPage()); status != 200 {
		t.Fatalf("lead: reload: status %d at %s", status, lead.where())
	}
	lead.do("lead: wait for the reloaded page", chromedp.WaitVisible(css("#badges")), chromedp.WaitVisible(css("#sign-in-history")))
	badges := lead.text("#badges")
	assertContains(t, "lead: badges after the clinician signed in", badges, "Active", "Email confirmed", "Two-factor set up")
	assertLacks(t, "lead: badges after the clinician signed in", badges, "Invited, no password yet", "No two-factor yet")
	assertContains(t, "lead: the clinician's sign-in history", lead.text("#sign-in-history"), "Signed in")
	lead.checkConsole("the account's page, reloaded")
	lead.screenshot("lead-signed-in-account")

	status = lead.submit("lead: deactivate", chromedp.Click(css("main #deactivate")))
	if status != 200 || lead.path() != "/admin/users/"+m[1] {
		t.Fatalf("lead: deactivate: status %d at %s", status, lead.where())
	}
	lead.do("lead: wait for the deactivated account's page", chromedp.WaitVisible(css("#notice")))
	assertContains(t, "lead: notice after deactivating", lead.text("#notice"), "Account deactivated")
	lead.checkConsole("the account's page after deactivating")
	lead.screenshot("lead-deactivated")

	// 4. The clinician's open account page: its next request finds the
	// session ended. First an htmx request: a 401, and the page says so.
	if !clin.signedInHeader() {
		t.Fatalf("clinician: the open account page no longer shows the signed-in header (%s)", clin.where())
	}
	if !eval[bool](clin, `document.getElementById("session-ended").hidden`) {
		t.Errorf("clinician: the signed-out banner shows before any request")
	}
	if !eval[bool](clin, `typeof htmx === "object" && typeof htmx.ajax === "function"`) {
		t.Fatalf("clinician: htmx is not loaded on the account page")
	}
	clin.do("clinician: an htmx request from the open page",
		chromedp.Evaluate[chromedp.Void](`htmx.ajax("GET", "/account", {target: "main", swap: "none"}), true`),
		chromedp.WaitVisible(css("#session-ended")))
	assertContains(t, "clinician: the signed-out banner", clin.text("#session-ended"), "You were signed out")
	if !eval[bool](clin, `document.activeElement === document.getElementById("session-ended")`) {
		t.Errorf("clinician: the signed-out banner does not have the focus")
	}
	if !strings.Contains(eval[string](clin, `document.querySelector("main").innerText`), newStaffEmail) {
		t.Errorf("clinician: the 401 replaced the page's content (swap should be none)")
	}
	// htmx logs a 401 with console.error (its responseHandling marks it an
	// error) and Chromium logs the failed request: both expected here,
	// nothing else.
	clin.checkConsoleExpecting("the clinician's page after the htmx 401",
		"the server responded with a status of 401", "Response Status Error Code 401 from /account")
	if c := clin.cookie(srv.base, sessionCookie); c != nil {
		t.Errorf("clinician: the ended session's cookie is still in the browser after the 401")
	}
	clin.screenshot("clinician-signed-out-banner")

	// A plain fetch with HX-Request gets the same answer.
	type answer struct {
		Status       int    `json:"status"`
		Trigger      string `json:"trigger"`
		CacheControl string `json:"cacheControl"`
	}
	got := evalAwait[answer](clin, `fetch("/account", {headers: {"HX-Request": "true"}, credentials: "same-origin", redirect: "manual"})
		.then(r => ({status: r.status, trigger: r.headers.get("HX-Trigger") || "", cacheControl: r.headers.get("Cache-Control") || ""}))`)
	if got.Status != 401 || got.Trigger != "session-ended" || !strings.Contains(got.CacheControl, "no-store") {
		t.Errorf("clinician: fetch /account with HX-Request: %+v, want 401, HX-Trigger session-ended, no-store", got)
	}
	clin.checkConsoleExpecting("the clinician's page after the fetch", "the server responded with a status of 401")

	// Then a plain navigation, with the ended session's cookie put back as a
	// browser that had not made the htmx request would still send it: the
	// header's link to the account goes to sign in instead.
	clin.setCookie(srv.base, staleSession)
	resp := clin.submitResponse("clinician: follow the header's account link", chromedp.Click(css("#nav-account")))
	loc, err := url.Parse(clin.location())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || loc.Path != "/sign-in" || loc.Query().Get("next") != "/account" {
		t.Fatalf("clinician: account link after deactivation: status %d at %s, want /sign-in?next=/account", resp.Status, clin.where())
	}
	clin.do("clinician: wait for the sign-in form", chromedp.WaitVisible(css("#email")), chromedp.WaitVisible(css(signInButton)))
	if clin.signedInHeader() {
		t.Errorf("clinician: the sign-in page still shows the account in the header")
	}
	if c := clin.cookie(srv.base, sessionCookie); c != nil {
		t.Errorf("clinician: the ended session's cookie is still in the browser after the redirect to sign in")
	}
	clin.checkConsole("the clinician's sign-in page after deactivation")
	clin.screenshot("clinician-sent-to-sign-in")

	// 5. The lead's view of the account, opened afresh: deactivated, with a
	// Reactivate button and no Deactivate one.
	lead.open("lead: open the account's page", accountURL, 200)
	lead.do("lead: wait for the account's page", chromedp.WaitVisible(css("#badges")), chromedp.WaitVisible(css("main #reactivate")))
	badges = lead.text("#badges")
	assertContains(t, "lead: badges after deactivating", badges, "Deactivated")
	assertLacks(t, "lead: badges after deactivating", badges, "Active")
	if eval[bool](lead, `!!document.querySelector("main #deactivate")`) {
		t.Errorf("lead: the deactivated account's page still has a Deactivate button")
	}
	if eval[bool](lead, `!!document.getElementById("notice")`) {
		t.Errorf("lead: the account's page, opened afresh, shows a notice: %q", lead.text("#notice"))
	}
	assertContains(t, "lead: the account's history after deactivating", lead.text("#admin-history"), "invited", "deactivated")
	lead.checkConsole("the deactivated account's page")
	lead.screenshot("lead-reactivate-offered")

	srv.checkLogs()
	for _, b := range []*browser{lead, clin} {
		for _, w := range b.console.allWarnings() {
			t.Logf("console warning: %s", w)
		}
	}
	t.Logf("the walk took %v", time.Since(started).Round(time.Millisecond))
}

// newPerson opens a tab in a new browser context of b's browser: another
// person at another computer, with cookies, storage and cache of their own.
// The tab shares b's screenshots, so they are numbered in one sequence.
func (b *browser) newPerson() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel) // runs before the browser's own clean-up, which stops it
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("opening a tab in a new browser context: %v", err)
	}
	p := &browser{t: b.t, ctx: ctx, console: &consoleWatch{}, shots: b.shots}
	if err := chromedp.Listen(ctx, p.console.handle); err != nil {
		b.t.Fatal(err)
	}
	return p
}

// signInAs fills in and sends the sign-in form on the current page.
func (b *browser) signInAs(step, email, password string) {
	b.t.Helper()
	status := b.submit(step,
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(signInButton)))
	if status != 200 {
		b.t.Fatalf("%s: status %d (page: %s)", step, status, b.where())
	}
}

// reloadPage reloads the page without waiting for it, for submit to wait on.
func reloadPage() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.Reload, page.ReloadParams{})
		return err
	})
}

// evalAwait evaluates a JavaScript expression whose value is a promise, and
// returns what it resolves to.
func evalAwait[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v (page: %s)", expr, err, b.where())
	}
	return v
}

// checkConsoleExpecting is checkConsole for a page where errors are
// expected: each error since the last check must contain one of expected.
func (b *browser) checkConsoleExpecting(page string, expected ...string) {
	b.t.Helper()
	_ = b.location() // round trip, as checkConsole does
next:
	for _, e := range b.console.newErrors() {
		for _, x := range expected {
			if strings.Contains(e, x) {
				b.t.Logf("expected console error on %s: %s", page, e)
				continue next
			}
		}
		b.t.Errorf("console error on %s: %s", page, e)
	}
}

// cookie returns the browser's cookie of that name for u, or nil.
func (b *browser) cookie(u, name string) *network.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var found *network.Cookie
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{u}})
		for _, c := range res.Cookies {
			if c.Name == name {
				found = c
			}
		}
		return err
	}))
	if err != nil {
		b.t.Fatalf("reading the cookies for %s: %v", u, err)
	}
	return found
}

// setCookie puts c back into the browser, for u.
func (b *browser) setCookie(u string, c *network.Cookie) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{
			Name: c.Name, Value: c.Value, URL: u, Path: c.Path, HTTPOnly: &c.HTTPOnly, SameSite: c.SameSite})
		return err
	}))
	if err != nil {
		b.t.Fatalf("setting the cookie %s for %s: %v", c.Name, u, err)
	}
}

// assertContains fails the test for each want that text lacks.
func assertContains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q lacks %q", what, text, w)
		}
	}
}

// assertLacks fails the test for each unwanted string that text holds.
func assertLacks(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s: %q holds %q", what, text, u)
		}
	}
}
