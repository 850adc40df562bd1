package forms

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"clinaudit/app/datefield"
)

// find returns the question of form f that stores field.
func find(t *testing.T, f *Form, field string) *Question {
	t.Helper()
	for _, l := range allQuestions(f) {
		if slices.Contains(l.q.Stores(), field) {
			return l.q
		}
	}
	t.Fatalf("%s has no question for %s", f.ID, field)
	return nil
}

func TestParse(t *testing.T) {
	k := func(section string, row int64, field string) Key { return Key{section, row, field} }
	dateKey := k("investigations", 0, "eeg_request_date")
	dateIn := func(d, m, y string) map[string][]string {
		n := dateKey.String()
		return map[string][]string{n + "-day": {d}, n + "-month": {m}, n + "-year": {y}}
	}
	cases := []struct {
		name      string
		form      *Form
		field     string
		key       Key
		in        map[string][]string
		want      string // the answer as JSON; "" for not answered
		wantErr   string
		wantParts []datefield.Part
	}{
		{"date", Investigations, "eeg_request_date", dateKey, dateIn("1", "3", "2024"), `"2024-03-01"`, "", nil},
		{"date with a month name", Investigations, "eeg_request_date", dateKey, dateIn(" 09 ", "Sept", "2024"), `"2024-09-09"`, "", nil},
		{"blank date", Investigations, "eeg_request_date", dateKey, dateIn(" ", "", ""), "", "", nil},
		{"no inputs at all", Investigations, "eeg_request_date", dateKey, nil, "", "", nil},
		{"31 April", Investigations, "eeg_request_date", dateKey, dateIn("31", "4", "2024"), "",
			"Date the EEG was requested must be a real date", []datefield.Part{datefield.Day, datefield.Month, datefield.Year}},
		{"date without a day", Investigations, "eeg_request_date", dateKey, dateIn("", "4", "2024"), "",
			"Date the EEG was requested must include a day", []datefield.Part{datefield.Day}},
		{"2-digit year", Investigations, "eeg_request_date", dateKey, dateIn("1", "4", "24"), "",
			"must include a year with 4 numbers", []datefield.Part{datefield.Year}},
		{"yes", Investigations, "eeg_indicated", k("investigations", 0, "eeg_indicated"), map[string][]string{"investigations.0.eeg_indicated": {"true"}}, `true`, "", nil},
		{"no", Investigations, "eeg_indicated", k("investigations", 0, "eeg_indicated"), map[string][]string{"investigations.0.eeg_indicated": {"false"}}, `false`, "", nil},
		{"yes/no not answered", Investigations, "eeg_indicated", k("investigations", 0, "eeg_indicated"), map[string][]string{"investigations.0.eeg_indicated": {""}}, "", "", nil},
		{"yes/no nonsense", Investigations, "eeg_indicated", k("investigations", 0, "eeg_indicated"), map[string][]string{"investigations.0.eeg_indicated": {"Y"}}, "", "Answer yes or no", nil},
		{"ticked", Investigations, "eeg_declined", k("investigations", 0, "eeg_declined"), map[string][]string{"investigations.0.eeg_declined": {"true"}}, `true`, "", nil},
		{"checkboxes", MultiaxialDiagnosis, "epilepsy_cause_categories", k("multiaxial_diagnosis", 0, "epilepsy_cause_categories"),
			map[string][]string{"multiaxial_diagnosis.0.epilepsy_cause_categories": {"Gen", " Str ", ""}}, `["Gen","Str"]`, "", nil},
		{"no checkbox ticked", MultiaxialDiagnosis, "mental_health_issues", k("multiaxial_diagnosis", 0, "mental_health_issues"),
			map[string][]string{"multiaxial_diagnosis.0.mental_health_issues": {""}}, "", "", nil},
		{"int code", FirstPaediatricAssessment, "first_paediatric_assessment_in_acute_or_nonacute_setting",
			k("first_paediatric_assessment", 0, "first_paediatric_assessment_in_acute_or_nonacute_setting"),
			map[string][]string{"first_paediatric_assessment.0.first_paediatric_assessment_in_acute_or_nonacute_setting": {"2"}}, `2`, "", nil},
		{"unknown int code", FirstPaediatricAssessment, "first_paediatric_assessment_in_acute_or_nonacute_setting",
			k("first_paediatric_assessment", 0, "first_paediatric_assessment_in_acute_or_nonacute_setting"),
			map[string][]string{"first_paediatric_assessment.0.first_paediatric_assessment_in_acute_or_nonacute_setting": {"7"}}, "", "Choose one of the options", nil},
		{"string code", MultiaxialDiagnosis, "epilepsy_or_nonepilepsy_status", k("episodes", 4, "epilepsy_or_nonepilepsy_status"),
			map[string][]string{"episodes.4.epilepsy_or_nonepilepsy_status": {"NE"}}, `"NE"`, "", nil},
		{"laterality", MultiaxialDiagnosis, "focal_onset_left", k("episodes", 4, "focal_onset_left"),
			map[string][]string{"episodes.4.focal_onset_left": {"right"}}, `"right"`, "", nil},
		{"text area: a line break is one character", MultiaxialDiagnosis, "description", k("episodes", 4, "description"),
			map[string][]string{"episodes.4.description": {"Stared.\r\nThen  fell."}}, `"Stared.\nThen  fell."`, "", nil},
		{"centre", Assessment, "site_is_paediatric_neurology_centre", k("sites", 0, "site_is_paediatric_neurology_centre"),
			map[string][]string{"sites.0.site_is_paediatric_neurology_centre": {" RGT01 "}}, `"RGT01"`, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := find(t, tc.form, tc.field)
			got, err := q.Parse(tc.key, func(name string) []string { return tc.in[name] })
			if tc.wantErr != "" {
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("Parse = %s, %v; want a FieldError %q", got, err, tc.wantErr)
				}
				if fe.Key != tc.key || !strings.Contains(fe.Message, tc.wantErr) || !slices.Equal(fe.Parts, tc.wantParts) {
					t.Errorf("error %+v, want %q with parts %v", fe, tc.wantErr, tc.wantParts)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("Parse = %s, want %s", got, tc.want)
			}
		})
	}
}
