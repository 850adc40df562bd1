package registry

import (
	"context"
	"errors"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// Link relates a contact to a patient. Errors: FieldErrors,
// apperr.ErrForbidden, apperr.ErrNotFound (either side, or deleted), the
// store's.
func (s *Service) Link(ctx context.Context, me access.Me, patientID, contactID int64, in RelationshipInput, cause string) (int64, error) {
	var id int64
	err := s.edit(ctx, me, func(tx store.Tx) error {
		p, reg, err := livePatient(ctx, tx, patientID)
		if err != nil {
			return err
		}
		c, err := liveContact(ctx, tx, contactID)
		if err != nil {
			return err
		}
		if c.RegistryID != p.RegistryID {
			return apperr.ErrNotFound
		}
		row, errs := checkRelationship(in, s.today())
		if len(errs) > 0 {
			return errs
		}
		if id, err = tx.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: patientID, ContactID: contactID,
			Type: row.typ, LegalAuthority: row.legal, MayAct: row.mayAct, IsPrimary: row.primary, StartDate: row.start,
			EndDate: row.end, CreatedAt: s.now(), CreatedBy: byOf(me)}); err != nil {
			return err
		}
		r, err := tx.GetRegistryRelationship(ctx, id)
		if err != nil {
			return err
		}
		if err := s.trail(ctx, tx, reg.ID, me, causeOr(cause), "", relChanges(store.RegistryRelationship{}, r)...); err != nil {
			return err
		}
		if c.NeedsReview && r.EndDate == nil {
			if _, err := tx.SetRegistryContactReview(ctx, store.SetRegistryContactReviewParams{NeedsReview: false, UpdatedAt: s.now(),
				UpdatedBy: byOf(me), ID: contactID}); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

func relChanges(before, after store.RegistryRelationship) []change {
	c := func(field string, old, new *string) change {
		return change{entity: EntityRelationship, id: after.ID, patient: &after.PatientID, contact: &after.ContactID,
			field: field, old: old, new: new, version: after.Version}
	}
	flag := func(r store.RegistryRelationship, b bool) *string {
		if r.ID == 0 {
			return nil
		}
		return boolVal(b)
	}
	return []change{
		c(FieldType, val(before.Type), val(after.Type)),
		c(FieldLegalAuthority, flag(before, before.LegalAuthority), flag(after, after.LegalAuthority)),
		c(FieldMayAct, flag(before, before.MayAct), flag(after, after.MayAct)),
		c(FieldIsPrimary, flag(before, before.IsPrimary), flag(after, after.IsPrimary)),
		c(FieldStartDate, dateVal(before.StartDate), dateVal(after.StartDate)),
		c(FieldEndDate, dateVal(before.EndDate), dateVal(after.EndDate)),
	}
}

// RelationshipInputOf fills the relationship form from a stored link.
func RelationshipInputOf(r store.RegistryRelationship) RelationshipInput {
	return RelationshipInput{Type: r.Type, LegalAuthority: r.LegalAuthority, MayAct: r.MayAct, IsPrimary: r.IsPrimary,
		StartDate: DateInputOf(r.StartDate), EndDate: DateInputOf(r.EndDate)}
}

// DateInputOf fills three date boxes from a stored date.
func DateInputOf(d *store.Date) DateInput {
	if d == nil {
		return DateInput{}
	}
	return DateInput{Day: itoa(d.Day), Month: itoa(int(d.Month)), Year: itoa(d.Year)}
}

// SaveRelationshipField is autosave on a relationship (ending it is
// saving its end_date), as SavePatientField. Errors: as SavePatientField.
func (s *Service) SaveRelationshipField(ctx context.Context, me access.Me, f SaveField) (Saved, error) {
	return editing(ctx, s, me, func(tx store.Tx) (Saved, error) {
		r, err := liveRelationship(ctx, tx, f.ID)
		if err != nil {
			return Saved{}, err
		}
		_, reg, err := livePatient(ctx, tx, r.PatientID)
		if err != nil {
			return Saved{}, err
		}
		in := RelationshipInputOf(r)
		switch f.Field {
		case FieldType:
			in.Type = f.Value
		case FieldLegalAuthority:
			in.LegalAuthority = yes(f.Value)
		case FieldMayAct:
			in.MayAct = yes(f.Value)
		case FieldIsPrimary:
			in.IsPrimary = yes(f.Value)
		case FieldStartDate:
			in.StartDate = f.Date
		case FieldEndDate:
			in.EndDate = f.Date
		default:
			return Saved{}, apperr.Errorf(apperr.Invalid, "A relationship has no field %q", f.Field)
		}
		row, errs := checkRelationship(in, s.today())
		if len(errs) > 0 {
			return Saved{}, onlyField(errs, f.Field)
		}
		next := r
		next.Type, next.LegalAuthority, next.MayAct, next.IsPrimary, next.StartDate, next.EndDate = row.typ, row.legal, row.mayAct, row.primary, row.start, row.end
		next.Version = r.Version + 1
		out, err := s.saveChange(ctx, tx, me, reg.ID, f, r.Version, fieldChange(relChanges(r, next), f.Field), func() (int64, error) {
			upd := relUpdate(next, r.ContactID, next.EndDate, s.now(), me)
			upd.Version = r.Version
			return tx.UpdateRegistryRelationship(ctx, upd)
		})
		if err == nil && out.Changed && f.Field == FieldEndDate && next.EndDate != nil {
			err = s.reviewIfAlone(ctx, tx, me, r.ContactID)
		}
		return out, err
	})
}

// liveRelationship reads a relationship that is not deleted.
func liveRelationship(ctx context.Context, q store.Queries, id int64) (store.RegistryRelationship, error) {
	r, err := q.GetRegistryRelationship(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && r.DeletedAt != nil) {
		return r, apperr.ErrNotFound
	}
	return r, err
}

// Unlink deletes a relationship made by mistake (one that really ended
// gets an end date instead); the contact is flagged for review if linked
// to nobody now. Errors: apperr.ErrForbidden, apperr.ErrNotFound, the
// store's.
func (s *Service) Unlink(ctx context.Context, me access.Me, id int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		r, err := liveRelationship(ctx, tx, id)
		if err != nil {
			return err
		}
		p, err := tx.GetRegistryPatient(ctx, r.PatientID)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.DeleteRegistryRelationship(ctx, store.DeleteRegistryRelationshipParams{DeletedAt: &now, UpdatedBy: byOf(me), ID: id}); err != nil {
			return err
		}
		if err := s.trail(ctx, tx, p.RegistryID, me, CauseDeletion, requestID, deletedRow(change{entity: EntityRelationship, id: id,
			patient: &r.PatientID, contact: &r.ContactID, version: r.Version + 1}, false)); err != nil {
			return err
		}
		return s.reviewIfAlone(ctx, tx, me, r.ContactID)
	})
}
