package audit

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no time zone. Ages, the
// one-year window and the 14-day and 42-day limits are counted in whole
// calendar days, so keeping dates out of time.Time avoids midnight and
// daylight-saving surprises.
//
// It is the one date type: store.Date is an alias of it (date_sql.go).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// NewDate returns the date, or an error when it does not exist (2023-02-30).
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{year, month, day}
	if month < time.January || month > time.December || day < 1 || day > daysIn(year, month) {
		return Date{}, fmt.Errorf("%04d-%02d-%02d is not a real date", year, int(month), day)
	}
	return d, nil
}

// ParseDate parses "YYYY-MM-DD" and rejects impossible dates.
func ParseDate(s string) (Date, error) {
	if !hasDateShape(s) {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a real date", s)
	}
	return DateOf(t), nil
}

// MustParseDate is ParseDate for literals in tests and fixtures; it panics on
// a bad date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// hasDateShape reports whether s is exactly 4 digits, '-', 2 digits, '-', 2
// digits. time.Parse alone would accept nothing looser, but this lets the
// error say "wrong form" apart from "no such day".
func hasDateShape(s string) bool {
	if len(s) != len(dateLayout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 4, 7:
			if s[i] != '-' {
				return false
			}
		default:
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
	}
	return true
}

// Time is midnight UTC on the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(dateLayout) }

// IsZero reports whether d is the zero Date (not a real date).
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

// Equal reports whether d and o are the same day.
func (d Date) Equal(o Date) bool { return d.compare(o) == 0 }

// OnOrBefore reports whether d ≤ o; the audit's windows are inclusive.
func (d Date) OnOrBefore(o Date) bool { return d.compare(o) <= 0 }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp.Compare(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp.Compare(int(d.Month), int(o.Month))
	default:
		return cmp.Compare(d.Day, o.Day)
	}
}

// AddYears adds whole calendar years: same month and day, except that 29
// February becomes 28 February in a year without one. This is dateutil's
// relativedelta(years=n), which Epilepsy12 uses for "FPA + 1 year"; it is
// NOT time.AddDate, which would roll 29 Feb over to 1 March.
func (d Date) AddYears(n int) Date {
	y := d.Year + n
	day := d.Day
	if last := daysIn(y, d.Month); day > last {
		day = last
	}
	return Date{y, d.Month, day}
}

// AddDays adds n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysBetween returns to − from in whole days: positive when to is later.
// It is Python's (to - from).days.
func DaysBetween(from, to Date) int {
	const secondsPerDay = 24 * 60 * 60
	return int((to.Time().Unix() - from.Time().Unix()) / secondsPerDay)
}

func daysIn(year int, month time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(dateLayout)+2)
	b = append(b, '"')
	b = d.Time().AppendFormat(b, dateLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" and rejects impossible dates. A JSON null
// leaves d unchanged (pointer fields are set to nil by encoding/json itself).
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return &DateError{Text: string(b), Problem: "is not a date string in the form \"YYYY-MM-DD\""}
	}
	s := string(b[1 : len(b)-1])
	if !hasDateShape(s) {
		return &DateError{Text: string(b), Problem: "is not a date in the form YYYY-MM-DD"}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return &DateError{Text: string(b), Problem: "is not a real date"}
	}
	*d = DateOf(t)
	return nil
}

// DateError is returned when a JSON value cannot be read as a Date. Text is
// the JSON as given (quoted when it was a string).
type DateError struct {
	Text    string
	Problem string
}

func (e *DateError) Error() string { return e.Text + " " + e.Problem }
