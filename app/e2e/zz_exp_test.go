package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestExperiment(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		switch r.URL.Path {
		case "/csp":
			w.Write([]byte(`<!doctype html><html><body><p style="color:red">x</p><script>console.log("inline ran")</script><h1>csp</h1></body></html>`))
		case "/422":
			w.WriteHeader(422)
			w.Write([]byte(`<!doctype html><html><body><h1>422</h1></body></html>`))
		case "/404img":
			w.Write([]byte(`<!doctype html><html><body><img src="/nope.png"><h1>img</h1></body></html>`))
		case "/throw":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<!doctype html><html><body><script src="/t.js"></script><h1>throw</h1></body></html>`))
		case "/t.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`console.error("boom"); throw new Error("thrown");`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := startBrowser(t, ctx)
	for _, p := range []string{"/csp", "/422", "/404img", "/throw"} {
		b.do(p, chromedp.Navigate(ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		b.checkConsole(p)
	}
	t.Log(b.console.allWarnings())
}
