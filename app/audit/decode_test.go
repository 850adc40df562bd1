package audit

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// docExample returns the JSON block after "<!-- example:<name> -->" in
// docs/data-format.md, so the documented example is always decodable.
func docExample(t testing.TB, name string) []byte {
	t.Helper()
	md, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "<!-- example:"+name+" -->\n```json\n")
	if !ok {
		t.Fatalf("docs/data-format.md has no example %q", name)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatalf("example %q is not closed", name)
	}
	return []byte(block)
}

func TestDecodeDocumentedExample(t *testing.T) {
	c, err := Decode(bytes.NewReader(docExample(t, "child")))
	if err != nil {
		t.Fatalf("the example in docs/data-format.md does not decode: %v", err)
	}
	// Spot-check each kind of value.
	if c.Case.Sex == nil || *c.Case.Sex != SexMale {
		t.Errorf("case.sex = %v", c.Case.Sex)
	}
	if got := c.Registration.FirstPaediatricAssessmentDate.String(); got != "2023-06-12" {
		t.Errorf("FPA = %s", got)
	}
	if c.Investigations.MRIIndicated == nil || *c.Investigations.MRIIndicated {
		t.Error("mri_indicated should be an answered false")
	}
	if c.Investigations.MRIBrainRequestedDate != nil {
		t.Error("an absent date should be nil")
	}
	if len(c.Episodes) != 2 || *c.Episodes[1].EpilepsyOrNonepilepsyStatus != StatusNonEpileptic {
		t.Errorf("episodes = %+v", c.Episodes)
	}
	if got := c.MultiaxialDiagnosis.MentalHealthIssues; !reflect.DeepEqual(got, []string{"AxD"}) {
		t.Errorf("mental_health_issues = %v", got)
	}
	if *c.AntiEpilepsyMedicines[0].MedicineName != "Levetiracetam" {
		t.Errorf("medicine = %v", *c.AntiEpilepsyMedicines[0].MedicineName)
	}
}

func TestEncodeRoundTrips(t *testing.T) {
	c, err := Decode(bytes.NewReader(docExample(t, "child")))
	if err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := Encode(&first, c); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatalf("Decode(Encode(c)): %v\n%s", err, first.String())
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the child:\n%s", first.String())
	}
	var second bytes.Buffer
	if err := Encode(&second, back); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Error("Encode is not stable")
	}
	if !strings.Contains(first.String(), "tonic") && !strings.Contains(first.String(), "Self-limited epilepsy with centrotemporal spikes") {
		t.Error("names should be written as they are")
	}
}

func TestNullAndMissing(t *testing.T) {
	c, err := Decode(strings.NewReader(`{
		"registration": {"eligibility_criteria_met": false, "first_paediatric_assessment_date": null},
		"investigations": null,
		"assessment": {},
		"multiaxial_diagnosis": {"mental_health_issues": [], "epilepsy_cause_categories": null},
		"episodes": [],
		"syndromes": null
	}`))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case c.Registration.EligibilityCriteriaMet == nil || *c.Registration.EligibilityCriteriaMet:
		t.Error("false must decode to an answered false")
	case c.Registration.FirstPaediatricAssessmentDate != nil:
		t.Error("null must decode to not answered")
	case c.Investigations != nil:
		t.Error("a null form is a missing record")
	case c.Management != nil:
		t.Error("an absent form is a missing record")
	case c.Assessment == nil || *c.Assessment != (Assessment{}):
		t.Error("{} is an existing, empty record")
	case c.MultiaxialDiagnosis.MentalHealthIssues != nil || c.MultiaxialDiagnosis.EpilepsyCauseCategories != nil:
		t.Error("empty and null code lists decode to nil")
	case c.Episodes != nil || c.Syndromes != nil:
		t.Error("empty and null rows decode to nil")
	}
}

func TestDecodeRejects(t *testing.T) {
	// A valid form and row to hang bad rows on.
	const multiaxial = `"multiaxial_diagnosis": {}, `
	for _, tc := range []struct {
		name string
		doc  string
		want []string // every error, in order; exact text
	}{
		{"impossible date", `{"management": {"individualised_care_plan_date": "2023-02-30"}}`,
			[]string{`management.individualised_care_plan_date: "2023-02-30" is not a real date`}},
		{"29 February in a common year", `{"case": {"date_of_birth": "2023-02-29"}}`,
			[]string{`case.date_of_birth: "2023-02-29" is not a real date`}},
		{"date in the wrong form", `{"registration": {"first_paediatric_assessment_date": "12/06/2023"}}`,
			[]string{`registration.first_paediatric_assessment_date: "12/06/2023" is not a date in the form YYYY-MM-DD`}},
		{"date with a time", `{"registration": {"first_paediatric_assessment_date": "2023-06-12T00:00:00Z"}}`,
			[]string{`registration.first_paediatric_assessment_date: "2023-06-12T00:00:00Z" is not a date in the form YYYY-MM-DD`}},
		{"date as a number", `{"case": {"date_of_birth": 20140504}}`,
			[]string{`case.date_of_birth: 20140504 is not a date string in the form "YYYY-MM-DD"`}},
		{"bad date in a row", `{` + multiaxial + `"episodes": [{}, {"seizure_onset_date": "2023-04-31"}]}`,
			[]string{`episodes[1].seizure_onset_date: "2023-04-31" is not a real date`}},
		{"unknown top-level field", `{"patient": {}}`, []string{`patient: unknown field`}},
		{"unknown field in a form", `{"management": {"care_plan": true}}`, []string{`management.care_plan: unknown field`}},
		{"field name in the wrong case", `{"Case": {}}`, []string{`Case: unknown field`}},
		{"nested field name in the wrong case", `{"case": {"Sex": 1}}`, []string{`case.Sex: unknown field`}},
		{"unknown field in a row", `{` + multiaxial + `"episodes": [{"onset": "x"}]}`, []string{`episodes[0].onset: unknown field`}},
		{"derived progress fields are not part of an episode", `{` + multiaxial + `"episodes": [{"expected_score": 5}]}`,
			[]string{`episodes[0].expected_score: unknown field`}},
		{"field given twice", `{"registration": {"eligibility_criteria_met": true, "eligibility_criteria_met": false}}`,
			[]string{`registration.eligibility_criteria_met: appears more than once`}},
		{"form given twice", `{"case": {}, "case": {}}`, []string{`case: appears more than once`}},
		{"string for a bool", `{"registration": {"eligibility_criteria_met": "yes"}}`,
			[]string{`registration.eligibility_criteria_met: expected true, false or null, got "yes"`}},
		{"number for a bool", `{"assessment": {"consultant_paediatrician_referral_made": 1}}`,
			[]string{`assessment.consultant_paediatrician_referral_made: expected true, false or null, got 1`}},
		{"string for an int", `{"case": {"sex": "2"}}`, []string{`case.sex: expected a whole number or null, got "2"`}},
		{"fraction for an int", `{"case": {"sex": 2.5}}`, []string{`case.sex: expected a whole number or null, got 2.5`}},
		{"number for a string", `{"case": {"ethnicity": 1}}`, []string{`case.ethnicity: expected a string or null, got 1`}},
		{"object for a string", `{"case": {"postcode": {"outward": "SW1A"}}}`, []string{`case.postcode: expected a string or null, got an object`}},
		{"string for a code list", `{"multiaxial_diagnosis": {"mental_health_issues": "AxD"}}`,
			[]string{`multiaxial_diagnosis.mental_health_issues: expected an array of strings, got "AxD"`}},
		{"number in a code list", `{"multiaxial_diagnosis": {"mental_health_issues": ["AxD", 1]}}`,
			[]string{`multiaxial_diagnosis.mental_health_issues[1]: expected a string, got 1`}},
		{"form that is not an object", `{"management": true}`, []string{`management: expected an object, got a boolean`}},
		{"form that is an array", `{"management": []}`, []string{`management: expected an object, got an array`}},
		{"rows that are not an array", `{` + multiaxial + `"episodes": {}}`, []string{`episodes: expected an array of objects, got an object`}},
		{"row that is not an object", `{` + multiaxial + `"episodes": [1]}`, []string{`episodes[0]: expected an object, got a number`}},
		{"null row", `{` + multiaxial + `"episodes": [null]}`, []string{`episodes[0]: expected an object, got null`}},
		{"document that is an array", `[]`, []string{`document: expected an object, got an array`}},
		{"unknown sex code", `{"case": {"sex": 3}}`, []string{`case.sex: 3 is not one of 0 1 2 9`}},
		{"unknown ethnicity", `{"case": {"ethnicity": "I"}}`, []string{`case.ethnicity: "I" is not one of A, B, C, D, E, F, G, H, J, K, L, M, N, P, S, R, Z`}},
		{"code in the wrong case", `{` + multiaxial + `"episodes": [{"epileptic_generalised_onset": "myc"}]}`,
			[]string{`episodes[0].epileptic_generalised_onset: "myc" is not one of AEM, Ato, Aab, Clo, EpS, MyC, MAb, MTC, MAt, Ton, TCl, TAb, Oth`}},
		{"unknown status", `{` + multiaxial + `"episodes": [{}, {"epilepsy_or_nonepilepsy_status": "X"}]}`,
			[]string{`episodes[1].epilepsy_or_nonepilepsy_status: "X" is not one of E, NE, U`}},
		{"unknown subtype letter", `{` + multiaxial + `"episodes": [{"nonepileptic_seizure_sleep": "h"}]}`,
			[]string{`episodes[0].nonepileptic_seizure_sleep: "h" is not one of a, b, c, d, e, f, g`}},
		{"unknown Y/N/U answer", `{"epilepsy_context": {"previous_febrile_seizure": "Yes"}}`,
			[]string{`epilepsy_context.previous_febrile_seizure: "Yes" is not one of Y, N, U`}},
		{"unknown setting", `{"first_paediatric_assessment": {"first_paediatric_assessment_in_acute_or_nonacute_setting": 0}}`,
			[]string{`first_paediatric_assessment.first_paediatric_assessment_in_acute_or_nonacute_setting: 0 is not one of 1 2 3`}},
		{"code chosen twice", `{"multiaxial_diagnosis": {"epilepsy_cause_categories": ["Gen", "Str", "Gen"]}}`,
			[]string{`multiaxial_diagnosis.epilepsy_cause_categories[2]: "Gen" appears more than once`}},
		{"syndrome spelt with a hyphen instead of an EN DASH", `{` + multiaxial + `"syndromes": [{"syndrome_name": "Epilepsy with generalized tonic-clonic seizures alone"}]}`,
			[]string{`syndromes[0].syndrome_name: "Epilepsy with generalized tonic-clonic seizures alone" is not in the syndrome list`}},
		{"valproate in the rescue list", `{"management": {}, "antiepilepsy_medicines": [{"medicine_name": "Sodium valproate", "is_rescue_medicine": true}]}`,
			[]string{`antiepilepsy_medicines[0].medicine_name: "Sodium valproate" is not in the rescue medicine list`}},
		{"unknown medicine", `{"management": {}, "antiepilepsy_medicines": [{"medicine_name": "Valproate", "is_rescue_medicine": false}]}`,
			[]string{`antiepilepsy_medicines[0].medicine_name: "Valproate" is not in the maintenance medicine list`}},
		{"medicine row without its list", `{"management": {}, "antiepilepsy_medicines": [{"medicine_name": "Lamotrigine"}]}`,
			[]string{`antiepilepsy_medicines[0].is_rescue_medicine: is required: true for a rescue medicine, false otherwise`}},
		{"rows without their form", `{"episodes": [{}], "syndromes": [{}], "antiepilepsy_medicines": [{"is_rescue_medicine": false}]}`,
			[]string{`episodes: rows need the multiaxial_diagnosis form, which is missing`,
				`syndromes: rows need the multiaxial_diagnosis form, which is missing`,
				`antiepilepsy_medicines: rows need the management form, which is missing`}},
		{"EEG declined sentinel date", `{"investigations": {"eeg_performed_date": "1915-04-15"}}`,
			[]string{`investigations.eeg_performed_date: 1915-04-15 is Epilepsy12's "declined" marker; leave the date empty and set investigations.eeg_declined to true`}},
		{"MRI declined sentinel date", `{"investigations": {"mri_brain_reported_date": "1915-04-15"}}`,
			[]string{`investigations.mri_brain_reported_date: 1915-04-15 is Epilepsy12's "declined" marker; leave the date empty and set investigations.mri_brain_declined to true`}},
		{"declined with a date", `{"investigations": {"eeg_declined": true, "eeg_performed_date": "2023-07-01"}}`,
			[]string{`investigations.eeg_performed_date: must be empty when investigations.eeg_declined is true`}},
		{"first year end that disagrees", `{"registration": {"first_paediatric_assessment_date": "2024-02-29", "completed_first_year_of_care_date": "2025-03-01"}}`,
			[]string{`registration.completed_first_year_of_care_date: must be first_paediatric_assessment_date + 1 year`}},
		{"cohort that disagrees", `{"registration": {"first_paediatric_assessment_date": "2023-12-01", "cohort": 6}}`,
			[]string{`registration.cohort: 6 is not the cohort of the first paediatric assessment date`}},
		{"cohort before cohort 4", `{"registration": {"first_paediatric_assessment_date": "2020-11-30", "cohort": 3}}`,
			[]string{`registration.cohort: 3 is not the cohort of the first paediatric assessment date`}},
		{"submission date that disagrees", `{"registration": {"first_paediatric_assessment_date": "2022-12-31", "audit_submission_date": "2024-01-09"}}`,
			[]string{`registration.audit_submission_date: is not the submission date of the first paediatric assessment date's cohort`}},
		{"NHS number with spaces", `{"case": {"nhs_number": "943 476 5919"}}`, []string{`case.nhs_number: "943 476 5919" is not 10 digits`}},
		{"description too long", `{` + multiaxial + `"episodes": [{"description": "` + strings.Repeat("é", 2001) + `"}]}`,
			[]string{`episodes[0].description: is longer than 2000 characters`}},
		{"every problem at once", `{"case": {"sex": "F", "date_of_birth": "2014-02-30", "colour": "blue"}, "registration": {"eligibility_criteria_met": "yes"}}`,
			[]string{`case.sex: expected a whole number or null, got "F"`, `case.date_of_birth: "2014-02-30" is not a real date`,
				`case.colour: unknown field`, `registration.eligibility_criteria_met: expected true, false or null, got "yes"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Decode(strings.NewReader(tc.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v (%T) is not audit.Errors", err, err)
			}
			var got []string
			for _, fe := range errs {
				got = append(got, fe.Error())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDecodeRejectsMalformedJSON(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"missing value", `{"case": }`, "audit: malformed JSON at line 1, column 10: invalid character '}' looking for beginning of value"},
		{"second document", "{}\n{}", "audit: malformed JSON at line 2, column 1: invalid character '{' after top-level value"},
		{"unclosed", `{"case": {"sex": 1}`, "audit: malformed JSON at line 1, column 20: unexpected end of JSON input"},
		{"empty input", ``, "audit: malformed JSON at line 1, column 1: unexpected end of JSON input"},
		{"trailing comma", "{\n  \"case\": {},\n}", "audit: malformed JSON at line 3, column 1: invalid character '}' looking for beginning of object key string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.doc))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant  %s", err, tc.want)
			}
		})
	}
}

func TestDerivedRegistrationFieldsAccepted(t *testing.T) {
	// FPA on 29 Feb: the first year ends on 28 Feb; cohort 7 (FPA Dec 2023 to
	// Nov 2024); its deadline is 2026-01-13 (spec §7 table).
	doc := `{"registration": {"first_paediatric_assessment_date": "2024-02-29", "cohort": 7,
		"completed_first_year_of_care_date": "2025-02-28", "audit_submission_date": "2026-01-13"}}`
	if _, err := Decode(strings.NewReader(doc)); err != nil {
		t.Error(err)
	}
}

func TestKnownField(t *testing.T) {
	for path, want := range map[string]bool{
		"management.individualised_care_plan_date":  true,
		"case.date_of_birth":                        true,
		"episodes[].focal_onset_myoclonic":          true,
		"episodes[12].focal_onset_myoclonic":        true,
		"antiepilepsy_medicines[0].medicine_name":   true,
		"investigations.eeg_declined":               true,
		"syndromes":                                 true,
		"investigations":                            true,
		"management.care_plan":                      false,
		"episodes.focal_onset_myoclonic":            true,
		"management[].has_an_aed_been_given":        false,
		"episodes[x].focal_onset_myoclonic":         false,
		"patient.sex":                               false,
		"case.Sex":                                  false,
		"episodes[0].expected_score":                false,
		"multiaxial_diagnosis.mental_health_issues": true,
	} {
		if got := KnownField(path); got != want {
			t.Errorf("KnownField(%q) = %v, want %v", path, got, want)
		}
	}
}
