package children

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"clinaudit/app/store"
)

var today = time.Date(2025, time.March, 10, 0, 0, 0, 0, time.UTC)

func form() Demographics {
	return Demographics{FirstName: "Ava", Surname: "Smith", NHSNumber: "943 476 5919",
		DateOfBirth: DateInput{"3", "5", "2015"}, Sex: "2", Ethnicity: "A", Postcode: "sw1a 1aa"}
}

func TestValidateDemographics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Demographics)
		jersey bool
		fpa    *store.Date
		field  string // "" for valid
		msg    string
	}{
		{"valid, spaced NHS number", func(d *Demographics) {}, false, nil, "", ""},
		{"NHS number with dashes", func(d *Demographics) { d.NHSNumber = "401-023-2137" }, false, nil, "", ""},
		{"NHS number 9999999999 (no range check)", func(d *Demographics) { d.NHSNumber = "9999999999" }, false, nil, "", ""},
		{"NHS number missing", func(d *Demographics) { d.NHSNumber = " " }, false, nil, "nhs_number", "Enter an NHS number"},
		{"NHS number bad checksum", func(d *Demographics) { d.NHSNumber = "4857773456" }, false, nil, "nhs_number", "This is not a valid NHS number: check the digits"},
		{"NHS number off by one", func(d *Demographics) { d.NHSNumber = "9434765918" }, false, nil, "nhs_number", "This is not a valid NHS number: check the digits"},
		{"NHS number too short (no zero padding)", func(d *Demographics) { d.NHSNumber = "434765919" }, false, nil, "nhs_number", "Enter an NHS number with 10 digits"},
		{"NHS number with letters", func(d *Demographics) { d.NHSNumber = "94347659A9" }, false, nil, "nhs_number", "NHS number must only include numbers"},
		{"first name missing", func(d *Demographics) { d.FirstName = "  " }, false, nil, "first_name", "Enter the child's first name"},
		{"surname missing", func(d *Demographics) { d.Surname = "" }, false, nil, "surname", "Enter the child's surname"},
		{"surname too long", func(d *Demographics) { d.Surname = strings.Repeat("x", 101) }, false, nil, "surname", "Surname must be 100 characters or fewer"},
		{"first name with a NUL", func(d *Demographics) { d.FirstName = "Ava\x00" }, false, nil, "first_name",
			"First name must not include control characters (such as a null character, a tab or a line break): type it again rather than pasting it"},
		{"surname with an escape", func(d *Demographics) { d.Surname = "Sm\x1bith" }, false, nil, "surname",
			"Surname must not include control characters (such as a null character, a tab or a line break): type it again rather than pasting it"},
		{"surname not UTF-8", func(d *Demographics) { d.Surname = "Sm\xffith" }, false, nil, "surname",
			"Surname includes characters that could not be read: type it again rather than pasting it"},
		{"tabs and line breaks in a name are spaces", func(d *Demographics) { d.FirstName = "Ava\tRose\r\n" }, false, nil, "", ""},
		{"date of birth missing", func(d *Demographics) { d.DateOfBirth = DateInput{} }, false, nil, "date_of_birth", "Enter the date of birth"},
		{"date of birth no month", func(d *Demographics) { d.DateOfBirth.Month = "" }, false, nil, "date_of_birth", "Date of birth must include a month"},
		{"date of birth 31 April", func(d *Demographics) { d.DateOfBirth = DateInput{"31", "4", "2015"} }, false, nil, "date_of_birth", "Date of birth must be a real date"},
		{"date of birth tomorrow", func(d *Demographics) { d.DateOfBirth = DateInput{"11", "3", "2025"} }, false, nil, "date_of_birth", "Date of birth must be today or in the past"},
		{"date of birth today", func(d *Demographics) { d.DateOfBirth = DateInput{"10", "mar", "2025"} }, false, nil, "", ""},
		{"date of birth after the first assessment", func(d *Demographics) {}, false, &store.Date{Year: 2015, Month: 5, Day: 2}, "date_of_birth",
			"Date of birth must be the same as or before 2 May 2015 (the first paediatric assessment)"},
		{"first assessment at 24", func(d *Demographics) { d.DateOfBirth = DateInput{"1", "1", "2000"} }, false, &store.Date{Year: 2024, Month: 1, Day: 1}, "date_of_birth",
			"Date of birth must be less than 24 years before the first paediatric assessment (1 January 2024)"},
		{"sex missing", func(d *Demographics) { d.Sex = "" }, false, nil, "sex", "Select the child's sex"},
		{"sex not a code", func(d *Demographics) { d.Sex = "3" }, false, nil, "sex", "Select the child's sex from the list"},
		{"sex not known is a code", func(d *Demographics) { d.Sex = "0" }, false, nil, "", ""},
		{"ethnicity missing", func(d *Demographics) { d.Ethnicity = "" }, false, nil, "ethnicity", "Select the child's ethnicity"},
		{"ethnicity not a code", func(d *Demographics) { d.Ethnicity = "Q" }, false, nil, "ethnicity", "Select the child's ethnicity from the list"},
		{"postcode missing", func(d *Demographics) { d.Postcode = "" }, false, nil, "postcode", "Enter a postcode"},
		{"postcode outward only", func(d *Demographics) { d.Postcode = "SW1A" }, false, nil, "postcode", "Enter a full postcode, like SW1A 1AA"},
		{"postcode nonsense", func(d *Demographics) { d.Postcode = "12345" }, false, nil, "postcode", "Enter a real postcode, like SW1A 1AA"},
		{"postcode unknown code", func(d *Demographics) { d.Postcode = "zz99 3vz" }, false, nil, "", ""},
		{"Jersey: reference number instead of NHS number", func(d *Demographics) {
			d.NHSNumber, d.UniqueReferenceNumber, d.Postcode = "", "je-123", "JE2 3QW"
		}, true, nil, "", ""},
		{"Jersey: reference number with a NUL", func(d *Demographics) {
			d.NHSNumber, d.UniqueReferenceNumber, d.Postcode = "", "J\x001", "JE2 3QW"
		}, true, nil, "unique_reference_number", "Unique reference number must not include control characters (such as a null character, a tab or a line break): type it again rather than pasting it"},
		{"Jersey: reference number missing", func(d *Demographics) { d.Postcode = "JE2 3QW" }, true, nil, "unique_reference_number", "Enter the child's unique reference number"},
		{"Jersey: reference number too long", func(d *Demographics) {
			d.UniqueReferenceNumber, d.Postcode = strings.Repeat("1", 21), "JE2 3QW"
		}, true, nil, "unique_reference_number", "Unique reference number must be 20 characters or fewer"},
		{"Jersey: UK postcode refused", func(d *Demographics) { d.UniqueReferenceNumber = "J1" }, true, nil, "postcode", "Enter a Jersey postcode, like JE2 3QW"},
		{"Jersey: unknown code accepted", func(d *Demographics) { d.UniqueReferenceNumber, d.Postcode = "J1", "ZZ99 3CZ" }, true, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := form()
			tc.change(&d)
			c, errs := validate(d, tc.jersey, today, tc.fpa)
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("errors %v", errs)
				}
				if tc.jersey != (c.nhs == nil) || tc.jersey != (c.urn != nil) {
					t.Errorf("jersey=%v: nhs %v, urn %v", tc.jersey, c.nhs, c.urn)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field || errs[0].Message != tc.msg {
				t.Errorf("errors %+v, want %s: %q", errs, tc.field, tc.msg)
			}
		})
	}
}

func TestValidateStoresNormalisedValues(t *testing.T) {
	d := form()
	d.FirstName, d.Surname, d.NHSNumber, d.Postcode = "  Ava  Rose ", " Smith", "943–476–5919", "sw1a-1aa"
	c, errs := validate(d, false, today, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if *c.nhs != "9434765919" || c.postc != "SW1A1AA" || c.first != "Ava Rose" || c.surname != "Smith" ||
		c.dob != (store.Date{Year: 2015, Month: 5, Day: 3}) || c.sex != 2 || c.ethnicity != "A" {
		t.Errorf("stored %+v nhs %s", c, *c.nhs)
	}
	d.Postcode = "zz99 3wz"
	c, _ = validate(d, false, today, nil)
	if c.postc != "ZZ993WZ" {
		t.Errorf("unknown code stored as %q", c.postc)
	}
}

func TestValidateReportsEveryFieldInFormOrder(t *testing.T) {
	_, errs := validate(Demographics{}, false, today, nil)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	if got := strings.Join(fields, ","); got != "first_name,surname,nhs_number,date_of_birth,sex,ethnicity,postcode" {
		t.Errorf("fields %s", got)
	}
	if len(errs[3].Parts) != 3 {
		t.Errorf("an empty date highlights all three inputs: %v", errs[3].Parts)
	}
}

func TestAuditIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		id := NewAuditID()
		if !IsAuditID(id) || len(id) != 8 || id[0] != 'C' || strings.ContainsAny(id[1:], "ILOU") {
			t.Fatalf("bad audit ID %q", id)
		}
		if seen[id] {
			t.Fatalf("repeated audit ID %q in 10,000", id)
		}
		seen[id] = true
	}
	for in, want := range map[string]string{"c7k2m9qx": "C7K2M9QX", "C7K-2M9 QX": "C7K2M9QX", "cO1l": "C011", "C": "C"} {
		if got, ok := NormaliseAuditID(in); !ok || got != want {
			t.Errorf("NormaliseAuditID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "Smith", "C7K2M9QXZ", "CU", "943 476"} {
		if got, ok := NormaliseAuditID(in); ok {
			t.Errorf("NormaliseAuditID(%q) = %q, want not an ID", in, got)
		}
	}
}

func TestSearchRanges(t *testing.T) {
	const z = "\U0010FFFF"
	for _, tc := range []struct {
		q    string
		want search
	}{
		{"Smith", search{nameFrom: "smith", nameTo: "smith" + z, numberFrom: "SMITH", numberTo: "SMITH" + z}},
		{"943 476 5919", search{nameFrom: "943 476 5919", nameTo: "943 476 5919" + z, numberFrom: "9434765919", numberTo: "9434765919" + z}},
		{"401-023", search{nameFrom: "401-023", nameTo: "401-023" + z, numberFrom: "401023", numberTo: "401023" + z}},
		{"c7k2", search{nameFrom: "c7k2", nameTo: "c7k2" + z, numberFrom: "C7K2", numberTo: "C7K2" + z, auditFrom: "C7K20000", auditTo: "C7K2ZZZZ"}},
		{"c-ol", search{nameFrom: "c-ol", nameTo: "c-ol" + z, numberFrom: "C-OL", numberTo: "C-OL" + z, auditFrom: "C0100000", auditTo: "C01ZZZZZ"}},
		{"50%_off", search{nameFrom: "50off", nameTo: "50off" + z, numberFrom: "50OFF", numberTo: "50OFF" + z}},
		// Too short to be the start of a number or an audit ID (every ID
		// starts with C): names only.
		{"c", search{nameFrom: "c", nameTo: "c" + z}},
		{"99", search{nameFrom: "99", nameTo: "99" + z}},
	} {
		if s, on := searchFor(tc.q); !on || s != tc.want {
			t.Errorf("searchFor(%q) = %+v, want %+v", tc.q, s, tc.want)
		}
	}
	if _, on := searchFor(""); on {
		t.Error("an empty query searches")
	}
}

func TestFilterNormalise(t *testing.T) {
	f := Filter{Query: "  Ava   Smith ", Org: " rm332 ", Cohort: 3, Registered: "maybe", Locked: "yes", Sort: "password", Desc: true, Page: -2}.Normalise()
	want := Filter{Query: "Ava Smith", Org: "RM332", Locked: "yes", Sort: "name", Page: 1}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}
	if f := (Filter{Cohort: 8, Sort: "cohort", Desc: true}).Normalise(); f.Cohort != 8 || f.Sort != "cohort" || !f.Desc {
		t.Errorf("valid filter changed: %+v", f)
	}
}

// The code lists match the reference data's choice_lists.csv.
func TestChoicesMatchReferenceData(t *testing.T) {
	f, err := os.Open("../refdata/data/choice_lists.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{"SEX_TYPE": {}, "ETHNICITIES": {}}
	for _, r := range rows[1:] {
		if m, ok := want[r[0]]; ok {
			m[r[1]] = r[2]
		}
	}
	for list, got := range map[string][]Choice{"SEX_TYPE": Sexes, "ETHNICITIES": Ethnicities} {
		if len(got) != len(want[list]) {
			t.Errorf("%s: %d codes, reference data has %d", list, len(got), len(want[list]))
		}
		for _, c := range got {
			if l, ok := want[list][c.Code]; !ok || !strings.EqualFold(l, c.Label) {
				t.Errorf("%s %s: label %q, reference data %q", list, c.Code, c.Label, l)
			}
		}
	}
}
