package children

import (
	"context"
	"errors"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
)

// Deletion (spec §11.3, improved). Epilepsy12 hard-deletes a case at once,
// keeping copies only in its history tables. Here deleting is soft: the
// child disappears from every list and page (404, as for a child that never
// existed) but stays in the database for RestoreWindow, during which the
// national audit team (full access) can see it on the "Deleted children"
// page and restore it as it was. A daily job (NewPurgeWorker) then
// removes it for good with every row that hangs off it. Its NHS number
// stays taken until then.
//
// Deleting is for records that should never have been made (a duplicate, the
// wrong child): it is refused, like any other change, while the child is
// locked, after its cohort's deadline, once it is opted out, and while a
// transfer of its lead organisation waits for an answer. The confirmation
// page carries the record's version, so what is deleted is what was shown.

// RestoreWindow is how long a deleted child can be restored: a child
// deleted at T can be restored until T+30 days inclusive and is purged by
// the first daily run after that.
const RestoreWindow = 30 * 24 * time.Hour

// ErrRestoreExpired refuses a restore after the window (409).
var ErrRestoreExpired = conflict("This child was deleted more than 30 days ago, so they can no longer be restored. Their record is removed for good at the next daily purge.")

// Delete soft-deletes the child. version is the one the confirmation page
// showed. Errors: ErrTransferPending besides the common ones.
func (s *Service) Delete(ctx context.Context, me Me, id, version int64) error {
	return s.change(ctx, me.Actor, id, access.DeleteChild, func(tx store.Tx, c store.Child, _ store.Organisation, _ time.Time) error {
		if err := noPendingTransfer(ctx, tx, c.ID); err != nil {
			return err
		}
		if version != c.Version {
			return ErrStale
		}
		rows, err := tx.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: s.now(), UpdatedBy: &me.ID, ID: c.ID, Version: c.Version})
		if err != nil {
			return err
		}
		if rows == 0 {
			return ErrStale
		}
		// Its files go with it (app/files purges their objects later).
		now := s.now()
		if _, err := tx.SoftDeleteFilesOf(ctx, store.SoftDeleteFilesOfParams{DeletedAt: &now, OwnerKind: store.FileOwnerChild, OwnerID: c.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, me, c.ID, nil, KindDeletion, "", Change{Field: "deleted", Old: ptr("false"), New: ptr("true")})
	})
}

// Restore undoes a deletion made within RestoreWindow. Only those who may
// restore children (the national audit team with full access) learn
// whether a deleted child exists: everyone else is refused first. Errors:
// apperr.ErrForbidden, ErrNotFound, ErrRestoreExpired.
func (s *Service) Restore(ctx context.Context, me Me, id int64) error {
	if !me.Actor.Can(access.RestoreChild) {
		return apperr.ErrForbidden
	}
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		d, err := tx.GetDeletedChild(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		o, err := tx.GetOrganisation(ctx, d.LeadOrganisationID)
		if err != nil {
			return err
		}
		if !access.Allowed(me.Actor, access.RestoreChild, access.PlaceOfOrganisation(o)) {
			return ErrNotFound
		}
		now := s.now()
		since := now.Add(-RestoreWindow)
		if d.DeletedAt.Before(since) {
			return ErrRestoreExpired
		}
		rows, err := tx.RestoreChild(ctx, store.RestoreChildParams{UpdatedAt: now, UpdatedBy: &me.ID, ID: d.ID, DeletedSince: &since})
		if err != nil {
			return err
		}
		if rows == 0 {
			return ErrRestoreExpired
		}
		if _, err := tx.RestoreFilesOf(ctx, store.RestoreFilesOfParams{OwnerKind: store.FileOwnerChild, OwnerID: d.ID}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, me, d.ID, nil, KindDeletion, "", Change{Field: "deleted", Old: ptr("true"), New: ptr("false")}); err != nil {
			return err
		}
		return scorequeue.Later(ctx, tx, d.ID)
	})
}

// MaxDeletedShown is how many deleted children the page lists, newest
// first.
const MaxDeletedShown = 500

// DeletedRow is a deleted child on the "Deleted children" page.
type DeletedRow struct {
	store.DeletedChild
	// RestoreUntil is the end of the restore window; Restorable is false
	// after it (the child waits for the next purge).
	RestoreUntil time.Time
	Restorable   bool
}

// Name is "First Surname", NHSNumberDisplay "999 123 4560" or the Jersey
// reference, and the dates are for the page.
func (r DeletedRow) Name() string { return strings.TrimSpace(r.FirstName + " " + r.Surname) }

func (r DeletedRow) NHSNumberDisplay() string {
	return numberDisplay(r.NHSNumber, r.UniqueReferenceNumber)
}

func (r DeletedRow) DateOfBirthDisplay() string { return dateDisplay(r.DateOfBirth) }

func (r DeletedRow) DeletedAtDisplay() string { return timeDisplay(r.DeletedAt) }

func (r DeletedRow) RestoreUntilDisplay() string { return timeDisplay(&r.RestoreUntil) }

// Deleted lists the deleted children not yet purged, for those who may
// restore them. Errors: apperr.ErrForbidden.
func (s *Service) Deleted(ctx context.Context, a access.Actor) ([]DeletedRow, error) {
	if !a.Can(access.RestoreChild) {
		return nil, apperr.ErrForbidden
	}
	rows, err := s.Store.ListDeletedChildren(ctx, MaxDeletedShown)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]DeletedRow, 0, len(rows))
	for _, r := range rows {
		until := r.DeletedAt.Add(RestoreWindow)
		out = append(out, DeletedRow{DeletedChild: r, RestoreUntil: until, Restorable: !now.After(until)})
	}
	return out, nil
}

// PurgeDeleted removes for good the children deleted more than
// RestoreWindow before now, with the rows that hang off them, and returns
// how many children went. The daily purge job calls it.
func PurgeDeleted(ctx context.Context, st store.Store, now time.Time) (int64, error) {
	before := now.UTC().Add(-RestoreWindow)
	var n int64
	err := st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.PurgeDeletedChildTransfers(ctx, &before); err != nil {
			return err
		}
		var err error
		n, err = tx.PurgeDeletedChildren(ctx, &before)
		return err
	})
	return n, err
}
