package web

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

const testPassword = "Correct-horse-battery-9"

func makeUser(t *testing.T, s store.Store, a *auth.Service, email string) store.User {
	t.Helper()
	ctx := context.Background()
	var u store.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Wendy", Surname: "Webb", Role: access.Clinician, Organisation: "RGT01"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCSRFRequiredOnEveryStateChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, _ := authApp(t, s, false)
		b := newBrowser(t, app)
		b.get("/sign-in")
		for _, path := range []string{"/sign-in", "/sign-out", "/forgot-password", "/account/set-password/x", "/session/extend"} {
			p := b.post(path, url.Values{"csrf": {"wrong"}, "email": {"a@b.c"}})
			if p.status != 403 || !strings.Contains(p.doc.Find("h1").Text(), "could not be sent") {
				t.Errorf("POST %s with a wrong token: %d %q", path, p.status, p.doc.Find("h1").Text())
			}
			p = b.post(path, url.Values{"csrf": {""}})
			if p.status != 403 {
				t.Errorf("POST %s with no token: %d", path, p.status)
			}
		}
		// With the page's token the form is processed (here: a validation error).
		if p := b.post("/sign-in", url.Values{"email": {""}}); p.status != 422 {
			t.Errorf("POST /sign-in with the token: %d", p.status)
		}
	})
}

func TestSignInTwoFactorSetupAndSignOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		u := makeUser(t, s, a, "wendy@example.org")
		b := newBrowser(t, app)

		// Signed out, a protected page sends the browser to sign in...
		if p := b.get("/account"); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/sign-in?next=%2Faccount") {
			t.Fatalf("signed out /account: %d %s", p.status, p.header.Get("Location"))
		}
		// ...and an htmx request gets 401, not the sign-in page.
		if p := b.htmxGet("/account"); p.status != 401 || p.header.Get("HX-Trigger") != "session-ended" || strings.Contains(p.body, "<html") {
			t.Errorf("htmx signed out: %d %q", p.status, p.body)
		}

		b.get("/sign-in?next=/account")
		p := b.post("/sign-in", url.Values{"email": {"WENDY@example.org"}, "password": {"wrong"}, "next": {"/account"}})
		if p.status != 401 || p.doc.Find(".nhsuk-error-summary a[href='#email']").Length() != 1 {
			t.Fatalf("wrong password: %d", p.status)
		}
		if got := p.doc.Find("#email").AttrOr("value", ""); got != "WENDY@example.org" {
			t.Errorf("email not kept after an error: %q", got)
		}
		p = b.post("/sign-in", url.Values{"email": {"WENDY@example.org"}, "password": {testPassword}, "next": {"/account"}})
		if p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/sign-in/two-factor") {
			t.Fatalf("sign in: %d %s", p.status, p.header.Get("Location"))
		}
		// Password alone does not open protected pages.
		if p := b.get("/account"); p.status != 303 || p.header.Get("Location") != "/sign-in/two-factor" {
			t.Errorf("after password only: %d %s", p.status, p.header.Get("Location"))
		}
		p = b.get("/sign-in/two-factor?next=/account")
		secret := strings.ReplaceAll(p.doc.Find("#totp-secret").Text(), " ", "")
		if secret == "" || !strings.HasPrefix(p.doc.Find("#totp-qr").AttrOr("src", ""), "data:image/png;base64,") {
			t.Fatalf("set-up page lacks the secret or QR code: %s", p.body)
		}
		p = b.post("/sign-in/two-factor/setup", url.Values{"code": {"000000"}, "next": {"/account"}})
		if p.status != 422 || p.doc.Find(".nhsuk-error-message").Length() == 0 {
			t.Errorf("wrong set-up code: %d", p.status)
		}
		code, _ := totp.Code(secret, time.Now())
		p = b.post("/sign-in/two-factor/setup", url.Values{"code": {code}, "next": {"/account"}})
		if p.status != 200 || p.doc.Find("#backup-codes li").Length() != 10 {
			t.Fatalf("backup codes page: %d, %d codes", p.status, p.doc.Find("#backup-codes li").Length())
		}
		if p.header.Get("Cache-Control") != "no-store" {
			t.Error("backup codes page may be cached")
		}

		p = b.get("/account")
		if p.status != 200 || !strings.Contains(p.doc.Find("#nav-account").Text(), "Wendy Webb") {
			t.Fatalf("/account after two factors: %d", p.status)
		}
		if p.header.Get("Cache-Control") != "no-store" {
			t.Error("a signed-in page may be cached: Back after sign-out would show it")
		}
		if _, ok := p.doc.Find("body").Attr("data-session-expires"); !ok {
			t.Error("no session expiry for the idle warning")
		}
		events := p.doc.Find("#sign-in-events").Text()
		for _, e := range []string{"Set up an authenticator app", "Signed in", "Sign-in failed"} {
			if !strings.Contains(events, e) {
				t.Errorf("sign-in history lacks %s", e)
			}
		}

		oldSession := b.jar["session"]
		p = b.post("/sign-out", nil)
		if p.status != 303 || b.jar["session"] != "" {
			t.Fatalf("sign out: %d, cookie %q", p.status, b.jar["session"])
		}
		// The old cookie, replayed, no longer works: the session ended on the server.
		b.jar["session"] = oldSession
		if p := b.get("/account"); p.status != 303 {
			t.Errorf("replayed cookie after sign-out: %d", p.status)
		}
		_ = u
	})
}

func TestInviteFlowThroughTheMailbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		err := s.InTx(ctx, func(tx store.Tx) error {
			u, err := a.CreateUser(ctx, tx, auth.NewUser{Email: "ivy@example.org", FirstName: "Ivy", Surname: "Ives", Role: access.Clinician, Organisation: "RGT01"})
			if err != nil {
				return err
			}
			_, err = a.Invite(ctx, tx, u)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, app)
		p := b.get("/demo/mailbox")
		link := regexp.MustCompile(`/account/set-password/[A-Za-z0-9_-]+`).FindString(p.doc.Find(`.demo-email[data-to="ivy@example.org"] pre`).Text())
		if link == "" {
			t.Fatal("no invite link in the mailbox")
		}
		p = b.get(link)
		if p.doc.Find("#password-rules li").Length() < 4 || p.doc.Find("#account-email").Text() != "ivy@example.org" {
			t.Fatalf("set-password page: rules %d", p.doc.Find("#password-rules li").Length())
		}
		p = b.post(link, url.Values{"password": {"ivyives123"}, "confirm": {"ivyives123"}})
		if p.status != 422 || p.doc.Find(".nhsuk-error-summary li").Length() < 3 {
			t.Errorf("weak password: %d, %d errors named", p.status, p.doc.Find(".nhsuk-error-summary li").Length())
		}
		p = b.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword + "x"}})
		if p.status != 422 {
			t.Errorf("mismatch: %d", p.status)
		}
		p = b.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword}})
		if p.status != 303 || p.header.Get("Location") != "/sign-in?done=password" {
			t.Fatalf("set password: %d %s", p.status, p.header.Get("Location"))
		}
		if p := b.get(link); p.status != 404 || !strings.Contains(p.doc.Find("h1").Text(), "expired or has been used") {
			t.Errorf("used link: %d", p.status)
		}
	})
}

func TestSecureCookiesAndHSTSOverHTTPS(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	app, a := authApp(t, s, true)
	makeUser(t, s, a, "secure@example.org")
	b := newBrowser(t, app)
	p := b.get("/sign-in")
	if p.header.Get("Strict-Transport-Security") != "max-age=31536000; includeSubDomains" {
		t.Errorf("HSTS = %q", p.header.Get("Strict-Transport-Security"))
	}
	p = b.post("/sign-in", url.Values{"email": {"secure@example.org"}, "password": {testPassword}})
	var sawSession bool
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "__Host-session=") {
			sawSession = true
			for _, attr := range []string{"HttpOnly", "Secure", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(strings.ToLower(c), strings.ToLower(attr)) {
					t.Errorf("session cookie lacks %s: %s", attr, c)
				}
			}
			if strings.Contains(strings.ToLower(c), "domain=") {
				t.Errorf("session cookie has a Domain: %s", c)
			}
		}
	}
	if !sawSession {
		t.Errorf("no __Host-session cookie: %v", p.header.Values("Set-Cookie"))
	}
}

func TestLockoutMessageSaysWhenItEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "locky@example.org")
		b := newBrowser(t, app)
		b.get("/sign-in")
		var p response
		for range 5 {
			p = b.post("/sign-in", url.Values{"email": {"locky@example.org"}, "password": {"nope"}})
		}
		msg := p.doc.Find(".nhsuk-error-summary").Text()
		if p.status != 429 || !strings.Contains(msg, "locked on this device for 10 minutes") || !regexp.MustCompile(`until \d\d:\d\d`).MatchString(msg) {
			t.Errorf("5th failure: %d %q", p.status, msg)
		}
	})
}

func TestNextMustBeLocal(t *testing.T) {
	for in, want := range map[string]string{"/account": "/account", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/", "/ok?x=1": "/ok?x=1"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokensNeverReachTheLog(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	var logs strings.Builder
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	app := New(Deps{Store: s, Auth: a, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	b := newBrowser(t, app)
	b.get("/account/set-password/SECRETTOKEN123")
	b.post("/account/set-password/SECRETTOKEN123", url.Values{"password": {"Pass-word-secret-1"}, "confirm": {"Pass-word-secret-1"}})
	b.post("/sign-in", url.Values{"email": {"who@example.org"}, "password": {"Pass-word-secret-2"}})
	b.get("/registries/rett/verify/SECRETTOKEN456")
	b.post("/registries/rett/verify/SECRETTOKEN456", nil)
	b.post("/registries/rett/verify", url.Values{"email": {"who@example.org"}, "code": {"SECRETCODE789"}})
	if strings.Contains(logs.String(), "SECRETTOKEN") || strings.Contains(logs.String(), "SECRETCODE") || strings.Contains(logs.String(), "Pass-word-secret") {
		t.Errorf("a secret reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"path":"/account/set-password/:token"`) || !strings.Contains(logs.String(), `"path":"/registries/rett/verify/:token"`) {
		t.Errorf("the set-password request was not logged by its route:\n%s", logs.String())
	}
}

// GET never changes state: the authenticator secret is created by a POST.
func TestTwoFactorSetupSecretCreatedByPostOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		u := makeUser(t, s, a, "getsafe@example.org")
		res, err := a.SignIn(ctx, u.Email, testPassword, auth.Client{IP: "1.1.1.1"})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, app)
		b.jar["session"] = res.Token
		p := b.get("/sign-in/two-factor")
		if p.doc.Find("#start-setup").Length() != 1 || p.doc.Find("#totp-secret").Length() != 0 {
			t.Fatalf("set-up page without a pending secret: %s", p.body)
		}
		if got, _ := s.GetUser(ctx, u.ID); got.TotpSecret != nil {
			t.Fatal("a GET created an authenticator secret")
		}
		if p := b.post("/sign-in/two-factor/start", url.Values{"next": {"/account"}}); p.status != 303 {
			t.Fatalf("start: %d", p.status)
		}
		if got, _ := s.GetUser(ctx, u.ID); got.TotpSecret == nil {
			t.Error("start did not create a secret")
		}
		if p := b.get("/sign-in/two-factor"); p.doc.Find("#totp-secret").Length() != 1 {
			t.Error("no secret shown after start")
		}
	})
}

// A browser whose session ended is told why on the sign-in page.
func TestEndedSessionSaysWhy(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	app, _ := authApp(t, s, false)
	b := newBrowser(t, app)
	b.jar["session"] = "a-session-that-ended"
	p := b.get("/account")
	if p.status != 303 || !strings.HasSuffix(p.header.Get("Location"), "&expired=1") {
		t.Fatalf("ended session: %d %s", p.status, p.header.Get("Location"))
	}
	if p := b.get(p.header.Get("Location")); !strings.Contains(p.doc.Find(".nhsuk-warning-callout").Text(), "session has ended") {
		t.Error("the sign-in page does not say the session ended")
	}
	// Never signed in: no such message.
	if p := newBrowser(t, app).get("/account"); strings.Contains(p.header.Get("Location"), "expired") {
		t.Errorf("fresh browser told its session ended: %s", p.header.Get("Location"))
	}
}
