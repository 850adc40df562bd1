package kpi

import (
	"strings"
	"testing"

	"clinaudit/app/audit"
)

// Fixture helpers: short names, because the tables read better with them.

func yes() *bool           { v := true; return &v }
func no() *bool            { v := false; return &v }
func str(s string) *string { return &s }
func num(n int) *int       { return &n }
func day(s string) *audit.Date {
	d := audit.MustParseDate(s)
	return &d
}

// The default child: a 10-year-old girl, first assessed on 2023-03-15
// (so the first year ends on 2024-03-15), registered, with every form record
// created and nothing answered, which is the state clinaudit creates at
// registration (decisions.md).
const (
	defaultDOB = "2013-01-10"
	defaultFPA = "2023-03-15"
	yearEnd    = "2024-03-15" // FPA + 1 year: the last day of the first year
	dayAfter   = "2024-03-16"
)

func registeredChild() *audit.Child {
	return &audit.Child{
		Case: &audit.Case{Sex: num(audit.SexFemale), DateOfBirth: day(defaultDOB)},
		Registration: &audit.Registration{
			FirstPaediatricAssessmentDate: day(defaultFPA),
			EligibilityCriteriaMet:        yes(),
		},
		FirstPaediatricAssessment: &audit.FirstPaediatricAssessment{},
		EpilepsyContext:           &audit.EpilepsyContext{},
		MultiaxialDiagnosis:       &audit.MultiaxialDiagnosis{},
		Investigations:            &audit.Investigations{},
		Assessment:                &audit.Assessment{},
		Management:                &audit.Management{},
	}
}

// aged sets the date of birth and first assessment date.
func aged(dob, fpa string) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Case.DateOfBirth = day(dob)
		c.Registration.FirstPaediatricAssessmentDate = day(fpa)
	}
}

// all applies several edits in order.
func all(edits ...func(*audit.Child)) func(*audit.Child) {
	return func(c *audit.Child) {
		for _, e := range edits {
			e(c)
		}
	}
}

// scoreCase is one row of a measure's table.
type scoreCase struct {
	name string
	edit func(*audit.Child)
	want Outcome
	rule string // the deciding rule's name; "" skips the check
}

// runMeasure scores each case on a fresh registered child and checks m.
func runMeasure(t *testing.T, m Measure, cases []scoreCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := registeredChild()
			if tc.edit != nil {
				tc.edit(c)
			}
			ex := scoreChecked(t, c).Explanation(m)
			if ex.Outcome != tc.want || (tc.rule != "" && ex.Rule != tc.rule) {
				t.Errorf("%s = %s (rule %s), want %s (rule %s)\nreason: %s", m, ex.Outcome, ex.Rule, tc.want, tc.rule, ex.Reason)
			}
		})
	}
}

// scoreChecked scores c and checks what must hold of every result: one
// explanation per measure, consistent with the scores, each with a rule, a
// reason and only real document paths.
func scoreChecked(t *testing.T, c *audit.Child) Result {
	t.Helper()
	r := Score(c)
	if r.RulesVersion != RulesVersion {
		t.Errorf("RulesVersion = %q", r.RulesVersion)
	}
	for m := range Measure(NumMeasures) {
		ex := r.Explanations[m]
		if ex.Measure != m || ex.Outcome != r.Scores[m] {
			t.Errorf("explanation %d is for %s with %s; score is %s", m, ex.Measure, ex.Outcome, r.Scores[m])
		}
		if ex.Rule == "" || ex.Reason == "" || strings.Contains(ex.Reason, "%!") {
			t.Errorf("%s: rule %q, reason %q", m, ex.Rule, ex.Reason)
		}
		if len(ex.Fields) == 0 {
			t.Errorf("%s: no fields read", m)
		}
		for _, f := range ex.Fields {
			if !audit.KnownField(f) {
				t.Errorf("%s: %q is not a field of the document", m, f)
			}
		}
	}
	return r
}
