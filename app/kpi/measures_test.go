package kpi

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"
)

// readCSV reads a reference-data file that app/refdata embeds.
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
	return rows[1:] // without the header
}

func TestMeasureList(t *testing.T) {
	ms := Measures()
	if len(ms) != 21 {
		t.Fatalf("%d measures, want 21", len(ms))
	}
	var ids []string
	headline := 0
	for i, info := range ms {
		if info.Measure != Measure(i) || info.ID == "" || info.Title == "" || info.Number == "" {
			t.Errorf("measure %d: %+v", i, info)
		}
		if info.Headline != (info.Group == info.Measure) {
			t.Errorf("%s: headline %v but group %s", info.ID, info.Headline, info.Group)
		}
		if info.Headline {
			headline++
		}
		ids = append(ids, info.ID)
	}
	if headline != 12 {
		t.Errorf("%d headline measures, want 12", headline)
	}

	t.Run("identifiers match the reference data, in order", func(t *testing.T) {
		var want []string
		for _, row := range readCSV(t, "choice_lists.csv") {
			if row[0] == "INDIVIDUAL_KPI_MEASURES" {
				want = append(want, row[1])
			}
		}
		if !slices.Equal(ids, want) {
			t.Errorf("ids = %v\nwant %v", ids, want)
		}
	})

	t.Run("sub-measures belong to 9A and 9B", func(t *testing.T) {
		for _, info := range ms {
			if info.Headline {
				continue
			}
			if info.Group != ComprehensiveCarePlanningAgreement && info.Group != ComprehensiveCarePlanningContent {
				t.Errorf("%s belongs to %s", info.ID, info.Group)
			}
		}
	})

	t.Run("lookup by identifier", func(t *testing.T) {
		for _, info := range ms {
			if m, ok := MeasureByID(info.ID); !ok || m != info.Measure {
				t.Errorf("MeasureByID(%q) = %v, %v", info.ID, m, ok)
			}
			var m Measure
			text, _ := info.Measure.MarshalText()
			if err := m.UnmarshalText(text); err != nil || m != info.Measure {
				t.Errorf("text round trip of %s: %v, %v", info.ID, m, err)
			}
		}
		if _, ok := MeasureByID("eeg"); ok {
			t.Error("MeasureByID(eeg) found something")
		}
		if _, err := Measure(21).MarshalText(); err == nil {
			t.Error("Measure(21) marshalled")
		}
	})

	t.Run("the list is a copy", func(t *testing.T) {
		Measures()[0].ID = "changed"
		if PaediatricianWithExpertiseInEpilepsies.ID() != "paediatrician_with_expertise_in_epilepsies" {
			t.Error("Measures() exposed the package's table")
		}
	})
}

func TestOutcome(t *testing.T) {
	for _, tc := range []struct {
		o      Outcome
		text   string
		stored *int
	}{
		{Pass, "pass", num(1)},
		{Fail, "fail", num(0)},
		{Ineligible, "ineligible", num(2)},
		{NotScored, "not_scored", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if tc.o.String() != tc.text {
				t.Errorf("String() = %q", tc.o.String())
			}
			var back Outcome
			if err := back.UnmarshalText([]byte(tc.text)); err != nil || back != tc.o {
				t.Errorf("UnmarshalText(%q) = %v, %v", tc.text, back, err)
			}
			score, ok := tc.o.StoredScore()
			if ok != (tc.stored != nil) || (ok && score != *tc.stored) {
				t.Errorf("StoredScore() = %d, %v", score, ok)
			}
			if got, err := OutcomeFromStored(tc.stored); err != nil || got != tc.o {
				t.Errorf("OutcomeFromStored = %v, %v", got, err)
			}
		})
	}
	if _, err := OutcomeFromStored(num(3)); err == nil {
		t.Error("stored 3 accepted")
	}
	if NotScored != Outcome(0) {
		t.Error("the zero Outcome must be NotScored")
	}
}

func TestMRIExcludedSyndromesMatchReferenceData(t *testing.T) {
	var want []string
	for _, row := range readCSV(t, "syndromes.csv") {
		if row[3] == "true" {
			want = append(want, row[2])
		}
	}
	got := slices.Clone(mriExcludedSyndromes)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("excluded syndromes = %q\nsyndromes.csv says %q", got, want)
	}
}
