package export

import (
	"context"
	"io"
	"math"
	"slices"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"

	"github.com/xuri/excelize/v2"
)

// Epilepsy12's KPI workbook (spec §10.4), an extra download for the
// national team whose analyses read that layout (docs/exports.md): a
// sheet per level of the 12 headline measures, the Reference sheet of
// trusts and health boards, and a "Registered vs Total" sheet per level.
// Two things differ on purpose: the cohort is the one asked for (Epilepsy12
// hard-codes 6), and a percentage with nobody eligible is an empty cell
// (Epilepsy12 writes 0, which reads as "all failed").

// e12Level is one level sheet: its name, the levels it holds and the
// header of its first column.
type e12Level struct {
	Sheet, Column string
	Levels        []aggregate.Level
}

var e12Levels = []e12Level{
	{"Country_level", "Country", []aggregate.Level{aggregate.Country}},
	{"HBT_level", "HBT", []aggregate.Level{aggregate.Trust, aggregate.LocalHealthBoard}},
	{"ICB_level", "ICB", []aggregate.Level{aggregate.ICB}},
	{"NHSregion_level", "NHSregion", []aggregate.Level{aggregate.NHSEnglandRegion}},
	{"Network_level", "Network", []aggregate.Level{aggregate.OpenUKNetwork}},
	{"National_level", "National", []aggregate.Level{aggregate.National}},
}

// e12Totals are the "Registered vs Total" sheets, in Epilepsy12's order.
var e12Totals = []struct {
	Sheet string
	Level aggregate.Level
}{
	{"Registered vs Total - Trust", aggregate.Trust},
	{"Registered vs Total - LHB", aggregate.LocalHealthBoard},
	{"Registered vs Total - ICB", aggregate.ICB},
	{"Registered vs Total - NHSregion", aggregate.NHSEnglandRegion},
	{"Registered vs Total - Network", aggregate.OpenUKNetwork},
	{"Registered vs Total - Country", aggregate.Country},
}

// E12Sheets lists the workbook's sheets in order.
func E12Sheets() []string {
	var out []string
	for _, l := range e12Levels {
		out = append(out, l.Sheet)
	}
	out = append(out, "Reference")
	for _, t := range e12Totals {
		out = append(out, t.Sheet)
	}
	return out
}

// E12Workbook is the workbook's content: every level's figures of cohort
// c's current run (aggregate.ErrNotRun when there is none) and the
// organisations for the Reference sheet.
type E12Workbook struct {
	Cohort        cohort.Cohort
	ComputedAt    time.Time
	Figures       map[aggregate.Level][]aggregate.Figures
	Organisations []store.Organisation
}

// ReadE12Workbook reads what WriteE12XLSX writes.
func ReadE12Workbook(ctx context.Context, q store.Queries, c cohort.Cohort) (E12Workbook, error) {
	run, err := aggregate.Current(ctx, q, c)
	if err != nil {
		return E12Workbook{}, err
	}
	wb := E12Workbook{Cohort: c, ComputedAt: run.ComputedAt, Figures: map[aggregate.Level][]aggregate.Figures{}}
	for _, l := range aggregate.Levels() {
		rows, err := q.ListKPIAggregatesOfLevel(ctx, store.ListKPIAggregatesOfLevelParams{RunID: run.ID, Level: string(l)})
		if err != nil {
			return E12Workbook{}, err
		}
		if wb.Figures[l], err = aggregate.GroupFigures(rows); err != nil {
			return E12Workbook{}, err
		}
	}
	wb.Organisations, err = q.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", PageLimit: math.MaxInt32})
	return wb, err
}

// Filename is the download's name: kpi-export-cohort-8-2026-12-02.xlsx.
func (wb E12Workbook) Filename() string {
	return "kpi-export-cohort-" + itoa(int64(wb.Cohort)) + "-" + wb.ComputedAt.UTC().Format("2006-01-02") + ".xlsx"
}

// WriteE12XLSX writes wb in Epilepsy12's layout. Level sheets: the
// entity's key, the measure as "4. ECG", the percentage (a fraction,
// formatted as a percentage; empty with nobody eligible), numerator
// (passed) and denominator (eligible), for the 12 headline measures.
// Totals sheets: Name, "All Registered Cases" (complete audits, as
// Epilepsy12 fills that column), "All Cases" (registered) and the
// percentage complete to 1 decimal place.
func WriteE12XLSX(w io.Writer, wb E12Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10})
	if err != nil {
		return err
	}
	sheet := func(name string, cols []string, rows [][]any) error {
		if name == e12Levels[0].Sheet {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		head := make([]any, len(cols))
		for i, c := range cols {
			head[i] = excelize.Cell{StyleID: header, Value: c}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, r); err != nil {
				return err
			}
		}
		return sw.Flush()
	}
	var headline []kpi.MeasureInfo
	for _, m := range kpi.Measures() {
		if m.Headline {
			headline = append(headline, m)
		}
	}
	for _, l := range e12Levels {
		var rows [][]any
		for _, level := range l.Levels {
			for _, fig := range wb.Figures[level] {
				for _, m := range headline {
					c := fig.Measure(m.Measure)
					var pct any
					if c.TotalEligible > 0 {
						pct = excelize.Cell{StyleID: percent, Value: Excel15(float64(c.Passed) / float64(c.TotalEligible))}
					}
					rows = append(rows, []any{fig.Key, m.Number + ". " + m.Title, pct, c.Passed, c.TotalEligible})
				}
			}
		}
		if err := sheet(l.Sheet, []string{l.Column, "Measure", "Percentage", "Numerator", "Denominator"}, rows); err != nil {
			return err
		}
	}
	if err := sheet("Reference", []string{"HBT", "HBT_name", "Network", "Country", "UK", "NHSregion", "ICB"}, referenceRows(wb.Organisations)); err != nil {
		return err
	}
	for _, t := range e12Totals {
		var rows [][]any
		for _, fig := range wb.Figures[t.Level] {
			var pct any
			if fig.Registered > 0 {
				pct = math.Round(1000*float64(fig.Complete)/float64(fig.Registered)) / 10
			}
			rows = append(rows, []any{fig.Name, fig.Complete, fig.Registered, pct})
		}
		if err := sheet(t.Sheet, []string{"Name", "All Registered Cases", "All Cases", "Percentage"}, rows); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// referenceRows are the trusts and health boards of the organisations,
// once each, by code, with their network, country, region and ICB.
func referenceRows(orgs []store.Organisation) [][]any {
	seen := map[string]bool{}
	var rows [][]any
	for _, o := range orgs {
		code, name := deref(o.TrustODSCode), o.TrustName
		if code == "" {
			code, name = deref(o.LocalHealthBoardODSCode), o.HealthBoardName
		}
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		rows = append(rows, []any{code, name, o.NetworkName, o.CountryName, "United Kingdom", o.RegionName, o.ICBName})
	}
	slices.SortFunc(rows, func(a, b []any) int {
		if a[0].(string) < b[0].(string) {
			return -1
		}
		return 1
	})
	return rows
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
