package api

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// ListPatients is a page of the registry's patients in registry ID order;
// the cursor is the next page's number, opaque to callers.
func (a *API) ListPatients(ctx context.Context, req apigen.ListPatientsRequestObject) (apigen.ListPatientsResponseObject, error) {
	page, err := cursorPage(req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	p, err := a.deps.Registry.ListPatients(ctx, callerOf(ctx).Me.Actor, req.Registry, registry.PatientFilter{Sort: "registry_ref", Page: page})
	if err != nil {
		return nil, err
	}
	out := apigen.ListPatients200JSONResponse{Items: []apigen.Patient{}}
	if p.Filter.Page == page { // pageOfRows brings a page past the end back within
		for _, r := range p.Patients {
			out.Items = append(out.Items, listedPatient(r, p.Identified))
		}
	}
	out.NextCursor = nextCursor(page, p.Pages)
	return out, nil
}

// cursorPage is the page a cursor names; 1 for none. The cursor is the
// page's number, opaque to callers.
func cursorPage(c *string) (int, error) {
	if c == nil {
		return 1, nil
	}
	return pageOfCursor(*c)
}

// nextCursor is the cursor of the page after, or nil after the last.
func nextCursor(page, pages int) *string {
	if page >= pages {
		return nil
	}
	next := cursorOfPage(page + 1)
	return &next
}

func cursorOfPage(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p" + strconv.Itoa(n)))
}

func pageOfCursor(c string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "p"))
	if err != nil || err2 != nil || n < 1 || !strings.HasPrefix(string(b), "p") {
		p := problem(fiber.StatusBadRequest, "The cursor is not one this API gave")
		p.Errors = []FieldIssue{{Field: "cursor", Message: "Send back the next_cursor of the page before, unchanged"}}
		return 0, p
	}
	return n, nil
}

// CreatePatient registers a patient with the page's checks and duplicate
// warning (409 unless confirm).
func (a *API) CreatePatient(ctx context.Context, req apigen.CreatePatientRequestObject) (apigen.CreatePatientResponseObject, error) {
	b := req.Body
	in := registry.PatientInput{FirstName: str(b.FirstName), Surname: str(b.Surname), Sex: str(b.Sex), NHSNumber: str(b.NhsNumber),
		Postcode: str(b.Postcode), DiagnosisConfirmation: str(b.DiagnosisConfirmation), ClinicalStatus: str(b.ClinicalStatus), Notes: str(b.Notes)}
	var errs children.FieldErrors
	for _, d := range []struct {
		field string
		v     *apigen.Date
		to    *registry.DateInput
	}{{registry.FieldDateOfBirth, b.DateOfBirth, &in.DateOfBirth}, {registry.FieldDiagnosisDate, b.DiagnosisDate, &in.DiagnosisDate},
		{registry.FieldDateOfDeath, b.DateOfDeath, &in.DateOfDeath}} {
		v, err := dateInput(str(d.v))
		if err != nil {
			errs = append(errs, children.FieldError{Field: d.field, Message: err.Error()})
		}
		*d.to = v
	}
	if len(errs) > 0 {
		return nil, errs
	}
	caller := callerOf(ctx)
	p, err := a.deps.Registry.AddPatient(ctx, caller.Me, req.Registry, in, b.Confirm != nil && *b.Confirm, registry.CauseForm)
	if err != nil {
		return nil, err
	}
	etag, loc := etagOf(p.Version), Prefix+"/patients/"+strconv.FormatInt(p.ID, 10)
	return apigen.CreatePatient201JSONResponse{Body: patientOf(p, true),
		Headers: apigen.CreatePatient201ResponseHeaders{ETag: &etag, Location: &loc}}, nil
}

// GetPatient reads a patient; identifiers only for those who may see them.
func (a *API) GetPatient(ctx context.Context, req apigen.GetPatientRequestObject) (apigen.GetPatientResponseObject, error) {
	p, err := a.deps.Registry.GetPatient(ctx, callerOf(ctx).Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	etag := etagOf(p.Version)
	out := patientOf(p.RegistryPatient, p.Identified)
	out.YearOfBirth = p.YearOfBirth
	return apigen.GetPatient200JSONResponse{Body: out, Headers: apigen.GetPatient200ResponseHeaders{ETag: &etag}}, nil
}

// DeletePatient soft-deletes a patient whose version is the If-Match.
func (a *API) DeletePatient(ctx context.Context, req apigen.DeletePatientRequestObject) (apigen.DeletePatientResponseObject, error) {
	caller := callerOf(ctx)
	p, err := a.deps.Registry.GetPatient(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, p.Version); err != nil {
		return nil, err
	}
	if p.DeletedAt != nil {
		return nil, problem(fiber.StatusNotFound, "The patient is already deleted")
	}
	if err := a.deps.Registry.DeletePatient(ctx, caller.Me, req.Id, caller.RequestID); err != nil {
		return nil, err
	}
	return apigen.DeletePatient204Response{}, nil
}

// dateInput splits YYYY-MM-DD into the page's three boxes unchecked, so
// that the page's checks judge it (31 February is "must be a real date",
// as on the page); a value of another shape is refused here.
func dateInput(v string) (registry.DateInput, error) {
	v = strings.TrimSpace(v)
	y, rest, ok1 := strings.Cut(v, "-")
	m, d, ok2 := strings.Cut(rest, "-")
	if v == "" || !ok1 || !ok2 || len(y) != 4 || len(m) != 2 || len(d) != 2 || !digits(y+m+d) {
		return registry.DateInputOfISO(v) // "": none; else its message
	}
	return registry.DateInput{Day: strings.TrimLeft(d, "0"), Month: strings.TrimLeft(m, "0"), Year: y}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// etagOf is a record's version as a strong ETag.
func etagOf(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// ifMatch refuses (412) a change whose If-Match is not the record's
// version now: someone changed it since the caller read it.
func ifMatch(sent string, version int64) error {
	if strings.TrimSpace(sent) == "*" || strings.TrimPrefix(strings.TrimSpace(sent), "W/") == etagOf(version) {
		return nil
	}
	p := problem(fiber.StatusPreconditionFailed, "The record changed since you read it (now "+etagOf(version)+"): read it again")
	p.header = map[string]string{fiber.HeaderETag: etagOf(version)}
	return p
}

// patientOf is a stored patient as the API shows it; without identifiers
// only the registry ID, year of birth, sex and status.
func patientOf(p store.RegistryPatient, identified bool) apigen.Patient {
	out := apigen.Patient{Id: p.ID, RegistryId: p.RegistryRef, Version: p.Version, Identified: identified,
		YearOfBirth: p.DateOfBirth.Year, Sex: ptr(strconv.FormatInt(p.Sex, 10)), ClinicalStatus: opt(p.ClinicalStatus),
		DiagnosisConfirmation: opt(p.DiagnosisConfirmation), DiagnosisDate: opt(registry.ISO(p.DiagnosisDate)),
		DateOfDeath: opt(registry.ISO(p.DateOfDeath)), Deleted: p.DeletedAt != nil}
	if identified {
		out.FirstName, out.Surname, out.Postcode = opt(p.FirstName), opt(p.Surname), opt(p.Postcode)
		out.DateOfBirth = opt(registry.ISO(&p.DateOfBirth))
		if p.NHSNumber != nil {
			out.NhsNumber = opt(*p.NHSNumber)
		}
	}
	return out
}

func listedPatient(r store.RegistryPatientListItem, identified bool) apigen.Patient {
	out := apigen.Patient{Id: r.ID, RegistryId: r.RegistryRef, Version: r.Version, Identified: identified,
		YearOfBirth: r.DateOfBirth.Year, Sex: ptr(strconv.FormatInt(r.Sex, 10)), ClinicalStatus: opt(r.ClinicalStatus),
		DateOfDeath: opt(registry.ISO(r.DateOfDeath)), Deleted: r.DeletedAt != nil}
	if identified {
		out.FirstName, out.Surname, out.DateOfBirth = opt(r.FirstName), opt(r.Surname), opt(registry.ISO(&r.DateOfBirth))
		out.NhsNumber = opt(r.NHSNumber)
	}
	return out
}

func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func ptr[T any](v T) *T { return &v }

// opt is a string, or absent when empty.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
