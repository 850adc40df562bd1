package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestExperimentBack(t *testing.T) {
	for _, noStore := range []bool{false, true} {
		t.Run(map[bool]string{false: "cacheable", true: "nostore"}[noStore], func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, _ := r.Cookie("s")
				signed := c != nil && c.Value == "1"
				switch r.URL.Path {
				case "/in":
					http.SetCookie(w, &http.Cookie{Name: "s", Value: "1", Path: "/"})
					http.Redirect(w, r, "/account", 303)
				case "/account":
					if !signed {
						http.Redirect(w, r, "/sign-in", 303)
						return
					}
					if noStore {
						w.Header().Set("Cache-Control", "no-store")
					}
					w.Write([]byte(`<!doctype html><html><body><h1>Account Eve Tester</h1><form method=post action=/out><button id=out>out</button></form></body></html>`))
				case "/out":
					http.SetCookie(w, &http.Cookie{Name: "s", Value: "", Path: "/", MaxAge: -1})
					http.Redirect(w, r, "/sign-in?done=1", 303)
				case "/sign-in":
					w.Write([]byte(`<!doctype html><html><body><h1>Sign in</h1><input id=email></body></html>`))
				}
			}))
			defer ts.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			b := startBrowser(t, ctx)
			b.open("in", ts.URL+"/in", 200)
			b.submit("out", chromedp.Click(chromedp.CSS("#out")))
			bctx, c2 := context.WithTimeout(b.ctx, 5*time.Second)
			err := chromedp.Do(bctx, chromedp.NavigateBack())
			c2()
			t.Logf("back err %v nav %+v h1 %q reasons %v", err, b.console.lastNavigation(), eval[string](b, `document.querySelector("h1").textContent`), b.console.bfNotUsed)
		})
	}
}
