package backup_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/backup"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// exec runs raw SQL on either engine: the tests break what the app never
// would.
func exec(t *testing.T, s store.Store, query string) {
	t.Helper()
	var err error
	switch s := s.(type) {
	case *litestore.Store:
		_, err = s.DB().Exec(query)
	case *pgstore.Store:
		_, err = s.Pool().Exec(context.Background(), query)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ids := newFiller(t, s, 7).seed(t, 6)

		r, err := backup.Verify(ctx, s, 0, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			t.Fatalf("a sound database fails: %q", r.Problems)
		}
		if r.Rescored != len(ids) || r.Behind != 0 {
			t.Errorf("re-scored %d (behind %d), want all %d", r.Rescored, r.Behind, len(ids))
		}
		counts := map[string]int64{}
		for _, c := range r.Tables {
			counts[c.Table] = c.Rows
		}
		if counts["children"] != int64(len(ids)) || counts["kpi_results"] != int64(len(ids)) || counts["answers"] == 0 {
			t.Errorf("row counts %v: want %d children and results, and answers", counts, len(ids))
		}

		// A save whose scoring has not run yet is behind, not wrong.
		exec(t, s, fmt.Sprintf("UPDATE children SET version = version + 1 WHERE id = %d", ids[0]))
		// A stored result that a fresh score disagrees with is wrong.
		exec(t, s, fmt.Sprintf("UPDATE kpi_results SET mri = CASE WHEN mri = 1 THEN 0 ELSE 1 END WHERE child_id = %d", ids[1]))
		// So is a migration this clinaudit does not know.
		exec(t, s, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)")
		r, err = backup.Verify(ctx, s, 0, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Behind != 1 || r.Rescored != len(ids)-2 {
			t.Errorf("re-scored %d, behind %d: want %d and 1", r.Rescored, r.Behind, len(ids)-2)
		}
		got := strings.Join(r.Problems, "\n")
		for _, want := range []string{
			fmt.Sprintf("child %d: the stored result differs from a fresh score of its stored answers", ids[1]),
			"migration 99999 is applied but unknown",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("problems %q: want %q", got, want)
			}
		}
		if len(r.Problems) != 2 {
			t.Errorf("problems %q: want those two only", r.Problems)
		}
	})
}

// A database missing a migration, or a file that is not clinaudit's, fails.
func TestVerifyMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		exec(t, s, "DELETE FROM goose_db_version WHERE version_id = 9")
		r, err := backup.Verify(ctx, s, 0, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(r.Problems, "\n"); !strings.Contains(got, "migration 00009 (00009_kpi_results.sql) is not applied") {
			t.Errorf("problems %q: want migration 9 not applied", got)
		}
		exec(t, s, "DROP TABLE goose_db_version")
		r, err = backup.Verify(ctx, s, 0, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(r.Problems, "\n"); !strings.Contains(got, "not a clinaudit database") {
			t.Errorf("problems %q: want not a clinaudit database", got)
		}
	})
}

// An orphan row (foreign keys off, as a bad manual restore might leave
// them) fails.
func TestVerifyForeignKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ids := newFiller(t, s, 8).seed(t, 1)
		if s.Engine() == store.Postgres {
			// Triggers (and so foreign keys) off for this one statement batch.
			exec(t, s, fmt.Sprintf("SET session_replication_role = replica; "+
				"INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at) VALUES (%d, 'x', 1, now())", ids[0]+1000))
		} else {
			s := s.(*litestore.Store)
			conn, err := s.DB().Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"PRAGMA foreign_keys = OFF",
				fmt.Sprintf("INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at) VALUES (%d, 'x', 1, CURRENT_TIMESTAMP)", ids[0]+1000),
				"PRAGMA foreign_keys = ON"} {
				if _, err := conn.ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
			conn.Close()
		}
		r, err := backup.Verify(context.Background(), s, 0, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(r.Problems, "\n"); !strings.Contains(got, "foreign keys: ") || !strings.Contains(got, "kpi_results") {
			t.Errorf("problems %q: want the orphan kpi_results row", got)
		}
	})
}
