package forms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"clinaudit/app/audit"
)

// Record.Child reads the record in parts (audit.DecodeParts); it must give
// exactly what decoding the whole document gives, and refuse what it
// refuses.
func TestChildEqualsTheDocumentDecoded(t *testing.T) {
	for name, pick := range map[string]pick{
		"yes to everything": answers(nil),
		"no to everything": func(q *Question, row *Row) Literal {
			if q.Kind == YesNo {
				return no
			}
			return nil
		},
		"generalised onset": answers(map[string]Literal{"epileptic_seizure_onset_type": quote("GO")}),
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecord(girl)
			fill(t, rec, pick)
			confirmed := true
			c, reg := &audit.Case{Sex: rec.Sex, DateOfBirth: rec.DateOfBirth},
				&audit.Registration{FirstPaediatricAssessmentDate: rec.FirstAssessment, EligibilityCriteriaMet: &confirmed}
			got, err := rec.Child(c, reg)
			if err != nil {
				t.Fatal(err)
			}
			doc := rec.Document()
			doc["case"], doc["registration"] = c, reg
			data, _ := json.Marshal(doc)
			want, err := audit.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("in parts:\n%+v\nwhole:\n%+v", got, want)
			}
			if len(got.Episodes) == 0 || got.Management == nil || got.Management.HasAnAEDBeenGiven == nil {
				t.Errorf("the filled record decoded to almost nothing: %+v", got)
			}
		})
	}
	// What the whole document refuses, the parts refuse too, naming the field.
	for _, bad := range []struct {
		section, field string
		value          Literal
		path           string
	}{
		{"management", "has_an_aed_been_given", Literal(`"yes"`), "management.has_an_aed_been_given"},
		{"management", "no_such_field", Literal(`true`), "management.no_such_field"},
		{"first_paediatric_assessment", "first_paediatric_assessment_in_acute_or_nonacute_setting", Literal(`01`), "first_paediatric_assessment.first_paediatric_assessment_in_acute_or_nonacute_setting"},
		{"investigations", "eeg_request_date", Literal(`"2023-02-30"`), "investigations.eeg_request_date"},
	} {
		rec := newRecord(girl)
		if rec.Sections == nil {
			rec.Sections = map[string]map[string]Literal{}
		}
		rec.Sections[bad.section] = map[string]Literal{bad.field: bad.value}
		_, err := rec.Child(nil, nil)
		var fe audit.Errors
		if !asErrors(err, &fe) || len(fe) != 1 || fe[0].Path != bad.path {
			t.Errorf("%s = %s: %v, want one error at %s", bad.field, bad.value, err, bad.path)
		}
	}
}

func asErrors(err error, fe *audit.Errors) bool {
	e, ok := err.(audit.Errors)
	*fe = e
	return ok
}
