// Package cohort numbers audit cohorts and gives their dates, following
// epilepsy12.md §7 exactly (decisions.md): a cohort is every child whose
// first paediatric assessment (FPA) falls between 1 December and the next
// 30 November, and its data are due on the 2nd Tuesday of January two years
// after the cohort ends.
//
// Dates are time.Time values at midnight UTC, the form store.Date.Time()
// produces. Inputs may be any time.Time: only their calendar date, read in
// their own location, is used, so pass "today" as time.Now() in the UK's
// zone (Europe/London) to get the UK date near midnight.
package cohort

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cohort is an audit cohort number, such as 8 for children first assessed
// from 1 December 2024 to 30 November 2025.
type Cohort int

// First is the earliest cohort the audit admits: an FPA before its start,
// 1 December 2020, has no cohort (§7) and cannot be entered (§4.1).
const First Cohort = 4

// epochYear is the year that, added to a cohort number, gives the year
// the cohort starts in (cohort 4 starts in 2020).
const epochYear = 2016

// ForDate returns the cohort of a first paediatric assessment on date fpa.
// ok is false for dates before 1 December 2020, which have no cohort.
func ForDate(fpa time.Time) (c Cohort, ok bool) {
	c = numberFor(fpa)
	if c < First {
		return 0, false
	}
	return c, true
}

// numberFor applies §7's formula with no lower limit: from 1 December the
// date belongs to the cohort starting that year, before it to the one that
// started the year before.
func numberFor(t time.Time) Cohort {
	d := dateOf(t)
	year := d.Year()
	if d.Month() != time.December {
		year--
	}
	return Cohort(year - epochYear)
}

// Start is the first day of the cohort: 1 December of year 2016 + c.
func (c Cohort) Start() time.Time {
	return date(epochYear+int(c), time.December, 1)
}

// End is the last day of the cohort: 30 November of the following year.
func (c Cohort) End() time.Time {
	return date(epochYear+int(c)+1, time.November, 30)
}

// SubmissionDeadline is the last day data for the cohort may be entered:
// the 2nd Tuesday of January in the year two after End's year (§7), which
// gives every child a full year of care plus time to enter it.
func (c Cohort) SubmissionDeadline() time.Time {
	return nthTuesdayOfJanuary(c.End().Year()+2, 2)
}

// Contains reports whether d falls within the cohort's dates.
func (c Cohort) Contains(d time.Time) bool {
	day := dateOf(d)
	return !day.Before(c.Start()) && !day.After(c.End())
}

// DaysRemaining is §7's days_remaining: the days from today to the
// deadline, counting the deadline day itself, and never below zero. It is 1
// on the deadline day and 0 from the day after.
func (c Cohort) DaysRemaining(today time.Time) int {
	days := daysBetween(dateOf(today), c.SubmissionDeadline()) + 1
	return max(0, days)
}

// IsOpen reports whether data for the cohort may still be entered today:
// the deadline day is the last open day, as DaysRemaining counts it.
// decisions.md has the server enforce this on every write.
func (c Cohort) IsOpen(today time.Time) bool {
	return c.DaysRemaining(today) > 0
}

func (c Cohort) String() string { return "Cohort " + strconv.Itoa(int(c)) }

// Parse reads a cohort number such as the dashboards' ?cohort= parameter.
// It accepts "8" or "cohort 8" and rejects numbers before First.
func Parse(s string) (Cohort, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	t = strings.TrimSpace(strings.TrimPrefix(t, "cohort"))
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a cohort number", s)
	}
	if Cohort(n) < First {
		return 0, fmt.Errorf("there is no cohort %d: the audit starts at cohort %d", n, First)
	}
	return Cohort(n), nil
}

// Roles says which cohort plays which part on a given day (§7, "cohort
// roles on a given day"): one is recruiting, the one before it is
// submitting, and the one before that is in its grace period from
// 1 December until its deadline in January.
type Roles struct {
	// Recruiting is the cohort of children whose FPA is today.
	Recruiting Cohort
	// Submitting is the cohort whose data is being completed this year.
	Submitting Cohort
	// Grace is the cohort before Submitting, still open during the grace
	// period because its deadline is this coming January.
	Grace Cohort
	// InGracePeriod is true in December and in January up to and including
	// the 2nd Tuesday.
	InGracePeriod bool
}

// RolesOn returns the cohort roles on the given day. It follows §7's
// formula for any date; before December 2022 some roles are numbers below
// First, which are not real cohorts.
func RolesOn(today time.Time) Roles {
	d := dateOf(today)
	recruiting := numberFor(d)
	return Roles{
		Recruiting:    recruiting,
		Submitting:    recruiting - 1,
		Grace:         recruiting - 2,
		InGracePeriod: d.Month() == time.December || !d.After(nthTuesdayOfJanuary(d.Year(), 2)),
	}
}

// DashboardDefault is the cohort dashboards show when no ?cohort= is given:
// the grace cohort during the grace period, the submitting cohort otherwise.
func (r Roles) DashboardDefault() Cohort {
	if r.InGracePeriod {
		return r.Grace
	}
	return r.Submitting
}

// EarliestFirstAssessment is the earliest FPA a user outside the national
// audit team may enter today (§4.1): the start of the same cohort dashboards
// default to. Audit team members and superusers may go back to the child's
// date of birth instead, which this package cannot know.
func (r Roles) EarliestFirstAssessment() time.Time {
	return r.DashboardDefault().Start()
}

// Open lists, oldest first, the cohorts that accept data today: the grace
// cohort during the grace period, then the submitting and recruiting ones.
func (r Roles) Open() []Cohort {
	if r.InGracePeriod {
		return []Cohort{r.Grace, r.Submitting, r.Recruiting}
	}
	return []Cohort{r.Submitting, r.Recruiting}
}

// nthTuesdayOfJanuary is §7's nth Tuesday: the nth Tuesday on or after
// 1 January, so when 1 January is a Tuesday it is the first.
func nthTuesdayOfJanuary(year, n int) time.Time {
	jan1 := date(year, time.January, 1)
	toFirst := (int(time.Tuesday) - int(jan1.Weekday()) + 7) % 7
	return jan1.AddDate(0, 0, toFirst+7*(n-1))
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf is the calendar date of t in t's own location, at midnight UTC,
// so comparisons and day counts never see a time of day or a clock change.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return date(y, m, d)
}

// daysBetween counts whole days from a to b; both are midnight UTC, where
// every day is exactly 24 hours.
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a) / (24 * time.Hour))
}
