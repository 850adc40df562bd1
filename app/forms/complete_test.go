package forms_test

import (
	"fmt"
	"slices"
	"testing"

	"clinaudit/app/audit"
	. "clinaudit/app/forms"
	"clinaudit/app/progress"
)

// sitesOf is what the child's site records say after the Milestones
// answers.
func sitesOf(rec *Record) *progress.Sites {
	has := func(field string) bool { return rec.Sections["sites"][field] != nil }
	return &progress.Sites{
		Lead:                      true,
		GeneralPaediatricCentre:   has("site_is_general_paediatric_centre"),
		PaediatricNeurologyCentre: has("site_is_paediatric_neurology_centre"),
		EpilepsySurgeryCentre:     has("site_is_childrens_epilepsy_surgery_centre"),
	}
}

// checkComplete decodes the record and checks progress finds every form
// complete.
func checkComplete(t *testing.T, rec *Record) *audit.Child {
	t.Helper()
	confirmed := true
	c, err := rec.Child(&audit.Case{Sex: rec.Sex, DateOfBirth: rec.DateOfBirth},
		&audit.Registration{FirstPaediatricAssessmentDate: rec.FirstAssessment, EligibilityCriteriaMet: &confirmed})
	if err != nil {
		t.Fatalf("the filled record does not decode: %v", err)
	}
	s := progress.Options{Sites: sitesOf(rec), Today: Today}.Overall(c)
	for _, p := range s.Forms {
		if p.Status != progress.Completed {
			t.Errorf("%s: %v, %d of %d, missing %+v", p.Form, p.Status, p.Answered, p.Expected, p.Missing)
		}
	}
	if !s.Complete {
		t.Errorf("the audit is not complete: %d of %d forms", s.CompletedForms, s.TotalForms)
	}
	return c
}

func TestAFilledQuestionnaireIsComplete(t *testing.T) {
	noToAll := func(q *Question, row *Row) Literal {
		switch {
		case q.Kind == YesNo:
			return No
		case q.Field == "epileptic_seizure_onset_type":
			return Quote("UO")
		}
		return nil
	}
	cases := []struct {
		name string
		sex  int
		pick Pick
		more func(t *testing.T, rec *Record) // after the first fill
		then func(t *testing.T, c *audit.Child)
	}{
		{name: "yes to everything, first choices (a focal onset)", sex: Boy, pick: Answers(nil)},
		{name: "every focal feature ticked, declined tests", sex: Boy,
			pick: func(q *Question, row *Row) Literal {
				if q.Kind == Confirm {
					return Yes
				}
				return nil
			},
			then: func(t *testing.T, c *audit.Child) {
				if c.Investigations.EEGPerformedDate != nil || !*c.Investigations.EEGDeclined || !*c.Investigations.MRIBrainDeclined {
					t.Errorf("investigations %+v", *c.Investigations)
				}
				if e := c.Episodes[0]; e.FocalOnsetMyoclonic == nil || e.FocalOnsetOccipital == nil || e.FocalOnsetLeft == nil {
					t.Errorf("episode %+v", e)
				}
			}},
		{name: "no to everything", sex: Girl, pick: noToAll},
		{name: "generalised onset", sex: Boy, pick: Answers(map[string]Literal{"epileptic_seizure_onset_type": Quote("GO")})},
		{name: "sodium valproate for a girl of 13", sex: Girl, pick: Answers(map[string]Literal{"medicine_name": nil}),
			more: func(t *testing.T, rec *Record) {
				// A second maintenance medicine: sodium valproate.
				AddMedicine(rec, false)
				Fill(t, rec, Answers(map[string]Literal{"medicine_name": Quote(audit.MedicineSodiumValproate)}))
			},
			then: func(t *testing.T, c *audit.Child) {
				var got []string
				for _, m := range c.AntiEpilepsyMedicines {
					if m.IsAPregnancyPreventionProgrammeInPlace != nil {
						got = append(got, *m.MedicineName)
					}
				}
				if !slices.Equal(got, []string{audit.MedicineSodiumValproate}) {
					t.Errorf("the programme was asked for %q", got)
				}
			}},
	}
	for _, typ := range List("NON_EPILEPSY_SEIZURE_TYPE") {
		cases = append(cases, struct {
			name string
			sex  int
			pick Pick
			more func(t *testing.T, rec *Record)
			then func(t *testing.T, c *audit.Child)
		}{
			name: fmt.Sprintf("a non-epileptic episode (%s), then an epileptic one", typ.Code), sex: Girl,
			pick: Answers(map[string]Literal{"epilepsy_or_nonepilepsy_status": Quote("NE"), "nonepileptic_seizure_type": Quote(typ.Code)}),
			more: func(t *testing.T, rec *Record) {
				c := checkIncomplete(t, rec)
				if c != progress.MultiaxialDiagnosis {
					t.Errorf("with only a non-epileptic episode, %v is incomplete; want only the multiaxial diagnosis", c)
				}
				AddRow(rec, "episodes", nil)
				Fill(t, rec, Answers(map[string]Literal{"epilepsy_or_nonepilepsy_status": Quote("E")}))
			},
		})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := NewRecord(tc.sex)
			Fill(t, rec, tc.pick)
			if tc.more != nil {
				tc.more(t, rec)
			}
			c := checkComplete(t, rec)
			if tc.then != nil {
				tc.then(t, c)
			}
		})
	}
}

// checkIncomplete returns the one form progress finds incomplete.
func checkIncomplete(t *testing.T, rec *Record) progress.Form {
	t.Helper()
	confirmed := true
	c, err := rec.Child(&audit.Case{Sex: rec.Sex, DateOfBirth: rec.DateOfBirth},
		&audit.Registration{FirstPaediatricAssessmentDate: rec.FirstAssessment, EligibilityCriteriaMet: &confirmed})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var out []progress.Form
	for _, p := range (progress.Options{Sites: sitesOf(rec), Today: Today}).Overall(c).Forms {
		if p.Status != progress.Completed {
			out = append(out, p.Form)
		}
	}
	if len(out) != 1 {
		t.Fatalf("incomplete forms %v, want one", out)
	}
	return out[0]
}
