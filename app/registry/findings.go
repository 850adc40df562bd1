package registry

import (
	"context"
	"errors"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

func findingChanges(before, after store.RegistryFinding) []change {
	c := func(field, old, new string) change {
		return change{entity: EntityFinding, id: after.ID, patient: &after.PatientID, field: field, old: val(old), new: val(new), version: after.Version}
	}
	return []change{c(FieldGene, before.Gene, after.Gene), c(FieldVariant, before.Variant, after.Variant),
		c(FieldClassification, before.Classification, after.Classification),
		c(FieldSourceReport, before.SourceReport, after.SourceReport), c(FieldConfirmedBy, before.ConfirmedBy, after.ConfirmedBy)}
}

// SaveFinding adds a genetic finding to a patient (id 0) or rewrites one
// (id, at version seen), with its trail. Errors: FieldErrors,
// apperr.ErrForbidden, apperr.ErrNotFound, apperr Conflict (changed since
// seen), the store's.
func (s *Service) SaveFinding(ctx context.Context, me access.Me, patientID, id, seen int64, in FindingInput, cause string) (int64, error) {
	err := s.edit(ctx, me, func(tx store.Tx) error {
		_, reg, err := livePatient(ctx, tx, patientID)
		if err != nil {
			return err
		}
		row, errs := checkFinding(reg.Definition, in)
		if len(errs) > 0 {
			return errs
		}
		var before store.RegistryFinding
		if id == 0 {
			if id, err = tx.InsertRegistryFinding(ctx, store.InsertRegistryFindingParams{PatientID: patientID, Gene: row.gene,
				Variant: row.variant, Classification: row.classification, SourceReport: row.source, ConfirmedBy: row.confirmedBy,
				CreatedAt: s.now(), UpdatedBy: byOf(me)}); err != nil {
				return err
			}
		} else {
			if before, err = finding(ctx, tx, patientID, id); err != nil {
				return err
			}
			n, err := tx.UpdateRegistryFinding(ctx, store.UpdateRegistryFindingParams{Gene: row.gene, Variant: row.variant,
				Classification: row.classification, SourceReport: row.source, ConfirmedBy: row.confirmedBy,
				UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: id, Version: seen})
			if err != nil {
				return err
			}
			if n == 0 {
				return apperr.New(apperr.Conflict, "Someone else changed this finding after you opened it")
			}
		}
		after, err := tx.GetRegistryFinding(ctx, id)
		if err != nil {
			return err
		}
		return s.trail(ctx, tx, reg.ID, me, causeOr(cause), "", findingChanges(before, after)...)
	})
	return id, err
}

func finding(ctx context.Context, q store.Queries, patientID, id int64) (store.RegistryFinding, error) {
	f, err := q.GetRegistryFinding(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && f.PatientID != patientID) {
		return f, apperr.ErrNotFound
	}
	return f, err
}

// RemoveFinding removes a finding; the trail keeps what it said. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) RemoveFinding(ctx context.Context, me access.Me, patientID, id int64) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		_, reg, err := livePatient(ctx, tx, patientID)
		if err != nil {
			return err
		}
		f, err := finding(ctx, tx, patientID, id)
		if err != nil {
			return err
		}
		if _, err := tx.DeleteRegistryFinding(ctx, id); err != nil {
			return err
		}
		gone := f
		gone.Gene, gone.Variant, gone.Classification, gone.SourceReport, gone.ConfirmedBy = "", "", "", "", ""
		gone.Version = f.Version + 1
		return s.trail(ctx, tx, reg.ID, me, CauseDeletion, "", findingChanges(f, gone)...)
	})
}
