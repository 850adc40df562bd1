package web

import (
	"context"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// sectionRows reads a report page's section as a person reads its table:
// category → count.
func sectionRows(p response, title string) map[string]string {
	out := map[string]string{}
	p.doc.Find(`section.app-report-section[data-section="` + title + `"] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		if c := tr.Find(`[data-cell="count"]`); c.Length() == 1 {
			out[strings.TrimSpace(tr.Find(`[data-cell="category"]`).Text())] = strings.TrimSpace(c.Text())
		}
	})
	return out
}

func TestRegistryReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")
		m := newBrowser(t, app)
		m.get("/sign-in")
		m.post("/sign-in", url.Values{"email": {"manager@registry.example"}, "password": {testPassword}})
		m.get("/registry/patients/new")
		for _, name := range []string{"Ann", "Bea"} {
			if p := m.post("/registry/patients", registryPatientForm(name, "Smith")); p.status != 303 {
				t.Fatalf("adding %s: %d", name, p.status)
			}
		}

		// A viewer, who sees no identifiers, sees the counts whole.
		v := signIn(t, newBrowser(t, app), "viewer@registry.example")
		p := v.get("/registry/reports")
		if p.status != 200 || p.doc.Find("#registry-reports-link").Length() != 1 {
			t.Fatalf("reports: %d", p.status)
		}
		month := time.Now().Format("January 2006")
		if got := sectionRows(p, "Patients registered per month"); got[month] != "2" {
			t.Errorf("registered this month: %v", got)
		}
		if got := sectionRows(p, "Sex"); got["Female"] != "2" || len(got) != 1 {
			t.Errorf("sex: %v", got)
		}
		if strings.Contains(p.body, "Smith") || strings.Contains(p.body, "Ann") {
			t.Error("the reports name a patient")
		}
		if p.doc.Find("svg#chart-sex text.app-chart__label").Length() != 1 {
			t.Error("the sex chart has not one bar")
		}
		p = v.get("/registry/reports?format=csv")
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if p.status != 200 || err != nil || !strings.HasPrefix(p.header.Get("Content-Disposition"), `attachment; filename="registry-rett-report-`) {
			t.Fatalf("CSV: %d %v %s", p.status, err, p.header.Get("Content-Disposition"))
		}
		found := false
		for _, r := range rows {
			if r[0] == "Sex" && r[2] == "Female" && r[3] == "2" && r[4] == "patients" && r[5] == "1" {
				found = true
			}
		}
		if !found {
			t.Errorf("the CSV lacks Sex / Female = 2 (100%%): %v", rows)
		}
		if p := v.get("/registry/reports?format=pdf"); p.status != 400 || !strings.Contains(p.doc.Find("main").Text(), "format=csv or format=xlsx") {
			t.Errorf("a bad format: %d", p.status)
		}
	})
}

func TestDemographics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		c := publishtest.Cohort()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		makeStaff(t, s, a, "clin@wales.example", access.Clinician, "7A4H1")
		publishtest.Child(t, s, "RGT01", nil)
		publishtest.Child(t, s, "RGT01", nil)
		publishtest.Child(t, s, "RM332", nil) // another trust: counted nationally, not at RGT01
		clin := signIn(t, newBrowser(t, app), "clin@rgt.example")
		base := "/dashboards/organisations/RGT01/demographics?cohort=" + strconv.Itoa(int(c))

		p := clin.get(base)
		if p.status != 200 {
			t.Fatalf("demographics: %d", p.status)
		}
		total := 0
		for _, n := range sectionRows(p, "Sex") {
			total += countOf(n)
		}
		if total != 2 {
			t.Errorf("RGT01 counts %d children by sex; want its 2", total)
		}
		if got := sectionRows(p, "Index of multiple deprivation quintile of the postcode"); got["Not known"] != "2" {
			t.Errorf("without a lookup every quintile is not known: %v", got)
		}
		p = clin.get(base + "&level=national")
		total = 0
		for _, n := range sectionRows(p, "Sex") {
			total += countOf(n)
		}
		if total != 3 || !strings.Contains(text(p, "#demographics-group"), "National: England and Wales") {
			t.Errorf("nationally %d children (%q); want 3", total, text(p, "#demographics-group"))
		}
		for path, want := range map[string]int{
			base + "&level=local_health_board":             404, // an English organisation has none
			base + "&level=galaxy":                         400,
			base + "&format=pdf":                           400,
			"/dashboards/organisations/RM332/demographics": 404, // another trust's
		} {
			if p := clin.get(path); p.status != want {
				t.Errorf("%s: %d, want %d", path, p.status, want)
			}
		}
		wales := signIn(t, newBrowser(t, app), "clin@wales.example")
		if p := wales.get("/dashboards/organisations/7A4H1/demographics?level=icb"); p.status != 404 || !strings.Contains(p.doc.Find("main").Text(), "belongs to no Integrated Care Board") {
			t.Errorf("a Welsh organisation's ICB: %d", p.status)
		}
	})
}

func countOf(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
