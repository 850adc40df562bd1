package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/cohort"
	"clinaudit/app/export"
	"clinaudit/app/kpi"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The KPI downloads: who may download which level or organisation, the
// files, and a clear 4xx for every bad parameter.
func TestKPIDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := publishtest.Cohort()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		makeStaff(t, s, a, "view@e12.example", access.NationalView, "")
		publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: 1})
		clin := signIn(t, newBrowser(t, app), "clin@rgt.example")
		national := signIn(t, newBrowser(t, app), "view@e12.example")
		q := func(params string) string { return fmt.Sprintf("/dashboards/download?cohort=%d&%s", c, params) }

		if p := clin.get(q("level=national&format=csv")); p.status != 404 || !strings.Contains(p.doc.Find("main").Text(), "has no figures yet") {
			t.Errorf("before any run: %d %s", p.status, p.doc.Find("main").Text())
		}
		if _, err := aggregate.Run(ctx, s, c); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			path   string
			status int
			says   string
		}{
			{q("level=icb&format=pdf"), 400, "format=csv or format=xlsx"},
			{q("level=icb"), 400, "format=csv or format=xlsx"},
			{"/dashboards/download?level=icb&format=csv&cohort=abc", 400, "cohort"},
			{"/dashboards/download?level=icb&format=csv", 400, "cohort"},
			{q("level=planet&format=csv"), 400, "The level in the address is not one of the levels"},
			{q("format=csv"), 400, "Say what to download"},
			{q("organisation=NOPE1&format=csv"), 404, "There is no organisation with that ODS code"},
			{q("organisation=RM332&format=csv"), 404, "There is no organisation with that ODS code"}, // another trust's
			{q("organisation=RGT01&level=local_health_board&format=csv"), 404, "no figures at the Local Health Board level"},
			{q("level=organisation&format=csv"), 403, ""},
			{q("level=trust&format=xlsx"), 403, ""},
			{q("level=local_health_board&format=csv"), 403, ""},
		} {
			p := clin.get(tt.path)
			if p.status != tt.status || !strings.Contains(p.doc.Find("main").Text(), tt.says) {
				t.Errorf("%s: %d, want %d saying %q: %s", tt.path, p.status, tt.status, tt.says, p.doc.Find("main").Text())
			}
		}
		day := time.Now().UTC().Format("2006-01-02")
		for _, tt := range []struct {
			b        *browser
			params   string
			rows     int // data rows
			filename string
		}{
			{clin, "level=national&format=csv", kpi.NumMeasures, fmt.Sprintf("kpis-cohort-%d-national-%s.csv", c, day)},
			{clin, "organisation=RGT01&format=csv", 7 * kpi.NumMeasures, fmt.Sprintf("kpis-cohort-%d-RGT01-%s.csv", c, day)},
			{clin, "organisation=rgt01&level=trust&format=csv", kpi.NumMeasures, fmt.Sprintf("kpis-cohort-%d-RGT01-trust-%s.csv", c, day)},
			{national, "level=organisation&format=csv", 342 * kpi.NumMeasures, fmt.Sprintf("kpis-cohort-%d-organisation-%s.csv", c, day)},
			{national, "organisation=RM332&format=csv", 7 * kpi.NumMeasures, ""},
		} {
			p := tt.b.get(q(tt.params))
			if p.status != 200 || p.header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Errorf("%s: %d %s", tt.params, p.status, p.header.Get("Content-Type"))
				continue
			}
			if tt.filename != "" && p.header.Get("Content-Disposition") != `attachment; filename="`+tt.filename+`"` {
				t.Errorf("%s: Content-Disposition %q", tt.params, p.header.Get("Content-Disposition"))
			}
			rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
			if err != nil || len(rows)-1 != tt.rows {
				t.Errorf("%s: %d rows, want %d (%v)", tt.params, len(rows)-1, tt.rows, err)
			}
		}
		p := clin.get(q("level=icb&format=xlsx"))
		if p.status != 200 || p.header.Get("Content-Type") != xlsxType || !strings.HasSuffix(p.header.Get("Content-Disposition"), `.xlsx"`) {
			t.Fatalf("XLSX: %d %s %s", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if rows, err := f.GetRows(export.KPISheet); err != nil || len(rows) < 2 || rows[1][0] != "icb" {
			t.Errorf("XLSX rows: %v", err)
		}
		checkE12Workbook(t, clin, national, q)
		if p := newBrowser(t, app).get(q("level=national&format=csv")); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/sign-in") {
			t.Errorf("signed out: %d %s", p.status, p.header.Get("Location"))
		}
	})
}

// matrixFigures gives the access matrix a run of cohort c to download
// and publish.
func matrixFigures(t *testing.T, s store.Store, c cohort.Cohort) {
	t.Helper()
	if _, err := aggregate.Run(context.Background(), s, c); err != nil {
		t.Fatal(err)
	}
}

// checkE12Workbook: Epilepsy12's layout is the national team's (every
// trust side by side) and a workbook only; its sheets are Epilepsy12's,
// and its figures the run's: RGT01's one child passed ECG.
func checkE12Workbook(t *testing.T, clin, national *browser, q func(string) string) {
	t.Helper()
	if p := clin.get(q("layout=epilepsy12&format=xlsx")); p.status != 403 {
		t.Errorf("a clinician asking for the Epilepsy12 workbook: %d", p.status)
	}
	if p := national.get(q("layout=epilepsy12&format=csv")); p.status != 400 || !strings.Contains(p.doc.Find("main").Text(), "format=xlsx") {
		t.Errorf("the Epilepsy12 layout as CSV: %d", p.status)
	}
	p := national.get(q("layout=epilepsy12&format=xlsx"))
	if p.status != 200 || p.header.Get("Content-Type") != xlsxType || !strings.Contains(p.header.Get("Content-Disposition"), `filename="kpi-export-cohort-`) {
		t.Fatalf("the Epilepsy12 workbook: %d %s %s", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), export.E12Sheets(); !slices.Equal(got, want) {
		t.Errorf("sheets %q; want %q", got, want)
	}
	rows, err := f.GetRows("HBT_level", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "HBT,Measure,Percentage,Numerator,Denominator" {
		t.Errorf("HBT_level header %v", rows[0])
	}
	var ecg []string
	for _, r := range rows {
		if r[0] == "RGT" && r[1] == "4. ECG" {
			ecg = r
		}
	}
	if len(ecg) != 5 || ecg[2] != "1" || ecg[3] != "1" || ecg[4] != "1" {
		t.Errorf("RGT's ECG row %v; want 100%% (1 of 1)", ecg)
	}
	if n := len(rows) - 1; n%12 != 0 || n == 0 {
		t.Errorf("HBT_level has %d rows: not the 12 headline measures per trust", n)
	}
	totals, err := f.GetRows("Registered vs Total - Trust")
	if err != nil || len(totals) < 2 || strings.Join(totals[0], ",") != "Name,All Registered Cases,All Cases,Percentage" {
		t.Errorf("totals sheet %v %v", totals, err)
	}
	ref, err := f.GetRows("Reference")
	if err != nil || len(ref) < 100 || strings.Join(ref[0], ",") != "HBT,HBT_name,Network,Country,UK,NHSregion,ICB" {
		t.Errorf("Reference: %d rows, %v", len(ref), err)
	}
}
