package data

import (
	"slices"
	"testing"
)

func TestChoiceList(t *testing.T) {
	want := []Choice{{"0", "Not Known", ""}, {"1", "Male", ""}, {"2", "Female", ""}, {"9", "Not Specified", ""}}
	got := ChoiceList("SEX_TYPE")
	if !slices.Equal(got, want) {
		t.Fatalf("SEX_TYPE = %q, want %q", got, want)
	}
	got[0].Label = "changed"
	if ChoiceList("SEX_TYPE")[0] != want[0] {
		t.Error("a caller's change reached the shared list")
	}
	// Display order within the file's groups: FOCAL_ONSET_FIELDS numbers
	// each group from 1, so the list starts with every group's first.
	var firsts []string
	for _, c := range ChoiceList("FOCAL_ONSET_FIELDS")[:4] {
		firsts = append(firsts, c.Group)
	}
	if !slices.Equal(firsts, []string{"motor", "non_motor", "eeg", "laterality"}) {
		t.Errorf("FOCAL_ONSET_FIELDS starts with groups %q", firsts)
	}
	defer func() {
		if recover() == nil {
			t.Error("ChoiceList of an unknown list did not panic")
		}
	}()
	ChoiceList("NO_SUCH_LIST")
}

func TestColumn(t *testing.T) {
	names := Column("medicines.csv", "medicine_name")
	if len(names) != 36 || names[0] != "Buccal midazolam" {
		t.Errorf("medicines = %q", names)
	}
}
