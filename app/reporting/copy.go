package reporting

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite" // the copy's driver
)

// Copy writes every view, masked, into the new SQLite file out (refused
// if it exists) and returns the rows written per view. src is the app's
// database in dialect d: on SQLite the views' SELECTs run on it and
// pseudonyms are made here with key; on PostgreSQL the reporting schema's
// views are read as they are (the key is the database's, SetKey).
func Copy(ctx context.Context, src *sql.DB, d Dialect, key, out string) (map[string]int, error) {
	if d == SQLite && len(key) < MinKeyLength {
		return nil, fmt.Errorf("the reporting key must be at least %d characters (--reporting-key)", MinKeyLength)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	dst, err := sql.Open("sqlite", "file:"+out+"?_pragma=journal_mode(DELETE)")
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	counts := map[string]int{}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck
	for _, v := range Views {
		n, err := copyView(ctx, src, tx, d, []byte(key), v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.Name, err)
		}
		counts[v.Name] = n
	}
	return counts, tx.Commit()
}

func copyView(ctx context.Context, src *sql.DB, tx *sql.Tx, d Dialect, key []byte, v View) (int, error) {
	var defs []string
	for _, c := range v.Columns {
		t := c.Type
		if t == Boolean {
			t = Integer // SQLite's booleans: 0 and 1
		}
		defs = append(defs, c.Name+" "+string(t))
	}
	if v.Count != "" {
		defs = append(defs, v.Count+" INTEGER NOT NULL")
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+v.Name+" (\n    "+strings.Join(defs, ",\n    ")+"\n)"); err != nil {
		return 0, err
	}
	query := v.Select(d)
	if d == Postgres {
		query = "SELECT " + strings.Join(v.Names(), ", ") + " FROM reporting." + v.Name
	}
	rows, err := src.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	names := v.Names()
	insert, err := tx.PrepareContext(ctx, "INSERT INTO "+v.Name+" ("+strings.Join(names, ", ")+") VALUES ("+strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")+")")
	if err != nil {
		return 0, err
	}
	defer insert.Close()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range v.Columns {
			if c.Mask == MaskPseudonym && d == SQLite && vals[i] != nil {
				id, ok := vals[i].(int64)
				if !ok {
					return n, fmt.Errorf("%s: id %v is not an integer", c.Name, vals[i])
				}
				vals[i] = Pseudonym(key, c.Kind, id)
			}
			if b, ok := vals[i].(bool); ok {
				vals[i] = 0
				if b {
					vals[i] = 1
				}
			}
		}
		if _, err := insert.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
