package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// The Performance summary says whether the copy the dashboards count is
// up to date, and says "being recalculated" only when a rescoring is in
// fact queued (issue 13: it promised "within a minute" for results that
// nothing would ever update).
func TestPerformanceSummarySaysWhetherTheStoredCopyIsFresh(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
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
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}

		freshness := func(step, want, text string) {
			t.Helper()
			p := clin.get(base + "/kpis")
			line := p.doc.Find("#kpi-freshness")
			if got, _ := line.Attr("data-freshness"); got != want || !strings.Contains(line.Text(), text) {
				t.Errorf("%s: %q (%s), want %s %q", step, line.Text(), got, want, text)
			}
			if strings.Contains(line.Text(), "within a minute") {
				t.Errorf("%s: a promise: %q", step, line.Text())
			}
		}
		queued := func(step string) {
			t.Helper()
			res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_score"))
			if err != nil {
				t.Fatal(err)
			}
			var args struct {
				ChildID int64 `json:"child_id"`
			}
			if len(res.Jobs) == 1 {
				_ = json.Unmarshal(res.Jobs[0].EncodedArgs, &args)
			}
			if len(res.Jobs) != 1 || args.ChildID != id {
				t.Errorf("%s: %d kpi_score jobs (child %d)", step, len(res.Jobs), args.ChildID)
			}
		}
		// Never scored: the page queues the rescoring it announces.
		freshness("never scored", "recalculating", "Being recalculated")
		queued("never scored")
		// Scored: up to date.
		if err := svc.ScoreChild(ctx, id); err != nil {
			t.Fatal(err)
		}
		freshness("scored", "up-to-date", "Up to date")
		// A save: behind, and its save queued the job (still one).
		form := url.Values{"key": {"assessment.0.consultant_paediatrician_referral_made"}, "v": {"1000000"},
			"assessment.0.consultant_paediatrician_referral_made": {"true"}}
		if p := clin.htmxPost(base+"/forms/assessment/answer", form); p.status != 200 || !strings.Contains(p.body, "Saved") {
			t.Fatalf("saving: %d %.300s", p.status, p.body)
		}
		freshness("after a save", "recalculating", "Being recalculated")
		queued("after a save")
		if err := svc.ScoreChild(ctx, id); err != nil {
			t.Fatal(err)
		}
		freshness("scored again", "up-to-date", "Up to date")
	})
}
