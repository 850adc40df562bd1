package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/auth/totp"
	"clinaudit/app/store"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const (
	e2eEmail     = "e2e@example.org"
	e2eName      = "Eve Tester"
	goodPassword = "Correct-horse-battery-9"
	// weakPassword breaks five rules: too short, no capital, no number, no
	// symbol, and it contains the user's name.
	weakPassword = "evetester"
)

// The selectors of the pages' own forms; the header holds a sign-out form
// when someone is signed in.
const (
	signInButton      = `main form[action="/sign-in"] button[type="submit"]`
	setPasswordButton = `main form[action^="/account/set-password/"] button[type="submit"]`
	totpSetupButton   = `main form[action="/sign-in/two-factor/setup"] button[type="submit"]`
	totpButton        = `main form:has(#code) button[type="submit"]`
	inviteEmail       = `.demo-email[data-to="` + e2eEmail + `"] pre`
)

var inviteLinkRE = regexp.MustCompile(`https?://\S+/account/set-password/[A-Za-z0-9_-]+`)

// TestInviteSetPasswordEnrolSignInSignOut walks a new user through the whole
// account life cycle in a real browser: the invite email, setting a password
// (a weak one first), enrolling an authenticator app, the backup codes, the
// account page, signing out, the Back button after signing out, and signing
// in again with a fresh code. Every page must load without a console error
// (a Content-Security-Policy violation is one).
func TestInviteSetPasswordEnrolSignInSignOut(t *testing.T) {
	eachEngine(t, testInviteSetPasswordEnrolSignInSignOut)
}

func testInviteSetPasswordEnrolSignInSignOut(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)

	out := srv.run("user", "add", "--email", e2eEmail, "--role", "clinician", "--org", "RGT01",
		"--first-name", "Eve", "--surname", "Tester")
	printedLink := inviteLinkRE.FindString(out)
	if printedLink == "" {
		t.Fatalf("user add printed no invite link:\n%s", out)
	}

	b := startBrowser(t, ctx)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	// The invite, as the demo mailbox shows it.
	b.open("open the demo mailbox", srv.base+"/demo/mailbox", 200)
	b.do("wait for the invite", chromedp.WaitVisible(css(inviteEmail)))
	link := inviteLinkRE.FindString(b.text(inviteEmail))
	if link != printedLink {
		t.Errorf("the mailbox's invite link %q is not the one user add printed, %q", link, printedLink)
	}
	if !strings.HasPrefix(link, srv.base+"/account/set-password/") {
		t.Fatalf("invite link %q does not start with the base URL %s", link, srv.base)
	}
	b.checkConsole("the demo mailbox")
	b.screenshot("mailbox")

	// Set a password: a weak one is refused, naming every rule it breaks.
	b.open("open the invite link", link, 200)
	b.do("wait for the set-password form", chromedp.WaitVisible(css("#password")), chromedp.WaitVisible(css("#confirm")))
	if got := b.text("#account-email"); got != e2eEmail {
		t.Errorf("set-password page is for %q, want %s", got, e2eEmail)
	}
	if n := eval[int](b, `document.querySelectorAll("#password-rules li").length`); n < 4 {
		t.Errorf("set-password page lists %d password rules, want at least 4", n)
	}
	b.checkConsole("the set-password page")

	status := b.submit("submit a weak password",
		chromedp.SendKeys(css("#password"), weakPassword),
		chromedp.SendKeys(css("#confirm"), weakPassword),
		chromedp.Click(css(setPasswordButton)))
	if status != 422 {
		t.Errorf("weak password: status %d, want 422", status)
	}
	b.do("wait for the error summary", chromedp.WaitVisible(css("main .nhsuk-error-summary")))
	summary := b.text("main .nhsuk-error-summary")
	for _, rule := range []string{
		"at least 10 characters",
		"must contain a capital letter",
		"must contain a number",
		"must contain a symbol",
		"must not contain your name or email address",
	} {
		if !strings.Contains(summary, rule) {
			t.Errorf("error summary does not name the rule %q:\n%s", rule, summary)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('main .nhsuk-error-summary a[href="#password"]').length`); n < 5 {
		t.Errorf("error summary links %d errors to the password field, want 5", n)
	}
	// NHS.UK frontend's error summary takes the focus when its script runs:
	// proof that the page's JavaScript works under its CSP.
	if !eval[bool](b, `document.activeElement === document.querySelector("main .nhsuk-error-summary")`) {
		t.Errorf("the error summary does not have the focus (is app.js running?)")
	}
	if v := eval[string](b, `document.getElementById("password").value`); v != "" {
		t.Errorf("the refused password was sent back into the form: %q", v)
	}
	b.checkConsole("the set-password page with errors")
	b.screenshot("set-password-errors")

	status = b.submit("submit a good password",
		chromedp.SendKeys(css("#password"), goodPassword),
		chromedp.SendKeys(css("#confirm"), goodPassword),
		chromedp.Click(css(setPasswordButton)))
	if status != 200 || b.path() != "/sign-in" {
		t.Fatalf("good password: status %d at %s, want the sign-in page", status, b.location())
	}
	if notice := b.text("main [role=status]"); !strings.Contains(notice, "Your password is set") {
		t.Errorf("sign-in page after setting the password says %q", notice)
	}
	b.checkConsole("the sign-in page")

	// First sign-in: password, then setting up the authenticator app.
	b.signIn("first sign-in")
	if b.path() != "/sign-in/two-factor" {
		t.Fatalf("after the password: at %s, want /sign-in/two-factor", b.location())
	}
	b.do("wait for the authenticator set-up", chromedp.WaitVisible(css("#totp-secret")), chromedp.WaitVisible(css("#totp-qr")))
	if !eval[bool](b, `(() => { const i = document.getElementById("totp-qr"); return i.complete && i.naturalWidth > 0; })()`) {
		t.Errorf("the QR code image did not load (CSP img-src?)")
	}
	secret := strings.ReplaceAll(b.text("#totp-secret"), " ", "")
	if secret == "" {
		t.Fatal("the set-up page shows no secret")
	}
	b.checkConsole("the authenticator set-up page")
	b.screenshot("two-factor-setup")

	enrolAt := time.Now()
	code, err := totp.Code(secret, enrolAt)
	if err != nil {
		t.Fatalf("TOTP code from the displayed secret %q: %v", secret, err)
	}
	status = b.submit("enter the first code",
		chromedp.SendKeys(css("#code"), code),
		chromedp.Click(css(totpSetupButton)))
	if status != 200 {
		t.Fatalf("set-up code: status %d at %s", status, b.where())
	}
	b.do("wait for the backup codes", chromedp.WaitVisible(css("#backup-codes li")))
	if n := eval[int](b, `document.querySelectorAll("#backup-codes li").length`); n != 10 {
		t.Errorf("%d backup codes shown, want 10", n)
	}
	b.checkConsole("the backup codes page")
	b.screenshot("backup-codes")

	// Continue, then to the account page from the header.
	status = b.submit("continue from the backup codes", chromedp.Click(css(`main a.nhsuk-button`)))
	if status != 200 {
		t.Fatalf("continue: status %d at %s", status, b.where())
	}
	b.checkConsole("the page after the backup codes")
	resp := b.submitResponse("open the account page", chromedp.Click(css("#nav-account")))
	if resp.Status != 200 || b.path() != "/account" {
		t.Fatalf("account page: status %d at %s", resp.Status, b.location())
	}
	if cc, _ := resp.Headers["Cache-Control"].(string); !strings.Contains(cc, "no-store") {
		t.Errorf("account page has Cache-Control %q, want no-store", cc)
	}
	b.do("wait for the account page", chromedp.WaitVisible(css("#sign-in-events")))
	if got := b.text("#nav-account"); got != e2eName {
		t.Errorf("header shows %q, want %s", got, e2eName)
	}
	if got := b.text("main .nhsuk-summary-list"); !strings.Contains(got, e2eName) || !strings.Contains(got, e2eEmail) {
		t.Errorf("account details lack the name or email:\n%s", got)
	}
	events := b.text("#sign-in-events")
	for _, e := range []string{"Set up an authenticator app", "Signed in"} {
		if !strings.Contains(events, e) {
			t.Errorf("sign-in activity lacks %s:\n%s", e, events)
		}
	}
	b.checkConsole("the account page")
	b.screenshot("account")

	// Sign out.
	status = b.submit("sign out", chromedp.Click(css("#sign-out")))
	if status != 200 || b.path() != "/sign-in" {
		t.Fatalf("sign out: status %d at %s", status, b.location())
	}
	if notice := b.text("main [role=status]"); !strings.Contains(notice, "You have signed out") {
		t.Errorf("sign-in page after signing out says %q", notice)
	}
	if b.signedInHeader() {
		t.Error("the header still shows the account after signing out")
	}
	b.checkConsole("the signed-out page")
	b.screenshot("signed-out")

	// Back: the account page must not come back from any cache. Chromium may
	// keep even a no-store page in its back/forward cache, and restores it
	// unless an HttpOnly cookie changed after the page was left (sign-out
	// clears the session cookie and issues a new CSRF one). Otherwise the
	// browser asks again and the server, with no session, sends it to sign in.
	// A page restored from the cache fires no load event, so NavigateBack
	// gets a short deadline of its own and the checks below say what happened.
	backCtx, cancelBack := context.WithTimeout(b.ctx, 10*time.Second)
	err = chromedp.Do(backCtx, chromedp.NavigateBack())
	cancelBack()
	nav := b.console.lastNavigation()
	t.Logf("Back: %s to %s; back/forward cache not used because %v", nav.Type, nav.URL, b.console.notRestoredReasons())
	if nav.Type == page.NavigationTypeBackForwardCacheRestore || b.signedInHeader() ||
		strings.Contains(eval[string](b, `document.body.innerText`), e2eName) {
		b.screenshot("after-back-FROM-CACHE")
		t.Fatalf("after signing out, Back showed the signed-in page %s with the user's name (navigation %s)", nav.URL, nav.Type)
	}
	if err != nil {
		t.Fatalf("Back: %v (page: %s)", err, b.where())
	}
	b.do("wait for the sign-in form after Back", chromedp.WaitVisible(css("#email")), chromedp.WaitVisible(css(signInButton)))
	if loc, _ := url.Parse(b.location()); loc.Path != "/sign-in" || loc.Query().Get("next") != "/account" {
		t.Errorf("after Back: at %s, want /sign-in?next=/account", loc)
	}
	b.checkConsole("the page shown by Back")
	b.screenshot("after-back")

	// Sign in again: password, then a code from the app.
	b.signIn("second sign-in")
	if b.path() != "/sign-in/two-factor" {
		t.Fatalf("second sign-in: at %s, want /sign-in/two-factor", b.location())
	}
	b.do("wait for the code form", chromedp.WaitVisible(css("#code")))
	if h1 := b.text("h1"); h1 != "Enter your security code" {
		t.Errorf("second-factor page heading %q", h1)
	}
	b.checkConsole("the second-factor page")
	b.screenshot("two-factor")

	// The enrolment's code again is refused: a code works once (and it is
	// either still the current code or within the one step of clock skew
	// the server allows, so only the replay rule can refuse it).
	status = b.submit("enter the enrolment's code again",
		chromedp.SendKeys(css("#code"), code),
		chromedp.Click(css(totpButton)))
	if status != 422 || b.path() != "/sign-in/two-factor" {
		t.Fatalf("replayed code: status %d at %s, want 422 on the same page", status, b.location())
	}
	if msg := b.text("main #code-error"); !strings.Contains(msg, "wrong or has expired") {
		t.Errorf("replayed code: error %q", msg)
	}
	b.checkConsole("the second-factor page with an error")
	b.screenshot("two-factor-replay-refused")

	// An app shows a new code every 30 seconds: wait for the step after the
	// enrolment's if it has not begun (the only sleep in the test).
	nextStep := time.Unix((totp.Step(enrolAt)+1)*int64(totp.Period/time.Second), 0)
	if wait := time.Until(nextStep); wait > 0 {
		t.Logf("waiting %v for the authenticator's next code", wait.Round(time.Millisecond))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	now := time.Now()
	if totp.Step(now) <= totp.Step(enrolAt) {
		t.Fatalf("still in the enrolment's time step at %v", now)
	}
	code2, err := totp.Code(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	status = b.submit("enter a fresh code",
		chromedp.SendKeys(css("#code"), code2),
		chromedp.Click(css(totpButton)))
	if status != 200 || b.path() != "/account" {
		t.Fatalf("second factor: status %d at %s, want /account", status, b.where())
	}
	b.do("wait for the account page again", chromedp.WaitVisible(css("#nav-account")), chromedp.WaitVisible(css("#sign-in-events")))
	if got := b.text("#nav-account"); got != e2eName {
		t.Errorf("header shows %q after signing in again, want %s", got, e2eName)
	}
	b.checkConsole("the account page, signed in again")
	b.screenshot("account-again")

	srv.checkLogs()
	for _, w := range b.console.allWarnings() {
		t.Logf("console warning: %s", w)
	}
	t.Logf("the walk took %v", time.Since(started).Round(time.Millisecond))
}

// open navigates to u and fails unless the page's status is want.
func (b *browser) open(step, u string, want int64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	if resp.Status != want {
		b.t.Fatalf("%s: status %d, want %d (page: %s)", step, resp.Status, want, b.where())
	}
}

// signIn fills in and sends the sign-in form on the current page.
func (b *browser) signIn(step string) {
	b.t.Helper()
	status := b.submit(step,
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), e2eEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), goodPassword),
		chromedp.Click(chromedp.CSS(signInButton)))
	if status != 200 {
		b.t.Fatalf("%s: status %d (page: %s)", step, status, b.where())
	}
}

// path is the path of the tab's URL.
func (b *browser) path() string {
	b.t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u.Path
}

// signedInHeader reports whether the header shows an account (its name
// and the sign-out button).
func (b *browser) signedInHeader() bool {
	b.t.Helper()
	return eval[bool](b, `!!(document.getElementById("nav-account") || document.getElementById("sign-out"))`)
}
