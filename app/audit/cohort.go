package audit

import "time"

// cohortNumber is the audit cohort of a first paediatric assessment date
// (spec §7): cohorts run 1 December to 30 November, and the first one
// admitted is cohort 4, from 2020-12-01.
func cohortNumber(fpa Date) (int, bool) {
	if fpa.Before(Date{2020, time.December, 1}) {
		return 0, false
	}
	if fpa.Month == time.December {
		return fpa.Year - 2016, true
	}
	return fpa.Year - 2017, true
}

// cohortSubmissionDate is the cohort's deadline: the second Tuesday of
// January two years after the year the cohort ends (§7).
func cohortSubmissionDate(cohort int) Date {
	year := 2017 + cohort + 2
	jan1 := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	firstTuesday := 1 + (int(time.Tuesday)-int(jan1.Weekday())+7)%7
	return Date{year, time.January, firstTuesday + 7}
}
