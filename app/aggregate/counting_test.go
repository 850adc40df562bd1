package aggregate

import (
	"testing"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
)

func date(t *testing.T, s string) audit.Date {
	t.Helper()
	d, err := audit.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFirstYearOver(t *testing.T) {
	for _, c := range []struct {
		fpa, asOf string
		want      bool
	}{
		{"2024-01-10", "2025-01-10", true}, // on the anniversary
		{"2024-01-10", "2025-01-09", false},
		{"2024-02-29", "2025-02-28", true}, // 29 February + 1 year is 28 February
		{"2024-02-29", "2025-02-27", false},
		{"2024-03-01", "2025-02-28", false},
		{"2024-03-01", "2025-03-01", true},
		{"2023-02-28", "2024-02-28", true},
		{"2023-03-01", "2024-02-29", false},
	} {
		if got := FirstYearOver(date(t, c.fpa), date(t, c.asOf)); got != c.want {
			t.Errorf("FirstYearOver(%s, %s) = %v, want %v", c.fpa, c.asOf, got, c.want)
		}
	}
}

func TestLastAssessmentCounted(t *testing.T) {
	for _, c := range []struct{ asOf, want string }{
		{"2025-12-15", "2024-12-15"},
		{"2025-02-28", "2024-02-29"}, // the leap day's year ended today
		{"2025-03-01", "2024-03-01"},
		{"2024-02-29", "2023-02-28"},
		{"2024-03-01", "2023-03-01"},
		{"2028-02-28", "2027-02-28"},
	} {
		if got := LastAssessmentCounted(date(t, c.asOf)); got.String() != c.want {
			t.Errorf("LastAssessmentCounted(%s) = %s, want %s", c.asOf, got, c.want)
		}
	}
}

// The SQL compares first assessments with LastAssessmentCounted; that must
// agree with FirstYearOver for every pair of dates, leap years included.
func TestLastAssessmentCountedAgreesWithFirstYearOver(t *testing.T) {
	start := date(t, "2023-01-01")
	for i := 0; i < 6*365; i++ {
		asOf := start.AddDays(i)
		last := LastAssessmentCounted(asOf)
		for j := -3; j <= 3; j++ {
			fpa := last.AddDays(j)
			if over, within := FirstYearOver(fpa, asOf), fpa.OnOrBefore(last); over != within {
				t.Fatalf("as of %s: fpa %s first year over %v, but on or before %s is %v", asOf, fpa, over, last, within)
			}
		}
	}
}

func TestWhichChildrenCount(t *testing.T) {
	c7, c8 := cohort.Cohort(7), cohort.Cohort(8)
	fpa := date(t, "2024-02-29")
	late := date(t, "2024-03-01")
	asOf := date(t, "2025-02-28")
	for _, c := range []struct {
		name                          string
		child                         Child
		registered, complete, counted bool
	}{
		{"complete, year over", Child{Cohort: &c7, FirstAssessment: &fpa, AuditComplete: true}, true, true, true},
		{"complete, year not over", Child{Cohort: &c7, FirstAssessment: &late, AuditComplete: true}, true, true, false},
		{"incomplete", Child{Cohort: &c7, FirstAssessment: &fpa}, true, false, false},
		{"other cohort", Child{Cohort: &c8, FirstAssessment: &fpa, AuditComplete: true}, false, false, false},
		{"not registered", Child{AuditComplete: true}, false, false, false},
		{"opted out", Child{Cohort: &c7, FirstAssessment: &fpa, AuditComplete: true, OptedOut: true}, false, false, false},
		{"deleted", Child{Cohort: &c7, FirstAssessment: &fpa, AuditComplete: true, Deleted: true}, false, false, false},
		{"no first assessment", Child{Cohort: &c7, AuditComplete: true}, true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.child.Registered(c7); got != c.registered {
				t.Errorf("Registered = %v, want %v", got, c.registered)
			}
			if got := c.child.Complete(c7); got != c.complete {
				t.Errorf("Complete = %v, want %v", got, c.complete)
			}
			if got := c.child.Counted(c7, asOf); got != c.counted {
				t.Errorf("Counted = %v, want %v", got, c.counted)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	var c Counts
	for _, s := range []*int64{score(1), score(1), score(0), score(2), nil, nil, score(0)} {
		c.Add(s)
	}
	want := Counts{Passed: 2, TotalEligible: 4, Ineligible: 1, Incomplete: 2}
	if c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	if c.Failed() != 2 || c.Total() != 7 {
		t.Errorf("failed %d total %d, want 2 and 7", c.Failed(), c.Total())
	}
	if p, ok := c.Percent(); !ok || p != 50 {
		t.Errorf("percent %v %v, want 50", p, ok)
	}
	if _, ok := (Counts{Ineligible: 3}).Percent(); ok {
		t.Error("no eligible children must have no percentage")
	}
}

func TestUKDate(t *testing.T) {
	// 23:30 UTC on 30 June is already 1 July in the UK (BST).
	if got := UKDate(time.Date(2025, 6, 30, 23, 30, 0, 0, time.UTC)).String(); got != "2025-07-01" {
		t.Errorf("UKDate = %s", got)
	}
	if got := UKDate(time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)).String(); got != "2025-12-31" {
		t.Errorf("UKDate in winter = %s", got)
	}
}

func score(v int64) *int64 { return &v }

func TestShown(t *testing.T) {
	for _, tc := range []struct {
		c    Counts
		want string
	}{
		{Counts{Passed: 2, TotalEligible: 3}, "67% (3)"},
		{Counts{Passed: 1, TotalEligible: 8}, "12% (8)"}, // 12.5: half to even, as Python's round
		{Counts{Passed: 3, TotalEligible: 8}, "38% (8)"}, // 37.5
		{Counts{Passed: 0, TotalEligible: 5}, "0% (5)"},
		{Counts{Passed: 5, TotalEligible: 5}, "100% (5)"},
		{Counts{Ineligible: 4, Incomplete: 2}, "No eligible children to score"},
	} {
		if got := tc.c.Shown(); got != tc.want {
			t.Errorf("%+v shown as %q, want %q", tc.c, got, tc.want)
		}
	}
}
