// Package datefield reads the GOV.UK three-part date input (day, month and
// year boxes) and checks dates against the rules of epilepsy12.md §4.1, with
// error messages worded as the GOV.UK and NHS.UK design systems advise
// (ux-and-security.md §3.3).
//
// Every message names the field by its label, a noun phrase with a capital
// letter and no article, such as "Date of birth" or "EEG request date".
//
// Dates are time.Time values at midnight UTC, as package cohort uses and as
// store.Date.Time() produces. A zero time.Time stands for a date that is not
// recorded: rules comparing against it pass, as §4.1 compares only dates
// that are present.
package datefield

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Part names one of the three inputs, for highlighting it and for the error
// summary's link (which must go to the first highlighted input).
type Part string

const (
	Day   Part = "day"
	Month Part = "month"
	Year  Part = "year"
)

var allParts = []Part{Day, Month, Year}

// Error is a date field's validation error. Message is shown to the user as
// it is; Parts are the inputs to highlight, in page order.
type Error struct {
	Message string
	Parts   []Part
}

func (e *Error) Error() string { return e.Message }

// IsBlank reports whether nothing was typed in any of the three inputs, so
// an optional date can be saved as not recorded instead of parsed.
func IsBlank(day, month, year string) bool {
	return strings.TrimSpace(day) == "" && strings.TrimSpace(month) == "" && strings.TrimSpace(year) == ""
}

// Parse reads a date typed into the three inputs. It accepts what GOV.UK
// calls unambiguous input: days 1 to 31 with or without a leading zero or an
// ordinal ("3rd"), months as numbers or English names or abbreviations
// ("mar", "March", "Sept."), and 4-digit years. It reports, in GOV.UK's order
// of priority, missing parts, then parts that cannot be right, then dates
// that do not exist, such as 31 April. The error is an *Error.
func Parse(label, day, month, year string) (time.Time, error) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)

	var missing []Part
	for _, p := range []struct {
		part  Part
		value string
	}{{Day, day}, {Month, month}, {Year, year}} {
		if p.value == "" {
			missing = append(missing, p.part)
		}
	}
	switch len(missing) {
	case 3:
		return time.Time{}, &Error{"Enter the " + lowerFirst(label), allParts}
	case 2:
		return time.Time{}, &Error{label + " must include a " + string(missing[0]) + " and " + string(missing[1]), missing}
	case 1:
		return time.Time{}, &Error{label + " must include a " + string(missing[0]), missing}
	}
	if allDigits(year) && len(year) != 4 {
		return time.Time{}, &Error{label + " must include a year with 4 numbers", []Part{Year}}
	}

	d, dayOK := parseDay(day)
	m, monthOK := parseMonth(month)
	y, yearOK := parseYear(year)
	var wrong []Part
	for _, p := range []struct {
		part Part
		ok   bool
	}{{Day, dayOK}, {Month, monthOK}, {Year, yearOK}} {
		if !p.ok {
			wrong = append(wrong, p.part)
		}
	}
	notReal := label + " must be a real date"
	if len(wrong) > 0 {
		return time.Time{}, &Error{notReal, wrong}
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		// 30 February or 31 April: day and month are each possible, so
		// which one is wrong is unclear and the whole date is highlighted.
		return time.Time{}, &Error{notReal, allParts}
	}
	return t, nil
}

func parseDay(s string) (int, bool) {
	lower := strings.ToLower(s)
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if trimmed, ok := strings.CutSuffix(lower, suffix); ok {
			lower = trimmed
			break
		}
	}
	n, ok := smallNumber(lower)
	return n, ok && n >= 1 && n <= 31
}

var monthNames = func() map[string]time.Month {
	names := map[string]time.Month{"sept": time.September}
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		names[full] = m
		names[full[:3]] = m
	}
	return names
}()

func parseMonth(s string) (time.Month, bool) {
	if n, ok := smallNumber(s); ok {
		return time.Month(n), n >= 1 && n <= 12
	}
	m, ok := monthNames[strings.TrimSuffix(strings.ToLower(s), ".")]
	return m, ok
}

// parseYear accepts 4 digits. A year before 1000 is not a date anyone means
// to enter here, so "0999" counts as not real rather than as the 10th century.
func parseYear(s string) (int, bool) {
	if len(s) != 4 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1000
}

// smallNumber reads ASCII digits, allowing any number of leading zeros.
func smallNumber(s string) (int, bool) {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return 0, false
	}
	if len(s) > 2 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lowerFirst lower-cases the label's first letter for use mid-sentence,
// unless it begins an abbreviation such as "EEG".
func lowerFirst(label string) string {
	first, size := utf8.DecodeRuneInString(label)
	if size == 0 {
		return label
	}
	if next, _ := utf8.DecodeRuneInString(label[size:]); unicode.IsUpper(next) {
		return label
	}
	return string(unicode.ToLower(first)) + label[size:]
}

// Format writes a date as GOV.UK style asks, "3 May 2021", for messages and
// for showing stored dates.
func Format(d time.Time) string { return d.Format("2 January 2006") }
