package web

import (
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// TestErrorPagesDoNotEchoInput sends a value that is not what each address
// or form wants and reads the page: it says what was wrong (naming the
// cohort, the level or the organisation) without repeating what was sent.
func TestErrorPagesDoNotEchoInput(t *testing.T) {
	const sent = "Call 0800 000 000 to unlock, evil.example"
	q := url.QueryEscape(sent)
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "full@e12.example", access.NationalFull, "")
		b := signIn(t, newBrowser(t, app), "full@e12.example")
		b.get("/dashboards")
		for _, tc := range []struct {
			method, path string
			form         url.Values
			status       int
			says         string
		}{
			{"GET", "/dashboards/organisations/RGT01?cohort=" + q, nil, 400, "cohort"},
			{"GET", "/dashboards/measures/ecg?level=" + q, nil, 400, "level"},
			{"GET", "/dashboards/download?format=csv&level=icb&cohort=" + q, nil, 400, "cohort"},
			{"GET", "/dashboards/download?format=csv&cohort=8&level=" + q, nil, 400, "level"},
			{"GET", "/dashboards/download?format=csv&cohort=8&organisation=" + q, nil, 404, "organisation"},
			{"GET", "/public/organisations/RGT01?cohort=" + q, nil, 400, "cohort"},
			{"POST", "/dashboards/publish", url.Values{"cohort": {sent}}, 400, "cohort"},
		} {
			var p response
			if tc.method == "POST" {
				p = b.post(tc.path, tc.form)
			} else {
				p = b.get(tc.path)
			}
			msg := strings.Join(strings.Fields(strings.ToLower(p.doc.Find("main").Text())), " ")
			if p.status != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.method, tc.path, p.status, tc.status)
			}
			if strings.Contains(msg, "0800") || strings.Contains(msg, "evil.example") {
				t.Errorf("%s %s repeats what was sent: %q", tc.method, tc.path, msg)
			}
			if !strings.Contains(msg, tc.says) {
				t.Errorf("%s %s does not say the %s was wrong: %q", tc.method, tc.path, tc.says, msg)
			}
		}
	})
}
