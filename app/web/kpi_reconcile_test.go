package web

import (
	"context"
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

// The recalculation page counts the children whose stored results are out
// of date and lets a national administrator run the daily check now.
func TestKPIRecalculationPageChecksStaleResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "national@e12.example", access.NationalFull, "")
		org, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		fpa := store.NewDate(time.Now().AddDate(0, 0, -40))
		n, _ := cohort.ForDate(fpa.Time())
		for _, nhs := range []string{"4857773456", "9434765919"} {
			nhs, now, c := nhs, time.Now(), int64(n)
			if _, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "A",
				Surname: "B", Sex: 1, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: org.ID, CreatedAt: now,
				FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now}); err != nil {
				t.Fatal(err)
			}
		}
		b := signIn(t, newBrowser(t, app), "national@e12.example")
		count := func(step, want string) {
			t.Helper()
			p := b.get("/admin/kpi-recalculation")
			if got := p.doc.Find("#stale-count").Text(); p.status != 200 || !strings.Contains(got, want) {
				t.Errorf("%s: %d %q, want %q", step, p.status, got, want)
			}
		}
		count("never scored", "2 children's stored results are out of date.")
		if p := b.post("/admin/kpi-recalculation/check", nil); p.status != 303 {
			t.Fatalf("asking for a check: %d", p.status)
		}
		res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_reconcile"))
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("kpi_reconcile jobs: %v %v", res, err)
		}
		count("check queued", "A check is queued or running.")
		// What the job does.
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
		if n, err := svc.Reconcile(ctx); err != nil || n != 2 {
			t.Fatalf("reconcile: %d %v", n, err)
		}
		count("after the check", "Every child's stored results are up to date.")
	})
}
