package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// dashChild is a registered child of cohort 8, first assessed on
// 15 January 2025 (a year of care over since January 2026), with a
// complete audit and hand-chosen KPI 1 and KPI 4 (ECG) scores.
func dashChild(t *testing.T, s store.Store, ods string, n int, kpi1, ecg *int64) {
	t.Helper()
	ctx := context.Background()
	org, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	fpa, c, now := store.Date{Year: 2025, Month: time.January, Day: 15}, int64(8), time.Now()
	dob := store.Date{Year: 2015, Month: time.May, Day: 3}
	nhs := fmt.Sprintf("DASH%06d", n)
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "A", Surname: "B",
		DateOfBirth: &dob, Sex: 1, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: org.ID, FirstPaediatricAssessmentDate: &fpa,
		EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	complete := true
	if _, err := s.UpsertKPIResult(ctx, store.UpsertKPIResultParams{ChildID: id, RulesVersion: "test", DataVersion: 1, ComputedAt: now,
		PaediatricianWithExpertiseInEpilepsies: kpi1, Ecg: ecg, AuditComplete: &complete}); err != nil {
		t.Fatal(err)
	}
}

func TestDashboards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		makeStaff(t, s, a, "view@e12.example", access.NationalView, "")
		pass, fail, inel := ptr(int64(1)), ptr(int64(0)), ptr(int64(2))
		dashChild(t, s, "RM332", 1, pass, pass)
		dashChild(t, s, "RM332", 2, pass, inel)
		dashChild(t, s, "RM332", 3, fail, nil)
		dashChild(t, s, "RGT01", 4, pass, nil)
		if _, err := aggregate.Run(ctx, s, cohort.Cohort(8)); err != nil {
			t.Fatal(err)
		}
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")

		if p := lead.get("/dashboards?cohort=8"); p.status != 303 || p.header.Get("Location") != "/dashboards/organisations/RM332?cohort=8" {
			t.Errorf("/dashboards for a lead: %d %q", p.status, p.header.Get("Location"))
		}
		p := lead.get("/dashboards/organisations/RM332?cohort=8")
		if p.status != 200 {
			t.Fatalf("organisation dashboard: %d", p.status)
		}
		cells := func(row string) []string {
			var out []string
			p.doc.Find("#kpi-" + row + " td").Each(func(_ int, td *goquery.Selection) {
				out = append(out, strings.TrimSpace(td.Contents().First().Text()))
			})
			return out
		}
		levels := p.doc.Find("#kpi-table thead th[data-level]").Map(func(_ int, th *goquery.Selection) string { v, _ := th.Attr("data-level"); return v })
		if strings.Join(levels, ",") != "organisation,trust,icb,nhs_england_region,open_uk_network,country,national" {
			t.Errorf("levels shown %v", levels)
		}
		kpi1 := cells("paediatrician_with_expertise_in_epilepsies")
		if len(kpi1) != 7 || kpi1[0] != "67% (3)" || kpi1[6] != "75% (4)" {
			t.Errorf("KPI 1 across the levels %q, want 67%% (3) here and 75%% (4) nationally", kpi1)
		}
		ecg := cells("ecg")
		if ecg[0] != "100% (1)" || ecg[6] != "100% (1)" {
			t.Errorf("ECG %q", ecg)
		}
		if got := cells("mri"); got[0] != "No eligible children to score" {
			t.Errorf("MRI with nobody scored: %q", got[0])
		}
		if got := p.doc.Find(`#children-counts tr[data-level="organisation"]`).Text(); !strings.Contains(got, "3") {
			t.Errorf("children counts %q", got)
		}
		if !strings.Contains(p.doc.Find("#last-updated").Text(), "Figures last updated on") || p.doc.Find("#cohort-card").Length() != 1 {
			t.Error("no freshness line or cohort card")
		}
		if p.doc.Find(`#cohort option[value="8"][selected]`).Length() != 1 {
			t.Error("cohort 8 is not the one selected")
		}
		if p := lead.get("/dashboards/organisations/RM332?cohort=9"); p.status != 200 || p.doc.Find("#not-run").Length() != 1 {
			t.Errorf("a cohort never aggregated: %d, not-run %d", p.status, p.doc.Find("#not-run").Length())
		}
		if p := lead.get("/dashboards/organisations/RM332?cohort=abc"); p.status != 400 {
			t.Errorf("a bad cohort: %d", p.status)
		}
		def := cohort.RolesOn(time.Now()).DashboardDefault()
		if p := lead.get("/dashboards/organisations/RM332"); p.doc.Find(fmt.Sprintf(`#cohort option[value="%d"][selected]`, def)).Length() != 1 {
			t.Errorf("the default cohort is not %d", def)
		}

		// Another trust's clinician may not see it; nobody sees a made-up one.
		other := signIn(t, newBrowser(t, app), "clin@rgt.example")
		if p := other.get("/dashboards/organisations/RM332?cohort=8"); p.status != 404 {
			t.Errorf("another trust's dashboard: %d", p.status)
		}
		if p := other.get("/dashboards/organisations/NOPE1"); p.status != 404 {
			t.Errorf("an unknown organisation: %d", p.status)
		}

		// One measure across a level: organisations are for the national team.
		m := "/dashboards/measures/paediatrician_with_expertise_in_epilepsies?cohort=8&level="
		if p := lead.get(m + "organisation"); p.status != 403 {
			t.Errorf("a lead comparing organisations: %d", p.status)
		}
		if p := lead.get(m + "icb"); p.status != 200 || p.doc.Find("#chart title").Length() != 1 {
			t.Errorf("a lead comparing ICBs: %d", p.status)
		}
		view := signIn(t, newBrowser(t, app), "view@e12.example")
		p = view.get(m + "organisation&highlight=RM332")
		if p.status != 200 {
			t.Fatalf("national comparison of organisations: %d", p.status)
		}
		keys := p.doc.Find("#level-table tbody tr").Map(func(_ int, tr *goquery.Selection) string { v, _ := tr.Attr("data-key"); return v })
		if len(keys) < 2 || keys[0] != "RGT01" || keys[1] != "RM332" {
			t.Errorf("organisations best first: %v", keys[:min(3, len(keys))])
		}
		if !p.doc.Find(`#level-table tr[data-key="RM332"]`).HasClass("app-row--highlight") {
			t.Error("the highlighted organisation is not marked")
		}
		if ref := p.doc.Find("#chart-reference").Text(); !strings.Contains(ref, "National 75%") {
			t.Errorf("reference %q", ref)
		}
		if desc := p.doc.Find("#chart desc").Text(); !strings.Contains(desc, "Highest: ") {
			t.Errorf("chart description %q", desc)
		}
		// The chart draws the organisations with eligible children, each
		// name whole (wrapped over lines, never cut), and none of those
		// without: they stay in the table.
		var scored, unscored []string
		p.doc.Find("#level-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
			name := strings.TrimSpace(tr.Find("th").Text())
			if _, ok := tr.Attr("data-percent"); ok {
				scored = append(scored, name)
			} else {
				unscored = append(unscored, name)
			}
		})
		labels := p.doc.Find("#chart text.app-chart__label").Map(func(_ int, s *goquery.Selection) string {
			return strings.Join(s.Find("tspan").Map(func(_ int, l *goquery.Selection) string { return l.Text() }), " ")
		})
		if len(unscored) == 0 || !slices.Equal(labels, scored) {
			t.Errorf("chart labels %q; want the scored rows %q (and not the %d without eligible children)", labels, scored, len(unscored))
		}
		if chart := p.doc.Find("#chart").Text(); strings.Contains(chart, "No eligible children") {
			t.Error("the chart still has rows for entities without eligible children")
		}
		for path, want := range map[string]int{m + "galaxy": 400, "/dashboards/measures/nope?level=icb": 404} {
			if p := view.get(path); p.status != want {
				t.Errorf("%s: %d, want %d", path, p.status, want)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
