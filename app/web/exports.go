package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/export"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Record exports (docs/exports.md): who may (access.ExportRecords) asks
// for the children's audit records of their reach, identifiable or
// de-identified; a background job writes the file; the list shows where
// each export stands, refreshing itself while one is being written, and
// its owner downloads it until it expires.

type exportForm struct {
	Format, Kind, Org, Cohort string
}

type exportView struct {
	ID                         int64
	What, Requested, Expires   string
	Status, Tag, Error, Detail string
	Ready, Running             bool
}

type exportsPage struct {
	page
	Form     exportForm
	Errors   fieldErrs
	Orgs     []store.OrganisationChoice
	Cohorts  []int64
	National bool
	Exports  []exportView
	Running  bool
	Notice   string
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func exportViewOf(x store.RecordExport) exportView {
	kind := "Identifiable"
	if x.Deidentified {
		kind = "De-identified"
	}
	where := "all organisations you can reach"
	if x.OrganisationName != "" {
		where = x.OrganisationName + " (" + x.OrganisationOds + ")"
	}
	which := "all cohorts"
	if x.Cohort != 0 {
		which = "cohort " + strconv.FormatInt(x.Cohort, 10)
	}
	v := exportView{ID: x.ID, What: fmt.Sprintf("%s %s: %s, %s", kind, strings.ToUpper(x.Format), where, which),
		Requested: x.RequestedAt.In(londonTime).Format("2 Jan 2006 15:04"), Expires: x.ExpiresAt.In(londonTime).Format("2 Jan 2006 15:04"), Error: x.Error}
	switch x.Status {
	case "ready":
		v.Status, v.Tag, v.Ready = "Ready", "nhsuk-tag--green", true
		v.Detail = fmt.Sprintf("%d children, %s", x.Children, sizeText(x.Size))
	case "failed":
		v.Status, v.Tag = "Failed", "nhsuk-tag--red"
	case "running":
		v.Status, v.Tag, v.Running = "Being written", "nhsuk-tag--blue", true
	default:
		v.Status, v.Tag, v.Running = "Waiting to start", "nhsuk-tag--grey", true
	}
	return v
}

// exportsData fills the page: the form's choices and the user's exports.
func (s *server) exportsData(c *fiber.Ctx, f exportForm) (exportsPage, error) {
	ctx := c.UserContext()
	a := actor(c)
	data := exportsPage{page: s.page(c, "Export records", "exports"), Form: f, National: a.National()}
	rows, err := s.Store.ListRecordExports(ctx, store.ListRecordExportsParams{UserID: signedIn(c).User.ID, MaxRows: 20})
	if err != nil {
		return data, err
	}
	for _, x := range rows {
		v := exportViewOf(x)
		if v.Ready {
			// Say so rather than offer a link that answers 404.
			ok, err := export.InReach(ctx, s.Store, actor(c), x)
			if err != nil {
				return data, err
			}
			if !ok {
				v.Ready, v.Status, v.Tag = false, "Not available", "nhsuk-tag--grey"
				v.Error = "Your access has changed since this export was written, so it cannot be downloaded. Ask for a new one."
			}
		}
		data.Running = data.Running || v.Running
		data.Exports = append(data.Exports, v)
	}
	if isHTMX(c) {
		return data, nil
	}
	if data.Orgs, err = s.Staff.OrganisationsInScope(ctx, a); err != nil {
		return data, err
	}
	for _, n := range s.children().CohortChoices() {
		data.Cohorts = append(data.Cohorts, int64(n))
	}
	return data, nil
}

func (s *server) handleExportList(c *fiber.Ctx) error {
	data, err := s.exportsData(c, exportForm{Format: export.CSV, Kind: "deidentified"})
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return renderPartial(c, "partials/export_list", data)
	}
	if c.Query("asked") != "" {
		data.Notice = "Your export is being prepared. This page shows when it is ready to download."
	}
	return renderPage(c, "pages/exports", data)
}

func (s *server) handleExportCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := exportForm{Format: c.FormValue("format"), Kind: c.FormValue("kind"), Org: strings.ToUpper(strings.TrimSpace(c.FormValue("organisation"))),
		Cohort: strings.TrimSpace(c.FormValue("cohort"))}
	req := export.Request{Format: f.Format, Deidentified: f.Kind == "deidentified"}
	var errs fieldErrs
	if f.Format != export.CSV && f.Format != export.JSONL {
		errs = append(errs, fieldErr{Field: "format", Message: "Choose a file format"})
	}
	if f.Kind != "deidentified" && f.Kind != "identifiable" {
		errs = append(errs, fieldErr{Field: "kind", Message: "Choose whether the file may identify the children"})
	}
	if f.Org != "" {
		o, err := s.Store.GetOrganisationByODS(ctx, f.Org)
		switch {
		case errors.Is(err, store.ErrNotFound) || (err == nil && !actor(c).InScope(access.PlaceOfOrganisation(o))):
			errs = append(errs, fieldErr{Field: "organisation", Message: "Choose an organisation from the list"})
		case err != nil:
			return err
		default:
			req.Organisation = &o
		}
	}
	if f.Cohort != "" {
		n, err := cohort.Parse(f.Cohort)
		if err != nil {
			errs = append(errs, fieldErr{Field: "cohort", Message: "Choose a cohort from the list"})
		}
		req.Cohort = int64(n)
	}
	status := fiber.StatusUnprocessableEntity
	if len(errs) == 0 {
		id, err := export.Ask(ctx, s.Store, me(c), req, s.Now())
		switch {
		case err == nil:
			s.log(c).Info("record export asked for", "export", id, "format", req.Format, "deidentified", req.Deidentified)
			return c.Redirect("/exports?asked="+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
		case errors.Is(err, export.ErrTooMany):
			status = fiber.StatusTooManyRequests
			errs = append(errs, fieldErr{Field: "format", Message: fmt.Sprintf("You have %d exports being prepared: wait for one to finish before asking for another", export.MaxUnfinished)})
		default:
			return fmt.Errorf("asking for a record export: %w", err)
		}
	}
	data, err := s.exportsData(c, f)
	if err != nil {
		return err
	}
	data.Errors = errs
	c.Status(status)
	return renderPage(c, "pages/exports", data)
}

func (s *server) handleExportDownload(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	x, r, err := export.Open(c.UserContext(), s.Store, me(c), id, s.Now())
	if err != nil {
		return err
	}
	s.log(c).Info("record export downloaded", "export", x.ID)
	c.Set(fiber.HeaderContentType, export.ContentType(x.Format))
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+export.Filename(x)+`"`)
	c.Set(fiber.HeaderVary, "Accept-Encoding")
	// Stored gzip-compressed: sent as it is to a client that takes gzip
	// (every browser), uncompressed on the way to one that does not.
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.SendStream(r)
	}
	plain, err := export.Gunzip(r)
	if err != nil {
		return err
	}
	return c.SendStream(plain)
}
