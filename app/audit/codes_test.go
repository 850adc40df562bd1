package audit

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// The code lists here are written out in Go so the package stays plain; these
// tests hold them to the reference data that app/refdata embeds.

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

func TestCodeListsMatchReferenceData(t *testing.T) {
	byList := map[string][]string{}
	for _, row := range readCSV(t, "choice_lists.csv") {
		byList[row[0]] = append(byList[row[0]], row[1])
	}
	ints := func(codes []int) []string {
		var out []string
		for _, c := range codes {
			out = append(out, strconv.Itoa(c))
		}
		return out
	}
	for list, got := range map[string][]string{
		"SEX_TYPE":                                 ints(sexCodes),
		"CHRONICITY":                               ints(chronicityCodes),
		"ETHNICITIES":                              ethnicityCodes,
		"OPT_OUT_UNCERTAIN":                        optOutUncertainCodes,
		"DATE_ACCURACY":                            dateAccuracyCodes,
		"EPISODE_DEFINITION":                       episodeDefinitionCodes,
		"EPILEPSY_DIAGNOSIS_STATUS":                diagnosisStatusCodes,
		"EPILEPSY_SEIZURE_TYPE":                    seizureOnsetTypeCodes,
		"GENERALISED_SEIZURE_TYPE":                 generalisedOnsetCodes,
		"NON_EPILEPSY_SEIZURE_ONSET":               nonEpilepsyOnsetCodes,
		"NON_EPILEPSY_SEIZURE_TYPE":                nonEpilepsyTypeCodes,
		"NON_EPILEPTIC_SYNCOPES":                   syncopeCodes,
		"NON_EPILEPSY_BEHAVIOURAL_ARREST_SYMPTOMS": behaviouralCodes,
		"NON_EPILEPSY_SLEEP_RELATED_SYMPTOMS":      sleepCodes,
		"NON_EPILEPSY_PAROXYSMS":                   paroxysmalCodes,
		"MIGRAINES":                                migraineCodes,
		"EPIS_MISC":                                miscellaneousCodes,
		"SEVERITY":                                 severityCodes,
		"EPILEPSY_CAUSES":                          causeCategoryCodes,
		"NEUROPSYCHIATRIC":                         neuropsychiatricCodes,
	} {
		if want := byList[list]; !slices.Equal(got, want) {
			t.Errorf("%s = %q, reference data has %q", list, got, want)
		}
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

func TestSyndromesMatchReferenceData(t *testing.T) {
	var want []string
	for _, row := range readCSV(t, "syndromes.csv") {
		want = append(want, row[2])
	}
	if got := SyndromeNames(); !slices.Equal(got, want) {
		t.Errorf("syndromes = %q\nreference data has %q", got, want)
	}
}

func TestMedicinesMatchReferenceData(t *testing.T) {
	var want []Medicine
	for _, row := range readCSV(t, "medicines.csv") {
		want = append(want, Medicine{Name: row[1], IsRescue: row[2] == "true"})
	}
	if got := Medicines(); !slices.Equal(got, want) {
		t.Errorf("medicines = %v\nreference data has %v", got, want)
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
