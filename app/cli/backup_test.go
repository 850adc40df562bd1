package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clinaudit/app/config"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// breakDatabase records a migration no clinaudit knows, as a newer
// version's database would.
func breakDatabase(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	s, err := openStore(ctx, &config.Config{DatabaseURL: dbURL}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const q = "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)"
	switch s := s.(type) {
	case *litestore.Store:
		_, err = s.DB().Exec(q)
	case *pgstore.Store:
		_, err = s.Pool().Exec(ctx, q)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestVerifyCommand(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.DatabaseURL(t, e)
		if code, _, errOut := run(t, "seed-demo", "--demo-audits", "4", "--database-url", dbURL); code != 0 {
			t.Fatalf("seed-demo: %d %s", code, errOut)
		}
		code, out, errOut := run(t, "verify", "--database-url", dbURL, "--sample", "0")
		if code != 0 || !strings.Contains(out, "verify: ok") || !strings.Contains(out, "4 children's KPI results re-scored equal") {
			t.Fatalf("verify: %d\n%s\n%s", code, out, errOut)
		}
		for _, table := range []string{"children", "answers", "kpi_results", "goose_db_version"} {
			if !strings.Contains(out, table) {
				t.Errorf("verify prints no row count for %s:\n%s", table, out)
			}
		}
		if e == store.Postgres {
			code, _, errOut := run(t, "backup", filepath.Join(t.TempDir(), "x.db"), "--database-url", dbURL)
			if code != 1 || !strings.Contains(errOut, "pg_dump") || !strings.Contains(errOut, "clinaudit verify") {
				t.Errorf("backup on PostgreSQL: %d %s", code, errOut)
			}
		}
		breakDatabase(t, dbURL)
		code, _, errOut = run(t, "verify", "--database-url", dbURL)
		if code != 1 || !strings.Contains(errOut, "migration 99999 is applied but unknown") || !strings.Contains(errOut, "FAILED, 1 problems") {
			t.Errorf("verify of a broken database: %d %s", code, errOut)
		}
	})
}

// The round trip as an operator runs it: backup, restore into a new
// place, verify; restore refused over a database in use.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "live.db")
	if code, _, errOut := run(t, "seed-demo", "--demo-audits", "3", "--database-url", dbURL); code != 0 {
		t.Fatalf("seed-demo: %d %s", code, errOut)
	}
	copyPath := filepath.Join(dir, "copy.db")
	code, out, errOut := run(t, "backup", copyPath, "--database-url", dbURL)
	if code != 0 || !strings.Contains(out, "backed up") || !strings.Contains(out, "3 children's KPI results re-scored equal") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run(t, "backup", copyPath, "--database-url", dbURL); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}

	restoredURL := "sqlite:" + filepath.Join(dir, "restored.db")
	if code, out, errOut := run(t, "restore", copyPath, "--database-url", restoredURL); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := run(t, "verify", "--database-url", restoredURL); code != 0 || !strings.Contains(out, "verify: ok") {
		t.Fatalf("verify of the restored copy: %d %s %s", code, out, errOut)
	}

	held, err := litestore.Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := held.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "restore", copyPath, "--database-url", dbURL)
	held.Close()
	if code != 1 || !strings.Contains(errOut, "in use") || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("restore over a database in use: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "live.db.before-restore")); err == nil {
		t.Error("the refused restore made a .before-restore")
	}

	missing := filepath.Join(dir, "typo.db")
	for _, cmd := range []string{"backup", "verify"} {
		args := []string{cmd, "--database-url", "sqlite:" + missing}
		if cmd == "backup" {
			args = append(args, filepath.Join(dir, "x.db"))
		}
		if code, _, errOut := run(t, args...); code != 1 || !strings.Contains(errOut, "no database at "+missing) {
			t.Errorf("%s of a missing file: %d %s", cmd, code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%s created a database at a mistyped path", cmd)
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup"}, "usage: clinaudit backup"},
		{[]string{"restore", "a", "b"}, "usage: clinaudit restore"},
		{[]string{"verify", "--sample", "-1"}, "--sample is a number"},
		{[]string{"export", "--sample", "5"}, "--sample is for"},
		{[]string{"verify", "extra"}, "unexpected argument"},
	} {
		code, _, errOut := run(t, append(c.args, "--database-url", dbURL)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: %d %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
