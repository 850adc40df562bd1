// Package reportingtest holds the check both engines' reporting tests
// share: no value of a personal field of the source database appears in
// any column of the masked tables.
package reportingtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// personalFields are the source database's personal fields: names,
// identifiers, contact details, addresses, exact dates about a person,
// free text. Every one is valid SQL on both engines.
var personalFields = []string{
	"children.first_name", "children.surname", "children.nhs_number", "children.unique_reference_number",
	"children.postcode", "children.date_of_birth", "children.audit_id", "children.first_paediatric_assessment_date",
	"registry_patients.first_name", "registry_patients.surname", "registry_patients.nhs_number", "registry_patients.postcode",
	"registry_patients.date_of_birth", "registry_patients.registry_ref", "registry_patients.notes",
	"registry_patients.diagnosis_date", "registry_patients.date_of_death",
	"registry_contacts.first_name", "registry_contacts.surname", "registry_contacts.email", "registry_contacts.phone",
	"registry_contacts.address", "registry_contacts.postcode", "registry_contacts.notes",
	"registry_findings.variant", "registry_findings.source_report", "registry_findings.confirmed_by",
	"registry_relationships.start_date", "registry_relationships.end_date",
	"users.email", "users.first_name", "users.surname",
}

// Personal reads every value of the personal fields of db (the app's own
// database), each mapped to the field it came from. A multi-line address
// counts line by line too.
func Personal(ctx context.Context, db *sql.DB) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range personalFields {
		table, col, _ := strings.Cut(f, ".")
		rows, err := db.QueryContext(ctx, "SELECT "+col+" FROM "+table+" WHERE "+col+" IS NOT NULL")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for rows.Next() {
			var v any
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			s := text(v)
			if s == "" {
				continue
			}
			out[norm(s)] = f
			for _, line := range strings.Split(s, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					out[norm(line)] = f
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Leaks reads every column of every table given (qualified names) in db and
// returns each cell that equals a personal value, or contains one that is
// long enough and holds a digit (an NHS number, a postcode, a phone number,
// an email address, a date: names are checked whole, as a short name can
// be part of an organisation's). It also returns how many cells it read,
// so a test can see it read something.
func Leaks(ctx context.Context, db *sql.DB, tables []string, personal map[string]string) (leaks []string, cells int, err error) {
	var long []string
	for p := range personal {
		if len(p) >= 6 && strings.ContainsFunc(p, unicode.IsDigit) {
			long = append(long, p)
		}
	}
	for _, t := range tables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+t)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", t, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, 0, err
			}
			for i, v := range vals {
				s := norm(text(v))
				if s == "" {
					continue
				}
				cells++
				if f, ok := personal[s]; ok {
					leaks = append(leaks, fmt.Sprintf("%s.%s = %q is %s", t, cols[i], s, f))
					continue
				}
				for _, p := range long {
					if strings.Contains(s, p) {
						leaks = append(leaks, fmt.Sprintf("%s.%s = %q holds %s %q", t, cols[i], s, personal[p], p))
					}
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	return leaks, cells, nil
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format("2006-01-02")
	case []byte:
		return string(x)
	case string:
		// SQLite's dates and times are text; compare their date part.
		if len(x) > 10 && x[4] == '-' && x[7] == '-' && (x[10] == ' ' || x[10] == 'T') {
			return x[:10]
		}
		return x
	}
	return fmt.Sprint(v)
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
