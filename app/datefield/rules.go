package datefield

import (
	"fmt"
	"time"

	"clinaudit/app/cohort"
)

// Rule checks a parsed date. label is the field's label, so the message
// reads "Seizure onset date must be …". It returns nil or an *Error.
type Rule func(label string, d time.Time) error

// Check runs the rules in order and returns the first failure, so the user
// sees one message at a time, the most basic first.
func Check(label string, d time.Time, rules ...Rule) error {
	for _, rule := range rules {
		if err := rule(label, d); err != nil {
			return err
		}
	}
	return nil
}

// Descriptions of the dates that §4.1 compares against, for the what
// argument of OnOrAfter and friends. They are shown in brackets after the
// date: "… after 3 May 2021 (the child's date of birth)".
const (
	WhatBirth           = "the child's date of birth"
	WhatFirstAssessment = "the first paediatric assessment"
)

func whole(message string) error { return &Error{message, allParts} }

func describe(limit time.Time, what string) string {
	if what == "" {
		return Format(limit)
	}
	return Format(limit) + " (" + what + ")"
}

// NotInFuture is §4.1 rule 1: today is allowed.
func NotInFuture(today time.Time) Rule {
	return func(label string, d time.Time) error {
		if dateOf(d).After(dateOf(today)) {
			return whole(label + " must be today or in the past")
		}
		return nil
	}
}

// InPast requires a date before today. No §4.1 rule needs it; it is here
// for fields where today cannot be right.
func InPast(today time.Time) Rule {
	return func(label string, d time.Time) error {
		if !dateOf(d).Before(dateOf(today)) {
			return whole(label + " must be in the past")
		}
		return nil
	}
}

// OnOrAfter requires d to be no earlier than earliest (§4.1 rules 2 and 3).
// A zero earliest, a date not recorded, always passes.
func OnOrAfter(earliest time.Time, what string) Rule {
	return func(label string, d time.Time) error {
		if !earliest.IsZero() && dateOf(d).Before(dateOf(earliest)) {
			return whole(label + " must be the same as or after " + describe(dateOf(earliest), what))
		}
		return nil
	}
}

// OnOrBefore requires d to be no later than latest: the earlier date of a
// pair checked against the stored later one (§4.1 rule 4). A zero latest
// always passes.
func OnOrBefore(latest time.Time, what string) Rule {
	return func(label string, d time.Time) error {
		if !latest.IsZero() && dateOf(d).After(dateOf(latest)) {
			return whole(label + " must be the same as or before " + describe(dateOf(latest), what))
		}
		return nil
	}
}

// Before requires d to be strictly earlier than limit. A zero limit passes.
func Before(limit time.Time, what string) Rule {
	return func(label string, d time.Time) error {
		if !limit.IsZero() && !dateOf(d).Before(dateOf(limit)) {
			return whole(label + " must be before " + describe(dateOf(limit), what))
		}
		return nil
	}
}

// BeforeBirthday requires d to fall before the child turns age, counting
// whole years as §4.1 does (relativedelta): someone born on 29 February
// has their birthday on 28 February in other years. A zero dob passes.
func BeforeBirthday(dob time.Time, age int) Rule {
	if dob.IsZero() {
		return func(string, time.Time) error { return nil }
	}
	return Before(Birthday(dob, age), fmt.Sprintf("the child's %s birthday", ordinal(age)))
}

// Birthday is the date a child born on dob turns age, with 29 February
// becoming 28 February in years without one (epilepsy12.md conventions).
func Birthday(dob time.Time, age int) time.Time {
	dob = dateOf(dob)
	y, m, d := dob.Year()+age, dob.Month(), dob.Day()
	if m == time.February && d == 29 && !isLeap(y) {
		d = 28
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// dateOf drops any time of day, reading the date in t's own location.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// MaxAgeAtFirstAssessment is §4.1's limit: a child must be under 24 whole
// years old at the first paediatric assessment.
const MaxAgeAtFirstAssessment = 24

// The rule sets below are §4.1's table, field by field. Pass them to Check.

// DateOfBirth: not in the future.
func DateOfBirth(today time.Time) []Rule {
	return []Rule{NotInFuture(today)}
}

// FirstPaediatricAssessment is §4.1's special case, checked in the order
// Epilepsy12 checks it: not in the future; not before the earliest date the
// user may enter; before the child's 24th birthday; not before birth; not
// before cohort 4 began. The earliest date is the child's date of birth for
// the national audit team and superusers (auditTeam) and, for everyone
// else, the start of the oldest cohort still open (package cohort).
func FirstPaediatricAssessment(today, dob time.Time, auditTeam bool) []Rule {
	earliest := OnOrAfter(dob, WhatBirth)
	if !auditTeam {
		open := cohort.RolesOn(today).DashboardDefault()
		earliest = OnOrAfter(open.Start(), fmt.Sprintf("the start of cohort %d, the oldest cohort still open", open))
	}
	return []Rule{
		NotInFuture(today),
		earliest,
		BeforeBirthday(dob, MaxAgeAtFirstAssessment),
		OnOrAfter(dob, WhatBirth),
		OnOrAfter(cohort.First.Start(), fmt.Sprintf("the start of cohort %d, the first cohort of the audit", cohort.First)),
	}
}

// SinceBirth is for dates whose earliest allowed value is the date of birth
// and that have no pair: seizure onset, syndrome diagnosis and comorbidity
// diagnosis dates.
func SinceBirth(today, dob time.Time) []Rule {
	return []Rule{NotInFuture(today), OnOrAfter(dob, WhatBirth)}
}

// SinceFirstAssessment is for the individualised care plan date, which may
// not be before the first paediatric assessment.
func SinceFirstAssessment(today, fpa time.Time) []Rule {
	return []Rule{NotInFuture(today), OnOrAfter(fpa, WhatFirstAssessment)}
}

// StartOfPair is for the earlier date of a §4.1 pair (a referral, a
// request, a medicine's start): not in the future, not before its floor
// (the date of birth or the first paediatric assessment, per §4.1's table),
// and not after the pair's later date if that is recorded.
func StartOfPair(today, floor time.Time, floorWhat string, end time.Time, endWhat string) []Rule {
	return []Rule{NotInFuture(today), OnOrAfter(floor, floorWhat), OnOrBefore(end, endWhat)}
}

// EndOfPair is for the later date of a §4.1 pair (input, performed,
// reported, stop): not in the future and not before the pair's earlier
// date, which §4.1 makes its earliest allowed date.
func EndOfPair(today, start time.Time, startWhat string) []Rule {
	return []Rule{NotInFuture(today), OnOrAfter(start, startWhat)}
}
