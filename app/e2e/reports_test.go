package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/export"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// reportScreen is a reports page's sections as a person reads them: each
// section's title and its table's rows (category, count, share), and how
// many bars its chart draws, each label's wrapped lines read as one.
type reportScreen []struct {
	Title string     `json:"title"`
	Group string     `json:"group"`
	Rows  [][]string `json:"rows"`
	Bars  []string   `json:"bars"`
}

func (b *browser) reportTables() reportScreen {
	b.t.Helper()
	var s reportScreen
	js := `JSON.stringify([...document.querySelectorAll("main section.app-report-section")].map(s => ({
		title: s.dataset.section,
		group: (s.querySelector("caption").textContent.split(": ")[0].split(", ").slice(1).join(", ")),
		rows: [...s.querySelectorAll("tbody tr")].filter(tr => tr.querySelector("[data-cell=count]")).map(tr =>
			["category", "count", "share"].map(c => tr.querySelector("[data-cell=" + c + "]").textContent.trim())),
		bars: [...s.querySelectorAll("svg text.app-chart__label")].map(t => [...t.querySelectorAll("tspan")].map(l => l.textContent).join(" "))})))`
	if err := json.Unmarshal([]byte(eval[string](b, js)), &s); err != nil {
		b.t.Fatal(err)
	}
	return s
}

// key is a section's row as both the page and the files name it.
func key(section, category string) string { return section + " / " + category }

// checkReportFiles downloads the page's CSV and XLSX and holds each to the
// page: the same rows, in the same order, with the same counts, and shares
// that round to what the page shows.
func checkReportFiles(t *testing.T, b *browser, screen reportScreen, namePrefix string) {
	t.Helper()
	var want [][]string // section, category, count, share as the page shows it
	for _, s := range screen {
		for _, r := range s.Rows {
			want = append(want, []string{s.Title, r[0], r[1], r[2]})
		}
	}
	name, path := b.download("download the CSV", "main #download-csv")
	if !strings.HasPrefix(name, namePrefix) || !strings.HasSuffix(name, ".csv") {
		t.Errorf("the CSV is named %q, want %s….csv", name, namePrefix)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	compareReportRows(t, "CSV", records, want)

	name, path = b.download("download the workbook", "main #download-xlsx")
	if !strings.HasPrefix(name, namePrefix) || !strings.HasSuffix(name, ".xlsx") {
		t.Errorf("the workbook is named %q", name)
	}
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Report", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	compareReportRows(t, "XLSX", rows, want)
}

func compareReportRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) == 0 || strings.Join(got[0], ",") != strings.Join(export.SectionColumns, ",") {
		t.Fatalf("%s header %v", what, got[:min(1, len(got))])
	}
	got = got[1:]
	if len(got) != len(want) {
		t.Fatalf("%s has %d rows, the page %d", what, len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		for len(g) < len(export.SectionColumns) {
			g = append(g, "") // excelize drops empty cells at a row's end
		}
		share := ""
		if g[5] != "" {
			f, err := strconv.ParseFloat(g[5], 64)
			if err != nil {
				t.Fatalf("%s row %d share %q", what, i, g[5])
			}
			share = strconv.FormatFloat(float64(int64(f*1000+0.5))/10, 'f', 1, 64) + "%"
		}
		if key(g[0], g[2]) != key(w[0], w[1]) || g[3] != w[2] || share != w[3] {
			t.Errorf("%s row %d: %s = %s (%s); the page: %s = %s (%s)", what, i, key(g[0], g[2]), g[3], share, key(w[0], w[1]), w[2], w[3])
		}
	}
}

// checkCharts: each section with a total draws one bar per table row,
// labelled as the row.
func checkCharts(t *testing.T, screen reportScreen) {
	t.Helper()
	for _, s := range screen {
		total := 0
		for _, r := range s.Rows {
			n, _ := strconv.Atoi(r[1])
			total += n
		}
		if total == 0 {
			continue
		}
		if len(s.Bars) != len(s.Rows) {
			t.Errorf("%s: %d bars for %d rows", s.Title, len(s.Bars), len(s.Rows))
			continue
		}
		for i, r := range s.Rows {
			if s.Bars[i] != r[0] {
				t.Errorf("%s: bar %d is %q, the table's row %q", s.Title, i, s.Bars[i], r[0])
			}
		}
	}
}

func section(screen reportScreen, title string) (rows [][]string, total int) {
	for _, s := range screen {
		if s.Title == title {
			for _, r := range s.Rows {
				n, _ := strconv.Atoi(r[1])
				total += n
			}
			return s.Rows, total
		}
	}
	return nil, -1
}

// TestReportsDownloadsHoldTheScreen opens the registry's reports as a
// registry manager and the audit's demographics as a lead clinician, and
// checks that each page's CSV and XLSX hold the numbers it shows, that
// each chart draws its table's rows, and axe-core finds nothing wrong.
func TestReportsDownloadsHoldTheScreen(t *testing.T) { eachEngine(t, testReportsDownloads) }

func testReportsDownloads(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e)
	srv.addRegistryManager()
	srv.seedSurvey("Sleep")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)

	b := startBrowser(t, ctx)
	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)
	if status := b.submit("open the reports", chromedp.Click(chromedp.CSS("#registry-reports-link"))); status != 200 {
		t.Fatalf("reports: status %d at %s", status, b.where())
	}
	screen := b.reportTables()
	if _, n := section(screen, "Patients registered per month"); n != 39 {
		t.Errorf("registered per month adds up to %d; the demo registry has 39 patients not deleted", n)
	}
	if rows, n := section(screen, "Sex"); n != 39 || len(rows) != 2 {
		t.Errorf("sex: %v", rows)
	}
	if rows, _ := section(screen, "Genetic findings by gene (patients with one)"); len(rows) != 1 || rows[0][0] != "MECP2" {
		t.Errorf("genes: %v", rows)
	}
	if _, n := section(screen, "Consent"); n != 39 {
		t.Errorf("consent adds up to %d patients, not the demo's 39", n)
	}
	if rows, n := section(screen, "Survey responses"); n != 3 || len(rows) != 2 || rows[0][1] != "1" || rows[0][2] != "33.3%" {
		t.Errorf("the survey sent to 3 and answered by 1: %v", rows)
	}
	checkCharts(t, screen)
	b.axeCheck("the registry's reports")
	b.checkConsole("the registry's reports")
	b.screenshot("registry-reports")
	checkReportFiles(t, b, screen, "registry-rett-report-")

	lead := startBrowser(t, ctx)
	lead.open("open the sign-in page", srv.base+"/sign-in", 200)
	lead.signInAs("sign in as the RGT01 lead clinician", rgt01LeadEmail, cli.DemoPassword)
	lead.open("open RGT01's dashboard", srv.base+"/dashboards/organisations/RGT01", 200)
	if status := lead.submit("open the demographics", chromedp.Click(chromedp.CSS("main #demographics-link"))); status != 200 {
		t.Fatalf("demographics: status %d at %s", status, lead.where())
	}
	orgScreen := lead.reportTables()
	_, orgChildren := section(orgScreen, "Sex")
	// Without filled audits (startServer's --demo-audits 0) the demo's
	// children are spread over the cohorts: take the first that has some.
	cohorts := strings.Fields(eval[string](lead, `[...document.querySelectorAll("main #cohort option")].map(o => o.value).join(" ")`))
	for _, c := range cohorts {
		if orgChildren > 0 {
			break
		}
		lead.open("open cohort "+c+"'s demographics", srv.base+"/dashboards/organisations/RGT01/demographics?cohort="+c, 200)
		orgScreen = lead.reportTables()
		_, orgChildren = section(orgScreen, "Sex")
	}
	if orgChildren <= 0 {
		t.Fatalf("RGT01's demographics count no children in cohorts %v", cohorts)
	}
	for _, title := range []string{"Ethnicity", "Age at first paediatric assessment", "Index of multiple deprivation quintile of the postcode"} {
		if _, n := section(orgScreen, title); n != orgChildren {
			t.Errorf("%s adds up to %d, sex to %d", title, n, orgChildren)
		}
	}
	checkCharts(t, orgScreen)
	lead.axeCheck("the demographics")
	checkReportFiles(t, lead, orgScreen, "demographics-cohort-")

	lead.do("choose the national level", chromedp.SetValue(chromedp.CSS("main #level"), "national"))
	if status := lead.submit("show the national figures", chromedp.Click(chromedp.CSS("main #demographics-filters button"))); status != 200 {
		t.Fatalf("national demographics: %d", status)
	}
	national := lead.reportTables()
	if _, n := section(national, "Sex"); n <= orgChildren {
		t.Errorf("nationally %d children, at RGT01 %d: the nation has more", n, orgChildren)
	}
	assertContains(t, "the group", lead.text("main #demographics-group"), "National: England and Wales")
	checkReportFiles(t, lead, national, "demographics-cohort-")
	lead.checkConsole("the demographics")
	srv.checkLogs()
}

// seedSurvey writes a published survey of the registry, invites three of
// its contacts and marks one finished, straight in the store: sending and
// answering are TestSurveySentAnsweredReminded's; here the reports count.
func (s *server) seedSurvey(title string) {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	ctx := context.Background()
	t := s.t
	reg, err := st.GetRegistryBySlug(ctx, registry.Slugs()[0])
	if err != nil {
		t.Fatal(err)
	}
	author, err := st.GetUserByEmail(ctx, registryManagerEmail)
	if err != nil {
		t.Fatal(err)
	}
	svc := &survey.Service{Store: st, Now: time.Now}
	closes := time.Now().AddDate(0, 1, 0)
	id, problems, err := svc.Create(ctx, reg.ID, author.ID, survey.Draft{Title: title, Questions: "sleep : scale* : How well?", Closes: closes})
	if err != nil || len(problems) > 0 {
		t.Fatal(problems, err)
	}
	if err := svc.Publish(ctx, id); err != nil {
		t.Fatal(err)
	}
	v, err := st.GetPublishedSurveyVersion(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	contacts, err := st.ListSurveyRecipients(ctx, store.ListSurveyRecipientsParams{RegistryID: reg.ID})
	if err != nil || len(contacts) < 3 {
		t.Fatalf("%d contacts, %v", len(contacts), err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for i, c := range contacts[:3] {
		inv, err := st.InsertSurveyInvitation(ctx, store.InsertSurveyInvitationParams{SurveyID: id, VersionID: v.ID, ContactID: c.ID,
			Channel: "email", CreatedAt: now, CreatedBy: &author.ID, ExpiresAt: closes})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := st.CompleteSurveyInvitation(ctx, store.CompleteSurveyInvitationParams{CompletedAt: &now, ID: inv}); err != nil {
				t.Fatal(err)
			}
		}
	}
}
