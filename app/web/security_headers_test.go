package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// wantHeaders are the security headers every answer carries
// (docs/security.md, Headers).
var wantHeaders = map[string]string{
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "same-origin",
	"X-Frame-Options":            "DENY",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// headerProblems lists what an answer lacks of the security headers.
func headerProblems(h http.Header) []string {
	var out []string
	for k, v := range wantHeaders {
		if h.Get(k) != v {
			out = append(out, k+"="+h.Get(k))
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			out = append(out, "CSP lacks "+d)
		}
	}
	return out
}

// brokenStore fails the home page's query, as a database that went away
// would: the app's answer is a 500.
type brokenStore struct{ store.Store }

func (brokenStore) CountReferenceData(context.Context) (store.ReferenceCounts, error) {
	return store.ReferenceCounts{}, errors.New("database gone")
}

// Every class of answer carries the security headers: a page, an htmx
// fragment, a redirect, 404, 403, 401, 422, 413 (a body over 4 MB, which
// the server refuses before any middleware runs), 500, a static asset and
// a public page.
func TestSecurityHeadersOnEveryResponseClass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		anon := newBrowser(t, w.app)
		home := anon.get("/")
		asset := home.doc.Find(`link[rel="stylesheet"][href^="/static/"]`).AttrOr("href", "")
		clinician := newBrowser(t, w.app)
		makeStaff(t, s, w.a, "clin@security.example", "clinician", "RM332")
		signIn(t, clinician, "clin@security.example")

		// The body limit is the server's, before any handler: it takes a
		// real listener (app.Test reports it as an error instead).
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = w.app.Listener(ln) }()
		t.Cleanup(func() { _ = w.app.Shutdown() })
		// A client announcing 5 MB: the server answers from the headers,
		// before the body (a client that kept writing would see the
		// connection close under it).
		big := func(b *browser) response {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /sign-in HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", ln.Addr(), 5<<20)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			return response{status: resp.StatusCode, header: resp.Header, body: string(raw)}
		}
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		broken := newBrowser(t, New(Deps{Store: brokenStore{s}, Version: "test", Auth: a}))

		cases := []struct {
			name   string
			status int
			resp   response
		}{
			{"page", 200, home},
			{"htmx fragment", 200, anon.htmxGet("/organisations?q=rgt")},
			{"redirect", 303, anon.get("/account")},
			{"not found", 404, anon.get("/no-such-page")},
			{"forbidden (role)", 403, clinician.get("/admin/kpi-recalculation")},
			{"forbidden (CSRF)", 403, anon.post("/sign-in", url.Values{"csrf": {"wrong"}})},
			{"unauthorised htmx", 401, anon.htmxGet("/account")},
			{"unprocessable", 422, func() response { anon.get("/sign-in"); return anon.post("/sign-in", url.Values{"email": {""}}) }()},
			{"too large", 413, big(anon)},
			{"server error", 500, broken.get("/")},
			{"static asset", 200, anon.get(asset)},
			{"public page", 200, anon.get("/public")},
			{"health", 200, anon.get("/healthz")},
		}
		for _, c := range cases {
			if c.resp.status != c.status {
				t.Errorf("%s: status %d, want %d", c.name, c.resp.status, c.status)
			}
			if p := headerProblems(c.resp.header); len(p) > 0 {
				t.Errorf("%s (%d): %v", c.name, c.resp.status, p)
			}
		}
		// The 413 page says what happened, and carries a request id.
		p := big(anon)
		if !strings.Contains(p.body, "What you sent is too large") || len(p.header.Get("X-Request-ID")) < 16 {
			t.Errorf("413: id %q, h1 %q", p.header.Get("X-Request-ID"), between(p.body, "<h1>", "</h1>"))
		}
	})
}

// between is the text of s between the first open and the next close.
func between(s, open, close string) string {
	_, after, _ := strings.Cut(s, open)
	inner, _, _ := strings.Cut(after, close)
	return inner
}
