package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
)

// get sends a GET to app (as htmx when htmx is true) and returns the response
// with its body parsed as HTML.
func get(t *testing.T, app *fiber.App, target string, htmx bool) (*http.Response, *goquery.Document, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc, string(b)
}

func newTestApp(s store.Store) *fiber.App {
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		panic(err)
	}
	return New(Deps{Store: s, Version: "test", Auth: a})
}

func TestHomePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		resp, doc, _ := get(t, app, "/", false)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if got := doc.Find(`[data-count="organisations"]`).Text(); got != "342" {
			t.Errorf("organisations count = %q, want 342", got)
		}
		if got := doc.Find("h1").First().Text(); !strings.Contains(got, "Epilepsy12") {
			t.Errorf("h1 = %q", got)
		}
		if doc.Find(`a[aria-current="page"][href="/"]`).Length() != 1 {
			t.Error("Home is not marked as the current page in the navigation")
		}
		// Every asset the layout references is served.
		doc.Find(`link[href^="/static/"], script[src^="/static/"]`).Each(func(_ int, sel *goquery.Selection) {
			url := sel.AttrOr("href", sel.AttrOr("src", ""))
			r, _, _ := get(t, app, url, false)
			if r.StatusCode != 200 {
				t.Errorf("asset %s: status %d", url, r.StatusCode)
			}
		})
		// htmx's config must parse, or htmx silently ignores all of it:
		// refused requests must be shown (4xx/5xx swapped), 401 handled by
		// the page script instead.
		var cfg struct {
			AllowEval        bool `json:"allowEval"`
			HistoryCacheSize int  `json:"historyCacheSize"`
			ResponseHandling []struct {
				Code  string `json:"code"`
				Swap  bool   `json:"swap"`
				Error bool   `json:"error"`
			} `json:"responseHandling"`
		}
		if err := json.Unmarshal([]byte(doc.Find(`meta[name="htmx-config"]`).AttrOr("content", "")), &cfg); err != nil {
			t.Fatalf("htmx-config: %v", err)
		}
		if cfg.AllowEval || cfg.HistoryCacheSize != 0 || len(cfg.ResponseHandling) < 4 || cfg.ResponseHandling[2].Code != "401" || cfg.ResponseHandling[2].Swap {
			t.Errorf("htmx-config = %+v", cfg)
		}
		if doc.Find("script:not([src])").Length() != 0 {
			t.Error("inline script found; the CSP forbids it")
		}
	})
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		for _, path := range []string{"/", "/organisations", "/no-such-page", "/healthz"} {
			resp, _, _ := get(t, app, path, false)
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", path, csp, want)
				}
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%s: missing nosniff or referrer policy", path)
			}
			if id := resp.Header.Get("X-Request-ID"); len(id) < 16 {
				t.Errorf("%s: request id %q", path, id)
			}
		}
		// A well-formed incoming id is kept; a malformed one is replaced.
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header.Set("X-Request-ID", "abc-123-DEF_456")
		resp, _ := app.Test(req)
		if resp.Header.Get("X-Request-ID") != "abc-123-DEF_456" {
			t.Errorf("incoming id not kept: %q", resp.Header.Get("X-Request-ID"))
		}
		req.Header.Set("X-Request-ID", "bad id\nwith newline")
		resp, _ = app.Test(req)
		if strings.ContainsAny(resp.Header.Get("X-Request-ID"), " \n") {
			t.Errorf("malformed id echoed: %q", resp.Header.Get("X-Request-ID"))
		}
	})
}

func TestOrganisationsSearchFilterAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		tests := []struct {
			name      string
			target    string
			htmx      bool
			rows      int
			firstODS  string
			count     string
			next, prv bool
		}{
			{"everything, page 1", "/organisations", false, 25, "", "Showing 1 to 25 of 342 organisations", true, false},
			{"search by name, any case", "/organisations?q=AddenBrooke", false, 1, "RGT01", "Showing 1 to 1 of 1 organisations", false, false},
			{"search by ODS code", "/organisations?q=rgt01", true, 1, "RGT01", "Showing 1 to 1 of 1 organisations", false, false},
			{"Wales, page 2", "/organisations?country=W92000004&page=2", true, 3, "", "Showing 26 to 28 of 28 organisations", false, true},
			{"page past the end shows the last page", "/organisations?country=W92000004&page=99", false, 3, "", "Showing 26 to 28 of 28 organisations", false, true},
			{"nonsense page shows the first", "/organisations?page=abc", false, 25, "", "Showing 1 to 25 of 342 organisations", true, false},
			{"wildcards are literal", "/organisations?q=%25%25", false, 25, "", "Showing 1 to 25 of 342 organisations", true, false},
			{"no match", "/organisations?q=zzzz-no-such-hospital", true, 0, "", "No organisations match your search.", false, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, doc, body := get(t, app, tt.target, tt.htmx)
				if resp.StatusCode != 200 {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if tt.htmx == strings.Contains(body, "<html") {
					t.Errorf("htmx=%v but full page=%v", tt.htmx, strings.Contains(body, "<html"))
				}
				rows := doc.Find("#org-table tbody tr")
				if rows.Length() != tt.rows {
					t.Errorf("rows = %d, want %d", rows.Length(), tt.rows)
				}
				if tt.firstODS != "" && rows.First().AttrOr("data-ods", "") != tt.firstODS {
					t.Errorf("first row = %q, want %s", rows.First().AttrOr("data-ods", ""), tt.firstODS)
				}
				if got := strings.TrimSpace(doc.Find("#org-count").Text()); got != tt.count {
					t.Errorf("count line = %q, want %q", got, tt.count)
				}
				next := doc.Find("a.nhsuk-pagination__link--next")
				if (next.Length() == 1) != tt.next {
					t.Errorf("next link present = %v, want %v", next.Length() == 1, tt.next)
				}
				if (doc.Find("a.nhsuk-pagination__link--prev").Length() == 1) != tt.prv {
					t.Errorf("previous link wrong")
				}
				// Links keep the filters so a copied URL reproduces the view.
				if href, ok := next.Attr("href"); ok && strings.Contains(tt.target, "country=") && !strings.Contains(href, "country=") {
					t.Errorf("next link %q lost the filter", href)
				}
			})
		}
	})
}

func TestErrorPagesLeakNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		resp, doc, _ := get(t, app, "/no-such-page", false)
		if resp.StatusCode != 404 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if got := doc.Find("h1").Text(); got != "Page not found" {
			t.Errorf("h1 = %q", got)
		}
		if ref := doc.Find("code").Text(); ref != resp.Header.Get("X-Request-ID") {
			t.Errorf("reference %q, want the request id", ref)
		}
		resp, doc, body := get(t, app, "/no-such-page", true)
		if resp.StatusCode != 404 || strings.Contains(body, "<html") || doc.Find(`[role="alert"]`).Length() != 1 {
			t.Errorf("htmx 404: status %d, body %q", resp.StatusCode, body)
		}
	})
}

func TestPanicBecomesPlain500(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	var logs strings.Builder
	srv := &server{Deps: Deps{Store: s, Version: "test", Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Now: time.Now}}
	app := srv.newFiber()
	srv.middleware(app)
	app.Get("/boom", func(*fiber.Ctx) error { panic("secret internal detail") })

	resp, doc, body := get(t, app, "/boom", false)
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "secret internal detail") || strings.Contains(body, "goroutine") {
		t.Error("500 page leaks the panic")
	}
	if !strings.Contains(doc.Find("h1").Text(), "problem with the service") {
		t.Errorf("h1 = %q", doc.Find("h1").Text())
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("log lacks the panic or the access line: %s", logs.String())
	}
}

func TestHealthAndReadiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		for _, path := range []string{"/healthz", "/readyz"} {
			resp, _, body := get(t, app, path, false)
			if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %q", path, resp.StatusCode, body)
			}
		}
		// With a migration rolled back the app is alive but not ready.
		if err := s.MigrateDown(context.Background()); err != nil {
			t.Fatal(err)
		}
		resp, _, body := get(t, app, "/readyz", false)
		if resp.StatusCode != 503 || !strings.Contains(body, "migrations pending") {
			t.Errorf("readyz after down: %d %q", resp.StatusCode, body)
		}
		if resp, _, _ := get(t, app, "/healthz", false); resp.StatusCode != 200 {
			t.Errorf("healthz after down: %d", resp.StatusCode)
		}
	})
}
