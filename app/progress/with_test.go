package progress

import (
	"reflect"
	"testing"

	"clinaudit/app/audit"
)

// Summary.With is the whole audit's progress after one form changed: the
// same as Overall of the changed child, whichever form it was, and the
// summary it was called on is left as it was.
func TestSummaryWithOneFormChanged(t *testing.T) {
	today := audit.Date{Year: 2025, Month: 6, Day: 10}
	opts := Options{Today: today}
	before := emptyForms()
	before.Registration = &audit.Registration{FirstPaediatricAssessmentDate: day("2025-05-11"), EligibilityCriteriaMet: yes()}
	for _, tc := range []struct {
		name string
		form Form
		edit func(*audit.Child)
	}{
		{"first answer of a form", FirstPaediatricAssessment, func(c *audit.Child) {
			c.FirstPaediatricAssessment = &audit.FirstPaediatricAssessment{GeneralExaminationPerformed: yes()}
		}},
		{"a follow-up owed", Investigations, func(c *audit.Child) {
			c.Investigations = &audit.Investigations{EEGIndicated: yes()}
		}},
		{"registration undone", Registration, func(c *audit.Child) { c.Registration = &audit.Registration{} }},
		{"nothing changed", Management, func(*audit.Child) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := opts.Overall(before)
			kept := opts.Overall(before)
			after := with(before, tc.edit)
			got := s.With(opts.ForForm(after, tc.form))
			if want := opts.Overall(after); !reflect.DeepEqual(got, want) {
				t.Errorf("With:\n%+v\nOverall of the changed child:\n%+v", got, want)
			}
			if !reflect.DeepEqual(s, kept) {
				t.Errorf("With changed the summary it was called on")
			}
		})
	}
}
