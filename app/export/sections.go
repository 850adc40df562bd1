package export

import (
	"encoding/csv"
	"io"
	"strconv"

	"clinaudit/app/report"

	"github.com/xuri/excelize/v2"
)

// The downloads of the registry's reports and the audit's demographics
// (docs/reporting.md): every section's rows, one line each, with what the
// page shows: the section, whose counts (group), the category, the count
// and its share.

// SectionColumns are the downloads' columns.
var SectionColumns = []string{"section", "group", "category", "count", "of", "share"}

// WriteSectionsCSV writes sections as CSV (RFC 4180, CRLF, UTF-8): the
// share as a fraction from 0 to 1, empty when the total is 0.
func WriteSectionsCSV(w io.Writer, sections []report.Section) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(SectionColumns); err != nil {
		return err
	}
	for _, s := range sections {
		for i, r := range s.Rows {
			share := ""
			if p, ok := s.Share(i); ok {
				share = strconv.FormatFloat(p/100, 'f', -1, 64)
			}
			if err := cw.Write([]string{safeText(s.Title), safeText(s.Group), safeText(r.Label), itoa(r.Count), s.Of, share}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSectionsXLSX writes sections as a workbook of one sheet, named
// sheet, with SectionColumns: counts as numbers, shares as fractions
// with a percent format (as the KPI workbook).
func WriteSectionsXLSX(w io.Writer, sheet string, sections []report.Section) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := writeSectionsSheet(f, sheet, sections); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

func writeSectionsSheet(f *excelize.File, sheet string, sections []report.Section) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10})
	if err != nil {
		return err
	}
	for col, width := range []float64{44, 40, 30, 10, 10, 10} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return err
		}
	}
	row := make([]any, len(SectionColumns))
	for i, name := range SectionColumns {
		row[i] = excelize.Cell{StyleID: header, Value: name}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	n := 2
	for _, s := range sections {
		for i, r := range s.Rows {
			var share any
			if p, ok := s.Share(i); ok {
				share = excelize.Cell{StyleID: percent, Value: Excel15(p / 100)}
			}
			cell, err := excelize.CoordinatesToCellName(1, n)
			if err != nil {
				return err
			}
			if err := sw.SetRow(cell, []any{s.Title, s.Group, r.Label, r.Count, s.Of, share}); err != nil {
				return err
			}
			n++
		}
	}
	return sw.Flush()
}
