package web

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/export"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The KPI downloads (docs/exports.md): a level's table, every entity ×
// measure, or one organisation's table across its levels, of a cohort's
// current figures, as CSV or XLSX. Who may download what is
// export.MayDownloadLevel and export.MayDownloadOrganisation.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *server) handleKPIDownload(c *fiber.Ctx) error {
	ctx := c.UserContext()
	a := actor(c)
	format := c.Query("format")
	if format != "csv" && format != "xlsx" {
		return apperr.New(apperr.Invalid, "Say which format to download: format=csv or format=xlsx.")
	}
	n, err := cohort.Parse(c.Query("cohort"))
	if err != nil {
		return apperr.New(apperr.Invalid, "Say which cohort to download as a number, such as cohort=8.")
	}
	if c.Query("layout") == "epilepsy12" {
		return s.sendE12Workbook(c, a, format, n)
	}
	var level aggregate.Level
	if q := c.Query("level"); q != "" {
		if level, err = aggregate.ParseLevel(q); err != nil {
			return apperr.New(apperr.Invalid, msgBadLevel())
		}
	}
	var table export.KPITable
	switch ods := strings.ToUpper(strings.TrimSpace(c.Query("organisation"))); {
	case ods != "":
		var o store.Organisation
		o, err = s.Store.GetOrganisationByODS(ctx, ods)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !export.MayDownloadOrganisation(a, access.PlaceOfOrganisation(o))) {
			return apperr.New(apperr.NotFound, "There is no organisation with that ODS code whose figures you may download.")
		}
		if err != nil {
			return err
		}
		if table, err = export.KPIForOrganisation(ctx, s.Store, n, o, level); err == nil && len(table.Rows) == 0 {
			return apperr.New(apperr.NotFound, o.Name+" has no figures at the "+level.Label()+" level.")
		}
	case level == "":
		return apperr.New(apperr.Invalid, "Say what to download: a level (level=icb) or an organisation (organisation=ODS code).")
	case !export.MayDownloadLevel(a, level):
		return apperr.ErrForbidden
	default:
		table, err = export.KPIForLevel(ctx, s.Store, n, level)
	}
	if errors.Is(err, aggregate.ErrNotRun) {
		return apperr.New(apperr.NotFound, "Cohort "+strconv.Itoa(int(n))+" has no figures yet: they are worked out in the background every few minutes.")
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if format == "csv" {
		err = export.WriteKPICSV(&b, table)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		err = export.WriteKPIXLSX(&b, table)
		c.Set(fiber.HeaderContentType, xlsxType)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+table.Filename(format)+`"`)
	return c.Send(b.Bytes())
}

// sendE12Workbook is layout=epilepsy12: the whole cohort in Epilepsy12's
// multi-sheet workbook, every trust and health board side by side, so for
// the national team.
func (s *server) sendE12Workbook(c *fiber.Ctx, a access.Actor, format string, n cohort.Cohort) error {
	if format != "xlsx" {
		return apperr.New(apperr.Invalid, "The Epilepsy12 layout is a workbook: format=xlsx.")
	}
	if !a.Can(access.ViewNational) {
		return apperr.ErrForbidden
	}
	wb, err := export.ReadE12Workbook(c.UserContext(), s.Store, n)
	if errors.Is(err, aggregate.ErrNotRun) {
		return apperr.New(apperr.NotFound, "Cohort "+strconv.Itoa(int(n))+" has no figures yet: they are worked out in the background every few minutes.")
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := export.WriteE12XLSX(&b, wb); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+wb.Filename()+`"`)
	return c.Send(b.Bytes())
}
