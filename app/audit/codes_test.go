package audit

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"
	"time"
)

// The code lists come from the reference data (codes.go); readCSV reads
// the files independently, for the checks that compare with them.

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("../refdata/data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestNamedCodesAreInTheirLists: the codes scoring names in Go must stay
// codes of the reference data, or a rule would silently never match.
func TestNamedCodesAreInTheirLists(t *testing.T) {
	for _, c := range []struct {
		list []string
		code string
	}{
		{diagnosisStatusCodes, StatusEpileptic},
		{diagnosisStatusCodes, StatusNonEpileptic},
		{diagnosisStatusCodes, StatusUncertain},
		{generalisedOnsetCodes, GeneralisedOnsetMyoclonic},
	} {
		if !slices.Contains(c.list, c.code) {
			t.Errorf("%q is not in %q", c.code, c.list)
		}
	}
	for _, sex := range []int{SexNotKnown, SexMale, SexFemale, SexNotSpecified} {
		if !slices.Contains(sexCodes, sex) {
			t.Errorf("sex %d is not in %v", sex, sexCodes)
		}
	}
	if !slices.Contains(Medicines(), Medicine{MedicineSodiumValproate, false}) {
		t.Errorf("%q is not a maintenance medicine", MedicineSodiumValproate)
	}
}

// TestCodeListsInFileOrder: validation messages list a code list's codes in
// display order, which for these lists is the file's order.
func TestCodeListsInFileOrder(t *testing.T) {
	byList := map[string][]string{}
	for _, row := range readCSV(t, "choice_lists.csv") {
		byList[row[0]] = append(byList[row[0]], row[1])
	}
	for list, got := range map[string][]string{
		"ETHNICITIES":              ethnicityCodes,
		"GENERALISED_SEIZURE_TYPE": generalisedOnsetCodes,
		"NEUROPSYCHIATRIC":         neuropsychiatricCodes,
	} {
		if want := byList[list]; !slices.Equal(got, want) {
			t.Errorf("%s = %q, reference data has %q", list, got, want)
		}
	}
	if want := []int{0, 1, 2, 9}; !slices.Equal(sexCodes, want) {
		t.Errorf("SEX_TYPE = %v, want %v", sexCodes, want)
	}
}

func TestSyndromesAndMedicines(t *testing.T) {
	if n := len(SyndromeNames()); n != 40 {
		t.Errorf("%d syndromes, want the 40 of ILAE 2022", n)
	}
	rescue := 0
	for _, m := range Medicines() {
		if m.IsRescue {
			rescue++
		}
	}
	if n := len(Medicines()); rescue != 4 || n-rescue != 32 {
		t.Errorf("%d rescue and %d maintenance medicines, want 4 and 32", rescue, n-rescue)
	}
}

func TestFocalOnsetFieldsMatchReferenceData(t *testing.T) {
	var want []string
	for _, row := range readCSV(t, "choice_lists.csv") {
		if row[0] == "FOCAL_ONSET_FIELDS" {
			want = append(want, row[1])
		}
	}
	var got []string
	for name := range fieldIndex[sectionTypes["episodes"]] {
		if len(name) > 12 && name[:12] == "focal_onset_" {
			got = append(got, name)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) != 23 || !slices.Equal(got, want) {
		t.Errorf("focal_onset fields = %q\nreference data has %q", got, want)
	}
}

// TestRegistrationCohort holds the registration's derived cohort and
// submission date to app/cohort's rule, with spec §7's worked examples.
func TestRegistrationCohort(t *testing.T) {
	for _, tc := range []struct {
		fpa        string
		cohort     int
		submission string
	}{
		{"2020-11-30", 0, ""},
		{"2020-12-01", 4, "2023-01-10"},
		{"2021-11-30", 4, "2023-01-10"},
		{"2021-12-01", 5, "2024-01-09"},
		{"2022-11-01", 5, "2024-01-09"},
		{"2022-12-31", 6, "2025-01-14"},
		{"2024-02-29", 7, "2026-01-13"},
		{"2025-11-30", 8, "2027-01-12"},
		{"2025-12-01", 9, "2028-01-11"},
	} {
		t.Run(tc.fpa, func(t *testing.T) {
			fpa := MustParseDate(tc.fpa)
			check := func(cohort int, submission string) error {
				d := MustParseDate(submission)
				c := Child{Registration: &Registration{FirstPaediatricAssessmentDate: &fpa, Cohort: &cohort, AuditSubmissionDate: &d}}
				return c.Validate()
			}
			if tc.cohort == 0 {
				// No cohort: whatever is claimed is refused.
				if err := check(4, "2023-01-10"); err == nil {
					t.Fatal("cohort 4 accepted for a date before the audit")
				}
				return
			}
			if err := check(tc.cohort, tc.submission); err != nil {
				t.Fatalf("cohort %d, submission %s refused: %v", tc.cohort, tc.submission, err)
			}
			if d := MustParseDate(tc.submission); d.Time().Weekday() != time.Tuesday {
				t.Errorf("test table: %s is not a Tuesday", tc.submission)
			}
			if err := check(tc.cohort+1, tc.submission); err == nil {
				t.Errorf("cohort %d accepted", tc.cohort+1)
			}
			if err := check(tc.cohort, MustParseDate(tc.submission).AddDays(7).String()); err == nil {
				t.Errorf("submission a week late accepted")
			}
		})
	}
}
