package validity

import (
	"testing"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
)

func d(y int, m time.Month, day int) *audit.Date { return &audit.Date{Year: y, Month: m, Day: day} }

func TestUntil(t *testing.T) {
	female, male := audit.SexFemale, audit.SexMale
	c8 := cohort.Cohort(8) // 1 Dec 2024 – 30 Nov 2025; deadline Tuesday 12 January 2027
	today := *d(2025, time.June, 10)
	for _, tc := range []struct {
		name string
		c    Child
		want *audit.Date
	}{
		{"nothing known", Child{}, nil},
		{"girl turning 12 soonest", Child{DateOfBirth: d(2013, time.June, 20), Sex: &female, FirstAssessment: d(2025, time.May, 1), Cohort: &c8},
			d(2025, time.June, 20)},
		{"boy: his 12th birthday changes nothing", Child{DateOfBirth: d(2013, time.June, 20), Sex: &male, FirstAssessment: d(2025, time.May, 1)},
			d(2026, time.May, 1)},
		{"girl already 12", Child{DateOfBirth: d(2010, time.January, 1), Sex: &female, FirstAssessment: d(2025, time.May, 1)},
			d(2026, time.May, 1)},
		{"12th birthday today is not ahead", Child{DateOfBirth: d(2013, time.June, 10), Sex: &female}, nil},
		{"born 29 February: 12 on 29 February (a leap year)", Child{DateOfBirth: d(2016, time.February, 29), Sex: &female}, d(2028, time.February, 29)},
		{"first year ends before the deadline", Child{FirstAssessment: d(2024, time.December, 15), Cohort: &c8}, d(2025, time.December, 15)},
		{"first year over: the deadline is next", Child{FirstAssessment: d(2024, time.June, 1), Cohort: &c8}, d(2027, time.January, 13)},
		{"deadline passed: nothing ahead", Child{FirstAssessment: d(2020, time.June, 1), Cohort: ptr(cohort.Cohort(3))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Until(tc.c, today)
			switch {
			case got == nil && tc.want == nil:
			case got == nil || tc.want == nil || !got.Equal(*tc.want):
				t.Errorf("Until = %v, want %v", got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
