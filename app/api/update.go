package api

import (
	"context"
	"encoding/json"
	"sort"

	"clinaudit/app/api/apigen"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/registry"

	"github.com/gofiber/fiber/v2"
)

// An update is the page's autosave, field by field: each field is saved
// with the version the caller read (If-Match) as the version it saw, so
// the registry's own checks, per-field conflict detection and trail apply.
// The fields are saved one after another; a refusal names its field, and
// the fields before it stay saved (the record's new ETag says so).

// dateFields are the fields sent as YYYY-MM-DD.
var dateFields = map[string]bool{registry.FieldDateOfBirth: true, registry.FieldDiagnosisDate: true,
	registry.FieldDateOfDeath: true}

// saveFields saves each field of body (a JSON object of the contract's
// names, which are the registry's field names) with save.
func saveFields(ctx context.Context, id int64, body any, version int64, requestID string,
	save func(context.Context, registry.SaveField) (registry.Saved, error)) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names) // one order, so a retry fails where the first did
	for _, name := range names {
		f := registry.SaveField{ID: id, Field: name, Seen: version, RequestID: requestID}
		switch v := fields[name].(type) {
		case bool:
			f.Value = map[bool]string{true: "yes", false: "no"}[v]
		case string:
			if dateFields[name] {
				if f.Date, err = dateInput(v); err != nil {
					return children.FieldErrors{{Field: name, Message: err.Error()}}
				}
			} else {
				f.Value = v
			}
		}
		if _, err := save(ctx, f); apperr.CodeOf(err) == apperr.Conflict {
			// Another save won a race to the record: as a stale If-Match.
			return problem(fiber.StatusPreconditionFailed, apperr.MessageOf(err))
		} else if err != nil {
			return err
		}
	}
	return nil
}

// UpdatePatient changes a patient's fields when If-Match is its version.
func (a *API) UpdatePatient(ctx context.Context, req apigen.UpdatePatientRequestObject) (apigen.UpdatePatientResponseObject, error) {
	caller := callerOf(ctx)
	p, err := a.deps.Registry.GetPatient(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, p.Version); err != nil {
		return nil, err
	}
	if err := saveFields(ctx, req.Id, req.Body, p.Version, caller.RequestID, func(ctx context.Context, f registry.SaveField) (registry.Saved, error) {
		return a.deps.Registry.SavePatientField(ctx, caller.Me, f)
	}); err != nil {
		return nil, err
	}
	if p, err = a.deps.Registry.GetPatient(ctx, caller.Me.Actor, req.Id); err != nil {
		return nil, err
	}
	etag := etagOf(p.Version)
	return apigen.UpdatePatient200JSONResponse{Body: patientOf(p.RegistryPatient, p.Identified), Headers: apigen.UpdatePatient200ResponseHeaders{ETag: &etag}}, nil
}

// UpdateContact changes a contact's fields when If-Match is its version.
func (a *API) UpdateContact(ctx context.Context, req apigen.UpdateContactRequestObject) (apigen.UpdateContactResponseObject, error) {
	caller := callerOf(ctx)
	c, err := a.deps.Registry.GetContact(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, c.Version); err != nil {
		return nil, err
	}
	if err := saveFields(ctx, req.Id, req.Body, c.Version, caller.RequestID, func(ctx context.Context, f registry.SaveField) (registry.Saved, error) {
		return a.deps.Registry.SaveContactField(ctx, caller.Me, f)
	}); err != nil {
		return nil, err
	}
	if c, err = a.deps.Registry.GetContact(ctx, caller.Me.Actor, req.Id); err != nil {
		return nil, err
	}
	etag := etagOf(c.Version)
	return apigen.UpdateContact200JSONResponse{Body: contactOf(c.RegistryContact), Headers: apigen.UpdateContact200ResponseHeaders{ETag: &etag}}, nil
}
