package web

import (
	"context"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The registry's reports show the sections the web server plugs in
// (registryReportSections): consent by state and a survey's response
// rate, on the page and in the CSV, for a viewer.
func TestRegistryReportsConsentAndSurveys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")

		// Ames and Bell consent to version 2, Cole to version 1 only, Dunn
		// withdraws, Eve has no consent recorded.
		ames := seedFamily(t, s, "Ames", "ames@example.org", "", "email")
		bell := seedFamily(t, s, "Bell", "bell@example.org", "", "email")
		cole := seedFamily(t, s, "Cole", "cole@example.org", "", "email")
		dunn := seedFamily(t, s, "Dunn", "", "+447700900001", "sms")
		seedFamily(t, s, "Eve", "", "+447700900002", "sms")
		svc := &registry.Service{Store: s, Now: time.Now}
		consent := func(p int64, research bool) {
			t.Helper()
			if err := svc.RecordConsent(ctx, matrixManager, p, 0, registry.ConsentAnswers{TakePart: true, ResearchContact: research, ShareDeidentified: true}, ""); err != nil {
				t.Fatal(err)
			}
		}
		consent(cole, true)
		consent(dunn, true)
		if _, err := svc.PublishConsent(ctx, matrixManager, registrySlug(), "Version two.", ""); err != nil {
			t.Fatal(err)
		}
		consent(ames, true)
		consent(bell, false)
		today := time.Now()
		if err := svc.Withdraw(ctx, matrixManager, dunn, registry.WithdrawalInput{Part: registry.PartTakePart, By: "Parent Dunn", How: "post",
			ReceivedOn: registry.DateInput{Day: today.Format("2"), Month: today.Format("1"), Year: today.Format("2006")}}, ""); err != nil {
			t.Fatal(err)
		}

		// A survey emailed to the three families with an address, answered
		// by one.
		m := signIn(t, newBrowser(t, app), "manager@registry.example")
		m.get("/registry/surveys")
		p := m.post("/registry/surveys", surveyFormValues("Sleep"))
		if p.status != 303 {
			t.Fatalf("create: %d %s", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		loc := strings.TrimSuffix(p.header.Get("Location"), "?done=created")
		m.get(loc)
		m.post(loc+"/publish", nil)
		if p = m.post(loc+"/send", url.Values{"channel": {"email"}}); !strings.Contains(p.doc.Find("#send-report").Text(), "Sent to 3.") {
			t.Fatalf("send: %d %q", p.status, p.doc.Find("#send-report").Text())
		}
		fam := newBrowser(t, app)
		link := linkTo(t, s, "ames@example.org")
		fam.get(link)
		if p = fam.post(link, url.Values{"sleep": {"7"}, "finish": {"1"}}); p.status != 200 || p.doc.Find("#survey-done").Length() != 1 {
			t.Fatalf("finish: %d %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}

		v := signIn(t, newBrowser(t, app), "viewer@registry.example")
		p = v.get("/registry/reports")
		if p.status != 200 {
			t.Fatalf("reports: %d", p.status)
		}
		want := map[string]map[string]string{
			"Consent": {"Consented to the current version": "2", "Needs re-consent (older version)": "1", "Withdrawn": "1", "No consent recorded": "1"},
			// Of Ames, Bell and Cole: Bell said no to research contact.
			"Agreed to be contacted about research": {"Yes": "2", "No": "1"},
			"Agreed to share de-identified data":    {"Yes": "3", "No": "0"},
			"Survey responses":                      {"Answered": "1", "Not answered": "2"},
		}
		for title, rows := range want {
			got := sectionRows(p, title)
			if len(got) != len(rows) {
				t.Errorf("%s: %v; want %v", title, got, rows)
			}
			for k, n := range rows {
				if got[k] != n {
					t.Errorf("%s / %s = %q; want %s", title, k, got[k], n)
				}
			}
		}
		rate := p.doc.Find(`section[data-section="Survey responses"] tbody tr`).First()
		if got := strings.TrimSpace(rate.Find(`[data-cell="share"]`).Text()); got != "33.3%" {
			t.Errorf("the response rate on the page: %q; want 33.3%%", got)
		}
		if cap := p.doc.Find(`section[data-section="Survey responses"] caption`).Text(); !strings.Contains(cap, "Sleep") {
			t.Errorf("the survey's section does not name it: %q", cap)
		}

		p = v.get("/registry/reports?format=csv")
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var found []string
		for _, r := range rows {
			if r[0] == "Survey responses" || r[0] == "Consent" {
				found = append(found, strings.Join(r, ","))
			}
		}
		wantCSV := []string{
			"Consent,,Consented to the current version,2,patients,0.4",
			"Consent,,Needs re-consent (older version),1,patients,0.2",
			"Consent,,Withdrawn,1,patients,0.2",
			"Consent,,No consent recorded,1,patients,0.2",
			"Survey responses,Sleep,Answered,1,invited,0.33333333333333337",
			"Survey responses,Sleep,Not answered,2,invited,0.6666666666666667",
		}
		if strings.Join(found, "\n") != strings.Join(wantCSV, "\n") {
			t.Errorf("CSV rows:\n%s\nwant\n%s", strings.Join(found, "\n"), strings.Join(wantCSV, "\n"))
		}
	})
}
