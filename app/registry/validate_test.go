package registry

import (
	"testing"
	"time"
)

var today = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestDefinitions(t *testing.T) {
	d, ok := Definitions[DemoSlug]
	if !ok || d.Name == "" || !slicesContains(d.Genes, "MECP2") || d.ConsentText == "" {
		t.Fatalf("the demo registry's definition = %+v", d)
	}
	if _, err := ParseDefinition([]byte(`{"slug":"x","name":"X"}`)); err == nil {
		t.Error("a definition without its lists parsed")
	}
}

func TestHGVS(t *testing.T) {
	for v, want := range map[string]bool{
		"c.473C>T": true, "c.1157_1197del": true, "NM_004992.4:c.808C>T": true, "c.806delG": true,
		"c.1164_1207del44": false, "p.(Arg168*)": true, "p.Arg255Ter": true, "c.-5A>G": true, "c.378-2A>G": true,
		"g.154030912G>A": true, "c.763_764insT": true, "R168X": false, "c.473": false, "": false, "c.473C>T; rm -rf": false,
	} {
		if got := ValidHGVS(v); got != want {
			t.Errorf("ValidHGVS(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestPatientRules(t *testing.T) {
	def := Definitions[DemoSlug]
	ok := PatientInput{FirstName: "Amy", Surname: "Smith", DateOfBirth: DateInput{Day: "2", Month: "4", Year: "2015"}, Sex: "2"}
	tests := []struct {
		name  string
		edit  func(*PatientInput)
		field string // "" for none
	}{
		{"the minimum", func(*PatientInput) {}, ""},
		{"no first name", func(p *PatientInput) { p.FirstName = " " }, FieldFirstName},
		{"no date of birth", func(p *PatientInput) { p.DateOfBirth = DateInput{} }, FieldDateOfBirth},
		{"born tomorrow", func(p *PatientInput) { p.DateOfBirth = DateInput{Day: "11", Month: "3", Year: "2026"} }, FieldDateOfBirth},
		{"no sex", func(p *PatientInput) { p.Sex = "" }, FieldSex},
		{"a sex not on the list", func(p *PatientInput) { p.Sex = "7" }, FieldSex},
		{"a valid NHS number", func(p *PatientInput) { p.NHSNumber = "943 476 5919" }, ""},
		{"a wrong NHS number", func(p *PatientInput) { p.NHSNumber = "9434765918" }, FieldNHSNumber},
		{"a bad postcode", func(p *PatientInput) { p.Postcode = "XX1" }, FieldPostcode},
		{"death before birth", func(p *PatientInput) { p.DateOfDeath = DateInput{Day: "1", Month: "1", Year: "2014"} }, FieldDateOfDeath},
		{"death in the future", func(p *PatientInput) { p.DateOfDeath = DateInput{Day: "1", Month: "1", Year: "2027"} }, FieldDateOfDeath},
		{"diagnosed before birth", func(p *PatientInput) { p.DiagnosisDate = DateInput{Day: "1", Month: "1", Year: "2010"} }, FieldDiagnosisDate},
		{"a status of another registry", func(p *PatientInput) { p.ClinicalStatus = "typical_angelman" }, FieldClinicalStatus},
		{"a known status", func(p *PatientInput) { p.ClinicalStatus = "classic" }, ""},
		{"a control character", func(p *PatientInput) { p.Surname = "Sm\x00ith" }, FieldSurname},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			_, errs := checkPatient(def, in, today)
			switch {
			case tt.field == "" && len(errs) > 0:
				t.Errorf("errors %v, want none", errs)
			case tt.field != "" && errs.For(tt.field) == "":
				t.Errorf("errors %v, want one on %s", errs, tt.field)
			}
		})
	}
}

func TestContactRules(t *testing.T) {
	tests := []struct {
		in    ContactInput
		field string
	}{
		{ContactInput{FirstName: "Jo", Surname: "Smith"}, ""},
		{ContactInput{Surname: "Smith"}, FieldFirstName},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Email: "jo@example"}, FieldEmail},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Email: "Jo <jo@example.org>"}, FieldEmail},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Email: " JO@Example.org "}, ""},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Phone: "07700 900 123"}, ""},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Phone: "0770090012"}, FieldPhone},
		{ContactInput{FirstName: "Jo", Surname: "Smith", Phone: "call me"}, FieldPhone},
		{ContactInput{FirstName: "Jo", Surname: "Smith", PreferredChannel: "sms"}, FieldPreferredChannel},
		{ContactInput{FirstName: "Jo", Surname: "Smith", PreferredChannel: "pigeon"}, FieldPreferredChannel},
	}
	for _, tt := range tests {
		_, errs := checkContact(tt.in)
		if (tt.field == "") != (len(errs) == 0) || (tt.field != "" && errs.For(tt.field) == "") {
			t.Errorf("checkContact(%+v) = %v, want an error on %q", tt.in, errs, tt.field)
		}
	}
	if p, ok := NormalisePhone("+44 (0)7700 900123"); ok {
		t.Errorf("NormalisePhone kept the (0): %s", p)
	}
	if p, _ := NormalisePhone("07700 900123"); p != "+447700900123" {
		t.Errorf("NormalisePhone = %s", p)
	}
}

func TestRelationshipRules(t *testing.T) {
	tests := []struct {
		in    RelationshipInput
		field string
	}{
		{RelationshipInput{Type: "mother"}, ""},
		{RelationshipInput{}, FieldType},
		{RelationshipInput{Type: "aunt"}, FieldType},
		{RelationshipInput{Type: "carer", StartDate: DateInput{Day: "1", Month: "1", Year: "2020"}, EndDate: DateInput{Day: "1", Month: "1", Year: "2019"}}, FieldEndDate},
		{RelationshipInput{Type: "carer", StartDate: DateInput{Day: "1", Month: "1", Year: "2027"}}, FieldStartDate},
	}
	for _, tt := range tests {
		_, errs := checkRelationship(tt.in, today)
		if (tt.field == "") != (len(errs) == 0) || (tt.field != "" && errs.For(tt.field) == "") {
			t.Errorf("checkRelationship(%+v) = %v, want an error on %q", tt.in, errs, tt.field)
		}
	}
}
