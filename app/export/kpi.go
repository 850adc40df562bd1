// Package export writes clinaudit's downloads: the KPI tables of the
// dashboards as CSV and XLSX (this file and xlsx.go), and children's
// audit records, identifiable or de-identified, as JSON lines or CSV,
// written by a background job into the database for their owner to
// download (records.go, job.go). docs/exports.md is the written spec of
// every column.
package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// KPIColumns are the columns of a KPI download, in order (docs/exports.md).
var KPIColumns = []string{"level", "entity_key", "entity_name", "measure_id", "measure_number", "measure_title",
	"passed", "total_eligible", "ineligible", "incomplete", "percentage", "cohort", "computed_at"}

// KPIRow is one line of a KPI download: one entity's counts for one
// measure.
type KPIRow struct {
	Level   aggregate.Level
	Key     string
	Name    string
	Measure kpi.Measure
	aggregate.Counts
}

// Fraction is passed ÷ total eligible, from 0 to 1; ok is false when
// nobody is eligible (the percentage column is then empty).
func (r KPIRow) Fraction() (f float64, ok bool) {
	if r.TotalEligible == 0 {
		return 0, false
	}
	return float64(r.Passed) / float64(r.TotalEligible), true
}

// KPITable is a KPI download: the rows of one cohort's current run.
type KPITable struct {
	Cohort     cohort.Cohort
	ComputedAt time.Time
	// Subject names what the table covers in its file name: a level
	// ("icb") or an organisation's ODS code.
	Subject string
	Rows    []KPIRow
}

// KPIForLevel is every entity of level l, every measure, in cohort c's
// current run (aggregate.ErrNotRun when there is none): entities by name,
// measures in the spec's order.
func KPIForLevel(ctx context.Context, q store.Queries, c cohort.Cohort, l aggregate.Level) (KPITable, error) {
	run, err := aggregate.Current(ctx, q, c)
	if err != nil {
		return KPITable{}, err
	}
	rows, err := q.ListKPIAggregatesOfLevel(ctx, store.ListKPIAggregatesOfLevelParams{RunID: run.ID, Level: string(l)})
	if err != nil {
		return KPITable{}, err
	}
	t := KPITable{Cohort: c, ComputedAt: run.ComputedAt, Subject: string(l), Rows: make([]KPIRow, 0, len(rows))}
	for _, r := range rows {
		m, ok := kpi.MeasureByID(r.Measure)
		if !ok {
			return KPITable{}, fmt.Errorf("export: unknown measure %q", r.Measure)
		}
		t.Rows = append(t.Rows, KPIRow{Level: l, Key: r.Entity, Name: r.Name, Measure: m,
			Counts: aggregate.Counts{Passed: r.Passed, TotalEligible: r.TotalEligible, Ineligible: r.Ineligible, Incomplete: r.Incomplete}})
	}
	return t, nil
}

// KPIForOrganisation is organisation o's table across the levels that
// apply to it (only level only, when not empty), every measure, in cohort
// c's current run: the organisation dashboard's table.
func KPIForOrganisation(ctx context.Context, q store.Queries, c cohort.Cohort, o store.Organisation, only aggregate.Level) (KPITable, error) {
	rep, err := aggregate.ForOrganisation(ctx, q, c, o.ID)
	if err != nil {
		return KPITable{}, err
	}
	t := KPITable{Cohort: c, ComputedAt: rep.Run.ComputedAt, Subject: o.ODSCode}
	if only != "" {
		t.Subject += "-" + string(only)
	}
	for _, f := range rep.Levels {
		if only != "" && f.Level != only {
			continue
		}
		for m := range kpi.NumMeasures {
			t.Rows = append(t.Rows, KPIRow{Level: f.Level, Key: f.Key, Name: f.Name, Measure: kpi.Measure(m), Counts: f.Measures[m]})
		}
	}
	return t, nil
}

// Filename is the download's file name: kpis-cohort-8-icb-2026-12-02.csv,
// the date being the UTC day the figures were computed.
func (t KPITable) Filename(format string) string {
	return fmt.Sprintf("kpis-cohort-%d-%s-%s.%s", int(t.Cohort), t.Subject, t.ComputedAt.UTC().Format("2006-01-02"), format)
}

// WriteKPICSV writes t as CSV (RFC 4180, a header line, UTF-8, CRLF line
// ends): numbers as digits, the percentage as a decimal fraction from 0
// to 1 at full precision (empty when nobody is eligible), computed_at in
// RFC 3339, UTC.
func WriteKPICSV(w io.Writer, t KPITable) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(KPIColumns); err != nil {
		return err
	}
	cohortText, computed := strconv.Itoa(int(t.Cohort)), t.ComputedAt.UTC().Format(time.RFC3339)
	for _, r := range t.Rows {
		info := r.Measure.Info()
		pct := ""
		if f, ok := r.Fraction(); ok {
			pct = strconv.FormatFloat(f, 'f', -1, 64)
		}
		rec := []string{string(r.Level), safeText(r.Key), safeText(r.Name), info.ID, info.Number, safeText(info.Title),
			itoa(r.Passed), itoa(r.TotalEligible), itoa(r.Ineligible), itoa(r.Incomplete), pct, cohortText, computed}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// safeText keeps a spreadsheet from reading text as a formula (CSV
// injection): text starting with =, +, -, @, a tab or a carriage return
// gets a leading apostrophe. Numbers are written as numbers and never
// changed.
func safeText(s string) string {
	if s != "" && slices.Contains([]byte{'=', '+', '-', '@', '\t', '\r'}, s[0]) {
		return "'" + s
	}
	return s
}

// MayDownloadLevel reports whether a may download level l for every
// entity: with ViewDashboards, the levels aggregate.Comparable allows them
// (organisations, trusts and health boards only with ViewNational as well).
// One's own organisation is MayDownloadOrganisation.
func MayDownloadLevel(a access.Actor, l aggregate.Level) bool {
	return a.Can(access.ViewDashboards) && aggregate.Comparable(l, a.Can(access.ViewNational))
}

// MayDownloadOrganisation reports whether a may download the table of the
// organisation at p, across its levels: with ViewDashboards, for an
// organisation in a's scope (their trust or health board; anywhere for
// national roles).
func MayDownloadOrganisation(a access.Actor, p access.Place) bool {
	return a.Can(access.ViewDashboards) && a.InScope(p)
}
