package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/export"
	"clinaudit/app/kpi"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/xuri/excelize/v2"
)

func TestMayDownload(t *testing.T) {
	org := func(r access.Role) access.Actor { return access.Actor{Role: r, Organisation: 1, Trust: "RGT"} }
	own, other := access.Place{Organisation: 2, Trust: "RGT"}, access.Place{Organisation: 3, Trust: "RM3"}
	for _, tt := range []struct {
		who      access.Actor
		national bool // every organisation, trust and health board
		open     bool // every ICB, region, network, country, the nation
		own      bool // an organisation of their trust, across its levels
		other    bool // an organisation of another trust
	}{
		{access.Actor{Role: access.NationalFull}, true, true, true, true},
		{access.Actor{Role: access.NationalEdit}, true, true, true, true},
		{access.Actor{Role: access.NationalView}, true, true, true, true},
		{org(access.LeadClinician), false, true, true, false},
		{org(access.Clinician), false, true, true, false},
		{org(access.Administrator), false, true, true, false},
		{access.Actor{Role: access.Clinician, Superuser: true, Organisation: 1, Trust: "RGT"}, true, true, true, true},
		{access.Actor{}, false, false, false, false}, // signed out
	} {
		name := string(tt.who.Role)
		for _, l := range aggregate.Levels() {
			want := tt.open
			if l == aggregate.Organisation || l == aggregate.Trust || l == aggregate.LocalHealthBoard {
				want = tt.national
			}
			if got := export.MayDownloadLevel(tt.who, l); got != want {
				t.Errorf("%s, level %s: %v, want %v", name, l, got, want)
			}
		}
		if got := export.MayDownloadOrganisation(tt.who, own); got != tt.own {
			t.Errorf("%s, own trust's organisation: %v", name, got)
		}
		if got := export.MayDownloadOrganisation(tt.who, other); got != tt.other {
			t.Errorf("%s, another trust's organisation: %v", name, got)
		}
	}
}

// kpiWorld is a run over children at three English organisations (two
// trusts) and a Welsh one, with a spread of scores.
func kpiWorld(t *testing.T, s store.Store) store.KpiAggregateRun {
	t.Helper()
	for i, ods := range []string{"RGT01", "RGT01", "RGT01", "RM332", "RM335", "7A4H1", "7A4H1"} {
		scores := map[kpi.Measure]int64{}
		for m := range kpi.NumMeasures {
			if v := (i + m) % 4; v < 3 { // 3: not scored
				scores[kpi.Measure(m)] = int64(v)
			}
		}
		publishtest.Child(t, s, ods, scores)
	}
	run, err := aggregate.Run(context.Background(), s, publishtest.Cohort())
	if err != nil {
		t.Fatal(err)
	}
	return run
}

type cellKey struct{ entity, measure string }

// want reads the run's figures through aggregate.ForLevel, one measure at
// a time: another path to the same stored rows.
func want(t *testing.T, s store.Store, l aggregate.Level) map[cellKey]aggregate.EntityCounts {
	t.Helper()
	out := map[cellKey]aggregate.EntityCounts{}
	for m := range kpi.NumMeasures {
		rep, err := aggregate.ForLevel(context.Background(), s, publishtest.Cohort(), l, kpi.Measure(m))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rep.Entities {
			out[cellKey{e.Key, kpi.Measure(m).ID()}] = e
		}
	}
	return out
}

// check compares the rows of a download, header first, with the stored
// figures: every entity × measure once, the counts, the fraction.
func check(t *testing.T, what string, rows [][]string, l aggregate.Level, stored map[cellKey]aggregate.EntityCounts, run store.KpiAggregateRun, round func(float64) float64) (scored, empty int) {
	t.Helper()
	if fmt.Sprint(rows[0]) != fmt.Sprint(export.KPIColumns) {
		t.Fatalf("%s: header %v", what, rows[0])
	}
	if len(rows)-1 != len(stored) || len(stored) == 0 {
		t.Fatalf("%s: %d rows, %d stored figures", what, len(rows)-1, len(stored))
	}
	seen := map[cellKey]bool{}
	for i, r := range rows[1:] {
		k := cellKey{r[1], r[3]}
		e, ok := stored[k]
		if !ok || seen[k] {
			t.Fatalf("%s row %d: %v not stored, or twice", what, i+2, r)
		}
		seen[k] = true
		m, _ := kpi.MeasureByID(r[3])
		info := m.Info()
		wantRow := []string{string(l), e.Key, e.Name, info.ID, info.Number, info.Title,
			strconv.FormatInt(e.Passed, 10), strconv.FormatInt(e.TotalEligible, 10), strconv.FormatInt(e.Ineligible, 10), strconv.FormatInt(e.Incomplete, 10)}
		if fmt.Sprint(r[:10]) != fmt.Sprint(wantRow) {
			t.Errorf("%s row %d: %v, want %v", what, i+2, r[:10], wantRow)
		}
		if e.TotalEligible == 0 {
			empty++
			if r[10] != "" {
				t.Errorf("%s row %d: percentage %q with nobody eligible", what, i+2, r[10])
			}
		} else {
			scored++
			if f, err := strconv.ParseFloat(r[10], 64); err != nil || f != round(float64(e.Passed)/float64(e.TotalEligible)) {
				t.Errorf("%s row %d: percentage %q, want %d/%d", what, i+2, r[10], e.Passed, e.TotalEligible)
			}
		}
		if r[11] != strconv.FormatInt(run.Cohort, 10) {
			t.Errorf("%s row %d: cohort %q", what, i+2, r[11])
		}
	}
	return scored, empty
}

// The CSV and the XLSX of a level hold exactly the stored figures; the
// workbook's counts and percentages are numeric cells.
func TestKPIDownloadsHoldTheStoredFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		run := kpiWorld(t, s)
		var scored, empty int
		for _, l := range []aggregate.Level{aggregate.Organisation, aggregate.ICB, aggregate.LocalHealthBoard, aggregate.National} {
			stored := want(t, s, l)
			table, err := export.KPIForLevel(ctx, s, publishtest.Cohort(), l)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := export.WriteKPICSV(&b, table); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			n, z := check(t, string(l)+" CSV", rows, l, stored, run, func(f float64) float64 { return f })
			scored, empty = scored+n, empty+z
			if got, want := rows[1][12], run.ComputedAt.UTC().Format(time.RFC3339); got != want {
				t.Errorf("computed_at %q, want %q", got, want)
			}

			b.Reset()
			if err := export.WriteKPIXLSX(&b, table); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			xrows, err := f.GetRows(export.KPISheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for i := range xrows {
				for len(xrows[i]) < len(export.KPIColumns) {
					xrows[i] = append(xrows[i], "") // GetRows drops trailing empty cells
				}
			}
			check(t, string(l)+" XLSX", xrows, l, stored, run, export.Excel15)
			for i, r := range xrows[1:] {
				row := i + 2
				for col := 7; col <= 12; col++ { // passed … cohort
					if col == 11 && r[10] == "" {
						continue
					}
					cell, _ := excelize.CoordinatesToCellName(col, row)
					if typ, _ := f.GetCellType(export.KPISheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
						t.Fatalf("%s XLSX %s is not a number (type %v)", l, cell, typ)
					}
				}
				if r[10] != "" {
					cell, _ := excelize.CoordinatesToCellName(11, row)
					id, _ := f.GetCellStyle(export.KPISheet, cell)
					if st, err := f.GetStyle(id); err != nil || st.NumFmt != 10 {
						t.Fatalf("%s XLSX %s: style %+v, %v: want a percent format", l, cell, st, err)
					}
				}
			}
			when, _ := excelize.CoordinatesToCellName(13, 2)
			if got, _ := f.GetCellValue(export.KPISheet, when); got != run.ComputedAt.UTC().Format("2006-01-02 15:04:05") {
				t.Errorf("%s XLSX computed_at shows %q", l, got)
			}
			f.Close()
		}
		if scored == 0 || empty == 0 {
			t.Errorf("%d rows with a percentage, %d without: the test needs both", scored, empty)
		}
	})
}

// An organisation's download is its table across the levels that apply to
// it, or one of them.
func TestKPIForOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		kpiWorld(t, s)
		for _, tt := range []struct {
			ods    string
			only   aggregate.Level
			levels []aggregate.Level
		}{
			{"RGT01", "", []aggregate.Level{aggregate.Organisation, aggregate.Trust, aggregate.ICB, aggregate.NHSEnglandRegion, aggregate.OpenUKNetwork, aggregate.Country, aggregate.National}},
			{"7A4H1", "", []aggregate.Level{aggregate.Organisation, aggregate.LocalHealthBoard, aggregate.OpenUKNetwork, aggregate.Country, aggregate.National}},
			{"RGT01", aggregate.Trust, []aggregate.Level{aggregate.Trust}},
			{"7A4H1", aggregate.ICB, nil},
		} {
			o, err := s.GetOrganisationByODS(ctx, tt.ods)
			if err != nil {
				t.Fatal(err)
			}
			table, err := export.KPIForOrganisation(ctx, s, publishtest.Cohort(), o, tt.only)
			if err != nil {
				t.Fatal(err)
			}
			var levels []aggregate.Level
			for i, r := range table.Rows {
				if i%kpi.NumMeasures == 0 {
					levels = append(levels, r.Level)
				}
				if r.Measure != kpi.Measure(i%kpi.NumMeasures) {
					t.Fatalf("%s row %d: measure %s", tt.ods, i, r.Measure)
				}
			}
			if fmt.Sprint(levels) != fmt.Sprint(tt.levels) || len(table.Rows) != len(tt.levels)*kpi.NumMeasures {
				t.Errorf("%s %s: levels %v (%d rows), want %v", tt.ods, tt.only, levels, len(table.Rows), tt.levels)
			}
			if table.Rows != nil && table.Rows[0].Key != tt.ods && tt.only == "" {
				t.Errorf("%s: first row %+v", tt.ods, table.Rows[0])
			}
		}
	})
}

func TestKPIFilename(t *testing.T) {
	table := export.KPITable{Cohort: 8, Subject: "icb", ComputedAt: time.Date(2026, 12, 2, 23, 30, 0, 0, time.UTC)}
	if got := table.Filename("csv"); got != "kpis-cohort-8-icb-2026-12-02.csv" {
		t.Errorf("filename %q", got)
	}
}

func TestExcel15(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{2.0 / 3, 0.666666666666667}, {1.0 / 3, 0.333333333333333}, {0.5, 0.5}, {1, 1}, {0, 0}, {1.0 / 7, 0.142857142857143},
	} {
		if got := export.Excel15(tt.in); got != tt.want {
			t.Errorf("Excel15(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
