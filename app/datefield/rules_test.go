package datefield

import (
	"errors"
	"testing"
	"time"
)

// messageOf returns the message of Check's error, or "" when it passes.
func messageOf(t *testing.T, label string, d time.Time, rules []Rule) string {
	t.Helper()
	err := Check(label, d, rules...)
	if err == nil {
		return ""
	}
	var fe *Error
	if !errors.As(err, &fe) || len(fe.Parts) != 3 {
		t.Fatalf("rule error %#v is not an *Error highlighting the whole date", err)
	}
	return fe.Message
}

func TestRules(t *testing.T) {
	today := date("2026-03-01")
	dob := date("2021-05-03")
	tests := []struct {
		name  string
		label string
		d     string
		rules []Rule
		want  string
	}{
		{"today is not the future", "Date of birth", "2026-03-01", []Rule{NotInFuture(today)}, ""},
		{"tomorrow is the future", "Date of birth", "2026-03-02", []Rule{NotInFuture(today)}, "Date of birth must be today or in the past"},
		{"in the past: yesterday", "Date of birth", "2026-02-28", []Rule{InPast(today)}, ""},
		{"in the past: today is not", "Date of birth", "2026-03-01", []Rule{InPast(today)}, "Date of birth must be in the past"},
		{"on or after: same day", "Seizure onset date", "2021-05-03", []Rule{OnOrAfter(dob, WhatBirth)}, ""},
		{"on or after: day before", "Seizure onset date", "2021-05-02", []Rule{OnOrAfter(dob, WhatBirth)},
			"Seizure onset date must be the same as or after 3 May 2021 (the child's date of birth)"},
		{"on or after without description", "Seizure onset date", "2021-05-02", []Rule{OnOrAfter(dob, "")},
			"Seizure onset date must be the same as or after 3 May 2021"},
		{"on or after: not recorded", "EEG performed date", "2000-01-01", []Rule{OnOrAfter(time.Time{}, "the EEG request date")}, ""},
		{"on or before: same day", "EEG request date", "2024-03-04", []Rule{OnOrBefore(date("2024-03-04"), "the EEG performed date")}, ""},
		{"on or before: day after", "EEG request date", "2024-03-05", []Rule{OnOrBefore(date("2024-03-04"), "the EEG performed date")},
			"EEG request date must be the same as or before 4 March 2024 (the EEG performed date)"},
		{"on or before: not recorded", "EEG request date", "2024-03-05", []Rule{OnOrBefore(time.Time{}, "the EEG performed date")}, ""},
		{"before: day before", "Date", "2024-03-03", []Rule{Before(date("2024-03-04"), "")}, ""},
		{"before: same day", "Date", "2024-03-04", []Rule{Before(date("2024-03-04"), "the limit")}, "Date must be before 4 March 2024 (the limit)"},
		{"24th birthday eve", "First paediatric assessment date", "2045-05-02", []Rule{BeforeBirthday(dob, 24)}, ""},
		{"24th birthday", "First paediatric assessment date", "2045-05-03", []Rule{BeforeBirthday(dob, 24)},
			"First paediatric assessment date must be before 3 May 2045 (the child's 24th birthday)"},
		{"birthday with unknown date of birth", "First paediatric assessment date", "2045-05-03", []Rule{BeforeBirthday(time.Time{}, 24)}, ""},
		{"first failing rule wins", "Seizure onset date", "2030-01-01", []Rule{OnOrBefore(date("2025-01-01"), "x"), NotInFuture(today)},
			"Seizure onset date must be the same as or before 1 January 2025 (x)"},
		{"no rules", "Date", "2030-01-01", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messageOf(t, tt.label, date(tt.d), tt.rules); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Times of day and zones do not matter: only the calendar date counts.
func TestRulesIgnoreTimeOfDay(t *testing.T) {
	ahead := time.FixedZone("UTC+1", 3600)
	today := time.Date(2026, time.March, 1, 0, 15, 0, 0, ahead) // still 28 Feb in UTC
	if err := Check("Date", date("2026-03-01"), NotInFuture(today)); err != nil {
		t.Errorf("today counted as the future: %v", err)
	}
	late := time.Date(2021, time.May, 3, 23, 0, 0, 0, time.UTC)
	if err := Check("Date", date("2021-05-03"), OnOrAfter(late, "")); err != nil {
		t.Errorf("same day with a later time counted as before: %v", err)
	}
}

func TestBirthday(t *testing.T) {
	tests := []struct {
		dob  string
		age  int
		want string
	}{
		{"2021-05-03", 24, "2045-05-03"},
		{"2000-02-29", 24, "2024-02-29"}, // leap to leap
		{"2000-02-29", 1, "2001-02-28"},  // 29 February becomes 28 February
		{"2076-02-29", 24, "2100-02-28"}, // 2100 is not a leap year
		{"2000-02-28", 1, "2001-02-28"},
		{"1999-12-31", 24, "2023-12-31"},
	}
	for _, tt := range tests {
		if got := Birthday(date(tt.dob), tt.age).Format(time.DateOnly); got != tt.want {
			t.Errorf("Birthday(%s, %d) = %s, want %s", tt.dob, tt.age, got, tt.want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 24: "24th", 101: "101st", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDateOfBirth(t *testing.T) {
	today := date("2026-03-01")
	for d, want := range map[string]string{
		"2026-03-01": "", // a baby born today
		"2010-07-14": "",
		"2026-03-02": "Date of birth must be today or in the past",
	} {
		if got := messageOf(t, "Date of birth", date(d), DateOfBirth(today)); got != want {
			t.Errorf("%s: got %q, want %q", d, got, want)
		}
	}
}

func TestFirstPaediatricAssessment(t *testing.T) {
	const label = "First paediatric assessment date"
	tests := []struct {
		name      string
		today     string
		dob       string
		auditTeam bool
		fpa       string
		want      string
	}{
		{"today", "2026-03-01", "2015-06-10", false, "2026-03-01", ""},
		{"future", "2026-03-01", "2015-06-10", false, "2026-03-02", label + " must be today or in the past"},
		{"start of the oldest open cohort", "2026-03-01", "2015-06-10", false, "2024-12-01", ""},
		{"closed cohort", "2026-03-01", "2015-06-10", false, "2024-11-30",
			label + " must be the same as or after 1 December 2024 (the start of cohort 8, the oldest cohort still open)"},
		{"grace period opens the cohort before", "2025-12-15", "2015-06-10", false, "2023-12-01", ""},
		{"grace period limit", "2025-12-15", "2015-06-10", false, "2023-11-30",
			label + " must be the same as or after 1 December 2023 (the start of cohort 7, the oldest cohort still open)"},
		{"grace period ends after the 2nd Tuesday", "2026-01-14", "2015-06-10", false, "2023-12-01",
			label + " must be the same as or after 1 December 2024 (the start of cohort 8, the oldest cohort still open)"},
		{"audit team may enter a closed cohort", "2026-03-01", "2015-06-10", true, "2021-03-01", ""},
		{"audit team: not before birth", "2026-03-01", "2015-06-10", true, "2015-06-09",
			label + " must be the same as or after 10 June 2015 (the child's date of birth)"},
		{"audit team: not before cohort 4", "2026-03-01", "2015-06-10", true, "2020-11-30",
			label + " must be the same as or after 1 December 2020 (the start of cohort 4, the first cohort of the audit)"},
		{"audit team: first day of cohort 4", "2026-03-01", "2015-06-10", true, "2020-12-01", ""},
		{"day before 24th birthday", "2026-03-01", "2001-01-15", false, "2025-01-14", ""},
		{"24th birthday", "2026-03-01", "2001-01-15", false, "2025-01-15",
			label + " must be before 15 January 2025 (the child's 24th birthday)"},
		{"24th birthday, audit team", "2026-03-01", "2001-01-15", true, "2025-01-15",
			label + " must be before 15 January 2025 (the child's 24th birthday)"},
		{"born on a leap day: day before 24th birthday", "2026-03-01", "2000-02-29", true, "2024-02-28", ""},
		{"born on a leap day: 24th birthday", "2026-03-01", "2000-02-29", true, "2024-02-29",
			label + " must be before 29 February 2024 (the child's 24th birthday)"},
		{"clinician, before birth within an open cohort", "2026-03-01", "2025-06-10", false, "2025-06-09",
			label + " must be the same as or after 10 June 2025 (the child's date of birth)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := FirstPaediatricAssessment(date(tt.today), date(tt.dob), tt.auditTeam)
			if got := messageOf(t, label, date(tt.fpa), rules); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSinceBirthAndFirstAssessment(t *testing.T) {
	today, dob, fpa := date("2026-03-01"), date("2021-05-03"), date("2025-01-10")
	tests := []struct {
		name  string
		label string
		d     string
		rules []Rule
		want  string
	}{
		{"seizure onset at birth", "Seizure onset date", "2021-05-03", SinceBirth(today, dob), ""},
		{"seizure onset before birth", "Seizure onset date", "2021-05-02", SinceBirth(today, dob),
			"Seizure onset date must be the same as or after 3 May 2021 (the child's date of birth)"},
		{"syndrome diagnosis in the future", "Syndrome diagnosis date", "2026-03-02", SinceBirth(today, dob),
			"Syndrome diagnosis date must be today or in the past"},
		{"care plan on the FPA", "Individualised care plan date", "2025-01-10", SinceFirstAssessment(today, fpa), ""},
		{"care plan before the FPA", "Individualised care plan date", "2025-01-09", SinceFirstAssessment(today, fpa),
			"Individualised care plan date must be the same as or after 10 January 2025 (the first paediatric assessment)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messageOf(t, tt.label, date(tt.d), tt.rules); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPairs(t *testing.T) {
	today, dob, fpa := date("2026-03-01"), date("2021-05-03"), date("2025-01-10")
	request, performed := date("2025-02-01"), date("2025-02-20")
	tests := []struct {
		name  string
		label string
		d     string
		rules []Rule
		want  string
	}{
		{"request on performed day", "EEG request date", "2025-02-20",
			StartOfPair(today, dob, WhatBirth, performed, "the EEG performed date"), ""},
		{"request after performed", "EEG request date", "2025-02-21",
			StartOfPair(today, dob, WhatBirth, performed, "the EEG performed date"),
			"EEG request date must be the same as or before 20 February 2025 (the EEG performed date)"},
		{"request before birth", "EEG request date", "2021-05-02",
			StartOfPair(today, dob, WhatBirth, performed, "the EEG performed date"),
			"EEG request date must be the same as or after 3 May 2021 (the child's date of birth)"},
		{"request with no performed date", "EEG request date", "2026-01-01",
			StartOfPair(today, dob, WhatBirth, time.Time{}, "the EEG performed date"), ""},
		{"request in the future", "EEG request date", "2026-03-02",
			StartOfPair(today, dob, WhatBirth, time.Time{}, "the EEG performed date"), "EEG request date must be today or in the past"},
		{"performed on request day", "EEG performed date", "2025-02-01",
			EndOfPair(today, request, "the EEG request date"), ""},
		{"performed before request", "EEG performed date", "2025-01-31",
			EndOfPair(today, request, "the EEG request date"),
			"EEG performed date must be the same as or after 1 February 2025 (the EEG request date)"},
		{"performed with no request date", "EEG performed date", "2019-01-01",
			EndOfPair(today, time.Time{}, "the EEG request date"), ""},
		{"performed in the future", "EEG performed date", "2026-03-02",
			EndOfPair(today, request, "the EEG request date"), "EEG performed date must be today or in the past"},
		{"medicine started before the FPA", "Medicine start date", "2025-01-09",
			StartOfPair(today, fpa, WhatFirstAssessment, time.Time{}, "the medicine stop date"),
			"Medicine start date must be the same as or after 10 January 2025 (the first paediatric assessment)"},
		{"neurologist referral on the FPA", "Paediatric neurologist referral date", "2025-01-10",
			StartOfPair(today, fpa, WhatFirstAssessment, time.Time{}, "the paediatric neurologist input date"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messageOf(t, tt.label, date(tt.d), tt.rules); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}
