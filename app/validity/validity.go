// Package validity says until when a child's stored KPI result holds
// without any write to the child: the first date from which a fresh score
// could differ from one made today. Scoring itself (app/kpi) reads no
// clock, but audit completeness does (a girl's valproate questions become
// due on her 12th birthday, spec §5.1), and the dates that end a child's
// first year of care and close their cohort change what the audit may
// count and accept. The stored result keeps this date (kpi_results.
// valid_until) and the daily reconciliation job rescores children whose
// date has come.
package validity

import (
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
)

// Child is what the dates come from.
type Child struct {
	DateOfBirth     *audit.Date
	Sex             *int
	FirstAssessment *audit.Date
	Cohort          *cohort.Cohort
}

// Until is the first date after today on which the child's result could
// change with no write (the day it changes, not the last day it holds),
// or nil when no date ahead can change it. Every candidate counts, even
// one that changes nothing for this child's answers today: answers can be
// added later, and rescoring a child whose result did not change is cheap.
func Until(c Child, today audit.Date) *audit.Date {
	var out *audit.Date
	consider := func(d audit.Date) {
		if d.After(today) && (out == nil || d.Before(*out)) {
			out = &d
		}
	}
	// A girl is 12 "in whole years today" from her 12th birthday as
	// progress counts it (AddYears: 29 February → 28 February).
	if c.DateOfBirth != nil && c.Sex != nil && *c.Sex == audit.SexFemale {
		consider(c.DateOfBirth.AddYears(12))
	}
	// The first year of care is over on the first anniversary of the first
	// paediatric assessment.
	if c.FirstAssessment != nil {
		consider(c.FirstAssessment.AddYears(1))
	}
	// The cohort's submission deadline is its last open day (cohort.IsOpen);
	// from the day after, the record can no longer change.
	if c.Cohort != nil {
		consider(audit.DateOf(c.Cohort.SubmissionDeadline().Add(24 * time.Hour)))
	}
	return out
}
