package litestore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"clinaudit/app/store"
)

var _ store.Inspector = (*Store)(nil)

// VacuumInto writes a consistent copy of the database to path, which must
// not exist: SQLite's VACUUM INTO reads one snapshot (a read transaction,
// which WAL lets run beside the app's writes) and writes it compacted.
func (s *Store) VacuumInto(ctx context.Context, path string) error {
	_, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

func (s *Store) AppliedMigrations(ctx context.Context) ([]int64, error) {
	var n int
	if err := s.db.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'goose_db_version'").Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("no goose_db_version table: not a clinaudit database")
	}
	return column[int64](ctx, s,
		"SELECT DISTINCT version_id FROM goose_db_version WHERE version_id > 0 AND is_applied ORDER BY version_id")
}

func (s *Store) IntegrityProblems(ctx context.Context) ([]string, error) {
	lines, err := column[string](ctx, s, "PRAGMA integrity_check")
	if err != nil {
		return nil, err
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil, nil
	}
	return lines, nil
}

func (s *Store) ForeignKeyProblems(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s row %v refers to a missing %s row", table, rowid, parent))
	}
	return out, rows.Err()
}

func (s *Store) TableRows(ctx context.Context) ([]store.TableCount, error) {
	names, err := column[string](ctx, s,
		"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return nil, err
	}
	out := make([]store.TableCount, 0, len(names))
	for _, n := range names {
		var c int64
		// The name comes from the catalogue, quoted as an identifier.
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&c); err != nil {
			return nil, fmt.Errorf("counting %s: %w", n, err)
		}
		out = append(out, store.TableCount{Table: n, Rows: c})
	}
	return out, nil
}

// column is the one column of query's rows, in order.
func column[T any](ctx context.Context, s *Store, query string) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
