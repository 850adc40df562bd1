package registry

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/postcode"
	"clinaudit/app/store"
)

// Patient is one patient as its page shows it. For a viewer without
// view_registry_identifiers (a registry viewer) Identified is false and
// the names, NHS number, day and month of birth, postcode and notes are
// blanked: YearOfBirth stays.
type Patient struct {
	store.RegistryPatient
	Identified  bool
	YearOfBirth int
	Findings    []store.RegistryFinding
	Links       []store.RegistryLink
	// CanEdit: the viewer may change it (edit_registry).
	CanEdit bool
}

// NewRegistryRef returns a random registry ID: "R" and 7 Crockford base32
// characters, as the audit's IDs (children.NewAuditID).
func NewRegistryRef() string { return "R" + children.NewAuditID()[1:] }

// PatientInputOf fills the patient form from a stored patient.
func PatientInputOf(p store.RegistryPatient) PatientInput {
	in := PatientInput{FirstName: p.FirstName, Surname: p.Surname, DateOfBirth: children.DateInputOf(&p.DateOfBirth),
		Sex: strconv.FormatInt(p.Sex, 10), DiagnosisDate: children.DateInputOf(p.DiagnosisDate),
		DiagnosisConfirmation: p.DiagnosisConfirmation, ClinicalStatus: p.ClinicalStatus,
		DateOfDeath: children.DateInputOf(p.DateOfDeath), Notes: p.Notes}
	if p.NHSNumber != nil {
		in.NHSNumber = nhsnumber.Format(*p.NHSNumber)
	}
	if p.Postcode != "" {
		if f, err := postcode.Validate(p.Postcode); err == nil {
			in.Postcode = f
		} else {
			in.Postcode = p.Postcode
		}
	}
	return in
}

// Match is a possible duplicate to warn about, with why it matched.
type Match struct {
	ID      int64
	Ref     string // a patient's registry ID; "" for a contact
	Name    string
	Reason  string // "same NHS number", "same name and date of birth", "same email"...
	Deleted bool
}

// DuplicateError warns that the record being added looks like others. The
// user checks them and adds anyway (Confirm) or opens one: nothing is
// ever merged without them.
type DuplicateError struct{ Matches []Match }

func (e *DuplicateError) Error() string {
	return "This looks like " + strconv.Itoa(len(e.Matches)) + " record(s) already in the registry: check before adding"
}

// AddPatient registers a patient: checks, a duplicate warning unless
// confirm, the row and its trail, in one transaction. Errors: FieldErrors,
// *DuplicateError, apperr.ErrForbidden, apperr.ErrNotFound (no such
// registry), the store's.
func (s *Service) AddPatient(ctx context.Context, me access.Me, slug string, in PatientInput, confirm bool, cause string) (store.RegistryPatient, error) {
	return editing(ctx, s, me, func(tx store.Tx) (store.RegistryPatient, error) {
		var out store.RegistryPatient
		reg, err := load(ctx, tx, slug)
		if err != nil {
			return out, err
		}
		row, errs := checkPatient(reg.Definition, in, s.today())
		if len(errs) > 0 {
			return out, errs
		}
		if err := patientDuplicates(ctx, tx, reg.ID, 0, row, confirm); err != nil {
			return out, err
		}
		var id int64
		for range 5 { // a clash of random registry IDs is retried
			id, err = tx.InsertRegistryPatient(ctx, store.InsertRegistryPatientParams{RegistryID: reg.ID, RegistryRef: NewRegistryRef(),
				FirstName: row.first, Surname: row.surname, DateOfBirth: row.dob, Sex: row.sex, NHSNumber: row.nhs,
				Postcode: row.postc, DiagnosisDate: row.diagnosis, DiagnosisConfirmation: row.confirmation,
				ClinicalStatus: row.status, DateOfDeath: row.death, Notes: row.notes, CreatedAt: s.now(), CreatedBy: byOf(me)})
			if !conflictOn(err, "registry_ref") {
				break
			}
		}
		if err := nhsTaken(err); err != nil {
			return out, err
		}
		if out, err = tx.GetRegistryPatient(ctx, id); err != nil {
			return out, err
		}
		return out, s.trail(ctx, tx, reg.ID, me, causeOr(cause), "", patientChanges(store.RegistryPatient{}, out, id)...)
	})
}

func causeOr(c string) string {
	if c == "" {
		return CauseForm
	}
	return c
}

func conflictOn(err error, column string) bool {
	return errors.Is(err, store.ErrConflict) && strings.Contains(err.Error(), column)
}

// MsgNHSNumberTaken is the message for an NHS number already registered.
const MsgNHSNumberTaken = "A patient with this NHS number is already in the registry"

func nhsTaken(err error) error {
	if conflictOn(err, "nhs_number") {
		return FieldErrors{{Field: FieldNHSNumber, Message: MsgNHSNumberTaken}}
	}
	return err
}

// patientDuplicates refuses a patient whose NHS number is taken (a field
// error: one person, one record) and warns about the same name and date of
// birth unless confirm.
func patientDuplicates(ctx context.Context, q store.Queries, reg, except int64, row patientRow, confirm bool) error {
	ms, err := patientMatches(ctx, q, reg, except, row)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Reason == ReasonSameNHSNumber {
			msg := MsgNHSNumberTaken + " (" + m.Ref + ")"
			if m.Deleted {
				msg += ": it was deleted, restore it instead"
			}
			return FieldErrors{{Field: FieldNHSNumber, Message: msg}}
		}
	}
	if len(ms) > 0 && !confirm {
		return &DuplicateError{Matches: ms}
	}
	return nil
}

// ReasonSameNHSNumber is a Match's reason when the NHS numbers agree.
const ReasonSameNHSNumber = "same NHS number"

// patientMatches lists the patients that look like row: the same NHS
// number, or the same name and date of birth.
func patientMatches(ctx context.Context, q store.Queries, reg, except int64, row patientRow) ([]Match, error) {
	nhs := ""
	if row.nhs != nil {
		nhs = *row.nhs
	}
	found, err := q.FindRegistryPatientDuplicates(ctx, store.FindRegistryPatientDuplicatesParams{RegistryID: reg, ExceptID: except,
		NHSNumber: nhs, Surname: row.surname, FirstName: row.first, DateOfBirth: row.dob})
	if err != nil {
		return nil, err
	}
	var ms []Match
	for _, p := range found {
		m := Match{ID: p.ID, Ref: p.RegistryRef, Name: p.FirstName + " " + p.Surname, Deleted: p.DeletedAt != nil,
			Reason: "same name and date of birth"}
		if nhs != "" && p.NHSNumber != nil && *p.NHSNumber == nhs {
			m.Reason = ReasonSameNHSNumber
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// patientChanges are the trail rows from before to after (a zero before:
// a new patient).
func patientChanges(before, after store.RegistryPatient, id int64) []change {
	pid := id
	c := func(field string, old, new *string) change {
		return change{entity: EntityPatient, id: id, patient: &pid, field: field, old: old, new: new, version: after.Version}
	}
	sex := func(p store.RegistryPatient) *string {
		if p.ID == 0 {
			return nil
		}
		return val(strconv.FormatInt(p.Sex, 10))
	}
	dob := func(p store.RegistryPatient) *string {
		if p.ID == 0 {
			return nil
		}
		return val(p.DateOfBirth.String())
	}
	str := func(p *string) *string {
		if p == nil {
			return nil
		}
		return val(*p)
	}
	return []change{
		c(FieldFirstName, val(before.FirstName), val(after.FirstName)),
		c(FieldSurname, val(before.Surname), val(after.Surname)),
		c(FieldDateOfBirth, dob(before), dob(after)),
		c(FieldSex, sex(before), sex(after)),
		c(FieldNHSNumber, str(before.NHSNumber), str(after.NHSNumber)),
		c(FieldPostcode, val(before.Postcode), val(after.Postcode)),
		c(FieldDiagnosisDate, dateVal(before.DiagnosisDate), dateVal(after.DiagnosisDate)),
		c(FieldDiagnosisConfirmation, val(before.DiagnosisConfirmation), val(after.DiagnosisConfirmation)),
		c(FieldClinicalStatus, val(before.ClinicalStatus), val(after.ClinicalStatus)),
		c(FieldDateOfDeath, dateVal(before.DateOfDeath), dateVal(after.DateOfDeath)),
		c(FieldNotes, val(before.Notes), val(after.Notes)),
	}
}

// aboutPatient is a trail row about patient p, at its next version.
func aboutPatient(p store.RegistryPatient) change {
	return change{entity: EntityPatient, id: p.ID, patient: &p.ID, version: p.Version + 1}
}

// setPatientField puts one typed field into the form.
func setPatientField(in *PatientInput, f SaveField) bool {
	switch f.Field {
	case FieldFirstName:
		in.FirstName = f.Value
	case FieldSurname:
		in.Surname = f.Value
	case FieldDateOfBirth:
		in.DateOfBirth = f.Date
	case FieldSex:
		in.Sex = f.Value
	case FieldNHSNumber:
		in.NHSNumber = f.Value
	case FieldPostcode:
		in.Postcode = f.Value
	case FieldDiagnosisDate:
		in.DiagnosisDate = f.Date
	case FieldDiagnosisConfirmation:
		in.DiagnosisConfirmation = f.Value
	case FieldClinicalStatus:
		in.ClinicalStatus = f.Value
	case FieldDateOfDeath:
		in.DateOfDeath = f.Date
	case FieldNotes:
		in.Notes = f.Value
	default:
		return false
	}
	return true
}

// SavePatientField is autosave on a patient's page: one field checked
// with the rest of the record as stored, a conflict if someone else
// changed it since Seen, the row and its trail row. Errors: FieldErrors
// (on f.Field), *ConflictError, apperr.ErrForbidden, apperr.ErrNotFound
// (no such patient, or deleted), apperr Invalid (no such field), apperr
// Conflict (a simultaneous save: save again), the store's.
func (s *Service) SavePatientField(ctx context.Context, me access.Me, f SaveField) (Saved, error) {
	return editing(ctx, s, me, func(tx store.Tx) (Saved, error) {
		p, reg, err := livePatient(ctx, tx, f.ID)
		if err != nil {
			return Saved{}, err
		}
		in := PatientInputOf(p)
		if !setPatientField(&in, f) {
			return Saved{}, apperr.Errorf(apperr.Invalid, "A patient has no field %q", f.Field)
		}
		row, errs := checkPatient(reg.Definition, in, s.today())
		if len(errs) > 0 {
			return Saved{}, onlyField(errs, f.Field)
		}
		next := p
		next.FirstName, next.Surname, next.DateOfBirth, next.Sex, next.NHSNumber = row.first, row.surname, row.dob, row.sex, row.nhs
		next.Postcode, next.DiagnosisDate, next.DiagnosisConfirmation = row.postc, row.diagnosis, row.confirmation
		next.ClinicalStatus, next.DateOfDeath, next.Notes = row.status, row.death, row.notes
		next.Version = p.Version + 1
		return s.saveChange(ctx, tx, me, reg.ID, f, p.Version, fieldChange(patientChanges(p, next, p.ID), f.Field), func() (int64, error) {
			if f.Field == FieldFirstName || f.Field == FieldSurname || f.Field == FieldDateOfBirth || f.Field == FieldNHSNumber {
				if err := patientDuplicates(ctx, tx, reg.ID, p.ID, row, true); err != nil {
					return 0, asField(err, f.Field)
				}
			}
			n, err := tx.UpdateRegistryPatient(ctx, store.UpdateRegistryPatientParams{FirstName: next.FirstName, Surname: next.Surname,
				DateOfBirth: next.DateOfBirth, Sex: next.Sex, NHSNumber: next.NHSNumber, Postcode: next.Postcode,
				DiagnosisDate: next.DiagnosisDate, DiagnosisConfirmation: next.DiagnosisConfirmation,
				ClinicalStatus: next.ClinicalStatus, DateOfDeath: next.DateOfDeath, Notes: next.Notes,
				UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: p.ID, Version: p.Version})
			return n, asField(nhsTaken(err), f.Field)
		})
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// livePatient reads a patient that is not deleted, with its registry.
func livePatient(ctx context.Context, q store.Queries, id int64) (store.RegistryPatient, Registry, error) {
	p, reg, err := anyPatient(ctx, q, id)
	if err == nil && p.DeletedAt != nil {
		err = apperr.ErrNotFound
	}
	return p, reg, err
}

func anyPatient(ctx context.Context, q store.Queries, id int64) (store.RegistryPatient, Registry, error) {
	p, err := q.GetRegistryPatient(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, Registry{}, apperr.ErrNotFound
	}
	if err != nil {
		return p, Registry{}, err
	}
	reg, err := registryOf(ctx, q, p.RegistryID)
	return p, reg, err
}

// GetPatient returns a patient with findings and links; a deleted one only
// to those who may restore it. Errors: apperr.ErrForbidden,
// apperr.ErrNotFound, the store's.
func (s *Service) GetPatient(ctx context.Context, a access.Actor, id int64) (Patient, error) {
	if err := authorize(a, access.ViewRegistry); err != nil {
		return Patient{}, err
	}
	p, _, err := anyPatient(ctx, s.Store, id)
	if err != nil {
		return Patient{}, err
	}
	if p.DeletedAt != nil && !a.Can(access.EditRegistry) {
		return Patient{}, apperr.ErrNotFound
	}
	out := Patient{RegistryPatient: p, Identified: a.Can(access.ViewRegistryIDs), YearOfBirth: p.DateOfBirth.Year,
		CanEdit: a.Can(access.EditRegistry) && p.DeletedAt == nil}
	if out.Findings, err = s.Store.ListRegistryFindings(ctx, id); err != nil {
		return Patient{}, err
	}
	if out.Links, err = s.Store.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: id}); err != nil {
		return Patient{}, err
	}
	if !out.Identified {
		out.FirstName, out.Surname, out.NHSNumber, out.Postcode, out.Notes = "", "", nil, "", ""
		out.DateOfBirth = store.Date{}
		for i := range out.Links {
			l := &out.Links[i]
			l.PatientFirstName, l.PatientSurname, l.ContactFirstName, l.ContactSurname, l.ContactEmail, l.ContactPhone = "", "", "", "", "", ""
		}
	}
	return out, nil
}
