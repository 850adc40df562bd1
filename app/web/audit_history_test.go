package web

import (
	"testing"
	"time"

	"clinaudit/app/store"
)

// A laterality answer is stored as three yes/no fields; each history row
// names its side, or the three rows of one change read as bare Yes/No.
func TestHistoryNamesTheLateralitySide(t *testing.T) {
	yes, no := "true", "false"
	for field, want := range map[string]string{
		"focal_onset_left":               "Which side of the brain did the seizures start on? (Left)",
		"focal_onset_right":              "Which side of the brain did the seizures start on? (Right)",
		"focal_onset_laterality_unknown": "Which side of the brain did the seizures start on? (Not known)",
	} {
		r := historyRowOf(store.ListAnswerChangesRow{Section: "episodes", RowID: 7, Field: field, OldValue: &no, NewValue: &yes,
			Cause: "answer", ChangedAt: time.Now()})
		if r.Question != want || r.Old != "No" || r.New != "Yes" {
			t.Errorf("%s: %q %q → %q, want %q No → Yes", field, r.Question, r.Old, r.New, want)
		}
	}
	r := historyRowOf(store.ListAnswerChangesRow{Section: "investigations", Field: "mri_indicated", NewValue: &yes, Cause: "answer", ChangedAt: time.Now()})
	if r.Question != "Has a brain MRI been achieved?" {
		t.Errorf("the MRI question reads %q", r.Question)
	}
}
