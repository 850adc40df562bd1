package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The Performance summary scores the answers as they stand, says why, and
// links to the answers that decided it; it moves with the answers.
func TestPerformanceSummaryFollowsTheAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		org, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		fpa := store.NewDate(time.Now().AddDate(0, 0, -40))
		n, _ := cohort.ForDate(fpa.Time())
		c, dob, nhs, now := int64(n), store.Date{Year: 2015, Month: 5, Day: 3}, "4857773456", time.Now()
		id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "Ava",
			Surname: "Smith", DateOfBirth: &dob, Sex: 2, Postcode: "ZZ993WZ", Ethnicity: "A", LeadOrganisationID: org.ID,
			FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/children/%d", id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")

		kpi1 := func() (outcome, why string, links []string) {
			t.Helper()
			p := clin.get(base + "/kpis")
			if p.status != 200 {
				t.Fatalf("performance summary: %d", p.status)
			}
			if got := p.doc.Find("#kpis tbody tr").Length(); got != 21 {
				t.Errorf("%d measures listed, want 21", got)
			}
			row := p.doc.Find(`#kpi-1`)
			row.Find("a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				links = append(links, href)
			})
			outcome, _ = row.Attr("data-outcome")
			return outcome, row.Find("td p").Text(), links
		}
		save := func(field, value string, parts ...string) {
			t.Helper()
			key := "assessment.0." + field
			form := url.Values{"key": {key}, "v": {"1000000"}}
			if len(parts) == 3 {
				form.Set(key+"-day", parts[0])
				form.Set(key+"-month", parts[1])
				form.Set(key+"-year", parts[2])
			} else {
				form.Set(key, value)
			}
			if p := clin.htmxPost(base+"/forms/assessment/answer", form); p.status != 200 || !strings.Contains(p.body, "Saved") {
				t.Fatalf("saving %s: %d %.300s", field, p.status, p.body)
			}
		}
		date := func(days int) []string {
			d := fpa.Time().AddDate(0, 0, days)
			return []string{fmt.Sprint(d.Day()), fmt.Sprint(int(d.Month())), fmt.Sprint(d.Year())}
		}

		if o, why, _ := kpi1(); o != "not_scored" || !strings.Contains(why, "needs the referral and input dates") {
			t.Errorf("KPI 1 with nothing answered: %s (%q), want not scored, saying what it needs", o, why)
		}
		save("consultant_paediatrician_referral_made", "true")
		save("consultant_paediatrician_referral_date", "", date(1)...)
		save("consultant_paediatrician_input_achieved", "true")
		save("consultant_paediatrician_input_date", "", date(15)...) // 14 days after the referral
		o, why, links := kpi1()
		if o != "pass" || !strings.Contains(why, "14 days") {
			t.Errorf("KPI 1 at 14 days: %s (%q), want pass saying 14 days", o, why)
		}
		want := base + "/forms/assessment#q-assessment-0-consultant_paediatrician_input_date"
		if !contains(links, want) {
			t.Errorf("KPI 1 links %q, want one to %s", links, want)
		}
		save("consultant_paediatrician_input_date", "", date(16)...) // 15 days
		if o, why, _ := kpi1(); o != "fail" || !strings.Contains(why, "15 days") {
			t.Errorf("KPI 1 at 15 days: %s (%q), want fail saying 15 days", o, why)
		}

		// Another organisation's clinician may not see it.
		other := signIn(t, newBrowser(t, app), "clin@rgt.example")
		if p := other.get(base + "/kpis"); p.status != 404 && p.status != 403 {
			t.Errorf("another trust's clinician gets the performance summary: %d", p.status)
		}
	})
}
