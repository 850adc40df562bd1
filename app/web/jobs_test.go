package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/jobsui"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// River's job UI is for those who may view jobs (national full access and
// superusers), and its JSON API refuses cross-site requests.
func TestJobsUIAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		ui, err := jobsui.New(ctx, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		app := New(Deps{Store: s, Auth: a, JobsUI: ui, JobsUIPath: jobsui.Prefix})
		makeStaff(t, s, a, "full@example.org", access.NationalFull, "")
		makeStaff(t, s, a, "lead@example.org", access.LeadClinician, "RGT01")

		signedIn := func(email string) *browser {
			b := newBrowser(t, app)
			b.get("/sign-in")
			if p := b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}}); p.status != 303 {
				t.Fatalf("sign in %s: %d", email, p.status)
			}
			return b
		}
		if p := newBrowser(t, app).get("/admin/jobs"); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/sign-in") {
			t.Errorf("signed out: %d %s", p.status, p.header.Get("Location"))
		}
		if p := signedIn("lead@example.org").get("/admin/jobs"); p.status != 403 {
			t.Errorf("lead clinician: %d", p.status)
		}
		full := signedIn("full@example.org")
		p := full.get("/admin/jobs/")
		if p.status != 200 || !strings.Contains(p.body, "River") {
			t.Errorf("national full access: %d", p.status)
		}
		if p := full.get("/admin/jobs/api/jobs?state=available&limit=5"); p.status != 200 || !strings.Contains(p.body, `"data"`) {
			t.Errorf("job list API: %d %s", p.status, p.body)
		}
		// A state change from another site is refused; from the page, allowed through.
		post := func(headers map[string]string) int {
			req := httptest.NewRequest(http.MethodPost, "/admin/jobs/api/jobs/retry", strings.NewReader(`{"ids":["1"]}`))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			for k, v := range full.jar {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode
		}
		if got := post(map[string]string{"Sec-Fetch-Site": "cross-site"}); got != 403 {
			t.Errorf("cross-site POST: %d", got)
		}
		if got := post(nil); got != 403 {
			t.Errorf("POST with no origin: %d", got)
		}
		if got := post(map[string]string{"Sec-Fetch-Site": "same-origin"}); got == 403 {
			t.Errorf("same-origin POST refused")
		}
	})
}
