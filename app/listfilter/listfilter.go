// Package listfilter cleans the parts of a list's filter that the sorted,
// paged lists share (the case list, the staff list): any input becomes a
// valid value, falling back to the default rather than failing. Plain
// functions, no I/O.
package listfilter

import (
	"slices"
	"strings"
)

// maxQuery caps the search box's text, in bytes.
const maxQuery = 100

// Cap caps the search box's text, already trimmed by the list's own rule.
func Cap(q string) string {
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	return q
}

// ODS is an organisation's ODS code as the lists and forms compare it:
// trimmed, upper case.
func ODS(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Sort is the sort column and direction when sort is one of columns, and
// ascending by name otherwise.
func Sort(sort string, desc bool, columns []string) (string, bool) {
	if !slices.Contains(columns, sort) {
		return "name", false
	}
	return sort, desc
}

// Page is the page number, the first page when it is not a valid one.
func Page(p int) int { return max(p, 1) }
