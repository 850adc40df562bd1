package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleWatchSeesErrors checks the check: the errors the app's pages
// must not have are the ones this browser reports, so a clean run of the
// other tests means something. The pages here are not the app's: each breaks
// one rule, under the app's own Content-Security-Policy.
func TestConsoleWatchSeesErrors(t *testing.T) {
	findBrowser(t)
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		html := func(status int, body string) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>` + body + `<h1>done</h1></body></html>`))
		}
		switch r.URL.Path {
		case "/clean":
			html(200, `<p>Nothing wrong here.</p>`)
		case "/form-with-errors":
			html(422, `<p>A 422 for the page itself is the test's business, not an error.</p>`)
		case "/inline-script":
			html(200, `<script>document.title = "ran";</script>`)
		case "/inline-style":
			html(200, `<p style="color: red">styled</p>`)
		case "/missing-image":
			html(200, `<img src="/nothing.png" alt="">`)
		case "/throws":
			html(200, `<script src="/throws.js"></script>`)
		case "/throws.js":
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte(`console.error("logged"); throw new Error("thrown");`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b := startBrowser(t, ctx)

	tests := []struct {
		path string
		want []string // one substring per error expected, in order
	}{
		{"/clean", nil},
		{"/form-with-errors", nil},
		{"/inline-script", []string{"violates the following Content Security Policy directive 'script-src 'self''"}},
		{"/inline-style", []string{"violates the following Content Security Policy directive 'style-src 'self''"}},
		{"/missing-image", []string{"404"}},
		{"/throws", []string{`console.error: "logged"`, "Uncaught Error: thrown"}},
	}
	for _, tt := range tests {
		b.do(tt.path, chromedp.Navigate(ts.URL+tt.path), chromedp.WaitVisible(chromedp.CSS("h1")))
		_ = b.location() // round trip, as checkConsole does
		got := b.console.newErrors()
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d errors, want %d: %q", tt.path, len(got), len(tt.want), got)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: error %d is %q, want it to contain %q", tt.path, i, got[i], w)
			}
		}
	}
}
