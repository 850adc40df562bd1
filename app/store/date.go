package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone. Clinical dates (birth,
// first assessment) are dates, and keeping them out of time.Time avoids the
// midnight and time-zone bugs that ages and cohort boundaries are sensitive to.
// It stores as 'YYYY-MM-DD' on both engines.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// NewDate returns the date of t in t's own location.
func NewDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD and rejects impossible dates such as 2023-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not a real date in the form YYYY-MM-DD", s)
	}
	return NewDate(t), nil
}

// Time is midnight UTC on the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (d Date) String() string { return d.Time().Format(dateLayout) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner for both pgx (time.Time) and SQLite (text).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = NewDate(v)
		return nil
	case string:
		return d.parsePrefix(v)
	case []byte:
		return d.parsePrefix(string(v))
	default:
		return fmt.Errorf("store.Date: cannot scan %T", src)
	}
}

func (d *Date) parsePrefix(s string) error {
	if len(s) < len(dateLayout) {
		return fmt.Errorf("store.Date: cannot scan %q", s)
	}
	p, err := ParseDate(s[:len(dateLayout)])
	if err != nil {
		return err
	}
	*d = p
	return nil
}
