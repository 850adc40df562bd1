package export

import (
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Excel15 is f rounded to 15 significant digits, the precision Excel
// keeps: what a workbook's percentage cell holds (excelize would cut the
// 16th and 17th digits off, not round them).
func Excel15(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return r
}

// KPISheet is the name of the one sheet of a KPI workbook.
const KPISheet = "KPIs"

// WriteKPIXLSX writes t as an Excel workbook: one sheet, KPISheet, with
// the columns of KPIColumns. Counts and the cohort are numeric cells; the
// percentage is a numeric cell holding the fraction (0 to 1, to Excel's
// 15 significant digits) shown with a percent format, left empty when
// nobody is eligible; computed_at is a
// date-time cell, UTC.
func WriteKPIXLSX(w io.Writer, t KPITable) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", KPISheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(KPISheet)
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	dateTime := "yyyy-mm-dd hh:mm:ss"
	when, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTime})
	if err != nil {
		return err
	}
	for col, width := range []float64{18, 12, 40, 44, 10, 44, 10, 14, 11, 11, 12, 8, 20} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(KPIColumns))
	for i, name := range KPIColumns {
		row[i] = excelize.Cell{StyleID: header, Value: name}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	computed := t.ComputedAt.UTC().Truncate(time.Second)
	for i, r := range t.Rows {
		info := r.Measure.Info()
		var pct any // nil: an empty cell
		if f, ok := r.Fraction(); ok {
			pct = excelize.Cell{StyleID: percent, Value: Excel15(f)}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, []any{string(r.Level), r.Key, r.Name, info.ID, info.Number, info.Title,
			r.Passed, r.TotalEligible, r.Ineligible, r.Incomplete, pct, int(t.Cohort),
			excelize.Cell{StyleID: when, Value: computed}}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
