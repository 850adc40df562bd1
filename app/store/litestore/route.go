package litestore

import (
	"context"
	"database/sql"
	"strings"
)

// router sends each statement made outside a transaction to one of two
// pools: plain reads to readers, everything else to the single writer
// connection. With WAL, readers never wait for a writer, so while another
// process holds the write lock (or our writer waits out the busy timeout)
// pages that only read keep loading.
type router struct {
	writer, reader *sql.DB
}

func (r router) pick(query string) *sql.DB {
	if readOnly(query) {
		return r.reader
	}
	return r.writer
}

func (r router) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.writer.ExecContext(ctx, q, args...)
}

func (r router) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return r.pick(q).PrepareContext(ctx, q)
}

func (r router) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.pick(q).QueryContext(ctx, q, args...)
}

func (r router) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.pick(q).QueryRowContext(ctx, q, args...)
}

// readOnly reports whether query is a single SELECT (or a WITH … SELECT that
// names no writing statement), after sqlc's leading "-- name:" comments.
// Anything it is unsure of goes to the writer, which is always correct.
func readOnly(query string) bool {
	q := strings.TrimSpace(query)
	for strings.HasPrefix(q, "--") {
		i := strings.IndexByte(q, '\n')
		if i < 0 {
			return false
		}
		q = strings.TrimSpace(q[i+1:])
	}
	head := strings.ToUpper(q[:min(len(q), 6)])
	switch {
	case head == "SELECT":
		return !strings.Contains(strings.ToUpper(q), "RETURNING")
	case strings.HasPrefix(head, "WITH"):
		u := strings.ToUpper(q)
		for _, w := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE", "RETURNING"} {
			if strings.Contains(u, w) {
				return false
			}
		}
		return true
	}
	return false
}
