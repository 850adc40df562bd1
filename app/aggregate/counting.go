package aggregate

import (
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
)

// Child is what §8.2 asks of a child to decide whether it is counted.
type Child struct {
	// Cohort is the child's cohort; nil when not registered.
	Cohort *cohort.Cohort
	// FirstAssessment is the first paediatric assessment date (set for
	// every registered child).
	FirstAssessment *audit.Date
	OptedOut        bool
	Deleted         bool
	// AuditComplete: every one of the seven forms complete (§5.2) when the
	// child was last scored; false when never scored.
	AuditComplete bool
}

// Registered reports whether the child is registered in cohort c: opted-out
// children (whose registration Epilepsy12 deletes, §11.2) and deleted ones
// are not. An entity's "registered" count is these children.
func (ch Child) Registered(c cohort.Cohort) bool {
	return ch.Cohort != nil && *ch.Cohort == c && !ch.OptedOut && !ch.Deleted
}

// Complete reports whether the child is registered in c with a complete
// audit: an entity's "complete" count.
func (ch Child) Complete(c cohort.Cohort) bool {
	return ch.Registered(c) && ch.AuditComplete
}

// Counted reports whether §8.2 counts the child in cohort c's aggregation
// on date asOf: registered in the cohort, the audit complete, and a full
// year of care over. (The lead site, the spec's other condition, is the
// child's lead organisation, which every child has.) Only counted children
// add to an entity's four counts of each measure.
func (ch Child) Counted(c cohort.Cohort, asOf audit.Date) bool {
	return ch.Complete(c) && ch.FirstAssessment != nil && FirstYearOver(*ch.FirstAssessment, asOf)
}

// FirstYearOver reports whether a child first assessed on fpa has had a
// full year of care by asOf: Epilepsy12's completed_first_year_of_care_date
// (fpa + 1 calendar year, 29 February + 1 year being 28 February) on or
// before asOf.
func FirstYearOver(fpa, asOf audit.Date) bool {
	return fpa.AddYears(1).OnOrBefore(asOf)
}

// LastAssessmentCounted is the latest first assessment whose first year of
// care is over by asOf: FirstYearOver(fpa, asOf) exactly when fpa is on or
// before it. It is asOf a calendar year earlier, except that on 28 February
// after a leap year it is 29 February (whose year ended that day). The SQL
// compares dates with it, so both engines agree without date arithmetic.
func LastAssessmentCounted(asOf audit.Date) audit.Date {
	d := asOf.AddYears(-1)
	if next := d.AddDays(1); FirstYearOver(next, asOf) {
		return next
	}
	return d
}

// london is the UK's time zone: the UK's calendar date decides cohorts and
// whether a year of care is over.
var london = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()

// UKDate is the calendar date in the UK at instant t.
func UKDate(t time.Time) audit.Date { return audit.DateOf(t.In(london)) }
