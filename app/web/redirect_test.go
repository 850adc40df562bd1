package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// openRedirectVectors are addresses a user may send as a return target
// (already decoded once from the query or form, as the handler sees them)
// that must never leave the site. Each is taken from a class a browser
// reads as another site: protocol-relative, backslashes, tabs and newlines
// it strips, schemes, and percent-encoded forms of the same.
var openRedirectVectors = []string{
	"",
	"evil.example",
	"https://evil.example/x",
	"http:/evil.example",
	"HTTPS://evil.example",
	"javascript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"//evil.example",
	"///evil.example",
	"////evil.example/x",
	"//evil.example@127.0.0.1",
	"/\\evil.example",
	"\\\\evil.example",
	"\\/evil.example",
	"/\\/evil.example",
	"/\t/evil.example/x", // the probe's finding: /%09/ decoded
	"/\n/evil.example",
	"/\r\n/evil.example",
	"\t//evil.example",
	" //evil.example",
	"/ /evil.example",
	"/\x00/evil.example",
	"/\x7f/evil.example",
	"/%09/evil.example/x", // the same, encoded once more
	"/%0a/evil.example",
	"/%0D%0A/evil.example",
	"/%2F/evil.example",
	"/%2f%2fevil.example",
	"/%2F%2Fevil.example",
	"/%5Cevil.example",
	"/%5c%5cevil.example",
	"/%252F/evil.example",
	"/%25252F/evil.example",
	"/%2525252F/evil.example",
	"%2F%2Fevil.example",
	"/.//evil.example",
	"/account//evil.example",
	"/\u2028/evil.example",
	"/\u00a0/evil.example",
	"\uff0f\uff0fevil.example", // fullwidth solidus
	"/%",
	"/%zz",
	"/" + strings.Repeat("a", maxTargetLen),
}

// localTargets are addresses on this site that must pass unchanged.
var localTargets = []string{
	"/",
	"/account",
	"/children?q=Smith&page=2",
	"/dashboards/organisations/RGT01?cohort=8",
	"/children/12#audit",
	"/search?q=%2F%2Fevil.example", // the query is this site's business
	"/?next=//evil.example",
	"/caf%C3%A9",
	"/a%20b",
	"/@evil.example",
}

func TestLocalTarget(t *testing.T) {
	for _, v := range openRedirectVectors {
		if got := localTarget(v, "/fallback"); got != "/fallback" {
			t.Errorf("localTarget(%q) = %q, want the fallback", v, got)
		}
	}
	for _, v := range localTargets {
		if got := localTarget(v, "/fallback"); got != v {
			t.Errorf("localTarget(%q) = %q, want it unchanged", v, got)
		}
	}
}

// httpRedirectVectors is the part of the table sent through each route
// (every vector through every route would be slow and prove no more).
var httpRedirectVectors = []string{"/\t/evil.example/x", "//evil.example", "/\\evil.example", "/%2F/evil.example", "https://evil.example", "/\r\n/evil.example"}

// TestSignInNextStaysOnSite sends each vector as sign-in's next: to the
// sign-in page when already signed in, with the password, and in the
// hidden field the sign-in page carries.
func TestSignInNextStaysOnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		for _, v := range append(httpRedirectVectors, "/account") {
			want := "/"
			if v == "/account" {
				want = v
			}
			b := newBrowser(t, app)
			p := b.get("/sign-in?next=" + url.QueryEscape(v))
			if got := p.doc.Find(`input[name="next"]`).AttrOr("value", ""); got != want {
				t.Errorf("GET /sign-in?next=%q: the form carries %q, want %q", v, got, want)
			}
			p = b.post("/sign-in", url.Values{"email": {"lead@nca.example"}, "password": {testPassword}, "next": {v}})
			if p.status != 303 || p.header.Get("Location") != want {
				t.Errorf("POST /sign-in next=%q: %d to %q, want 303 to %q", v, p.status, p.header.Get("Location"), want)
			}
			if p = b.get("/sign-in?next=" + url.QueryEscape(v)); p.status != 303 || p.header.Get("Location") != want {
				t.Errorf("GET /sign-in?next=%q signed in: %d to %q, want 303 to %q", v, p.status, p.header.Get("Location"), want)
			}
		}
	})
}

// TestTwoFactorNextStaysOnSite sends the vectors through the second step:
// "Set up" (its redirect), the set-up (its "continue" link) and the code
// (its redirect).
func TestTwoFactorNextStaysOnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "wendy@example.org")
		const bad = "/\t/evil.example/x"
		b := newBrowser(t, app)
		b.get("/sign-in")
		p := b.post("/sign-in", url.Values{"email": {"wendy@example.org"}, "password": {testPassword}, "next": {bad}})
		if loc, _ := url.Parse(p.header.Get("Location")); p.status != 303 || loc == nil || loc.Path != "/sign-in/two-factor" || loc.Query().Get("next") != "/" {
			t.Fatalf("sign in with next=%q: %d to %q", bad, p.status, p.header.Get("Location"))
		}
		b.get("/sign-in/two-factor")
		p = b.post("/sign-in/two-factor/start", url.Values{"next": {bad}}) // "Set up" again
		if loc, _ := url.Parse(p.header.Get("Location")); p.status != 303 || loc == nil || loc.Path != "/sign-in/two-factor" || loc.Query().Get("next") != "/" {
			t.Errorf("set up with next=%q: %d to %q", bad, p.status, p.header.Get("Location"))
		}
		p = b.get("/sign-in/two-factor?next=" + url.QueryEscape(bad))
		if got := p.doc.Find(`input[name="next"]`).AttrOr("value", ""); got != "/" {
			t.Errorf("set-up form carries next %q", got)
		}
		secret := strings.ReplaceAll(p.doc.Find("#totp-secret").Text(), " ", "")
		code, _ := totp.Code(secret, time.Now())
		p = b.post("/sign-in/two-factor/setup", url.Values{"code": {code}, "next": {bad}})
		if got := p.doc.Find("a.nhsuk-button").AttrOr("href", ""); p.status != 200 || got != "/" {
			t.Fatalf("backup codes page: %d, continue to %q", p.status, got)
		}
		var codes []string
		p.doc.Find("#backup-codes li").Each(func(_ int, li *goquery.Selection) { codes = append(codes, strings.TrimSpace(li.Text())) })
		vectors := append(httpRedirectVectors, "/account")
		if len(codes) < len(vectors) {
			t.Fatalf("%d backup codes", len(codes))
		}
		for i, v := range vectors {
			want := "/"
			if v == "/account" {
				want = v
			}
			b := newBrowser(t, app)
			b.get("/sign-in")
			b.post("/sign-in", url.Values{"email": {"wendy@example.org"}, "password": {testPassword}})
			p := b.get("/sign-in/two-factor?method=backup&next=" + url.QueryEscape(v))
			if got := p.doc.Find(`input[name="next"]`).AttrOr("value", ""); got != want {
				t.Errorf("GET two-factor next=%q: the form carries %q, want %q", v, got, want)
			}
			p = b.post("/sign-in/two-factor", url.Values{"method": {"backup"}, "code": {codes[i]}, "next": {v}})
			if p.status != 303 || p.header.Get("Location") != want {
				t.Errorf("POST two-factor next=%q: %d to %q, want 303 to %q", v, p.status, p.header.Get("Location"), want)
			}
		}
	})
}

// TestUpdateFiguresBackStaysOnSite: the dashboards' "Update the figures now"
// button returns to the page it was pressed on, and nowhere else.
func TestUpdateFiguresBackStaysOnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "full@e12.example", access.NationalFull, "")
		b := signIn(t, newBrowser(t, app), "full@e12.example")
		b.get("/dashboards")
		for _, v := range append(httpRedirectVectors, "/dashboards/organisations/RGT01?cohort=8") {
			want := "/dashboards"
			if !strings.Contains(v, "evil") {
				want = v
			}
			p := b.post("/dashboards/aggregate", url.Values{"cohort": {"8"}, "back": {v}})
			if p.status != 303 || p.header.Get("Location") != want {
				t.Errorf("back=%q: %d to %q, want 303 to %q", v, p.status, p.header.Get("Location"), want)
			}
		}
	})
}
