package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// csrfExempt are the POST routes no browser sends, outside the CSRF check
// and each authenticated otherwise.
var csrfExempt = map[string]bool{
	"/notifications/govuk-notify/callback": true, // GOV.UK Notify's receipts: a bearer token
}

// Every POST route the app registers refuses a request without the CSRF
// token, with a wrong one, and an htmx request with a wrong header, even
// from a signed-in superuser; with the right token the same request gets
// past the check (so the refusal is the token's, not something else's).
// Routes come from the app, so a new one is covered without listing it.
func TestCSRFOnEveryPostRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		b := w.superuser()
		posts := w.routes(http.MethodPost)
		spec, err := api.LoadSpec()
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) < 30 {
			t.Fatalf("only %d POST routes found: %v", len(posts), posts)
		}
		refusedForCSRF := func(p response) bool {
			return p.status == http.StatusForbidden && strings.Contains(p.body, "Your form could not be sent")
		}
		for _, route := range posts {
			if csrfExempt[route] {
				// Not a browser's: it must refuse a session with no bearer
				// token instead (TestNotifyCallback tests the token).
				if p := b.post(route, url.Values{}); p.status != http.StatusUnauthorized {
					t.Errorf("POST %s from a signed-in browser: %d, want 401", route, p.status)
				}
				continue
			}
			for _, path := range w.paths(route) {
				if strings.HasPrefix(path, api.Prefix) {
					// The API takes bearer tokens only: a signed-in
					// browser's cookies do not authenticate it, so there
					// is no session to forge a request with (docs/security.md).
					// The token endpoint reads only the client's credentials
					// in the request: without them, 400 invalid_request.
					// The public operations (api.Public) take no session
					// and no token, and only JSON: a form is the
					// contract's 400, so no cross-site form reaches them.
					want := http.StatusUnauthorized
					if path == api.Prefix+"/oauth/token" || spec.PublicOperation(http.MethodPost, path) {
						want = http.StatusBadRequest
					}
					if p := b.post(path, url.Values{"csrf": {b.csrf}}); p.status != want {
						t.Errorf("POST %s from a signed-in browser: %d, want %d", path, p.status, want)
					}
					continue
				}
				if p := b.post(path, url.Values{"csrf": {""}}); !refusedForCSRF(p) {
					t.Errorf("POST %s without a token: %d, want 403 (CSRF)", path, p.status)
				}
				if p := b.post(path, url.Values{"csrf": {"wrong"}}); !refusedForCSRF(p) {
					t.Errorf("POST %s with a wrong token: %d, want 403 (CSRF)", path, p.status)
				}
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(""))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
				req.Header.Set("X-CSRF-Token", "wrong")
				if p := b.do(req); p.status != http.StatusForbidden || p.header.Get("HX-Refresh") != "true" {
					t.Errorf("htmx POST %s with a wrong header: %d (HX-Refresh %q), want 403 and a refresh", path, p.status, p.header.Get("HX-Refresh"))
				}
				if p := b.post(path, url.Values{}); refusedForCSRF(p) {
					t.Errorf("POST %s with the page's token: refused as CSRF", path)
				}
				// A route that signs out (or ends the session) is followed
				// by a fresh sign-in, so every route is tried signed in.
				if p := b.get("/account"); p.status != http.StatusOK {
					b = w.superuser()
				}
			}
		}
	})
}
