package reporting

import (
	"fmt"
	"strings"
)

// Dialect is the SQL a view is rendered in.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// expr is column c's masked value in d. On PostgreSQL a pseudonym is the
// SECURITY DEFINER function reporting.pseudonym (the key stays in a table
// the reporting role cannot read); on SQLite the id is selected as it is
// and the copy replaces it with Pseudonym before writing (copy.go), so the
// key never reaches the database file at all.
func (c Column) expr(d Dialect) string {
	pg := d == Postgres
	switch c.Mask {
	case MaskPseudonym:
		if pg {
			return fmt.Sprintf("reporting.pseudonym('%s', %s)", c.Kind, c.Src)
		}
		return c.Src
	case MaskAgeYears:
		return ageYears(d, c.From, c.Src)
	case MaskAgeBand:
		age := ageYears(d, c.From, c.Src)
		var b strings.Builder
		b.WriteString("CASE WHEN " + age + " IS NULL OR " + age + " < 0 THEN NULL")
		for i := len(AgeBands) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, " WHEN %s >= %d THEN '%s'", age, AgeBands[i].Start, AgeBands[i].Label)
		}
		return b.String() + " END"
	case MaskPostcodeDistrict:
		// Postcodes are kept compact; the inward code is always 3
		// characters. Too short to have one: nothing.
		return fmt.Sprintf("CASE WHEN length(%[1]s) >= 5 THEN substr(%[1]s, 1, length(%[1]s) - 3) END", c.Src)
	case MaskMonth:
		if pg {
			return fmt.Sprintf("to_char(%s, 'YYYY-MM')", c.Src)
		}
		return fmt.Sprintf("strftime('%%Y-%%m', %s)", c.Src)
	case MaskYear:
		if pg {
			return fmt.Sprintf("CAST(date_part('year', %s) AS bigint)", c.Src)
		}
		return fmt.Sprintf("CAST(strftime('%%Y', %s) AS INTEGER)", c.Src)
	case MaskIsSet:
		return "(" + c.Src + " IS NOT NULL)"
	}
	return c.Src
}

// ageYears is whole days from from to at (today when ""), ÷ 365.25,
// rounded down: the audit's way (docs/kpi.md), one formula for every age.
func ageYears(d Dialect, from, at string) string {
	if d == Postgres {
		if at == "" {
			at = "current_date"
		}
		return fmt.Sprintf("CAST(floor((%s - %s) / 365.25) AS bigint)", at, from)
	}
	if at == "" {
		at = "'now'"
	}
	// CAST truncates: floor for the ages of people born before the date.
	return fmt.Sprintf("CAST((julianday(%s) - julianday(%s)) / 365.25 AS INTEGER)", at, from)
}

// Select is v's query in d.
func (v View) Select(d Dialect) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	var group []string // by position: the masked expressions are long
	for i, c := range v.Columns {
		if i > 0 {
			b.WriteString(",\n    ")
		}
		e := c.expr(d)
		b.WriteString(e + " AS " + c.Name)
		group = append(group, fmt.Sprint(i+1))
	}
	if v.Count != "" {
		b.WriteString(",\n    count(*) AS " + v.Count)
	}
	b.WriteString("\nFROM " + v.From)
	if v.Where != "" {
		b.WriteString("\nWHERE " + v.Where)
	}
	if v.Count != "" {
		b.WriteString("\nGROUP BY " + strings.Join(group, ", "))
	}
	return b.String()
}

// Names are the columns of v in order, with the count last.
func (v View) Names() []string {
	var n []string
	for _, c := range v.Columns {
		n = append(n, c.Name)
	}
	if v.Count != "" {
		n = append(n, v.Count)
	}
	return n
}
