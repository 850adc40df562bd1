package cohort

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ymd(t time.Time) string { return t.Format(time.DateOnly) }

// TestSpecTable reproduces the table of §7 row by row.
func TestSpecTable(t *testing.T) {
	table := []struct {
		cohort               Cohort
		from, to, submission string
	}{
		{4, "2020-12-01", "2021-11-30", "2023-01-10"},
		{5, "2021-12-01", "2022-11-30", "2024-01-09"},
		{6, "2022-12-01", "2023-11-30", "2025-01-14"},
		{7, "2023-12-01", "2024-11-30", "2026-01-13"},
		{8, "2024-12-01", "2025-11-30", "2027-01-12"},
		{9, "2025-12-01", "2026-11-30", "2028-01-11"},
	}
	for _, row := range table {
		t.Run(row.cohort.String(), func(t *testing.T) {
			c := row.cohort
			if got := ymd(c.Start()); got != row.from {
				t.Errorf("Start = %s, want %s", got, row.from)
			}
			if got := ymd(c.End()); got != row.to {
				t.Errorf("End = %s, want %s", got, row.to)
			}
			if got := ymd(c.SubmissionDeadline()); got != row.submission {
				t.Errorf("SubmissionDeadline = %s, want %s", got, row.submission)
			}
			for _, edge := range []string{row.from, row.to} {
				if got, ok := ForDate(d(edge)); !ok || got != c {
					t.Errorf("ForDate(%s) = %d, %v; want %d", edge, got, ok, c)
				}
			}
			if !c.Contains(d(row.from)) || !c.Contains(d(row.to)) {
				t.Error("cohort does not contain its own first and last days")
			}
			if c.Contains(d(row.from).AddDate(0, 0, -1)) || c.Contains(d(row.to).AddDate(0, 0, 1)) {
				t.Error("cohort contains a day outside its dates")
			}
		})
	}
}

// TestWorkedExamples reproduces the worked examples of §7.
func TestWorkedExamples(t *testing.T) {
	t.Run("cohort numbers", func(t *testing.T) {
		tests := []struct {
			fpa  string
			want Cohort
			ok   bool
		}{
			{"2020-11-30", 0, false},
			{"2020-12-01", 4, true},
			{"2021-11-30", 4, true},
			{"2021-12-01", 5, true},
		}
		for _, tt := range tests {
			got, ok := ForDate(d(tt.fpa))
			if got != tt.want || ok != tt.ok {
				t.Errorf("ForDate(%s) = %d, %v; want %d, %v", tt.fpa, got, ok, tt.want, tt.ok)
			}
		}
	})
	t.Run("submission dates", func(t *testing.T) {
		for fpa, want := range map[string]string{"2022-11-01": "2024-01-09", "2022-12-31": "2025-01-14"} {
			c, _ := ForDate(d(fpa))
			if got := ymd(c.SubmissionDeadline()); got != want {
				t.Errorf("FPA %s: submission %s, want %s", fpa, got, want)
			}
		}
	})
	t.Run("days remaining", func(t *testing.T) {
		tests := []struct {
			fpa, today string
			want       int
		}{
			{"2022-01-10", "2022-11-30", 406},
			{"2021-01-01", "2022-11-30", 42},
		}
		for _, tt := range tests {
			c, _ := ForDate(d(tt.fpa))
			if got := c.DaysRemaining(d(tt.today)); got != tt.want {
				t.Errorf("FPA %s on %s: %d days remaining, want %d", tt.fpa, tt.today, got, tt.want)
			}
		}
		for today, want := range map[string]int{"2025-01-13": 2, "2025-01-14": 1, "2025-01-15": 0, "2025-01-30": 0} {
			if got := Cohort(6).DaysRemaining(d(today)); got != want {
				t.Errorf("cohort 6 on %s: %d days remaining, want %d", today, got, want)
			}
			if open := Cohort(6).IsOpen(d(today)); open != (want > 0) {
				t.Errorf("cohort 6 on %s: IsOpen = %v", today, open)
			}
		}
	})
}

func TestForDateBoundaries(t *testing.T) {
	tests := []struct {
		fpa  string
		want Cohort
		ok   bool
	}{
		{"1999-06-01", 0, false},
		{"2020-01-01", 0, false},
		{"2022-11-30", 5, true},
		{"2022-12-01", 6, true},
		{"2023-01-01", 6, true}, // new year, same cohort
		{"2024-02-29", 7, true}, // leap day
		{"2024-11-30", 7, true},
		{"2024-12-01", 8, true},
		{"2025-12-31", 9, true},
		{"2028-02-29", 11, true},
		{"2040-06-15", 23, true},
	}
	for _, tt := range tests {
		got, ok := ForDate(d(tt.fpa))
		if got != tt.want || ok != tt.ok {
			t.Errorf("ForDate(%s) = %d, %v; want %d, %v", tt.fpa, got, ok, tt.want, tt.ok)
		}
	}
}

// The calendar date is read in the value's own location: 00:30 on
// 1 December in a zone ahead of UTC is still 1 December.
func TestForDateUsesOwnLocation(t *testing.T) {
	ahead := time.FixedZone("UTC+1", 3600)
	fpa := time.Date(2025, time.December, 1, 0, 30, 0, 0, ahead)
	if got, _ := ForDate(fpa); got != 9 {
		t.Errorf("ForDate(%v) = %d, want 9", fpa, got)
	}
	// Cohort 6 closes on 14 January 2025; half past midnight on the 15th is
	// still the 14th in UTC, but the cohort is closed.
	early := time.Date(2025, time.January, 15, 0, 30, 0, 0, ahead)
	if got := Cohort(6).DaysRemaining(early); got != 0 {
		t.Errorf("DaysRemaining just after the deadline day = %d, want 0", got)
	}
	if got := Cohort(6).Start(); got.Location() != time.UTC || got.Hour() != 0 {
		t.Errorf("Start = %v, want midnight UTC", got)
	}
}

func TestSubmissionDeadlineAcrossYears(t *testing.T) {
	// Every deadline is a Tuesday between 8 and 14 January, two years
	// after the cohort's end year.
	for c := First; c < First+60; c++ {
		got := c.SubmissionDeadline()
		if got.Weekday() != time.Tuesday || got.Month() != time.January || got.Day() < 8 || got.Day() > 14 || got.Year() != c.End().Year()+2 {
			t.Errorf("%s: deadline %s is not the 2nd Tuesday of January %d", c, ymd(got), c.End().Year()+2)
		}
	}
	// Years where 1 January is itself a Tuesday: it counts as the first.
	for c, want := range map[Cohort]string{11: "2030-01-08", 17: "2036-01-08"} {
		if d(want[:4]+"-01-01").Weekday() != time.Tuesday {
			t.Fatalf("test assumption wrong: 1 January %s is not a Tuesday", want[:4])
		}
		if got := ymd(c.SubmissionDeadline()); got != want {
			t.Errorf("%s deadline = %s, want %s", c, got, want)
		}
	}
	// 1 January a Wednesday gives the latest possible date.
	if got := ymd(Cohort(6).SubmissionDeadline()); got != "2025-01-14" {
		t.Errorf("cohort 6 deadline = %s", got)
	}
}

func TestRolesOn(t *testing.T) {
	tests := []struct {
		today                         string
		recruiting, submitting, grace Cohort
		inGrace                       bool
		dashboard                     Cohort
		earliest                      string
	}{
		{"2025-11-30", 8, 7, 6, false, 7, "2023-12-01"},
		{"2025-12-01", 9, 8, 7, true, 7, "2023-12-01"},
		{"2025-12-31", 9, 8, 7, true, 7, "2023-12-01"},
		{"2026-01-01", 9, 8, 7, true, 7, "2023-12-01"},
		{"2026-01-13", 9, 8, 7, true, 7, "2023-12-01"}, // cohort 7's deadline
		{"2026-01-14", 9, 8, 7, false, 8, "2024-12-01"},
		{"2026-06-15", 9, 8, 7, false, 8, "2024-12-01"},
		{"2022-11-30", 5, 4, 3, false, 4, "2020-12-01"}, // the worked examples' "today"
		{"2024-02-29", 7, 6, 5, false, 6, "2022-12-01"},
		{"2030-01-08", 13, 12, 11, true, 11, "2027-12-01"}, // 1 January 2030 is a Tuesday
		{"2030-01-09", 13, 12, 11, false, 12, "2028-12-01"},
	}
	for _, tt := range tests {
		t.Run(tt.today, func(t *testing.T) {
			r := RolesOn(d(tt.today))
			want := Roles{tt.recruiting, tt.submitting, tt.grace, tt.inGrace}
			if r != want {
				t.Fatalf("RolesOn = %+v, want %+v", r, want)
			}
			if got := r.DashboardDefault(); got != tt.dashboard {
				t.Errorf("DashboardDefault = %d, want %d", got, tt.dashboard)
			}
			if got := ymd(r.EarliestFirstAssessment()); got != tt.earliest {
				t.Errorf("EarliestFirstAssessment = %s, want %s", got, tt.earliest)
			}
		})
	}
}

// Open must agree with each cohort's own IsOpen, and the grace period must
// be exactly the time the grace cohort is still open.
func TestOpenAgreesWithDeadlines(t *testing.T) {
	for day := d("2022-12-01"); day.Before(d("2032-12-01")); day = day.AddDate(0, 0, 1) {
		r := RolesOn(day)
		open := map[Cohort]bool{}
		for _, c := range r.Open() {
			open[c] = true
		}
		for c := First; c <= r.Recruiting; c++ {
			if c.IsOpen(day) != open[c] {
				t.Fatalf("%s: %s IsOpen = %v but Open() = %v", ymd(day), c, c.IsOpen(day), r.Open())
			}
		}
		if r.InGracePeriod != r.Grace.IsOpen(day) {
			t.Fatalf("%s: InGracePeriod = %v but grace cohort %d open = %v", ymd(day), r.InGracePeriod, r.Grace, r.Grace.IsOpen(day))
		}
		if r.Open()[0] != r.DashboardDefault() {
			t.Fatalf("%s: dashboard default %d is not the oldest open cohort", ymd(day), r.DashboardDefault())
		}
	}
}

func TestParse(t *testing.T) {
	good := map[string]Cohort{"4": 4, "8": 8, " 12 ": 12, "Cohort 9": 9, "cohort8": 8}
	for in, want := range good {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3", "0", "-5", "eight", "8.5", "cohort"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestString(t *testing.T) {
	if got := Cohort(8).String(); got != "Cohort 8" {
		t.Errorf("String = %q", got)
	}
}
