package web

import (
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
)

// nhsNumberOf is an optional NHS number as people read it ("943 476 5919"),
// or nothing when there is none (a nil pointer would print "<nil>").
func nhsNumberOf(n *string) string {
	if n == nil {
		return ""
	}
	return nhsnumber.Format(*n)
}

// longDate is a date as NHS.UK pages write it: "4 June 2016".
func longDate(d store.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}
