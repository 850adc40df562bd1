package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"clinaudit/app/store"

	"github.com/jackc/pgx/v5"
)

var _ store.Inspector = (*Store)(nil)

func (s *Store) AppliedMigrations(ctx context.Context) ([]int64, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT to_regclass('goose_db_version') IS NOT NULL").Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, errors.New("no goose_db_version table: not a clinaudit database")
	}
	rows, err := s.pool.Query(ctx,
		"SELECT DISTINCT version_id FROM goose_db_version WHERE version_id > 0 AND is_applied ORDER BY version_id")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// IntegrityProblems: PostgreSQL checksums its pages as it reads them (when
// the cluster has data checksums) and has no integrity_check; what a bad
// restore leaves behind that the catalogue shows is an index left invalid
// or a foreign key left unvalidated.
func (s *Store) IntegrityProblems(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
SELECT 'index ' || i.indexrelid::regclass::text || ' is not valid'
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)
UNION ALL
SELECT 'foreign key ' || c.conname || ' on ' || c.conrelid::regclass::text || ' is not validated'
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE n.nspname = current_schema() AND c.contype = 'f' AND NOT c.convalidated
ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// ForeignKeyProblems looks for orphans under every foreign key of the
// schema, as PostgreSQL would when validating it (MATCH SIMPLE: a row with
// any NULL in the key refers to nothing).
func (s *Store) ForeignKeyProblems(ctx context.Context) ([]string, error) {
	type fk struct {
		Name, Table, Parent string
		Cols, ParentCols    []string
	}
	rows, err := s.pool.Query(ctx, `
SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
  array(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
  array(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE n.nspname = current_schema() AND c.contype = 'f'
ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fk, error) {
		var f fk
		err := r.Scan(&f.Name, &f.Table, &f.Parent, &f.Cols, &f.ParentCols)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range fks {
		var notNull, match []string
		for i, c := range f.Cols {
			notNull = append(notNull, "t."+c+" IS NOT NULL")
			match = append(match, "p."+f.ParentCols[i]+" = t."+c)
		}
		// Every name comes from the catalogue, quoted by PostgreSQL.
		q := fmt.Sprintf("SELECT count(*) FROM %s t WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)",
			f.Table, strings.Join(notNull, " AND "), f.Parent, strings.Join(match, " AND "))
		var n int64
		if err := s.pool.QueryRow(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("checking %s: %w", f.Name, err)
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d %s rows refer to a missing %s row (%s)", n, f.Table, f.Parent, f.Name))
		}
	}
	return out, nil
}

func (s *Store) TableRows(ctx context.Context) ([]store.TableCount, error) {
	rows, err := s.pool.Query(ctx,
		"SELECT tablename::text, quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
	if err != nil {
		return nil, err
	}
	type table struct{ Name, Quoted string }
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (table, error) {
		var t table
		err := r.Scan(&t.Name, &t.Quoted)
		return t, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]store.TableCount, 0, len(tables))
	for _, t := range tables {
		var n int64
		if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM "+t.Quoted).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", t.Name, err)
		}
		out = append(out, store.TableCount{Table: t.Name, Rows: n})
	}
	return out, nil
}
