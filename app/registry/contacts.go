package registry

import (
	"context"
	"errors"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// Contact is one contact as its page shows it, with its links.
type Contact struct {
	store.RegistryContact
	Links   []store.RegistryLink
	CanEdit bool
}

// ContactInputOf fills the contact form from a stored contact.
func ContactInputOf(c store.RegistryContact) ContactInput {
	return ContactInput{FirstName: c.FirstName, Surname: c.Surname, Email: c.Email, Phone: c.Phone, Address: c.Address,
		Postcode: c.Postcode, PreferredLanguage: c.PreferredLanguage, PreferredChannel: c.PreferredChannel,
		MayContact: c.MayContact, Notes: c.Notes}
}

// AddContact adds a contact: checks, a duplicate warning (same email,
// phone, or name) unless confirm, the row and its trail. Errors:
// FieldErrors, *DuplicateError, apperr.ErrForbidden, apperr.ErrNotFound
// (registry), the store's.
func (s *Service) AddContact(ctx context.Context, me access.Me, slug string, in ContactInput, confirm bool, cause string) (store.RegistryContact, error) {
	return editing(ctx, s, me, func(tx store.Tx) (store.RegistryContact, error) {
		var out store.RegistryContact
		reg, err := load(ctx, tx, slug)
		if err != nil {
			return out, err
		}
		row, errs := checkContact(in)
		if len(errs) > 0 {
			return out, errs
		}
		if !confirm {
			if ms, err := contactDuplicates(ctx, tx, reg.ID, 0, row); err != nil || len(ms) > 0 {
				if err == nil {
					err = &DuplicateError{Matches: ms}
				}
				return out, err
			}
		}
		id, err := tx.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg.ID, FirstName: row.first,
			Surname: row.surname, Email: row.email, Phone: row.phone, Address: row.address, Postcode: row.postc,
			PreferredLanguage: row.language, PreferredChannel: row.channel, MayContact: row.mayContact, Notes: row.notes,
			CreatedAt: s.now(), CreatedBy: byOf(me)})
		if err != nil {
			return out, err
		}
		if out, err = tx.GetRegistryContact(ctx, id); err != nil {
			return out, err
		}
		return out, s.trail(ctx, tx, reg.ID, me, causeOr(cause), "", contactChanges(store.RegistryContact{}, out)...)
	})
}

// FindContactDuplicates lists the contacts that look like in (same email,
// phone, or name), other than except: the warning before adding, and the
// candidates for a merge. Errors: FieldErrors, apperr.ErrForbidden, the
// store's.
func (s *Service) FindContactDuplicates(ctx context.Context, a access.Actor, slug string, except int64, in ContactInput) ([]Match, error) {
	reg, err := s.loadFor(ctx, a, access.EditRegistry, slug)
	if err != nil {
		return nil, err
	}
	row, errs := checkContact(in)
	if len(errs) > 0 {
		return nil, errs
	}
	return contactDuplicates(ctx, s.Store, reg.ID, except, row)
}

func contactDuplicates(ctx context.Context, q store.Queries, reg, except int64, row contactRow) ([]Match, error) {
	found, err := q.FindRegistryContactDuplicates(ctx, store.FindRegistryContactDuplicatesParams{RegistryID: reg, ExceptID: except,
		Email: row.email, Phone: row.phone, Surname: row.surname, FirstName: row.first})
	if err != nil {
		return nil, err
	}
	var ms []Match
	for _, c := range found {
		reason := "same name"
		switch {
		case row.email != "" && c.Email == row.email:
			reason = "same email address"
		case row.phone != "" && c.Phone == row.phone:
			reason = "same phone number"
		}
		ms = append(ms, Match{ID: c.ID, Name: c.FirstName + " " + c.Surname, Reason: reason, Deleted: c.DeletedAt != nil})
	}
	return ms, nil
}

func contactChanges(before, after store.RegistryContact) []change {
	id := after.ID
	c := func(field string, old, new *string) change {
		return change{entity: EntityContact, id: id, contact: &id, field: field, old: old, new: new, version: after.Version}
	}
	may := func(x store.RegistryContact) *string {
		if x.ID == 0 {
			return nil
		}
		return boolVal(x.MayContact)
	}
	return []change{
		c(FieldFirstName, val(before.FirstName), val(after.FirstName)),
		c(FieldSurname, val(before.Surname), val(after.Surname)),
		c(FieldEmail, val(before.Email), val(after.Email)),
		c(FieldPhone, val(before.Phone), val(after.Phone)),
		c(FieldAddress, val(before.Address), val(after.Address)),
		c(FieldPostcode, val(before.Postcode), val(after.Postcode)),
		c(FieldPreferredLanguage, val(before.PreferredLanguage), val(after.PreferredLanguage)),
		c(FieldPreferredChannel, val(before.PreferredChannel), val(after.PreferredChannel)),
		c(FieldMayContact, may(before), may(after)),
		c(FieldNotes, val(before.Notes), val(after.Notes)),
	}
}

// aboutContact is a trail row about contact c, at its next version.
func aboutContact(c store.RegistryContact) change {
	return change{entity: EntityContact, id: c.ID, contact: &c.ID, version: c.Version + 1}
}

func setContactField(in *ContactInput, f SaveField) bool {
	switch f.Field {
	case FieldFirstName:
		in.FirstName = f.Value
	case FieldSurname:
		in.Surname = f.Value
	case FieldEmail:
		in.Email = f.Value
	case FieldPhone:
		in.Phone = f.Value
	case FieldAddress:
		in.Address = f.Value
	case FieldPostcode:
		in.Postcode = f.Value
	case FieldPreferredLanguage:
		in.PreferredLanguage = f.Value
	case FieldPreferredChannel:
		in.PreferredChannel = f.Value
	case FieldMayContact:
		in.MayContact = yes(f.Value)
	case FieldNotes:
		in.Notes = f.Value
	default:
		return false
	}
	return true
}

func contactOfRow(c store.RegistryContact, row contactRow) store.RegistryContact {
	c.FirstName, c.Surname, c.Email, c.Phone, c.Address, c.Postcode = row.first, row.surname, row.email, row.phone, row.address, row.postc
	c.PreferredLanguage, c.PreferredChannel, c.MayContact, c.Notes = row.language, row.channel, row.mayContact, row.notes
	return c
}

func contactUpdate(c store.RegistryContact, version int64, s *Service, me access.Me) store.UpdateRegistryContactParams {
	return store.UpdateRegistryContactParams{FirstName: c.FirstName, Surname: c.Surname, Email: c.Email, Phone: c.Phone,
		Address: c.Address, Postcode: c.Postcode, PreferredLanguage: c.PreferredLanguage, PreferredChannel: c.PreferredChannel,
		MayContact: c.MayContact, Notes: c.Notes, UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: c.ID, Version: version}
}

// SaveContactField is autosave on a contact's page, as SavePatientField.
// Errors: as SavePatientField.
func (s *Service) SaveContactField(ctx context.Context, me access.Me, f SaveField) (Saved, error) {
	return editing(ctx, s, me, func(tx store.Tx) (Saved, error) {
		c, err := liveContact(ctx, tx, f.ID)
		if err != nil {
			return Saved{}, err
		}
		in := ContactInputOf(c)
		if !setContactField(&in, f) {
			return Saved{}, apperr.Errorf(apperr.Invalid, "A contact has no field %q", f.Field)
		}
		row, errs := checkContact(in)
		if len(errs) > 0 {
			return Saved{}, onlyField(errs, f.Field)
		}
		next := contactOfRow(c, row)
		next.Version = c.Version + 1
		return s.saveChange(ctx, tx, me, c.RegistryID, f, c.Version, fieldChange(contactChanges(c, next), f.Field), func() (int64, error) {
			return tx.UpdateRegistryContact(ctx, contactUpdate(next, c.Version, s, me))
		})
	})
}

func anyContact(ctx context.Context, q store.Queries, id int64) (store.RegistryContact, error) {
	c, err := q.GetRegistryContact(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.ErrNotFound
	}
	return c, err
}

func liveContact(ctx context.Context, q store.Queries, id int64) (store.RegistryContact, error) {
	c, err := anyContact(ctx, q, id)
	if err == nil && c.DeletedAt != nil {
		err = apperr.ErrNotFound
	}
	return c, err
}

// GetContact returns a contact with its links. Contacts are identifying
// through and through: only those with view_registry_identifiers see
// them. Errors: apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) GetContact(ctx context.Context, a access.Actor, id int64) (Contact, error) {
	if err := authorize(a, access.ViewRegistryIDs); err != nil {
		return Contact{}, err
	}
	c, err := anyContact(ctx, s.Store, id)
	if err != nil {
		return Contact{}, err
	}
	if c.DeletedAt != nil && !a.Can(access.EditRegistry) {
		return Contact{}, apperr.ErrNotFound
	}
	links, err := s.Store.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: id})
	if err != nil {
		return Contact{}, err
	}
	return Contact{RegistryContact: c, Links: links, CanEdit: a.Can(access.EditRegistry) && c.DeletedAt == nil}, nil
}

// ContactSorts are the contact list's sortable columns.
var ContactSorts = []string{"surname", "updated_at"}

// ContactFilter is the contact list's query, as kept in the URL.
type ContactFilter struct {
	Query   string // name, email or phone (start of)
	Review  bool   // only contacts flagged for review
	Deleted bool
	Sort    string // one of ContactSorts, surname when none is
	Desc    bool
	Page    int
}

// ContactPage is one page of the contact list.
type ContactPage struct {
	Filter   ContactFilter
	Contacts []store.RegistryContactListItem
	Total    int64
	Pages    int
}

// ListContacts returns a page of the registry's contacts (the review
// queue with Review). Errors: apperr.ErrForbidden, apperr.ErrNotFound
// (registry), the store's.
func (s *Service) ListContacts(ctx context.Context, a access.Actor, slug string, f ContactFilter) (ContactPage, error) {
	reg, err := s.loadFor(ctx, a, access.ViewRegistryIDs, slug)
	if err != nil {
		return ContactPage{}, err
	}
	f.Query = cleanQuery(f.Query)
	if q, ok := NormalisePhone(f.Query); ok {
		f.Query = q
	}
	if !a.Can(access.EditRegistry) {
		f.Deleted = false
	}
	if f.Sort, f.Desc = listfilter.Sort(f.Sort, f.Desc, ContactSorts); f.Sort == "name" {
		f.Sort = "surname" // listfilter's default
	}
	deleted := yesIf(f.Deleted)
	rows, total, pages, err := pageOfRows(&f.Page, func() (int64, error) {
		return s.Store.CountRegistryContacts(ctx, store.CountRegistryContactsParams{RegistryID: reg.ID, Deleted: deleted, Review: f.Review, Query: f.Query})
	}, func(offset int64) ([]store.RegistryContactListItem, error) {
		return s.Store.ListRegistryContacts(ctx, store.RegistryContactListParams{Sort: f.Sort, Descending: f.Desc, RegistryID: reg.ID, Deleted: deleted, Review: f.Review,
			Query: f.Query, PageOffset: offset, PageLimit: PageSize})
	})
	if err != nil {
		return ContactPage{}, err
	}
	return ContactPage{Filter: f, Contacts: rows, Total: total, Pages: pages}, nil
}

// DeleteContact soft-deletes a contact; its links stay, hidden, so a
// restore brings them back. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) DeleteContact(ctx context.Context, me access.Me, id int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		c, err := liveContact(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.SetRegistryContactDeleted(ctx, store.SetRegistryContactDeletedParams{DeletedAt: &now, DeletedBy: byOf(me),
			UpdatedAt: now, UpdatedBy: byOf(me), ID: id}); err != nil {
			return err
		}
		return s.trail(ctx, tx, c.RegistryID, me, CauseDeletion, requestID, deletedRow(aboutContact(c), false))
	})
}

// RestoreContact undoes a deletion (or a merge away) within RestoreWindow;
// relationships a merge moved stay with the contact kept. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, apperr Gone, the store's.
func (s *Service) RestoreContact(ctx context.Context, me access.Me, id int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		c, err := anyContact(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.restorable(c.DeletedAt, "contact"); err != nil {
			return err
		}
		if _, err := tx.SetRegistryContactDeleted(ctx, store.SetRegistryContactDeletedParams{UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: id}); err != nil {
			return err
		}
		if err := s.trail(ctx, tx, c.RegistryID, me, CauseRestore, requestID, deletedRow(aboutContact(c), true)); err != nil {
			return err
		}
		return s.reviewIfAlone(ctx, tx, me, id)
	})
}
