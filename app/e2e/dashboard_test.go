package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/cli"
	"clinaudit/app/cohort"
	"clinaudit/app/export"
	"clinaudit/app/kpi"
	"clinaudit/app/store"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// dashboardAudits is how many of the demo's children with filled audits the
// dashboard test's server imports (--demo-audits): enough for figures at
// RGT01, few enough to start quickly under -race.
const dashboardAudits = 20

// kpiScreen is what the organisation dashboard shows: the levels of its
// KPI table, in column order, their names and children, and each measure's
// cells.
type kpiScreen struct {
	Cohort  string               `json:"cohort"`  // the cohort card's heading
	Caption string               `json:"caption"` // the KPI table's caption
	NotRun  bool                 `json:"notRun"`  // "not worked out yet"
	Updated string               `json:"updated"` // "Figures last updated on …"
	Levels  []string             `json:"levels"`  // data-level of each column
	Names   []string             `json:"names"`   // the column heading's entity name
	Counts  [][3]int64           `json:"counts"`  // per level: registered, complete, counted
	Cells   map[string][]kpiCell `json:"cells"`   // by measure id, in column order
}

type kpiCell struct {
	Text    string `json:"text"`    // "75% (12)", or "No eligible children to score"
	Percent string `json:"percent"` // data-percent, "" when nobody is eligible
	Detail  string `json:"detail"`  // the counts, in the cell's title
}

// readKPIScreen reads the dashboard's tables as they are shown.
const readKPIScreen = `JSON.stringify((() => {
	const m = document.querySelector("main");
	const text = (sel) => { const e = m.querySelector(sel); return e ? e.textContent.trim() : ""; };
	const out = {cohort: text("#cohort-card h2"), caption: text("#kpi-caption"), notRun: !!m.querySelector("#not-run"),
		updated: text("#last-updated strong"), levels: [], names: [], counts: [], cells: {}};
	for (const th of m.querySelectorAll("#kpi-table thead th[data-level]")) {
		out.levels.push(th.dataset.level);
		out.names.push(th.querySelector("span").textContent.replace(/, \d+ counted$/, "").trim());
	}
	for (const tr of m.querySelectorAll("#children-counts tbody tr")) {
		const td = [...tr.querySelectorAll("td")].map(c => parseInt(c.textContent, 10));
		out.counts.push([td[0], td[1], td[2]]);
	}
	for (const tr of m.querySelectorAll("#kpi-table tbody tr")) {
		out.cells[tr.id.replace(/^kpi-/, "")] = [...tr.querySelectorAll("td")].map(td => ({
			text: td.firstChild.textContent.trim(), percent: td.dataset.percent || "", detail: td.title}));
	}
	return out;
})())`

var (
	cellDetailRE = regexp.MustCompile(`^([0-9]+) of ([0-9]+) eligible passed; ([0-9]+) ineligible; ([0-9]+) not scored$`)
	cellTextRE   = regexp.MustCompile(`^([0-9]+)% \(([0-9]+)\)$`)
)

// kpiTable reads the dashboard and checks it holds together: a column per
// level, a row per measure, each cell's text its counts.
func (b *browser) kpiTable(page string) kpiScreen {
	b.t.Helper()
	var s kpiScreen
	if err := json.Unmarshal([]byte(eval[string](b, readKPIScreen)), &s); err != nil {
		b.t.Fatalf("%s: reading the tables: %v", page, err)
	}
	if s.NotRun {
		return s
	}
	if len(s.Levels) == 0 || len(s.Counts) != len(s.Levels) || len(s.Cells) != kpi.NumMeasures {
		b.t.Fatalf("%s: %d levels, %d rows of children, %d measures: %+v", page, len(s.Levels), len(s.Counts), len(s.Cells), s)
	}
	for _, info := range kpi.Measures() {
		cells := s.Cells[info.ID]
		if len(cells) != len(s.Levels) {
			b.t.Fatalf("%s: measure %s has %d cells for %d levels", page, info.ID, len(cells), len(s.Levels))
		}
		for i, c := range cells {
			n := cellCounts(b.t, c)
			switch m := cellTextRE.FindStringSubmatch(c.Text); {
			case n[1] == 0 && (c.Text != aggregate.NoEligible || c.Percent != ""):
				b.t.Errorf("%s: %s at %s: %q (%s), with nobody eligible", page, info.ID, s.Levels[i], c.Text, c.Percent)
			case n[1] > 0 && (m == nil || m[2] != strconv.FormatInt(n[1], 10) || c.Percent == ""):
				b.t.Errorf("%s: %s at %s: %q (data-percent %q) for %s", page, info.ID, s.Levels[i], c.Text, c.Percent, c.Detail)
			}
			if sum := n[1] + n[2] + n[3]; sum != s.Counts[i][2] {
				b.t.Errorf("%s: %s at %s: %d eligible, ineligible and not scored, %d children counted", page, info.ID, s.Levels[i], sum, s.Counts[i][2])
			}
		}
	}
	return s
}

// cellCounts are a cell's passed, eligible, ineligible and not scored.
func cellCounts(t *testing.T, c kpiCell) [4]int64 {
	t.Helper()
	m := cellDetailRE.FindStringSubmatch(c.Detail)
	if m == nil {
		t.Fatalf("a cell's title %q is not its counts", c.Detail)
	}
	var n [4]int64
	for i := range n {
		n[i], _ = strconv.ParseInt(m[i+1], 10, 64)
	}
	return n
}

// sameFigures reports whether two readings show the same figures.
func sameFigures(a, b kpiScreen) bool {
	x, _ := json.Marshal(struct {
		Levels []string
		Counts [][3]int64
		Cells  map[string][]kpiCell
	}{a.Levels, a.Counts, a.Cells})
	y, _ := json.Marshal(struct {
		Levels []string
		Counts [][3]int64
		Cells  map[string][]kpiCell
	}{b.Levels, b.Counts, b.Cells})
	return string(x) == string(y) && a.NotRun == b.NotRun
}

// TestDashboardCohortsAndDownload signs in as the demo's lead clinician at
// RGT01 and opens the KPI dashboard from the header: it lands on RGT01's
// dashboard for the default cohort, where the demo's children with filled
// audits give figures. The test reads the tables, switches to the demo's
// other cohort with the cohort selector (other figures: its children's
// first year of care is not over, so few or none count) and back (the same
// figures again), then downloads the table with the page's "Excel (XLSX)"
// link and finds in the workbook exactly what the page showed: every
// level's name, every measure's counts, and the percentages as numbers.
func TestDashboardCohortsAndDownload(t *testing.T) { eachEngine(t, testDashboardCohortsAndDownload) }

func testDashboardCohortsAndDownload(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e, "--demo-audits", strconv.Itoa(dashboardAudits))
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	for _, l := range strings.Split(srv.stdout.String(), "\n") {
		if strings.Contains(l, "filled audits") {
			t.Log(l)
		}
	}
	roles := cohort.RolesOn(ukToday())
	home, other := roles.DashboardDefault(), roles.Submitting // the demo's two cohorts (cli.demoAuditCohorts)
	if other == home {
		other = roles.Recruiting
	}
	b := startBrowser(t, ctx)

	// 1. Sign in; the header's Dashboards link leads to RGT01's dashboard,
	// the default cohort.
	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the RGT01 lead clinician", rgt01LeadEmail, cli.DemoPassword)
	if status := b.submit("open the dashboards from the header", chromedp.Click(css("header #nav-dashboards"))); status != 200 {
		t.Fatalf("dashboards: status %d at %s", status, b.where())
	}
	b.do("wait for the KPI table", chromedp.WaitVisible(css("main #kpi-table")))
	if got := b.path(); got != "/dashboards/organisations/RGT01" {
		t.Fatalf("the dashboards link led to %s, want RGT01's dashboard", got)
	}
	assertContains(t, "the heading", b.text("main h1"), "key performance indicators")
	if got := eval[string](b, `document.querySelector("main #cohort").value`); got != strconv.Itoa(int(home)) {
		t.Errorf("the cohort selector shows cohort %s, want the default %d", got, home)
	}
	first := b.kpiTable("the default cohort")
	b.checkConsole("the dashboard")
	b.screenshot("dashboard-cohort-" + strconv.Itoa(int(home)))
	if first.Cohort != home.String() || !strings.HasPrefix(first.Caption, home.String()+", ") {
		t.Errorf("the dashboard shows %q, captioned %q; want %s", first.Cohort, first.Caption, home)
	}
	if first.NotRun || len(first.Levels) < 5 || first.Levels[0] != "organisation" {
		t.Fatalf("the default cohort has no figures, or not RGT01's levels: %+v", first)
	}
	org := first.Counts[0]
	scored := 0
	for _, cells := range first.Cells {
		if cells[0].Percent != "" {
			scored++
		}
	}
	t.Logf("%s at RGT01: %d registered, %d complete, %d counted; %d of %d measures with a percentage (%s)",
		home, org[0], org[1], org[2], scored, kpi.NumMeasures, first.Updated)
	if org[2] == 0 || org[1] < org[2] || scored == 0 {
		t.Errorf("RGT01's figures for %s: %d registered, %d complete, %d counted, %d measures scored; want children counted and scored",
			home, org[0], org[1], org[2], scored)
	}

	// 2. The cohort selector: the other cohort, then back.
	choose := func(c cohort.Cohort) kpiScreen {
		t.Helper()
		step := fmt.Sprintf("show %s", c)
		b.do(step+": choose it", chromedp.SetValue(css("main #cohort"), strconv.Itoa(int(c))))
		if status := b.submit(step, chromedp.Click(css("main #cohort-submit"))); status != 200 {
			t.Fatalf("%s: status %d at %s", step, status, b.where())
		}
		b.do(step+": wait for the page", chromedp.WaitVisible(css("main #cohort-card")))
		if got, want := b.location(), fmt.Sprintf("%s/dashboards/organisations/RGT01?cohort=%d", srv.base, c); got != want {
			t.Errorf("%s: the page is %s, want %s", step, got, want)
		}
		if got := eval[string](b, `document.querySelector("main #cohort").value`); got != strconv.Itoa(int(c)) {
			t.Errorf("%s: the selector shows cohort %s", step, got)
		}
		s := b.kpiTable(step)
		if s.Cohort != c.String() || !s.NotRun && !strings.HasPrefix(s.Caption, c.String()+", ") {
			t.Errorf("%s: the page shows %q, captioned %q", step, s.Cohort, s.Caption)
		}
		b.checkConsole(step)
		b.screenshot("dashboard-cohort-" + strconv.Itoa(int(c)))
		return s
	}
	second := choose(other)
	if second.NotRun {
		assertContains(t, "the other cohort", b.text("main #not-run"), "have not been worked out yet")
	} else {
		t.Logf("%s at RGT01: %d registered, %d complete, %d counted", other, second.Counts[0][0], second.Counts[0][1], second.Counts[0][2])
		if sameFigures(first, second) {
			t.Errorf("%s shows the same figures as %s", other, home)
		}
		if second.Counts[0][2] >= org[2] {
			t.Errorf("%s counts %d children at RGT01, %s %d: its children's first year of care is mostly not over",
				other, second.Counts[0][2], home, org[2])
		}
	}
	again := choose(home)
	if !sameFigures(first, again) {
		t.Errorf("back on %s, the figures differ from the first time:\n%+v\n%+v", home, first, again)
	}

	// 3. The page's Excel (XLSX) link: the download holds what the page shows.
	link := fmt.Sprintf("/dashboards/download?organisation=RGT01&cohort=%d&format=xlsx", home)
	if got := eval[string](b, `document.querySelector("main #download-xlsx").getAttribute("href")`); got != link {
		t.Errorf("the Excel link is %s, want %s", got, link)
	}
	assertContains(t, "the download link", b.text("main #download-xlsx"), "Excel (XLSX)")
	name, path := b.download("click Excel (XLSX)", "main #download-xlsx")
	if !regexp.MustCompile(fmt.Sprintf(`^kpis-cohort-%d-RGT01-[0-9]{4}-[0-9]{2}-[0-9]{2}\.xlsx$`, home)).MatchString(name) {
		t.Errorf("the download is named %q", name)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the downloaded file: %v", err)
	}
	if b.path() != "/dashboards/organisations/RGT01" {
		t.Errorf("the download left the page for %s", b.location())
	}
	checkWorkbook(t, path, home, again)
	b.checkConsole("the dashboard after the download")
	srv.checkLogs()
	t.Logf("the test took %s", time.Since(started).Round(time.Millisecond))
}

// checkWorkbook opens the downloaded workbook and compares it with the
// page: one row per level and measure, in the page's order; the level's
// name; the four counts, as numbers; the percentage, as a number formatted
// as a percentage, equal to the page's, and no cell where the page says
// nobody is eligible.
func checkWorkbook(t *testing.T, path string, c cohort.Cohort, s kpiScreen) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("opening the download with excelize: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != export.KPISheet {
		t.Errorf("the workbook's sheets are %q, want [%s]", got, export.KPISheet)
	}
	rows, err := f.GetRows(export.KPISheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(export.KPIColumns, ",") {
		t.Fatalf("the workbook's header is %q", rows)
	}
	measures := kpi.Measures()
	if want := 1 + len(s.Levels)*len(measures); len(rows) != want {
		t.Fatalf("the workbook has %d rows, want %d (a header, then %d levels × %d measures)", len(rows), want, len(s.Levels), len(measures))
	}
	col := map[string]int{}
	for i, name := range export.KPIColumns {
		col[name] = i
	}
	get := func(row []string, name string) string {
		if i := col[name]; i < len(row) {
			return row[i]
		}
		return ""
	}
	percentages := 0
	for i, row := range rows[1:] {
		level, info := s.Levels[i/len(measures)], measures[i%len(measures)]
		li := i / len(measures)
		where := fmt.Sprintf("workbook row %d (%s, %s)", i+2, level, info.ID)
		if get(row, "level") != level || get(row, "measure_id") != info.ID || get(row, "measure_number") != info.Number {
			t.Errorf("%s is %s, %s, %s", where, get(row, "level"), get(row, "measure_id"), get(row, "measure_number"))
			continue
		}
		if got := get(row, "entity_name"); got != s.Names[li] {
			t.Errorf("%s names %q, the page %q", where, got, s.Names[li])
		}
		if got := get(row, "cohort"); got != strconv.Itoa(int(c)) {
			t.Errorf("%s: cohort %s", where, got)
		}
		cell := s.Cells[info.ID][li]
		n := cellCounts(t, cell)
		var counts [4]int64
		for j, name := range []string{"passed", "total_eligible", "ineligible", "incomplete"} {
			counts[j], _ = strconv.ParseInt(get(row, name), 10, 64)
		}
		if want := (aggregate.Counts{Passed: counts[0], TotalEligible: counts[1], Ineligible: counts[2], Incomplete: counts[3]}).Shown(); cell.Text != want {
			t.Errorf("%s: the page shows %q, the workbook's counts %q", where, cell.Text, want)
		}
		for j, name := range []string{"passed", "total_eligible", "ineligible", "incomplete"} {
			if got := get(row, name); got != strconv.FormatInt(n[j], 10) {
				t.Errorf("%s: %s %s, the page %d (%s)", where, name, got, n[j], cell.Detail)
			}
			ref, _ := excelize.CoordinatesToCellName(col[name]+1, i+2)
			if typ, _ := f.GetCellType(export.KPISheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s: %s (%s) is not a number (type %v)", where, name, ref, typ)
			}
		}
		ref, _ := excelize.CoordinatesToCellName(col["percentage"]+1, i+2)
		raw := get(row, "percentage")
		if cell.Percent == "" {
			if raw != "" {
				t.Errorf("%s: percentage %q where the page says %q", where, raw, cell.Text)
			}
			continue
		}
		percentages++
		frac, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Errorf("%s: percentage %q is not a number (the page: %s)", where, raw, cell.Text)
			continue
		}
		shown, _ := strconv.ParseFloat(cell.Percent, 64)
		if math.Abs(frac*100-shown) > 0.00005+1e-9 {
			t.Errorf("%s: percentage %s, the page %s (data-percent %s)", where, raw, cell.Text, cell.Percent)
		}
		if typ, _ := f.GetCellType(export.KPISheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s: the percentage (%s) is not a number (type %v)", where, ref, typ)
		}
		if id, err := f.GetCellStyle(export.KPISheet, ref); err != nil {
			t.Error(err)
		} else if st, err := f.GetStyle(id); err != nil || st.NumFmt != 10 {
			t.Errorf("%s: the percentage's style is %+v (%v), want the percent format 0.00%%", where, st, err)
		}
		if shownText, _ := f.GetCellValue(export.KPISheet, ref); !strings.HasSuffix(shownText, "%") {
			t.Errorf("%s: the percentage shows as %q in a spreadsheet", where, shownText)
		}
	}
	if percentages == 0 {
		t.Error("no percentage in the workbook")
	}
	// computed_at: the run the page showed, or one after it (the figures
	// are worked out again in the background, and stay the same).
	ref, _ := excelize.CoordinatesToCellName(col["computed_at"]+1, 2)
	v, _ := f.GetCellValue(export.KPISheet, ref)
	at, err := time.Parse("2006-01-02 15:04:05", v)
	shown, err2 := time.ParseInLocation("2 January 2006 at 15:04", s.Updated, london)
	if err != nil || err2 != nil || at.Before(shown) {
		t.Errorf("the workbook's computed_at is %q (%v), the page's figures are of %q (%v)", v, err, s.Updated, err2)
	}
	t.Logf("the workbook's %d rows match the page (%d percentages)", len(rows)-1, percentages)
}

func ptr[T any](v T) *T { return &v }

// download clicks the link sel and waits for the file it downloads,
// returning the name the server suggested and where it was saved.
func (b *browser) download(step, sel string) (name, path string) {
	b.t.Helper()
	if b.downloads == nil {
		b.downloads, b.downloadDir = make(chan any, 16), b.t.TempDir()
		if err := chromedp.Listen(b.ctx, func(ev any) {
			switch ev.(type) {
			case *cdpbrowser.EventDownloadWillBegin, *cdpbrowser.EventDownloadProgress:
				select {
				case b.downloads <- ev:
				default:
				}
			}
		}); err != nil {
			b.t.Fatal(err)
		}
		b.do("allow downloads into a temporary directory", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: b.downloadDir, EventsEnabled: ptr(true)})
			return err
		}))
	}
	b.do(step, chromedp.Click(chromedp.CSS(sel)))
	wait := time.After(stepTimeout)
	for path == "" {
		select {
		case ev := <-b.downloads:
			switch ev := ev.(type) {
			case *cdpbrowser.EventDownloadWillBegin:
				name = ev.SuggestedFilename
			case *cdpbrowser.EventDownloadProgress:
				switch ev.State {
				case cdpbrowser.DownloadProgressStateCompleted:
					path = filepath.Join(b.downloadDir, ev.GUID)
				case cdpbrowser.DownloadProgressStateCanceled:
					b.t.Fatalf("%s: the download was cancelled (page: %s)", step, b.where())
				}
			}
		case <-wait:
			b.t.Fatalf("%s: the download did not complete within %s (page: %s)", step, stepTimeout, b.where())
		}
	}
	return name, path
}
