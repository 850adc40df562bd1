package litestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// openCached opens one cached connection on a fresh file with a small table.
func openCached(t *testing.T) *sql.DB {
	t.Helper()
	db := sql.OpenDB(newConnector(DSN(filepath.Join(t.TempDir(), "c.db"))))
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := db.Exec(`INSERT INTO t (id, name) VALUES (?, ?)`, i, fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func names(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) []string {
	t.Helper()
	rows, err := q.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCachedStatementsGiveFreshResults(t *testing.T) {
	db := openCached(t)
	const q = `SELECT name FROM t WHERE id >= ? ORDER BY id`
	if got := fmt.Sprint(names(t, db, q, 2)); got != "[n2 n3]" {
		t.Fatalf("first run: %s", got)
	}
	// The same statement again, with other arguments and after a write.
	if _, err := db.Exec(`UPDATE t SET name = ? WHERE id = ?`, "changed", 3); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(names(t, db, q, 1)); got != "[n1 n2 changed]" {
		t.Fatalf("second run: %s", got)
	}
}

// A query run again while its own rows are still open (inside a
// transaction, on the one connection) must not reset them.
func TestNestedUseOfOneStatement(t *testing.T) {
	db := openCached(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT name FROM t WHERE id >= ? ORDER BY id`
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var s string
		if err := outer.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s+fmt.Sprint(len(names(t, tx, q, 2))))
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[n12 n22 n32]" {
		t.Fatalf("outer rows were disturbed: %v", got)
	}
}

// A statement that failed (a unique violation) and one cancelled by its
// context are reset, not left poisoned for the next caller.
func TestStatementUsableAfterFailure(t *testing.T) {
	db := openCached(t)
	const ins = `INSERT INTO t (id, name) VALUES (?, ?)`
	if _, err := db.Exec(ins, 9, "n1"); err == nil || mapErr(err) == nil {
		t.Fatalf("duplicate name inserted: %v", err)
	}
	if _, err := db.Exec(ins, 9, "n9"); err != nil {
		t.Fatalf("after a failure: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	const q = `SELECT name FROM t WHERE id >= ? ORDER BY id`
	if _, err := db.QueryContext(ctx, q, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled query: %v", err)
	}
	if got := fmt.Sprint(names(t, db, q, 9)); got != "[n9]" {
		t.Fatalf("after a cancelled query: %s", got)
	}
}

// SQLite re-prepares a cached statement when the schema changes, as
// migrations do while the app's connections stay open.
func TestCachedStatementFollowsSchemaChange(t *testing.T) {
	db := openCached(t)
	const q = `SELECT * FROM t WHERE id = ?`
	cols := func() []string {
		rows, err := db.Query(q, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return c
	}
	if got := fmt.Sprint(cols()); got != "[id name]" {
		t.Fatalf("before: %s", got)
	}
	if _, err := db.Exec(`ALTER TABLE t ADD COLUMN extra TEXT`); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(cols()); got != "[id name extra]" {
		t.Fatalf("after ALTER TABLE: %s", got)
	}
}

// More distinct statements than the cache holds: the oldest are finalized
// and every query still answers correctly.
func TestCacheEvictsBeyondItsSize(t *testing.T) {
	db := openCached(t)
	for i := 0; i < stmtCacheSize+20; i++ {
		q := fmt.Sprintf(`SELECT name FROM t WHERE id = ? AND %d = %d`, i, i)
		if got := fmt.Sprint(names(t, db, q, 2)); got != "[n2]" {
			t.Fatalf("statement %d: %s", i, got)
		}
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		if n := len(dc.(*cachingConn).stmts); n != stmtCacheSize {
			return fmt.Errorf("cache holds %d statements, want %d", n, stmtCacheSize)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkCachedSelect(b *testing.B) {
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			dsn := DSN(filepath.Join(b.TempDir(), "b.db"))
			var db *sql.DB
			if cached {
				db = sql.OpenDB(newConnector(dsn))
			} else {
				db, _ = sql.Open("sqlite", dsn)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER);
				INSERT INTO t VALUES (1, 'x', 'y', 3)`); err != nil {
				b.Fatal(err)
			}
			const q = `SELECT t.a, t.b, t.c FROM t WHERE t.id = ? AND t.c IS NOT NULL AND t.a <> 'zz' ORDER BY t.id`
			for b.Loop() {
				var x, y string
				var z int
				if err := db.QueryRow(q, 1).Scan(&x, &y, &z); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
