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
	if err := authorize(me.Actor, access.EditRegistry); err != nil {
		return 0, err
	}
	var id int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
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
	if err := authorize(me.Actor, access.EditRegistry); err != nil {
		return Saved{}, err
	}
	var out Saved
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := tx.GetRegistryRelationship(ctx, f.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && r.DeletedAt != nil) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		p, reg, err := livePatient(ctx, tx, r.PatientID)
		if err != nil {
			return err
		}
		_ = p
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
			return apperr.Errorf(apperr.Invalid, "A relationship has no field %q", f.Field)
		}
		row, errs := checkRelationship(in, s.today())
		if len(errs) > 0 {
			return onlyField(errs, f.Field)
		}
		next := r
		next.Type, next.LegalAuthority, next.MayAct, next.IsPrimary, next.StartDate, next.EndDate = row.typ, row.legal, row.mayAct, row.primary, row.start, row.end
		next.Version = r.Version + 1
		var ch change
		for _, x := range relChanges(r, next) {
			if x.field == f.Field {
				ch = x
			}
		}
		if err := fieldConflict(ctx, tx, me, EntityRelationship, r.ID, f.Field, f.Seen, r.Version, ch.new); err != nil {
			return err
		}
		if eq(ch.old, ch.new) {
			out = Saved{Version: r.Version, Value: deref(ch.new)}
			return nil
		}
		upd := relUpdate(next, r.ContactID, next.EndDate, s.now(), me)
		upd.Version = r.Version
		n, err := tx.UpdateRegistryRelationship(ctx, upd)
		if err != nil {
			return err
		}
		if n == 0 {
			return errStale
		}
		if err := s.trail(ctx, tx, reg.ID, me, CauseForm, f.RequestID, ch); err != nil {
			return err
		}
		if f.Field == FieldEndDate && next.EndDate != nil {
			if err := s.reviewIfAlone(ctx, tx, me, r.ContactID); err != nil {
				return err
			}
		}
		out = Saved{Version: next.Version, Value: deref(ch.new), Changed: true}
		return nil
	})
	return out, err
}

// Unlink deletes a relationship made by mistake (one that really ended
// gets an end date instead); the contact is flagged for review if linked
// to nobody now. Errors: apperr.ErrForbidden, apperr.ErrNotFound, the
// store's.
func (s *Service) Unlink(ctx context.Context, me access.Me, id int64, requestID string) error {
	if err := authorize(me.Actor, access.EditRegistry); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := tx.GetRegistryRelationship(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && r.DeletedAt != nil) {
			return apperr.ErrNotFound
		}
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
		if err := s.trail(ctx, tx, p.RegistryID, me, CauseDeletion, requestID, change{entity: EntityRelationship, id: id,
			patient: &r.PatientID, contact: &r.ContactID, field: "deleted", new: val("yes"), version: r.Version + 1}); err != nil {
			return err
		}
		return s.reviewIfAlone(ctx, tx, me, r.ContactID)
	})
}
