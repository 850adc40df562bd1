package answers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"clinaudit/app/access"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/store"
)

// Import is one child's audit document (docs/data-format.md) to add to the
// audit at an organisation.
type Import struct {
	Organisation store.Organisation // the child's lead organisation
	Child        *audit.Child       // as audit.Decode read it
	// RequestID is recorded with every audit-trail row: where the document
	// came from ("import children.jsonl:12").
	RequestID string
}

// SystemActor is who an import acts as: a clinician of the organisation
// who has no account. The children and answers it writes are recorded as
// nobody's (NULL: "the system"), with the cause "import" in the trail.
func SystemActor(o store.Organisation) children.Me {
	a := access.Actor{Role: access.Clinician, Organisation: o.ID}
	if o.TrustODSCode != nil {
		a.Trust = *o.TrustODSCode
	}
	if o.LocalHealthBoardODSCode != nil {
		a.HealthBoard = *o.LocalHealthBoardODSCode
	}
	return children.Me{Actor: a}
}

// Import adds one child from their audit document, through the same checks
// and the same saves as the forms: the case form and the registration form
// (children.Service), then every answer of the six audit forms in question
// order (forms.Form.Apply, as Save) and every row (as AddRow), with the
// audit trail and one kpi_score job. All of it is one transaction: a
// document refused anywhere leaves nothing behind.
//
// A document the forms refuse comes back as audit.Errors naming the field
// by its path in the document ("antiepilepsy_medicines[1].
// antiepilepsy_medicine_start_date"); a child who may not be changed (a
// cohort past its deadline) as the children package's error.
//
// Answers the application derives are compared, not saved again: the
// episode keywords (saved only when the document's differ, as a
// clinician's ticks), is_a_pregnancy_prevention_programme_needed (refused
// when it disagrees) and the focal-onset sides the laterality radio sets
// false. The deprivation quintile and the derived registration fields are
// not stored: audit.Decode has checked the latter agree.
func (s *Service) Import(ctx context.Context, me children.Me, in Import) (int64, error) {
	doc := in.Child
	if doc == nil {
		return 0, errors.New("answers: no document to import")
	}
	ctx = children.WithOrigin(ctx, children.CauseImport, in.RequestID) // the child's trail says "import"
	var id int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		// The case and registration forms' service, writing in this
		// transaction.
		joined := txStore{Tx: tx, outer: outer{s.Store}}
		kids := &children.Service{Store: joined, Now: s.Children.Now, BaseURL: s.Children.BaseURL}
		var err error
		if id, err = createChild(ctx, kids, me, in); err != nil {
			return err
		}
		registered, err := register(ctx, kids, me, id, doc.Registration)
		if err != nil {
			return err
		}
		d, err := newDocument(doc)
		if err != nil {
			return err
		}
		if registered {
			if err := s.importForms(ctx, joined, me, id, d, in.RequestID); err != nil {
				return err
			}
		} else if path := d.firstAnswer(); path != "" {
			return fieldError(path, "the child is not registered (registration needs first_paediatric_assessment_date "+
				"and eligibility_criteria_met true), so the audit forms cannot be answered")
		}
		return s.scoreLater(ctx, tx, id)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// importForms answers the six forms from d, at one new version of the child.
func (s *Service) importForms(ctx context.Context, tx store.Tx, me children.Me, id int64, d *document, requestID string) error {
	w := writeArgs{childID: id, me: me.ID, requestID: requestID, cause: "import"}
	var err error
	w.version, err = tx.BumpChildVersion(ctx, store.BumpChildVersionParams{ID: id, UpdatedAt: s.Children.Now().UTC(), UpdatedBy: w.by()})
	if err != nil {
		return err
	}
	c, o, err := s.Children.Authorize(ctx, tx, me.Actor, id, access.EditAudit, true)
	if err != nil {
		return err
	}
	l, err := s.read(ctx, tx, c, o)
	if err != nil {
		return err
	}
	im := &importer{s: s, ctx: ctx, tx: tx, l: l, w: w, env: s.env(ctx, tx), doc: d}
	for _, f := range forms.All() {
		if err := im.form(f); err != nil {
			return err
		}
	}
	return d.leftOver()
}

// createChild is the case form.
func createChild(ctx context.Context, kids *children.Service, me children.Me, in Import) (int64, error) {
	c := in.Child.Case
	if c == nil {
		c = &audit.Case{}
	}
	jersey := children.IsJersey(in.Organisation)
	switch {
	case jersey && c.NHSNumber != nil:
		return 0, fieldError("case.nhs_number", "a child in Jersey has a unique_reference_number instead of an NHS number")
	case !jersey && c.UniqueReferenceNumber != nil:
		return 0, fieldError("case.unique_reference_number", "only children in Jersey have a unique reference number")
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	d := children.Demographics{FirstName: str(c.FirstName), Surname: str(c.Surname), NHSNumber: str(c.NHSNumber),
		UniqueReferenceNumber: str(c.UniqueReferenceNumber), DateOfBirth: dateInput(c.DateOfBirth),
		Ethnicity: str(c.Ethnicity), Postcode: str(c.Postcode)}
	if c.Sex != nil {
		d.Sex = strconv.Itoa(*c.Sex)
	}
	id, err := kids.Create(ctx, me, children.NewChild{Demographics: d, LeadOrganisation: in.Organisation.ODSCode})
	return id, formErrors(err, "case")
}

// register is the registration form, when the document registers the
// child; registered reports whether it did.
func register(ctx context.Context, kids *children.Service, me children.Me, id int64, r *audit.Registration) (registered bool, err error) {
	if r == nil || r.FirstPaediatricAssessmentDate == nil && r.EligibilityCriteriaMet == nil {
		return false, nil // not registered: the record of registration does not exist yet
	}
	if r.EligibilityCriteriaMet != nil && !*r.EligibilityCriteriaMet {
		return false, fieldError("registration.eligibility_criteria_met", "must be true: a child is registered once the eligibility criteria are confirmed")
	}
	err = kids.Register(ctx, me, id, children.Registration{EligibilityConfirmed: r.EligibilityCriteriaMet != nil,
		FirstAssessment: dateInput(r.FirstPaediatricAssessmentDate)})
	return err == nil, formErrors(err, "registration")
}

func dateInput(d *audit.Date) children.DateInput {
	if d == nil {
		return children.DateInput{}
	}
	return children.DateInput{Day: strconv.Itoa(d.Day), Month: strconv.Itoa(int(d.Month)), Year: strconv.Itoa(d.Year)}
}

// documentField names the case and registration forms' fields as the
// document does.
var documentField = map[string]string{"eligibility": "eligibility_criteria_met", "lead_organisation": "organisation"}

// formErrors turns the children forms' field errors into document paths.
func formErrors(err error, section string) error {
	var fe children.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	out := make(audit.Errors, len(fe))
	for i, e := range fe {
		path := section + "." + e.Field
		if name, ok := documentField[e.Field]; ok {
			path = section + "." + name
			if name == "organisation" {
				path = name
			}
		}
		out[i] = &audit.FieldError{Path: path, Problem: e.Message}
	}
	return out
}

func fieldError(path, format string, args ...any) audit.Errors {
	return audit.Errors{{Path: path, Problem: fmt.Sprintf(format, args...)}}
}

// Export is a child's record as the audit document Import reads: the
// case, the registration with its derived fields, the six forms and their
// rows in the order they were added. An unregistered child has no forms
// (they exist from registration). Read in one transaction, so it is one
// moment's record.
func (s *Service) Export(ctx context.Context, childID int64) (*audit.Child, error) {
	var l *Loaded
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		l, err = s.LoadForSystem(ctx, tx, childID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if l.Problem != nil {
		return nil, fmt.Errorf("child %s: the stored answers do not decode: %w", l.Child.AuditID, l.Problem)
	}
	doc := l.Audit
	r := doc.Registration
	if r == nil {
		return &audit.Child{Case: doc.Case}, nil
	}
	if fpa := r.FirstPaediatricAssessmentDate; fpa != nil && l.Child.Cohort != nil {
		n := int(*l.Child.Cohort)
		year := fpa.AddYears(1)
		deadline := audit.DateOf(cohort.Cohort(n).SubmissionDeadline())
		r.Cohort, r.CompletedFirstYearOfCareDate, r.AuditSubmissionDate = &n, &year, &deadline
	}
	return doc, nil
}

// txStore is a Store whose queries run in an open transaction, so that the
// children service's own transactions join the import's: its InTx runs the
// function in that transaction. The command line's actor has no account,
// so its id 0 is stored as NULL (the schema's "the command line").
type txStore struct {
	store.Tx
	outer
}

// outer holds the Store for what a transaction has not (Engine, jobs...);
// one level deeper, so the transaction's queries win.
type outer struct{ store.Store }

func (t txStore) InTx(_ context.Context, fn func(store.Tx) error) error { return fn(t) }

func (t txStore) InsertChild(ctx context.Context, p store.InsertChildParams) (int64, error) {
	p.CreatedBy = nobody(p.CreatedBy)
	return t.Tx.InsertChild(ctx, p)
}

func (t txStore) RegisterChild(ctx context.Context, p store.RegisterChildParams) (int64, error) {
	p.UpdatedBy = nobody(p.UpdatedBy)
	return t.Tx.RegisterChild(ctx, p)
}

func nobody(id *int64) *int64 {
	if id != nil && *id == 0 {
		return nil
	}
	return id
}
