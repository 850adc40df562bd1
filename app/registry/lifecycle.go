package registry

import (
	"context"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// PageSize is how many rows a page of the patient or contact list shows.
const PageSize = 25

// PatientSorts are the patient list's sortable columns.
var PatientSorts = []string{"surname", "date_of_birth", "registry_ref", "updated_at"}

// PatientFilter is the patient list's query, as kept in the URL.
type PatientFilter struct {
	Query   string // name, registry ID or NHS number (start of)
	Status  string // a clinical status code
	Deleted bool   // deleted patients (restorable) instead
	Sort    string
	Desc    bool
	Page    int
}

// PatientPage is one page of the patient list. Identified false: the
// viewer sees no names, NHS numbers or dates of birth (rows carry the
// registry ID, year of birth, sex and status).
type PatientPage struct {
	Filter     PatientFilter
	Patients   []store.RegistryPatientListItem
	Total      int64
	Pages      int
	Identified bool
}

// ListPatients returns a page of the registry's patients. Viewers without
// identifiers cannot search by name or NHS number (their query matches
// registry IDs only) nor list deleted patients. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound (registry), the store's.
func (s *Service) ListPatients(ctx context.Context, a access.Actor, slug string, f PatientFilter) (PatientPage, error) {
	reg, err := s.loadFor(ctx, a, access.ViewRegistry, slug)
	if err != nil {
		return PatientPage{}, err
	}
	identified := a.Can(access.ViewRegistryIDs)
	f.Query = cleanQuery(f.Query)
	if !identified {
		if !strings.HasPrefix(f.Query, "r") {
			f.Query = ""
		}
		f.Deleted = false
	}
	if !a.Can(access.EditRegistry) {
		f.Deleted = false
	}
	if !has(reg.ClinicalStatuses, f.Status) {
		f.Status = ""
	}
	f.Sort, f.Desc = listfilter.Sort(f.Sort, f.Desc, PatientSorts)
	deleted := yesIf(f.Deleted)
	rows, total, pages, err := pageOfRows(&f.Page, func() (int64, error) {
		return s.Store.CountRegistryPatients(ctx, store.CountRegistryPatientsParams{RegistryID: reg.ID, Deleted: deleted, Status: f.Status, Query: f.Query})
	}, func(offset int64) ([]store.RegistryPatientListItem, error) {
		return s.Store.ListRegistryPatients(ctx, store.RegistryPatientListParams{Sort: f.Sort, Descending: f.Desc, RegistryID: reg.ID,
			Deleted: deleted, Status: f.Status, Query: f.Query, PageOffset: offset, PageLimit: PageSize})
	})
	if err != nil {
		return PatientPage{}, err
	}
	if !identified {
		for i := range rows {
			r := &rows[i]
			r.FirstName, r.Surname, r.NHSNumber = "", "", ""
			r.DateOfBirth = store.Date{Year: r.DateOfBirth.Year}
		}
	}
	return PatientPage{Filter: f, Patients: rows, Total: total, Pages: pages, Identified: identified}, nil
}

// DeletePatient soft-deletes a patient: it ends the patient's current
// relationships (today), and flags for review each contact left linked to
// nobody. Restorable for RestoreWindow. Errors: apperr.ErrForbidden,
// apperr.ErrNotFound (no such patient, or already deleted), the store's.
func (s *Service) DeletePatient(ctx context.Context, me access.Me, id int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		p, reg, err := livePatient(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.SetRegistryPatientDeleted(ctx, store.SetRegistryPatientDeletedParams{DeletedAt: &now, DeletedBy: byOf(me),
			UpdatedAt: now, UpdatedBy: byOf(me), ID: id}); err != nil {
			return err
		}
		if err := s.trail(ctx, tx, reg.ID, me, CauseDeletion, requestID, deletedRow(aboutPatient(p), false)); err != nil {
			return err
		}
		// Its files go with it (app/files purges their objects later).
		if _, err := tx.SoftDeleteFilesOf(ctx, store.SoftDeleteFilesOfParams{DeletedAt: &now, OwnerKind: store.FileOwnerRegistryPatient, OwnerID: id}); err != nil {
			return err
		}
		links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: id, IncludeDeleted: true})
		if err != nil {
			return err
		}
		today := store.NewDate(s.today())
		for _, l := range links {
			if l.EndDate == nil {
				if err := s.endLink(ctx, tx, me, reg.ID, l, today, CauseDeletion, requestID); err != nil {
					return err
				}
			}
			if err := s.reviewIfAlone(ctx, tx, me, l.ContactID); err != nil {
				return err
			}
		}
		return nil
	})
}

// endLink ends a current relationship on day, with its trail row.
func (s *Service) endLink(ctx context.Context, tx store.Tx, me access.Me, reg int64, l store.RegistryLink, day store.Date, cause, requestID string) error {
	r, err := tx.GetRegistryRelationship(ctx, l.ID)
	if err != nil {
		return err
	}
	if r.StartDate != nil && day.Before(*r.StartDate) {
		day = *r.StartDate
	}
	n, err := tx.UpdateRegistryRelationship(ctx, relUpdate(r, r.ContactID, &day, s.now(), me))
	if err != nil {
		return err
	}
	if n == 0 {
		return errStale
	}
	return s.trail(ctx, tx, reg, me, cause, requestID, change{entity: EntityRelationship, id: r.ID, patient: &r.PatientID,
		contact: &r.ContactID, field: FieldEndDate, new: dateVal(&day), version: r.Version + 1})
}

// relUpdate is r as an update at its version, moved to contact and ending
// on end.
func relUpdate(r store.RegistryRelationship, contact int64, end *store.Date, now time.Time, me access.Me) store.UpdateRegistryRelationshipParams {
	return store.UpdateRegistryRelationshipParams{ContactID: contact, Type: r.Type, LegalAuthority: r.LegalAuthority,
		MayAct: r.MayAct, IsPrimary: r.IsPrimary, StartDate: r.StartDate, EndDate: end, UpdatedAt: now,
		UpdatedBy: byOf(me), ID: r.ID, Version: r.Version}
}

// reviewIfAlone flags a contact (not deleted) with no current relationship
// for review: it is never deleted on its own.
func (s *Service) reviewIfAlone(ctx context.Context, tx store.Tx, me access.Me, contactID int64) error {
	c, err := tx.GetRegistryContact(ctx, contactID)
	if err != nil || c.DeletedAt != nil {
		return err
	}
	links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: contactID})
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.EndDate == nil {
			return nil
		}
	}
	n, err := tx.SetRegistryContactReview(ctx, store.SetRegistryContactReviewParams{NeedsReview: true, UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: contactID})
	if err != nil || n == 0 {
		return err
	}
	return s.trail(ctx, tx, c.RegistryID, me, CauseJob, "", change{entity: EntityContact, id: contactID, contact: &contactID,
		field: "needs_review", old: val("no"), new: val("yes"), version: c.Version + 1, note: "linked to no current patient"})
}

// RestorePatient undoes a deletion within RestoreWindow. Relationships it
// ended stay ended: the user links again what still holds. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, apperr Gone (past the window),
// FieldErrors on nhs_number (since taken), the store's.
func (s *Service) RestorePatient(ctx context.Context, me access.Me, id int64, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		p, reg, err := anyPatient(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.restorable(p.DeletedAt, "patient"); err != nil {
			return err
		}
		if _, err := tx.SetRegistryPatientDeleted(ctx, store.SetRegistryPatientDeletedParams{UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: id}); err != nil {
			return err
		}
		if _, err := tx.RestoreFilesOf(ctx, store.RestoreFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: id}); err != nil {
			return err
		}
		return s.trail(ctx, tx, reg.ID, me, CauseRestore, requestID, deletedRow(aboutPatient(p), true))
	})
}

// cleanQuery is a search as typed: lower-case, capped, LIKE's wildcards
// removed.
func cleanQuery(q string) string {
	return strings.NewReplacer("%", "", "_", "", "\\", "").Replace(listfilter.Cap(strings.ToLower(strings.TrimSpace(q))))
}
