// Package progress says how far one child's audit record has got: for each
// of the seven audit forms, how many answers are expected, how many of them
// are given, which are still missing, and the form's task-list status; and
// for the whole audit, how many forms are complete and whether all are.
//
// What is expected is spec §5.1 (shared/spec/epilepsy12.md): a fixed set of
// base questions per form, plus the follow-up questions and repeated rows
// that earlier answers ask for. What is complete differs from Epilepsy12 on
// purpose (decisions.md, quirk 9): a form is complete when every expected
// answer is given, and answers that are not expected (extra rows, follow-ups
// of a question answered "no", free text nobody asked for) neither count
// nor get in the way. docs/progress.md lists every rule.
//
// The package is plain computation over an audit.Child: no HTTP, no SQL, no
// state. It reads the clock only when Options.Today is left zero.
package progress

import (
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
)

// Form is one of the seven audit forms ("steps"), in task-list order.
type Form int

// The seven forms, in the order of the steps (spec §1, step 5).
const (
	Registration              Form = iota // "Verification and registration", §2.3
	FirstPaediatricAssessment             // "First paediatric assessment", §2.4
	EpilepsyContext                       // "Epilepsy context", §2.5
	MultiaxialDiagnosis                   // "Multiaxial diagnosis", §2.6–2.9
	Assessment                            // "Milestones", §2.11
	Investigations                        // "Tests", §2.10
	Management                            // "Treatment and care planning", §2.12–2.13

	// NumForms is the number of forms (7).
	NumForms int = iota
)

var formInfo = [NumForms]struct{ id, title string }{
	Registration:              {"registration", "Verification and registration"},
	FirstPaediatricAssessment: {"first_paediatric_assessment", "First paediatric assessment"},
	EpilepsyContext:           {"epilepsy_context", "Epilepsy context"},
	MultiaxialDiagnosis:       {"multiaxial_diagnosis", "Multiaxial diagnosis"},
	Assessment:                {"assessment", "Milestones"},
	Investigations:            {"investigations", "Tests"},
	Management:                {"management", "Treatment and care planning"},
}

// Forms returns the seven forms in task-list order.
func Forms() []Form {
	out := make([]Form, NumForms)
	for i := range out {
		out[i] = Form(i)
	}
	return out
}

// Valid reports whether f is one of the seven forms.
func (f Form) Valid() bool { return f >= 0 && int(f) < NumForms }

// ID is the form's stable identifier: its section name in the audit
// document, which is also the Epilepsy12 AuditProgress prefix
// ("multiaxial_diagnosis"). Empty for an invalid Form.
func (f Form) ID() string {
	if !f.Valid() {
		return ""
	}
	return formInfo[f].id
}

// Title is the form's name in the task list ("Milestones").
func (f Form) Title() string {
	if !f.Valid() {
		return ""
	}
	return formInfo[f].title
}

// String returns the ID.
func (f Form) String() string { return f.ID() }

// MarshalText encodes the form as its ID.
func (f Form) MarshalText() ([]byte, error) { return []byte(f.ID()), nil }

// Status is a form's task-list status (ux-and-security.md §3.3).
type Status int

const (
	// NotStarted: nothing has been answered on the form.
	NotStarted Status = iota
	// InProgress: something is answered, but not every expected answer.
	// The task list shows it as "Incomplete".
	InProgress
	// Completed: every expected answer is given.
	Completed
)

// String is the status as the task list shows it.
func (s Status) String() string {
	switch s {
	case NotStarted:
		return "Not started"
	case InProgress:
		return "Incomplete"
	case Completed:
		return "Completed"
	}
	return ""
}

// MarshalText encodes the status as "not_started", "in_progress" or
// "completed".
func (s Status) MarshalText() ([]byte, error) {
	switch s {
	case NotStarted:
		return []byte("not_started"), nil
	case InProgress:
		return []byte("in_progress"), nil
	case Completed:
		return []byte("completed"), nil
	}
	return []byte(""), nil
}

// Gap is one expected answer that is not given yet.
type Gap struct {
	// Path is the field to answer, in the syntax of audit.KnownField:
	// "registration.eligibility_criteria_met",
	// "episodes[1].epileptic_seizure_onset_type". A field of a row that
	// must still be added has empty brackets ("syndromes[].syndrome_name").
	// Answers held in site records rather than in the document have the
	// Path* constants of this package.
	//
	// Two gaps can share a path when one question must be answered before
	// the next can be asked: a non-epileptic episode without a type needs
	// the type and then the type's subtype, and both point at the type.
	Path string `json:"path"`
	// Because is the path of the answer that made this one expected, or ""
	// for a form's base questions and for the first episode (every child
	// needs one). For a row still to be added it says which list it belongs
	// to: "management.has_an_aed_been_given" or
	// "management.has_rescue_medication_been_prescribed".
	Because string `json:"because,omitempty"`
}

// Paths of the answers held in site records (spec §2.2), not in the audit
// document: the lead site, and the centres chosen on the Milestones form.
const (
	PathLeadSite                  = "sites.site_is_primary_centre_of_epilepsy_care"
	PathGeneralPaediatricCentre   = "sites.site_is_general_paediatric_centre"
	PathPaediatricNeurologyCentre = "sites.site_is_paediatric_neurology_centre"
	PathEpilepsySurgeryCentre     = "sites.site_is_childrens_epilepsy_surgery_centre"
)

// FormProgress is how far one form has got.
//
// Answered never exceeds Expected: answers that are not expected are not
// counted. Missing lists the expected answers not given, one Gap each, so
// len(Missing) == Expected − Answered.
type FormProgress struct {
	Form     Form   `json:"form"`
	Expected int    `json:"expected"`
	Answered int    `json:"answered"`
	Status   Status `json:"status"`
	Missing  []Gap  `json:"missing"`
}

// Percent is Answered as a whole percentage of Expected, rounded the same
// way as Summary.Percent.
func (p FormProgress) Percent() int { return percent(p.Answered, p.Expected) }

// Summary is the progress of the whole audit (spec §5.2).
type Summary struct {
	// Forms holds every form's progress, in task-list order.
	Forms []FormProgress `json:"forms"`
	// CompletedForms of TotalForms are Completed ("You have completed 3 of
	// 7 sections").
	CompletedForms int `json:"completed_forms"`
	TotalForms     int `json:"total_forms"`
	// Answered and Expected are summed over the forms.
	Answered int `json:"answered"`
	Expected int `json:"expected"`
	// Percent is Answered as a whole percentage of Expected, rounded down,
	// except that it is at least 1 once anything expected is answered: it
	// reads 100 only when the audit is complete, and 0 only when nothing
	// expected is answered.
	Percent int `json:"percent"`
	// Complete is true when every form is Completed: the audit can be
	// submitted (§5.2).
	Complete bool `json:"complete"`
}

// Sites is what the child's site records say (spec §2.2): whether an active
// lead site exists, and which centre roles an active site holds. The
// document's "sites" object carries the centres; the lead site is the
// child's lead organisation, outside the document.
type Sites struct {
	// Lead: an active primary site of epilepsy care (the lead site) exists.
	Lead bool
	// An active site is the child's general paediatric centre, paediatric
	// neurology centre or children's epilepsy surgery centre (chosen on the
	// Milestones form when the matching referral is made).
	GeneralPaediatricCentre   bool
	PaediatricNeurologyCentre bool
	EpilepsySurgeryCentre     bool
}

// AssumedSites is what ForForm and Overall assume about a child whose
// document has no centres: a lead site, which clinaudit stores for every
// child (a child's lead organisation is required), and no centre.
var AssumedSites = Sites{Lead: true}

// SitesOf is what c's document says of its sites: a lead site, and the
// centres of its "sites" object.
func SitesOf(c *audit.Child) Sites {
	s := AssumedSites
	if c != nil && c.Sites != nil {
		s.GeneralPaediatricCentre = c.Sites.GeneralPaediatricCentre != nil
		s.PaediatricNeurologyCentre = c.Sites.PaediatricNeurologyCentre != nil
		s.EpilepsySurgeryCentre = c.Sites.ChildrensEpilepsySurgeryCentre != nil
	}
	return s
}

// Options carries what progress needs besides the audit document.
type Options struct {
	// Sites is what the child's site records say; nil means SitesOf the
	// child's document.
	Sites *Sites
	// Today is the date on which a girl's age is taken for the valproate
	// questions (spec §5.1 Management: "≥ 12 whole years old today"). The
	// zero Date means the current date in the machine's time zone.
	Today audit.Date
}

// ForForm is the progress of one form, with the default Options.
func ForForm(c *audit.Child, f Form) FormProgress { return Options{}.ForForm(c, f) }

// Overall is the progress of the whole audit, with the default Options.
func Overall(c *audit.Child) Summary { return Options{}.Overall(c) }

// ForForm is the progress of form f of child c. A nil child, or a nil form
// record, counts as nothing answered. An invalid f has nothing expected and
// is NotStarted.
func (o Options) ForForm(c *audit.Child, f Form) FormProgress {
	return o.resolve(c).forForm(c, f)
}

// Overall is the progress of the whole audit of child c.
func (o Options) Overall(c *audit.Child) Summary {
	o = o.resolve(c)
	s := Summary{Forms: make([]FormProgress, 0, NumForms), TotalForms: NumForms}
	for _, f := range Forms() {
		p := o.forForm(c, f)
		s.Forms = append(s.Forms, p)
		s.Answered += p.Answered
		s.Expected += p.Expected
		if p.Status == Completed {
			s.CompletedForms++
		}
	}
	s.Complete = s.CompletedForms == s.TotalForms
	s.Percent = percent(s.Answered, s.Expected)
	return s
}

// With is s with form p.Form's progress replaced by p, and the totals
// summed again: the whole audit's progress after a change to one form,
// when the others' progress is known. s is not changed.
func (s Summary) With(p FormProgress) Summary {
	out := Summary{Forms: make([]FormProgress, 0, len(s.Forms)), TotalForms: s.TotalForms}
	for _, f := range s.Forms {
		if f.Form == p.Form {
			f = p
		}
		out.Forms = append(out.Forms, f)
		out.Answered += f.Answered
		out.Expected += f.Expected
		if f.Status == Completed {
			out.CompletedForms++
		}
	}
	out.Complete = out.CompletedForms == out.TotalForms
	out.Percent = percent(out.Answered, out.Expected)
	return out
}

// resolve fills in the defaults, reading the clock at most once.
func (o Options) resolve(c *audit.Child) Options {
	if o.Sites == nil {
		s := SitesOf(c)
		o.Sites = &s
	}
	if o.Today.IsZero() {
		o.Today = audit.DateOf(time.Now())
	}
	return o
}

func (o Options) forForm(c *audit.Child, f Form) FormProgress {
	list, started := o.expectations(c, f, false)
	p := FormProgress{Form: f, Expected: len(list), Missing: []Gap{}}
	for _, e := range list {
		if e.given {
			p.Answered++
		} else {
			p.Missing = append(p.Missing, e.Gap)
		}
	}
	switch {
	case !started && p.Answered == 0:
		p.Status = NotStarted
	case p.Answered == p.Expected:
		p.Status = Completed
	default:
		p.Status = InProgress
	}
	return p
}

// expectations lists form f's expected answers on c, in the order the form
// asks them, and reports whether anything at all is answered on the form.
// Only the missing answers are sure to have their Path, unless allPaths.
func (o Options) expectations(c *audit.Child, f Form, allPaths bool) ([]expectation, bool) {
	if c == nil {
		c = &audit.Child{}
	}
	l := &checklist{allPaths: allPaths}
	started := false
	switch {
	case f == Registration:
		started = registration(l, c, *o.Sites)
	case f.Valid():
		started = o.fromForm(l, c, forms.ByID(f.ID()))
	}
	return l.list, started
}

// percent is answered/expected as a whole percentage, rounded down but
// never to 0 once something is answered; it is 100 only when all is.
func percent(answered, expected int) int {
	switch {
	case expected <= 0 || answered <= 0:
		return 0
	case answered >= expected:
		return 100
	}
	return max(1, answered*100/expected)
}

// expectation is one expected answer: where it is, what made it expected,
// and whether it is given.
type expectation struct {
	Gap
	given bool
}

// checklist collects a form's expected answers.
type checklist struct {
	list     []expectation
	allPaths bool
}

// want records one expected answer at path, made expected by the answer at
// because, and whether it is given.
func (l *checklist) want(path, because string, given bool) {
	l.list = append(l.list, expectation{Gap{Path: path, Because: because}, given})
}
