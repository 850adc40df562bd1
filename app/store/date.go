package store

import (
	"time"

	"clinaudit/app/audit"
)

// Date is a calendar date with no time of day or zone: the audit's own
// (audit.Date), which also scans and stores itself as 'YYYY-MM-DD' on both
// engines. An alias, not a second type, so a date passes between the rules
// and the database with no conversion and the two cannot drift; the name
// stays because sqlc's overrides (sqlc.yaml) and the generated code use it.
type Date = audit.Date

// NewDate returns the date of t in t's own location (audit.DateOf).
func NewDate(t time.Time) Date { return audit.DateOf(t) }
