package registry

import (
	"context"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// MergePreview is what merging Away into Keep would do: Keep's fields
// stay, and each field Keep lacks takes Away's value (Filled names them);
// Away's relationships move to Keep.
type MergePreview struct {
	Keep, Away store.RegistryContact
	Result     store.RegistryContact
	Filled     []string
	Moving     []store.RegistryLink
}

// PreviewMerge shows the result of merging contact away into keep,
// changing nothing. Errors: apperr.ErrForbidden, apperr.ErrNotFound
// (either, or deleted), apperr Invalid (the same contact, or two
// registries), the store's.
func (s *Service) PreviewMerge(ctx context.Context, a access.Actor, keep, away int64) (MergePreview, error) {
	if err := authorize(a, access.EditRegistry); err != nil {
		return MergePreview{}, err
	}
	return preview(ctx, s.Store, keep, away)
}

func preview(ctx context.Context, q store.Queries, keep, away int64) (MergePreview, error) {
	if keep == away {
		return MergePreview{}, apperr.New(apperr.Invalid, "Choose two different contacts to merge")
	}
	k, err := liveContact(ctx, q, keep)
	if err != nil {
		return MergePreview{}, err
	}
	w, err := liveContact(ctx, q, away)
	if err != nil {
		return MergePreview{}, err
	}
	if k.RegistryID != w.RegistryID {
		return MergePreview{}, apperr.New(apperr.Invalid, "These contacts are in different registries")
	}
	out := MergePreview{Keep: k, Away: w, Result: k}
	fill := func(field string, dst *string, src string) {
		if *dst == "" && src != "" {
			*dst = src
			out.Filled = append(out.Filled, field)
		}
	}
	r := &out.Result
	fill(FieldEmail, &r.Email, w.Email)
	fill(FieldPhone, &r.Phone, w.Phone)
	if r.Address == "" && r.Postcode == "" && (w.Address != "" || w.Postcode != "") {
		r.Address, r.Postcode = w.Address, w.Postcode
		out.Filled = append(out.Filled, FieldAddress, FieldPostcode)
	}
	fill(FieldPreferredLanguage, &r.PreferredLanguage, w.PreferredLanguage)
	fill(FieldPreferredChannel, &r.PreferredChannel, w.PreferredChannel)
	// One who may not be contacted stays so after the merge.
	if r.MayContact && !w.MayContact {
		r.MayContact = false
		out.Filled = append(out.Filled, FieldMayContact)
	}
	if w.Notes != "" && w.Notes != r.Notes {
		if r.Notes != "" {
			r.Notes += "\n\n"
		}
		r.Notes += w.Notes
		out.Filled = append(out.Filled, FieldNotes)
	}
	if out.Moving, err = q.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: away}); err != nil {
		return MergePreview{}, err
	}
	return out, nil
}

// MergeContacts merges contact away into keep, as PreviewMerge showed:
// keep takes the filled fields, away's relationships move to keep, away is
// soft-deleted (merged_into_id = keep, restorable for RestoreWindow), and
// the trail says so on both. seenKeep and seenAway are the versions the
// preview showed: a change since refuses the merge. Errors: as
// PreviewMerge, and apperr Conflict (changed since the preview).
func (s *Service) MergeContacts(ctx context.Context, me access.Me, keep, away, seenKeep, seenAway int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		pv, err := preview(ctx, tx, keep, away)
		if err != nil {
			return err
		}
		if pv.Keep.Version != seenKeep || pv.Away.Version != seenAway {
			return apperr.New(apperr.Conflict, "One of these contacts changed since the preview: check the preview again")
		}
		reg := pv.Keep.RegistryID
		if len(pv.Filled) > 0 {
			next := pv.Result
			next.Version = pv.Keep.Version + 1
			n, err := tx.UpdateRegistryContact(ctx, contactUpdate(next, pv.Keep.Version, s, me))
			if err != nil {
				return err
			}
			if n == 0 {
				return errStale
			}
			if err := s.trail(ctx, tx, reg, me, CauseMerge, requestID, contactChanges(pv.Keep, next)...); err != nil {
				return err
			}
		}
		for _, l := range pv.Moving {
			r, err := tx.GetRegistryRelationship(ctx, l.ID)
			if err != nil {
				return err
			}
			n, err := tx.UpdateRegistryRelationship(ctx, relUpdate(r, keep, r.EndDate, s.now(), me))
			if err != nil {
				return err
			}
			if n == 0 {
				return errStale
			}
			if err := s.trail(ctx, tx, reg, me, CauseMerge, requestID, change{entity: EntityRelationship, id: r.ID,
				patient: &r.PatientID, contact: &keep, field: "contact_id", old: val(itoa64(away)), new: val(itoa64(keep)),
				version: r.Version + 1}); err != nil {
				return err
			}
		}
		now := s.now()
		if _, err := tx.SetRegistryContactDeleted(ctx, store.SetRegistryContactDeletedParams{DeletedAt: &now, DeletedBy: byOf(me),
			MergedIntoID: &keep, UpdatedAt: now, UpdatedBy: byOf(me), ID: away}); err != nil {
			return err
		}
		// The person's family account follows them (docs/registry.md,
		// "Family sign-in").
		if _, err := tx.MoveFamilyAccount(ctx, store.MoveFamilyAccountParams{KeepID: keep, UpdatedAt: now, AwayID: away}); err != nil {
			return err
		}
		note := "merged into " + pv.Keep.FirstName + " " + pv.Keep.Surname
		if err := s.trail(ctx, tx, reg, me, CauseMerge, requestID, change{entity: EntityContact, id: away, contact: &away,
			field: "merged_into", new: val(itoa64(keep)), version: pv.Away.Version + 1, note: note}); err != nil {
			return err
		}
		if len(pv.Moving) > 0 && pv.Keep.NeedsReview {
			if _, err := tx.SetRegistryContactReview(ctx, store.SetRegistryContactReviewParams{NeedsReview: false, UpdatedAt: now,
				UpdatedBy: byOf(me), ID: keep}); err != nil {
				return err
			}
		}
		return s.trail(ctx, tx, reg, me, CauseMerge, requestID, change{entity: EntityContact, id: keep, contact: &keep,
			field: "merged_from", new: val(itoa64(away)), version: pv.Keep.Version + 1,
			note: "merged " + pv.Away.FirstName + " " + pv.Away.Surname + " into this contact"})
	})
}
