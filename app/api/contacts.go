package api

import (
	"context"
	"strconv"

	"clinaudit/app/api/apigen"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// ListContacts is a page of the registry's contacts in surname order.
func (a *API) ListContacts(ctx context.Context, req apigen.ListContactsRequestObject) (apigen.ListContactsResponseObject, error) {
	page, err := cursorPage(req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	p, err := a.deps.Registry.ListContacts(ctx, callerOf(ctx).Me.Actor, req.Registry, registry.ContactFilter{Sort: "surname", Page: page})
	if err != nil {
		return nil, err
	}
	out := apigen.ListContacts200JSONResponse{Items: []apigen.Contact{}}
	if p.Filter.Page == page {
		for _, r := range p.Contacts {
			out.Items = append(out.Items, apigen.Contact{Id: r.ID, Version: r.Version, FirstName: r.FirstName, Surname: r.Surname,
				Email: opt(r.Email), Phone: opt(r.Phone), MayContact: r.MayContact, NeedsReview: r.NeedsReview, Deleted: r.DeletedAt != nil})
		}
	}
	out.NextCursor = nextCursor(page, p.Pages)
	return out, nil
}

// CreateContact adds a contact with the page's checks and duplicate
// warning (409 unless confirm).
func (a *API) CreateContact(ctx context.Context, req apigen.CreateContactRequestObject) (apigen.CreateContactResponseObject, error) {
	b := req.Body
	in := registry.ContactInput{FirstName: str(b.FirstName), Surname: str(b.Surname), Email: str(b.Email), Phone: str(b.Phone),
		Address: str(b.Address), Postcode: str(b.Postcode), PreferredLanguage: str(b.PreferredLanguage),
		PreferredChannel: str(b.PreferredChannel), MayContact: b.MayContact != nil && *b.MayContact, Notes: str(b.Notes)}
	c, err := a.deps.Registry.AddContact(ctx, callerOf(ctx).Me, req.Registry, in, b.Confirm != nil && *b.Confirm, registry.CauseForm)
	if err != nil {
		return nil, err
	}
	etag, loc := etagOf(c.Version), Prefix+"/contacts/"+strconv.FormatInt(c.ID, 10)
	return apigen.CreateContact201JSONResponse{Body: contactOf(c), Headers: apigen.CreateContact201ResponseHeaders{ETag: &etag, Location: &loc}}, nil
}

// GetContact reads a contact.
func (a *API) GetContact(ctx context.Context, req apigen.GetContactRequestObject) (apigen.GetContactResponseObject, error) {
	c, err := a.deps.Registry.GetContact(ctx, callerOf(ctx).Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	etag := etagOf(c.Version)
	return apigen.GetContact200JSONResponse{Body: contactOf(c.RegistryContact), Headers: apigen.GetContact200ResponseHeaders{ETag: &etag}}, nil
}

// DeleteContact soft-deletes a contact whose version is the If-Match.
func (a *API) DeleteContact(ctx context.Context, req apigen.DeleteContactRequestObject) (apigen.DeleteContactResponseObject, error) {
	caller := callerOf(ctx)
	c, err := a.deps.Registry.GetContact(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, c.Version); err != nil {
		return nil, err
	}
	if c.DeletedAt != nil {
		return nil, problem(fiber.StatusNotFound, "The contact is already deleted")
	}
	if err := a.deps.Registry.DeleteContact(ctx, caller.Me, req.Id, caller.RequestID); err != nil {
		return nil, err
	}
	return apigen.DeleteContact204Response{}, nil
}

func contactOf(c store.RegistryContact) apigen.Contact {
	return apigen.Contact{Id: c.ID, Version: c.Version, FirstName: c.FirstName, Surname: c.Surname, Email: opt(c.Email),
		Phone: opt(c.Phone), Address: opt(c.Address), Postcode: opt(c.Postcode), PreferredLanguage: opt(c.PreferredLanguage),
		PreferredChannel: opt(c.PreferredChannel), MayContact: c.MayContact, NeedsReview: c.NeedsReview, Deleted: c.DeletedAt != nil}
}
