package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A national administrator asks for a recalculation; the page shows it
// waiting, refreshing itself, then finished with every child counted.
func TestKPIRecalculationPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "national@e12.example", access.NationalFull, "")
		org, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		for _, nhs := range []string{"4857773456", "9434765919"} {
			nhs, now := nhs, time.Now()
			if _, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "A",
				Surname: "B", Sex: 1, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: org.ID, CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		b := signIn(t, newBrowser(t, app), "national@e12.example")
		p := b.get("/admin/kpi-recalculation")
		if p.status != 200 || p.doc.Find("#recalc-empty").Length() != 1 || p.doc.Find("#nav-recalc").Length() != 1 {
			t.Fatalf("empty page: %d %s", p.status, p.doc.Find("main").Text())
		}
		if p := b.post("/admin/kpi-recalculation", nil); p.status != 303 {
			t.Fatalf("asking for a recalculation: %d", p.status)
		}
		p = b.htmxGet("/admin/kpi-recalculation")
		row := p.doc.Find("#recalc-table tbody tr")
		if row.Length() != 1 || !strings.Contains(row.Text(), "Waiting to start") || !strings.Contains(row.Text(), "Lena Lead") {
			t.Errorf("after asking: %q", row.Text())
		}
		if trig, _ := p.doc.Find("#recalc-runs").Attr("hx-trigger"); trig != "every 2s" {
			t.Errorf("a waiting run does not refresh the list (hx-trigger %q)", trig)
		}
		if p.doc.Find("html").Length() != 0 && p.doc.Find("header").Length() != 0 {
			t.Error("the htmx refresh sent the whole page")
		}

		id, _ := row.Attr("id")
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
		runs, _ := s.ListKPIRecalculations(ctx, 1)
		if err := svc.Recalculate(ctx, runs[0].ID); err != nil {
			t.Fatal(err)
		}
		p = b.get("/admin/kpi-recalculation")
		row = p.doc.Find("#" + id)
		if done, _ := row.Attr("data-done"); done != "2" || !strings.Contains(row.Text(), "Finished") || !strings.Contains(row.Text(), "2 of 2 children") {
			t.Errorf("after the job: done %q, %q", done, row.Text())
		}
		if _, ok := p.doc.Find("#recalc-runs").Attr("hx-trigger"); ok {
			t.Error("the list keeps refreshing with nothing running")
		}
	})
}
