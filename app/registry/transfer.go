package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// The registry's JSON lines (`clinaudit registry import|export`,
// docs/registry.md): two kinds of record, one a line. A contact line comes
// before the patient lines that name it by its key, so a contact linked to
// siblings is written once; a patient line carries its findings and its
// relationships. Dates are YYYY-MM-DD; flags are JSON booleans. Deleted
// records are not exported, and the registry ID is the registry's own: an
// import assigns new ones.

// KindContact and KindPatient are the record kinds of a line.
const (
	KindContact = "contact"
	KindPatient = "patient"
)

// ContactRecord is a contact line. Key names it in the file only.
type ContactRecord struct {
	Kind              string `json:"kind"`
	Key               string `json:"key"`
	FirstName         string `json:"first_name"`
	Surname           string `json:"surname"`
	Email             string `json:"email,omitempty"`
	Phone             string `json:"phone,omitempty"`
	Address           string `json:"address,omitempty"`
	Postcode          string `json:"postcode,omitempty"`
	PreferredLanguage string `json:"preferred_language,omitempty"`
	PreferredChannel  string `json:"preferred_channel,omitempty"`
	MayContact        bool   `json:"may_contact"`
	Notes             string `json:"notes,omitempty"`
}

// PatientRecord is a patient line, with its findings and relationships.
type PatientRecord struct {
	Kind                  string               `json:"kind"`
	FirstName             string               `json:"first_name"`
	Surname               string               `json:"surname"`
	DateOfBirth           string               `json:"date_of_birth"`
	Sex                   string               `json:"sex"`
	NHSNumber             string               `json:"nhs_number,omitempty"`
	Postcode              string               `json:"postcode,omitempty"`
	DiagnosisDate         string               `json:"diagnosis_date,omitempty"`
	DiagnosisConfirmation string               `json:"diagnosis_confirmation,omitempty"`
	ClinicalStatus        string               `json:"clinical_status,omitempty"`
	DateOfDeath           string               `json:"date_of_death,omitempty"`
	Notes                 string               `json:"notes,omitempty"`
	Findings              []FindingRecord      `json:"findings,omitempty"`
	Relationships         []RelationshipRecord `json:"relationships,omitempty"`
}

// FindingRecord is a genetic finding of a patient line.
type FindingRecord struct {
	Gene           string `json:"gene"`
	Variant        string `json:"variant"`
	Classification string `json:"classification,omitempty"`
	SourceReport   string `json:"source_report,omitempty"`
	ConfirmedBy    string `json:"confirmed_by,omitempty"`
}

// RelationshipRecord links a patient line to a contact line's key.
type RelationshipRecord struct {
	Contact        string `json:"contact"`
	Type           string `json:"type"`
	LegalAuthority bool   `json:"legal_authority"`
	MayAct         bool   `json:"may_act"`
	IsPrimary      bool   `json:"is_primary"`
	StartDate      string `json:"start_date,omitempty"`
	EndDate        string `json:"end_date,omitempty"`
}

// Refused is a line an import refuses: its problems, each naming its field
// ("relationships[0].type: Choose ...").
type Refused struct{ Problems []string }

func (r *Refused) Error() string { return strings.Join(r.Problems, "; ") }

// Importer adds a file's lines to a registry, each line in one
// transaction through the checks of the pages (AddContact, AddPatient,
// SaveFinding, Link), as Me (a registry manager; ID 0 for the command
// line). A patient the duplicate check matches (same NHS number, or same
// name and date of birth) is refused; contacts are added even when they
// look alike, since the file links them explicitly.
type Importer struct {
	Service *Service
	Me      access.Me
	Slug    string
	keys    map[string]int64 // contact keys already imported
}

// Line imports one line. Errors: *Refused (reported, the import goes on),
// apperr.ErrForbidden, apperr.ErrNotFound (registry), the store's.
func (im *Importer) Line(ctx context.Context, line []byte) error {
	if im.keys == nil {
		im.keys = map[string]int64{}
	}
	var kind struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(line, &kind); err != nil {
		return &Refused{[]string{"not a JSON object: " + err.Error()}}
	}
	return im.Service.Store.InTx(ctx, func(tx store.Tx) error {
		in := &Service{Store: txStore{Tx: tx, outer: outer{im.Service.Store}}, Now: im.Service.Now}
		switch kind.Kind {
		case KindContact:
			var r ContactRecord
			if err := strict(line, &r); err != nil {
				return err
			}
			return im.contact(ctx, in, r)
		case KindPatient:
			var r PatientRecord
			if err := strict(line, &r); err != nil {
				return err
			}
			return im.patient(ctx, in, r)
		}
		return &Refused{[]string{fmt.Sprintf("kind: %q is neither %q nor %q", kind.Kind, KindContact, KindPatient)}}
	})
}

// strict decodes a line, refusing fields the format does not have.
func strict(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return &Refused{[]string{strings.TrimPrefix(err.Error(), "json: ")}}
	}
	return nil
}

func (im *Importer) contact(ctx context.Context, s *Service, r ContactRecord) error {
	key := strings.TrimSpace(r.Key)
	if key == "" {
		return &Refused{[]string{"key: Enter a key that patient lines can name the contact by"}}
	}
	if _, ok := im.keys[key]; ok {
		return &Refused{[]string{fmt.Sprintf("key: %q names an earlier contact of the file", key)}}
	}
	c, err := s.AddContact(ctx, im.Me, im.Slug, ContactInput{FirstName: r.FirstName, Surname: r.Surname, Email: r.Email,
		Phone: r.Phone, Address: r.Address, Postcode: r.Postcode, PreferredLanguage: r.PreferredLanguage,
		PreferredChannel: r.PreferredChannel, MayContact: r.MayContact, Notes: r.Notes}, true, CauseImport)
	if err != nil {
		return refusedOr(err, "")
	}
	im.keys[key] = c.ID
	return nil
}

func (im *Importer) patient(ctx context.Context, s *Service, r PatientRecord) error {
	var bad []string
	date := func(field, v string) DateInput {
		d, err := dateInputOfISO(v)
		if err != nil {
			bad = append(bad, field+": "+err.Error())
		}
		return d
	}
	in := PatientInput{FirstName: r.FirstName, Surname: r.Surname, DateOfBirth: date(FieldDateOfBirth, r.DateOfBirth), Sex: r.Sex,
		NHSNumber: r.NHSNumber, Postcode: r.Postcode, DiagnosisDate: date(FieldDiagnosisDate, r.DiagnosisDate),
		DiagnosisConfirmation: r.DiagnosisConfirmation, ClinicalStatus: r.ClinicalStatus,
		DateOfDeath: date(FieldDateOfDeath, r.DateOfDeath), Notes: r.Notes}
	rels := make([]RelationshipInput, len(r.Relationships))
	for i, rel := range r.Relationships {
		at := fmt.Sprintf("relationships[%d].", i)
		if _, ok := im.keys[strings.TrimSpace(rel.Contact)]; !ok {
			bad = append(bad, fmt.Sprintf("%scontact: %q is no contact line before this one", at, rel.Contact))
		}
		rels[i] = RelationshipInput{Type: rel.Type, LegalAuthority: rel.LegalAuthority, MayAct: rel.MayAct, IsPrimary: rel.IsPrimary,
			StartDate: date(at+FieldStartDate, rel.StartDate), EndDate: date(at+FieldEndDate, rel.EndDate)}
	}
	// Every field of the line checked first, so that one report names them
	// all; the writes below check again.
	reg, err := load(ctx, s.Store, im.Slug)
	if err != nil {
		return err
	}
	today := s.today()
	add := func(fe FieldErrors, prefix string) {
		for _, p := range fieldProblems(fe, prefix) {
			field, _, _ := strings.Cut(p, ": ")
			if !slices.ContainsFunc(bad, func(b string) bool { return strings.HasPrefix(b, field+": ") }) {
				bad = append(bad, p) // not a date already refused as not YYYY-MM-DD
			}
		}
	}
	_, fe := checkPatient(reg.Definition, in, today)
	add(fe, "")
	for i, f := range r.Findings {
		_, fe := checkFinding(reg.Definition, FindingInput(f))
		add(fe, fmt.Sprintf("findings[%d].", i))
	}
	for i, rel := range rels {
		_, fe := checkRelationship(rel, today)
		add(fe, fmt.Sprintf("relationships[%d].", i))
	}
	if len(bad) > 0 {
		return &Refused{bad}
	}
	p, err := s.AddPatient(ctx, im.Me, im.Slug, in, false, CauseImport)
	if err != nil {
		return refusedOr(err, "")
	}
	for i, f := range r.Findings {
		if _, err := s.SaveFinding(ctx, im.Me, p.ID, 0, 0, FindingInput(f), CauseImport); err != nil {
			return refusedOr(err, fmt.Sprintf("findings[%d].", i))
		}
	}
	for i, rel := range r.Relationships {
		if _, err := s.Link(ctx, im.Me, p.ID, im.keys[strings.TrimSpace(rel.Contact)], rels[i], CauseImport); err != nil {
			return refusedOr(err, fmt.Sprintf("relationships[%d].", i))
		}
	}
	return nil
}

// refusedOr turns the pages' refusals (field errors, a duplicate) into a
// Refused, each field under prefix; anything else is returned as it is.
func refusedOr(err error, prefix string) error {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return &Refused{fieldProblems(fe, prefix)}
	}
	var dup *DuplicateError
	if errors.As(err, &dup) {
		r := &Refused{}
		for _, m := range dup.Matches {
			r.Problems = append(r.Problems, fmt.Sprintf("%spatient: %s, as %s (%s) already in the registry", prefix, m.Reason, m.Ref, m.Name))
		}
		return r
	}
	return err
}

// fieldProblems are field errors as an import reports them, each field
// under prefix.
func fieldProblems(fe FieldErrors, prefix string) []string {
	var out []string
	for _, e := range fe {
		out = append(out, prefix+e.Field+": "+e.Message)
	}
	return out
}

// dateInputOfISO splits YYYY-MM-DD into the form's three boxes, which the
// pages' checks then read; "" is no date.
func dateInputOfISO(v string) (DateInput, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return DateInput{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return DateInput{}, fmt.Errorf("%q is not a date as YYYY-MM-DD", v)
	}
	return DateInput{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}, nil
}

// iso is a stored date as YYYY-MM-DD; "" for none.
func iso(d *store.Date) string {
	if d == nil {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// txStore runs the Service's own transactions inside the import line's:
// InTx joins it.
type txStore struct {
	store.Tx
	outer
}

// outer holds the Store for what a transaction has not; one level deeper,
// so the transaction's queries win.
type outer struct{ store.Store }

func (t txStore) InTx(_ context.Context, fn func(store.Tx) error) error { return fn(t) }

// exportPage is how many list rows an export reads at a time.
const exportPage = 500

// Export writes the registry's live contacts, then its live patients with
// their findings and relationships, one JSON object a line: what Importer
// reads. Contacts are keyed c1, c2... in the order written (by name).
// Errors: apperr.ErrForbidden (export_registry), apperr.ErrNotFound, the
// store's, w's.
func (s *Service) Export(ctx context.Context, a access.Actor, slug string, w io.Writer) (patients, contacts int, err error) {
	reg, err := s.loadFor(ctx, a, access.ExportRegistry, slug)
	if err != nil {
		return 0, 0, err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	keys := map[int64]string{}
	for off := int64(0); ; off += exportPage {
		rows, err := s.Store.ListRegistryContacts(ctx, store.RegistryContactListParams{RegistryID: reg.ID, PageOffset: off, PageLimit: exportPage})
		if err != nil {
			return patients, contacts, err
		}
		for _, row := range rows {
			c, err := s.Store.GetRegistryContact(ctx, row.ID)
			if err != nil {
				return patients, contacts, err
			}
			contacts++
			keys[c.ID] = "c" + strconv.Itoa(contacts)
			if err := enc.Encode(ContactRecord{Kind: KindContact, Key: keys[c.ID], FirstName: c.FirstName, Surname: c.Surname,
				Email: c.Email, Phone: c.Phone, Address: c.Address, Postcode: c.Postcode, PreferredLanguage: c.PreferredLanguage,
				PreferredChannel: c.PreferredChannel, MayContact: c.MayContact, Notes: c.Notes}); err != nil {
				return patients, contacts, err
			}
		}
		if len(rows) < exportPage {
			break
		}
	}
	for off := int64(0); ; off += exportPage {
		rows, err := s.Store.ListRegistryPatients(ctx, store.RegistryPatientListParams{Sort: "surname", RegistryID: reg.ID, PageOffset: off, PageLimit: exportPage})
		if err != nil {
			return patients, contacts, err
		}
		for _, row := range rows {
			r, err := patientRecord(ctx, s.Store, row.ID, keys)
			if err != nil {
				return patients, contacts, err
			}
			if err := enc.Encode(r); err != nil {
				return patients, contacts, err
			}
			patients++
		}
		if len(rows) < exportPage {
			break
		}
	}
	return patients, contacts, nil
}

// patientRecord is a patient's line, its relationships naming keys.
func patientRecord(ctx context.Context, q store.Queries, id int64, keys map[int64]string) (PatientRecord, error) {
	p, err := q.GetRegistryPatient(ctx, id)
	if err != nil {
		return PatientRecord{}, err
	}
	r := PatientRecord{Kind: KindPatient, FirstName: p.FirstName, Surname: p.Surname, DateOfBirth: iso(&p.DateOfBirth),
		Sex: strconv.FormatInt(p.Sex, 10), Postcode: p.Postcode, DiagnosisDate: iso(p.DiagnosisDate),
		DiagnosisConfirmation: p.DiagnosisConfirmation, ClinicalStatus: p.ClinicalStatus, DateOfDeath: iso(p.DateOfDeath), Notes: p.Notes}
	if p.NHSNumber != nil {
		r.NHSNumber = *p.NHSNumber
	}
	fs, err := q.ListRegistryFindings(ctx, id)
	if err != nil {
		return r, err
	}
	for _, f := range fs {
		r.Findings = append(r.Findings, FindingRecord{Gene: f.Gene, Variant: f.Variant, Classification: f.Classification,
			SourceReport: f.SourceReport, ConfirmedBy: f.ConfirmedBy})
	}
	links, err := q.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: id})
	if err != nil {
		return r, err
	}
	for _, l := range links {
		key, ok := keys[l.ContactID]
		if !ok {
			continue // a deleted contact's: not exported
		}
		r.Relationships = append(r.Relationships, RelationshipRecord{Contact: key, Type: l.Type, LegalAuthority: l.LegalAuthority,
			MayAct: l.MayAct, IsPrimary: l.IsPrimary, StartDate: iso(l.StartDate), EndDate: iso(l.EndDate)})
	}
	return r, nil
}
