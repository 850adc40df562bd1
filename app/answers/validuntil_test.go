package answers_test

import (
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/validity"
)

// checkValidUntil checks the stored result's valid_until is validity.Until
// of the child as stored, today.
func checkValidUntil(t testing.TB, l *answers.Loaded, r store.KpiResult) {
	t.Helper()
	c := l.Child
	in := validity.Child{}
	if c.DateOfBirth != nil {
		d := audit.Date{Year: c.DateOfBirth.Year, Month: c.DateOfBirth.Month, Day: c.DateOfBirth.Day}
		in.DateOfBirth = &d
	}
	if c.Sex != nil {
		sex := int(*c.Sex)
		in.Sex = &sex
	}
	if d := c.FirstPaediatricAssessmentDate; d != nil {
		in.FirstAssessment = &audit.Date{Year: d.Year, Month: d.Month, Day: d.Day}
	}
	if c.Cohort != nil {
		n := cohort.Cohort(*c.Cohort)
		in.Cohort = &n
	}
	london, _ := time.LoadLocation("Europe/London")
	want := validity.Until(in, audit.DateOf(now.In(london)))
	got := r.ValidUntil
	if (want == nil) != (got == nil) || want != nil && (got.Year != want.Year || got.Month != want.Month || got.Day != want.Day) {
		t.Errorf("child %d: stored valid until %v, want %v", c.ID, got, want)
	}
}
