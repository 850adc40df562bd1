// Package answers keeps the answers of a child's audit forms: it loads a
// child's record, saves one answer at a time (checked by package forms, in
// one transaction with its audit-trail rows and the KPI job it causes),
// adds and removes rows, detects two people changing the same answer, and
// lists the history. Access and the child's state (locked, past its
// deadline, opted out, not registered) are checked by children.Authorize on
// every call.
package answers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/progress"
	"clinaudit/app/store"
)

// Service keeps answers.
type Service struct {
	Store    store.Store
	Children *children.Service
	Now      func() time.Time
	// Organisations answers whether an ODS code names an organisation (the
	// Milestones centres); nil accepts any code the store knows.
	Organisations func(ctx context.Context, q store.Queries, ods string) bool
	// RescoreBatch is the recalculation's batch size; 0 means
	// DefaultRescoreBatch.
	RescoreBatch int
	// WriteChunk is how many children's results one transaction of a
	// recalculation stores; 0 means DefaultWriteChunk.
	WriteChunk int
	// WriterPause is how long a recalculation pauses after each of its
	// transactions, as a multiple of the time the transaction held the
	// writer; 0 means store.DefaultWriterPause on SQLite and none on
	// PostgreSQL, a negative one no pause.
	WriterPause float64
	// Progress, when set, lets Save recompute only the saved form's
	// progress (see ProgressCache); Load and Save fill it.
	Progress *ProgressCache
}

// New is the answers service over st with its children service, whose
// locks check that the audit is complete through this service's
// AuditProgress (children cannot read answers itself).
func New(st store.Store, now func() time.Time) *Service {
	svc := &Service{Store: st, Children: &children.Service{Store: st, Now: now}}
	svc.Children.Progress = svc.AuditProgress
	return svc
}

// Meta is who last changed one answer, and at which version of the child.
type Meta struct {
	Version int64
	At      time.Time
	By      string
}

// Loaded is a child's record as one moment saw it.
type Loaded struct {
	Child store.Child
	// Organisation is the child's lead organisation; after a write (Save,
	// AddRow, RemoveRow) only its ID, trust and health board.
	Organisation store.Organisation
	Record       *forms.Record
	Meta         map[forms.Key]Meta
	Audit        *audit.Child
	Progress     progress.Summary
	// Problem is set when the stored answers do not decode (they always
	// should; the page still shows what it can).
	Problem error
	// prior is the progress before a save, when the service's
	// ProgressCache knew it: refresh then derives only the saved form.
	prior *prior
	// partial: Record and Meta hold only prior's form's sections (a save
	// whose cache knew the rest reads no more); formOnly: the last refresh
	// derived that form alone. A partial record whose form could not be
	// derived alone is read again in full (Service.derive).
	partial, formOnly bool
	// derivedOn is the day Progress was derived for.
	derivedOn audit.Date
}

// Version is the child's version when it was loaded.
func (l *Loaded) Version() int64 { return l.Child.Version }

// Load reads a child's record for an actor who may view the child.
func (s *Service) Load(ctx context.Context, a access.Actor, childID int64) (*Loaded, error) {
	c, o, err := s.Children.Authorize(ctx, s.Store, a, childID, access.ViewChild, false)
	if err != nil {
		return nil, err
	}
	today := s.today()
	l, err := s.readRecord(ctx, s.Store, c, o, nil)
	if err != nil {
		return nil, err
	}
	l.refresh(today)
	s.Progress.remember(l)
	return l, nil
}

// LoadForSystem reads a child's record with no actor (background jobs).
func (s *Service) LoadForSystem(ctx context.Context, q store.Queries, childID int64) (*Loaded, error) {
	c, err := q.GetChild(ctx, childID)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, q, c, store.Organisation{})
}

func (s *Service) read(ctx context.Context, q store.Queries, c store.Child, o store.Organisation) (*Loaded, error) {
	l, err := s.readRecord(ctx, q, c, o, nil)
	if err != nil {
		return nil, err
	}
	l.refresh(s.today())
	return l, nil
}

// readRecord is read without the derived audit model and progress: a write
// checks and changes the record, then derives them once, from the record
// as it is after the write (saved, unchanged).
func (s *Service) readRecord(ctx context.Context, q store.Queries, c store.Child, o store.Organisation, sections []string) (*Loaded, error) {
	rows, ans, err := readAnswers(ctx, q, c.ID, sections)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Child: c, Organisation: o, Meta: make(map[forms.Key]Meta, len(ans))}
	rec := newRecord(c)
	for _, r := range rows {
		rec.AddRow(forms.Row{ID: r.ID, Section: r.Section, Answers: map[string]forms.Literal{}})
	}
	for _, a := range ans {
		setAnswer(rec, a.Section, a.RowID, a.Field, a.Value)
		l.Meta[forms.Key{Section: a.Section, Row: a.RowID, Field: a.Field}] = Meta{Version: a.Version, At: a.UpdatedAt, By: a.UpdatedByName}
	}
	l.Record = rec
	return l, nil
}

// readAnswers reads the child's rows and answers: all of them (sections
// nil), or those of the sections named.
func readAnswers(ctx context.Context, q store.Queries, childID int64, sections []string) ([]store.ListChildRowsRow, []store.ListAnswersRow, error) {
	if sections == nil {
		rows, err := q.ListChildRows(ctx, childID)
		if err != nil {
			return nil, nil, err
		}
		ans, err := q.ListAnswers(ctx, childID)
		return rows, ans, err
	}
	rows, err := q.ListChildRowsInSections(ctx, store.ListChildRowsInSectionsParams{ChildID: childID, Sections: sections})
	if err != nil {
		return nil, nil, err
	}
	ans, err := q.ListAnswersInSections(ctx, store.ListAnswersInSectionsParams{ChildID: childID, Sections: sections})
	return rows, ans, err
}

// newRecord is an empty record of child c: the answers of the case that
// the forms' rules read.
func newRecord(c store.Child) *forms.Record {
	return &forms.Record{Sections: map[string]map[string]forms.Literal{}, DateOfBirth: clone(c.DateOfBirth),
		FirstAssessment: clone(c.FirstPaediatricAssessmentDate), Sex: intOf(c.Sex)}
}

// clone is a copy of *p (nil for nil), so that what is built from a
// stored child shares none of its memory.
func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// intOf is *p as an int (nil for nil).
func intOf(p *int64) *int {
	if p == nil {
		return nil
	}
	n := int(*p)
	return &n
}

// setAnswer puts one stored answer into rec; an answer of a row that is
// not there is dropped.
func setAnswer(rec *forms.Record, section string, rowID int64, field, value string) {
	if rowID == 0 {
		if rec.Sections[section] == nil {
			rec.Sections[section] = map[string]forms.Literal{}
		}
		rec.Sections[section][field] = forms.Literal(value)
	} else if row := rec.Row(rowID); row != nil {
		row.Answers[field] = forms.Literal(value)
	}
}

// refresh recomputes the audit model and progress from the record: only
// the saved form's when a save knew the progress before it (then Audit
// holds only that form's sections), else every form's.
func (l *Loaded) refresh(today audit.Date) {
	l.derivedOn = today
	if l.formOnly = l.refreshForm(today); l.formOnly {
		return
	}
	child, err := l.Record.Child(caseOf(l.Child), registrationOf(l.Child))
	if err != nil {
		l.Problem = err
		child = &audit.Child{}
	}
	l.Audit = child
	// The centres are in the document (its "sites"); see progress.SitesOf.
	l.Progress = progress.Options{Today: today}.Overall(child)
}

// caseOf is the child's demographics as the audit document has them.
func caseOf(c store.Child) *audit.Case {
	k := &audit.Case{}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	k.NHSNumber, k.UniqueReferenceNumber = str(c.NHSNumber), str(c.UniqueReferenceNumber)
	k.FirstName, k.Surname = str(c.FirstName), str(c.Surname)
	k.Postcode, k.Ethnicity = str(c.Postcode), str(c.Ethnicity)
	if c.Sex != nil {
		sex := int(*c.Sex)
		k.Sex = &sex
	}
	if c.DateOfBirth != nil {
		d := *c.DateOfBirth
		k.DateOfBirth = &d
	}
	return k
}

// registrationOf is the child's registration; nil until registered, so the
// KPIs are not scored (decisions.md).
func registrationOf(c store.Child) *audit.Registration {
	if c.RegisteredAt == nil {
		return nil
	}
	r := &audit.Registration{}
	if c.EligibilityConfirmed {
		t := true
		r.EligibilityCriteriaMet = &t
	}
	if c.FirstPaediatricAssessmentDate != nil {
		d := *c.FirstPaediatricAssessmentDate
		r.FirstPaediatricAssessmentDate = &d
	}
	return r
}

func (s *Service) today() audit.Date { return audit.DateOf(s.Children.Today()) }

// ConflictError refuses a save because someone else changed the same answer
// after the clinician saw it. It carries their answer.
type ConflictError struct {
	Key     forms.Key
	Theirs  forms.Literal
	Version int64
	By      string
	At      time.Time
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s changed this answer at %s, after you opened the form", e.By, e.At.Format("15:04"))
}

// IsConflict reports whether err is a ConflictError.
func IsConflict(err error) bool {
	var c *ConflictError
	return errors.As(err, &c)
}

// jsonText is a stored answer as a nullable column value.
func jsonText(v forms.Literal) *string {
	if v == nil {
		return nil
	}
	s := string(json.RawMessage(v))
	return &s
}
