package kpi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"clinaudit/app/audit"
)

func TestNotRegisteredIsNotScored(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*audit.Child)
	}{
		{"no registration record", func(c *audit.Child) { c.Registration = nil }},
		{"no first paediatric assessment date", func(c *audit.Child) { c.Registration.FirstPaediatricAssessmentDate = nil }},
		{"eligibility unanswered", func(c *audit.Child) { c.Registration.EligibilityCriteriaMet = nil }},
		{"eligibility false", func(c *audit.Child) { c.Registration.EligibilityCriteriaMet = no() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := registeredChild()
			// Answers that would otherwise pass or fail must not leak through.
			fullPlan(c)
			mri(no(), "", "")(c)
			tc.edit(c)
			r := scoreChecked(t, c)
			for m := range Measure(NumMeasures) {
				if ex := r.Explanation(m); ex.Outcome != NotScored || ex.Rule != "not_registered" {
					t.Errorf("%s = %s (%s), want not_scored (not_registered)", m, ex.Outcome, ex.Rule)
				}
			}
		})
	}
	t.Run("nil child", func(t *testing.T) {
		if r := Score(nil); r.Scores != (Scores{}) {
			t.Errorf("Score(nil) = %v, want all not scored", r.Scores)
		}
	})
}

// TestMissingFormIsNotScored checks spec §6.0's list of the form records
// each measure needs.
func TestMissingFormIsNotScored(t *testing.T) {
	nine := []Measure{ComprehensiveCarePlanningAgreement, PatientHeldIndividualisedEpilepsyDocument,
		PatientCarerParentAgreementToTheCarePlanning, CarePlanningHasBeenUpdatedWhenNecessary,
		ComprehensiveCarePlanningContent, ParentalProlongedSeizuresCarePlan, WaterSafety, FirstAid,
		GeneralParticipationAndRisk, ServiceContactDetails, SUDEP}
	for _, tc := range []struct {
		form  string
		drop  func(*audit.Child)
		needs []Measure
	}{
		{"assessment", func(c *audit.Child) { c.Assessment = nil },
			[]Measure{PaediatricianWithExpertiseInEpilepsies, EpilepsySpecialistNurse, TertiaryInput, EpilepsySurgeryReferral}},
		{"management", func(c *audit.Child) { c.Management = nil },
			append([]Measure{TertiaryInput, MentalHealthSupport, SodiumValproate, SchoolIndividualHealthcarePlan}, nine...)},
		{"multiaxial_diagnosis", func(c *audit.Child) { c.MultiaxialDiagnosis = nil },
			[]Measure{TertiaryInput, MRI, AssessmentOfMentalHealthIssues, MentalHealthSupport}},
		{"epilepsy_context", func(c *audit.Child) { c.EpilepsyContext = nil }, []Measure{ECG}},
		{"investigations", func(c *audit.Child) { c.Investigations = nil }, []Measure{ECG, MRI}},
		{"first_paediatric_assessment", func(c *audit.Child) { c.FirstPaediatricAssessment = nil }, nil},
	} {
		t.Run(tc.form, func(t *testing.T) {
			c := registeredChild()
			tc.drop(c)
			r := scoreChecked(t, c)
			for m := range Measure(NumMeasures) {
				ex := r.Explanation(m)
				needed := false
				for _, n := range tc.needs {
					needed = needed || n == m
				}
				if needed && (ex.Outcome != NotScored || ex.Rule != "form_missing" || ex.Fields[len(ex.Fields)-1] != tc.form) {
					t.Errorf("%s = %s (%s, %v), want not_scored (form_missing, %s)", m, ex.Outcome, ex.Rule, ex.Fields, tc.form)
				}
				if !needed && ex.Rule == "form_missing" {
					t.Errorf("%s does not need %s but says form_missing", m, tc.form)
				}
			}
		})
	}
}

// TestUntouchedForms is the state right after registration: every form
// record exists and nothing is answered. KPI 5 fails and KPI 3a fails for a
// young child rather than being "not scored" (quirk 6).
func TestUntouchedForms(t *testing.T) {
	want := Scores{}
	want[TertiaryInput] = Ineligible   // 10 years old, no criteria
	want[MRI] = Fail                   // never not scored
	want[SodiumValproate] = Ineligible // under 12
	if got := scoreChecked(t, registeredChild()).Scores; got != want {
		t.Errorf("scores = %v\nwant     %v", got, want)
	}

	t.Run("a 1-year-old fails tertiary input", func(t *testing.T) {
		c := registeredChild()
		aged("2022-01-01", "2023-01-01")(c)
		r := scoreChecked(t, c)
		if got := r.Outcome(TertiaryInput); got != Fail {
			t.Errorf("tertiary_input = %s, want fail", got)
		}
		for _, m := range []Measure{AssessmentOfMentalHealthIssues, SodiumValproate, SchoolIndividualHealthcarePlan} {
			if got := r.Outcome(m); got != Ineligible {
				t.Errorf("%s = %s, want ineligible", m, got)
			}
		}
	})
}

func TestMissingDateOfBirth(t *testing.T) {
	for name, edit := range map[string]func(*audit.Child){
		"date of birth unanswered": func(c *audit.Child) { c.Case.DateOfBirth = nil },
		"no case record":           func(c *audit.Child) { c.Case = nil },
	} {
		t.Run(name, func(t *testing.T) {
			c := registeredChild()
			edit(c)
			ecg(yes(), yes())(c)
			r := scoreChecked(t, c)
			for _, m := range []Measure{TertiaryInput, AssessmentOfMentalHealthIssues, SodiumValproate, SchoolIndividualHealthcarePlan} {
				if ex := r.Explanation(m); ex.Outcome != NotScored || ex.Rule != "date_of_birth_missing" {
					t.Errorf("%s = %s (%s), want not_scored (date_of_birth_missing)", m, ex.Outcome, ex.Rule)
				}
			}
			// Measures that do not use the age are scored as usual.
			if r.Outcome(ECG) != Pass || r.Outcome(MRI) != Fail {
				t.Errorf("ecg = %s, mri = %s; want pass, fail", r.Outcome(ECG), r.Outcome(MRI))
			}
		})
	}
}

func TestScoresJSON(t *testing.T) {
	r := scoreChecked(t, registeredChild())
	got, err := json.Marshal(r.Scores)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"paediatrician_with_expertise_in_epilepsies":"not_scored","epilepsy_specialist_nurse":"not_scored",` +
		`"tertiary_input":"ineligible","epilepsy_surgery_referral":"not_scored","ecg":"not_scored","mri":"fail",` +
		`"assessment_of_mental_health_issues":"not_scored","mental_health_support":"not_scored","sodium_valproate":"ineligible",` +
		`"comprehensive_care_planning_agreement":"not_scored","patient_held_individualised_epilepsy_document":"not_scored",` +
		`"patient_carer_parent_agreement_to_the_care_planning":"not_scored","care_planning_has_been_updated_when_necessary":"not_scored",` +
		`"comprehensive_care_planning_content":"not_scored","parental_prolonged_seizures_care_plan":"not_scored",` +
		`"water_safety":"not_scored","first_aid":"not_scored","general_participation_and_risk":"not_scored",` +
		`"service_contact_details":"not_scored","sudep":"not_scored","school_individual_healthcare_plan":"not_scored"}`
	if string(got) != want {
		t.Errorf("scores JSON:\n got %s\nwant %s", got, want)
	}

	t.Run("result round trip", func(t *testing.T) {
		c := registeredChild()
		fullPlan(c)
		r := scoreChecked(t, c)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Result
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, r) {
			t.Errorf("round trip changed the result:\n%s", b)
		}
	})

	t.Run("unknown measure is refused", func(t *testing.T) {
		var s Scores
		if err := json.Unmarshal([]byte(`{"mri":"pass","eeg":"pass"}`), &s); err == nil {
			t.Error("want an error for the unknown measure eeg")
		}
		if err := json.Unmarshal([]byte(`{"mri":"passed"}`), &s); err == nil {
			t.Error("want an error for the unknown outcome passed")
		}
	})

	t.Run("a missing measure reads as not scored", func(t *testing.T) {
		var s Scores
		if err := json.Unmarshal([]byte(`{"mri":"pass"}`), &s); err != nil {
			t.Fatal(err)
		}
		want := Scores{}
		want[MRI] = Pass
		if s != want {
			t.Errorf("got %v", s)
		}
	})
}

func TestScoreLeavesTheRecordAlone(t *testing.T) {
	c := typicalChild()
	var before, after bytes.Buffer
	if err := audit.Encode(&before, c); err != nil {
		t.Fatal(err)
	}
	scoreChecked(t, c)
	if err := audit.Encode(&after, c); err != nil {
		t.Fatal(err)
	}
	if before.String() != after.String() {
		t.Error("Score changed the child's record")
	}
}

// TestScoreConcurrently gives the race detector something to look at:
// Score must be safe on a shared record.
func TestScoreConcurrently(t *testing.T) {
	c := typicalChild()
	want := Score(c)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := Score(c); got.Scores != want.Scores {
					t.Errorf("concurrent score %v, want %v", got.Scores, want.Scores)
					return
				}
			}
		})
	}
	wg.Wait()
}
