// Package family is the families' private area of the registry
// (docs/registry.md, "The families' private area"): what a signed-in family
// account may see and change. Its one rule: a family reaches a patient only
// while it holds an active relationship with authority for them (legal
// authority or leave to act, not ended, not removed), read from the store
// at every call, so access ends the moment the relationship does. Within
// that, it calls app/registry's own functions (the same checks, the same
// trail) as registry.ForFamily, so every change names the family account.
// It knows nothing of HTTP.
package family

import (
	"context"
	"errors"
	"slices"
	"time"

	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// Service runs the private area's operations.
type Service struct {
	Store     store.Store
	Registry  *registry.Service
	Now       func() time.Time
	BaseURL   string        // for links in emails
	InviteTTL time.Duration // how long a carer's invitation works
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

func (s *Service) today() *store.Date {
	t := s.Now().In(london)
	return &store.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// Patients lists the patients the account holds an active relationship
// with authority for.
func (s *Service) Patients(ctx context.Context, a store.FamilyAccount) ([]store.FamilyPatient, error) {
	return s.Store.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: a.ID, Today: s.today()})
}

// PatientOf is the account's patient by id, with the relationship that
// gives access: apperr.ErrNotFound when it has none with authority now (a
// patient of someone else looks exactly like one that does not exist).
func (s *Service) PatientOf(ctx context.Context, a store.FamilyAccount, patientID int64) (store.FamilyPatient, error) {
	return s.authorised(ctx, a, patientID)
}

// authorised is PatientOf: every operation of the package starts with it.
func (s *Service) authorised(ctx context.Context, a store.FamilyAccount, patientID int64) (store.FamilyPatient, error) {
	ps, err := s.Patients(ctx, a)
	if err != nil {
		return store.FamilyPatient{}, err
	}
	for _, p := range ps {
		if p.ID == patientID {
			return p, nil
		}
	}
	return store.FamilyPatient{}, apperr.ErrNotFound
}

// PatientFields are the patient's fields a family edits: identity and
// clinical status. The registry's notes (staff free text), diagnosis
// confirmation and genetic findings are the registry team's.
var PatientFields = []string{registry.FieldFirstName, registry.FieldSurname, registry.FieldDateOfBirth, registry.FieldSex,
	registry.FieldNHSNumber, registry.FieldPostcode, registry.FieldDiagnosisDate, registry.FieldDateOfDeath}

// ProfileFields are the contact's own fields a family edits. The email
// address is the account's sign-in address: the registry team changes it.
var ProfileFields = []string{registry.FieldFirstName, registry.FieldSurname, registry.FieldPhone, registry.FieldAddress,
	registry.FieldPostcode, registry.FieldPreferredLanguage, registry.FieldPreferredChannel, registry.FieldMayContact}

// Patient returns one of the account's patients with the relationship that
// gives access. Errors: apperr.ErrNotFound, the store's.
func (s *Service) Patient(ctx context.Context, a store.FamilyAccount, id int64) (registry.Patient, store.FamilyPatient, error) {
	fp, err := s.authorised(ctx, a, id)
	if err != nil {
		return registry.Patient{}, fp, err
	}
	p, err := s.Registry.GetPatient(ctx, registry.ForFamily(a.ID).Actor, id)
	p.Notes = "" // the registry team's notes are not the family's to read
	return p, fp, err
}

// SavePatientField saves one field of one of the account's patients (the
// autosave). Errors: apperr.ErrNotFound, apperr.ErrForbidden (a field the
// family does not edit), registry.FieldErrors, *registry.ConflictError,
// the store's.
func (s *Service) SavePatientField(ctx context.Context, a store.FamilyAccount, f registry.SaveField) (registry.Saved, error) {
	if _, err := s.authorised(ctx, a, f.ID); err != nil {
		return registry.Saved{}, err
	}
	if !slices.Contains(PatientFields, f.Field) {
		return registry.Saved{}, apperr.ErrForbidden
	}
	return s.Registry.SavePatientField(ctx, registry.ForFamily(a.ID), f)
}

// AddPatient registers a patient and relates them to the account's
// contact (with authority: the family registered them), in one
// transaction. A possible duplicate is not shown to a family (that would
// tell them who else is in the registry): the patient is added, and the
// registry team's duplicate checks find it. Errors: registry.FieldErrors,
// the store's.
func (s *Service) AddPatient(ctx context.Context, a store.FamilyAccount, slug string, in registry.PatientInput, rel registry.RelationshipInput) (store.RegistryPatient, error) {
	in.Notes, in.DiagnosisConfirmation, in.ClinicalStatus = "", "", ""
	rel.MayAct = true // they registered the patient: they act for them
	me := registry.ForFamily(a.ID)
	var out store.RegistryPatient
	err := s.Registry.Within(ctx, func(reg *registry.Service, _ store.Tx) error {
		var err error
		if out, err = reg.AddPatient(ctx, me, slug, in, true, registry.CauseForm); err != nil {
			return err
		}
		_, err = reg.Link(ctx, me, out.ID, a.ContactID, rel, registry.CauseForm)
		return err
	})
	return out, err
}

// DeletePatient deletes one of the account's patients: the registry's soft
// delete (restorable by the registry team for 30 days), which ends every
// relationship to them, this family's access included. Errors:
// apperr.ErrNotFound, the store's.
func (s *Service) DeletePatient(ctx context.Context, a store.FamilyAccount, id int64, requestID string) error {
	if _, err := s.authorised(ctx, a, id); err != nil {
		return err
	}
	return s.Registry.DeletePatient(ctx, registry.ForFamily(a.ID), id, requestID)
}

// Profile is the account's contact.
func (s *Service) Profile(ctx context.Context, a store.FamilyAccount) (registry.Contact, error) {
	return s.Registry.GetContact(ctx, registry.ForFamily(a.ID).Actor, a.ContactID)
}

// SaveProfileField saves one field of the account's own contact. Errors:
// apperr.ErrForbidden (a field the family does not edit),
// registry.FieldErrors, *registry.ConflictError, the store's.
func (s *Service) SaveProfileField(ctx context.Context, a store.FamilyAccount, f registry.SaveField) (registry.Saved, error) {
	if !slices.Contains(ProfileFields, f.Field) {
		return registry.Saved{}, apperr.ErrForbidden
	}
	f.ID = a.ContactID
	return s.Registry.SaveContactField(ctx, registry.ForFamily(a.ID), f)
}

// IsNotFound reports whether err means "not yours, or not there".
func IsNotFound(err error) bool { return errors.Is(err, apperr.ErrNotFound) }
