package api

import (
	"context"
	"strconv"

	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// ListRelationships is a patient's current relationships.
func (a *API) ListRelationships(ctx context.Context, req apigen.ListRelationshipsRequestObject) (apigen.ListRelationshipsResponseObject, error) {
	p, err := a.deps.Registry.GetPatient(ctx, callerOf(ctx).Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	out := apigen.ListRelationships200JSONResponse{Items: []apigen.Relationship{}}
	for _, l := range p.Links {
		out.Items = append(out.Items, relationshipOf(l))
	}
	return out, nil
}

// CreateRelationship relates a contact to the patient with the page's checks.
func (a *API) CreateRelationship(ctx context.Context, req apigen.CreateRelationshipRequestObject) (apigen.CreateRelationshipResponseObject, error) {
	b := req.Body
	in := registry.RelationshipInput{Type: str(b.Type), LegalAuthority: yes(b.LegalAuthority), MayAct: yes(b.MayAct), IsPrimary: yes(b.IsPrimary)}
	var errs children.FieldErrors
	for _, d := range []struct {
		field string
		v     *apigen.Date
		to    *registry.DateInput
	}{{registry.FieldStartDate, b.StartDate, &in.StartDate}, {registry.FieldEndDate, b.EndDate, &in.EndDate}} {
		v, err := dateInput(str(d.v))
		if err != nil {
			errs = append(errs, children.FieldError{Field: d.field, Message: err.Error()})
		}
		*d.to = v
	}
	if len(errs) > 0 {
		return nil, errs
	}
	me := callerOf(ctx).Me
	id, err := a.deps.Registry.Link(ctx, me, req.Id, b.ContactId, in, registry.CauseForm)
	if err != nil {
		return nil, err
	}
	links, err := a.deps.Store.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: req.Id})
	if err != nil {
		return nil, err
	}
	loc := Prefix + "/patients/" + strconv.FormatInt(req.Id, 10) + "/relationships"
	for _, l := range links {
		if l.ID == id {
			return apigen.CreateRelationship201JSONResponse{Body: relationshipOf(l), Headers: apigen.CreateRelationship201ResponseHeaders{Location: &loc}}, nil
		}
	}
	// An ended relationship is not among the current links: answer what was sent.
	return apigen.CreateRelationship201JSONResponse{Body: apigen.Relationship{Id: id, PatientId: req.Id, ContactId: b.ContactId, Type: in.Type,
		LegalAuthority: in.LegalAuthority, MayAct: in.MayAct, IsPrimary: in.IsPrimary, StartDate: b.StartDate, EndDate: b.EndDate},
		Headers: apigen.CreateRelationship201ResponseHeaders{Location: &loc}}, nil
}

// DeleteRelationship removes a relationship, as the page's remove.
func (a *API) DeleteRelationship(ctx context.Context, req apigen.DeleteRelationshipRequestObject) (apigen.DeleteRelationshipResponseObject, error) {
	caller := callerOf(ctx)
	if err := a.deps.Registry.Unlink(ctx, caller.Me, req.Id, caller.RequestID); err != nil {
		return nil, err
	}
	return apigen.DeleteRelationship204Response{}, nil
}

func relationshipOf(l store.RegistryLink) apigen.Relationship {
	return apigen.Relationship{Id: l.ID, PatientId: l.PatientID, ContactId: l.ContactID, Type: l.Type, LegalAuthority: l.LegalAuthority,
		MayAct: l.MayAct, IsPrimary: l.IsPrimary, StartDate: opt(registry.ISO(l.StartDate)), EndDate: opt(registry.ISO(l.EndDate))}
}

func yes(b *bool) bool { return b != nil && *b }
