package forms

import (
	"fmt"
	"slices"
	"testing"

	"clinaudit/app/audit"
	"clinaudit/app/progress"
)

// pick chooses the answer to q (on row, nil for a form question); nil
// means the default answer of defaultAnswer, skip leaves it unanswered.
type pick func(q *Question, row *Row) Literal

var skip = Literal("skip")

// defaultAnswer is a valid answer to any question: yes, the first choice,
// a date after the first assessment (later for the second date of a
// pair), a ticked box only when picked.
func defaultAnswer(q *Question) Literal {
	switch q.Kind {
	case YesNo:
		return yes
	case Radios, Select:
		return answerFor(q, q.Choices[0].Code)
	case Checkboxes:
		return lit([]string{q.Choices[0].Code})
	case Text, TextArea:
		return quote("Some words")
	case Date:
		if q.Date.NotBefore != "" {
			return day(20)
		}
		return day(10)
	case Laterality:
		return quote("left")
	case Centre:
		return quote("RGT01")
	}
	return skip // Confirm: unticked unless picked
}

// fill answers every question shown on every form, as a clinician going
// down the page would, adding one row to every list shown without rows,
// until nothing shown is left unanswered.
func fill(t *testing.T, rec *Record, choose pick) {
	t.Helper()
	for _, f := range All() {
		skipped := map[Key]bool{}
		for range 1000 {
			var next *Key
			var nextQ *Question
			addTo := (*Question)(nil)
			f.walk(rec, func(q *Question, row *Row, visible bool) {
				if !visible || next != nil || addTo != nil {
					return
				}
				switch q.Kind {
				case Rows:
					for _, r := range rec.RowsOf(q.RowSection) {
						if q.RowFilter == nil || jsonEqual(r.Answers[q.RowFilter.Field], Literal(q.RowFilter.Value)) {
							return
						}
					}
					addTo = q
					return
				case Derived:
					return
				}
				k := Key{f.Section, 0, q.Stores()[0]}
				if row != nil {
					k = Key{row.Section, row.ID, k.Field}
				}
				if q.Kind == Centre {
					k.Section = "sites"
				}
				if skipped[k] || f.Answer(rec, q, row) != nil {
					return
				}
				next, nextQ = &k, q
			})
			switch {
			case addTo != nil:
				fixed := map[string]Literal{}
				if addTo.RowFilter != nil {
					fixed[addTo.RowFilter.Field] = Literal(addTo.RowFilter.Value)
				}
				addRow(rec, addTo.RowSection, fixed)
				continue
			case next == nil:
				goto done
			}
			v := choose(nextQ, rec.Row(next.Row))
			if v == nil {
				v = defaultAnswer(nextQ)
			}
			if string(v) == string(skip) {
				skipped[*next] = true
				continue
			}
			if _, err := f.Apply(rec, *next, v, testEnv()); err != nil {
				t.Fatalf("%s: Apply(%s, %s): %v", f.ID, *next, v, err)
			}
		}
		t.Fatalf("%s: still unanswered questions after 1000 answers", f.ID)
	done:
	}
}

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
	s := progress.Options{Sites: sitesOf(rec), Today: today}.Overall(c)
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

// answers picks by field name (any row), else the default.
func answers(m map[string]Literal) pick {
	return func(q *Question, row *Row) Literal { return m[q.Field] }
}

func TestAFilledQuestionnaireIsComplete(t *testing.T) {
	noToAll := func(q *Question, row *Row) Literal {
		switch {
		case q.Kind == YesNo:
			return no
		case q.Field == "epileptic_seizure_onset_type":
			return quote("UO")
		}
		return nil
	}
	cases := []struct {
		name string
		sex  int
		pick pick
		more func(t *testing.T, rec *Record) // after the first fill
		then func(t *testing.T, c *audit.Child)
	}{
		{name: "yes to everything, first choices (a focal onset)", sex: boy, pick: answers(nil)},
		{name: "every focal feature ticked, declined tests", sex: boy,
			pick: func(q *Question, row *Row) Literal {
				if q.Kind == Confirm {
					return yes
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
		{name: "no to everything", sex: girl, pick: noToAll},
		{name: "generalised onset", sex: boy, pick: answers(map[string]Literal{"epileptic_seizure_onset_type": quote("GO")})},
		{name: "sodium valproate for a girl of 13", sex: girl, pick: answers(map[string]Literal{"medicine_name": nil}),
			more: func(t *testing.T, rec *Record) {
				// A second maintenance medicine: sodium valproate.
				addMedicine(rec, false)
				fill(t, rec, answers(map[string]Literal{"medicine_name": quote(audit.MedicineSodiumValproate)}))
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
	for _, typ := range list("NON_EPILEPSY_SEIZURE_TYPE") {
		cases = append(cases, struct {
			name string
			sex  int
			pick pick
			more func(t *testing.T, rec *Record)
			then func(t *testing.T, c *audit.Child)
		}{
			name: fmt.Sprintf("a non-epileptic episode (%s), then an epileptic one", typ.Code), sex: girl,
			pick: answers(map[string]Literal{"epilepsy_or_nonepilepsy_status": quote("NE"), "nonepileptic_seizure_type": quote(typ.Code)}),
			more: func(t *testing.T, rec *Record) {
				c := checkIncomplete(t, rec)
				if c != progress.MultiaxialDiagnosis {
					t.Errorf("with only a non-epileptic episode, %v is incomplete; want only the multiaxial diagnosis", c)
				}
				addRow(rec, "episodes", nil)
				fill(t, rec, answers(map[string]Literal{"epilepsy_or_nonepilepsy_status": quote("E")}))
			},
		})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecord(tc.sex)
			fill(t, rec, tc.pick)
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
	for _, p := range (progress.Options{Sites: sitesOf(rec), Today: today}).Overall(c).Forms {
		if p.Status != progress.Completed {
			out = append(out, p.Form)
		}
	}
	if len(out) != 1 {
		t.Fatalf("incomplete forms %v, want one", out)
	}
	return out[0]
}
