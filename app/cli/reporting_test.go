package cli

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clinaudit/app/reporting"
	"clinaudit/app/reporting/reportingtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx"
)

const testReportingKey = "a-test-key-of-the-reporting-pseudonyms-0123456789"

// openURL opens a clinaudit database URL with database/sql.
func openURL(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if rest, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", rest
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The demo's children (some with audits, so KPI results) and its registry,
// copied masked: no personal value of the source in any cell, the
// pseudonyms the key's, and on PostgreSQL the same check through the
// reporting role, which reads nothing outside the reporting schema.
func TestReportingMasksPersonalData(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		ctx := context.Background()
		dbURL := storetest.EmptyDatabaseURL(t, e)
		if code, _, errOut := run(t, "seed-demo", "--demo-audits", "5", "--database-url", dbURL, "--reporting-key", testReportingKey); code != 0 {
			t.Fatalf("seed-demo: %d %s", code, errOut)
		}
		src := openURL(t, dbURL)
		personal, err := reportingtest.Personal(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(personal) < 500 {
			t.Fatalf("only %d personal values in the demo: the check would prove little", len(personal))
		}

		// The deprivation lookup, for the children's first few postcodes:
		// a file with a bad line loads nothing, a good one loads all.
		postcodes := column(t, src, "SELECT DISTINCT postcode FROM children WHERE postcode IS NOT NULL AND postcode NOT LIKE 'ZZ99%' ORDER BY postcode")
		if len(postcodes) < 3 {
			t.Fatalf("demo postcodes %v", postcodes)
		}
		csvFile := filepath.Join(t.TempDir(), "imd.csv")
		write := func(body string) {
			if err := os.WriteFile(csvFile, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write("postcode,imd_decile\n" + postcodes[0] + ",1\n" + postcodes[1] + ",12\n")
		if code, _, errOut := run(t, "deprivation", "load", csvFile, "--database-url", dbURL); code != 1 || !strings.Contains(errOut, "line 3") {
			t.Errorf("a bad deprivation file = %d %q; want 1 naming line 3", code, errOut)
		}
		write("postcode,lsoa_code,imd_decile\n" + postcodes[0] + ",E01000001,1\n" + postcodes[1] + ",E01000002,10\n" + postcodes[2] + ",,5\n")
		if code, stdout, errOut := run(t, "deprivation", "load", csvFile, "--database-url", dbURL); code != 0 || !strings.Contains(stdout, "3 postcodes") {
			t.Fatalf("deprivation load = %d %q %s", code, stdout, errOut)
		}

		out := filepath.Join(t.TempDir(), "reporting.db")
		if code, _, errOut := run(t, "reporting-copy", out, "--database-url", dbURL); code != 1 || !strings.Contains(errOut, "--reporting-key") {
			t.Errorf("reporting-copy without a key = %d %q; want 1 asking for the key", code, errOut)
		}
		code, stdout, errOut := run(t, "reporting-copy", out, "--database-url", dbURL, "--reporting-key", testReportingKey)
		if code != 0 || !strings.Contains(stdout, "registry_patients") {
			t.Fatalf("reporting-copy: %d %q %s", code, stdout, errOut)
		}
		if code, _, errOut := run(t, "reporting-copy", out, "--database-url", dbURL, "--reporting-key", testReportingKey); code != 1 || !strings.Contains(errOut, "exists") {
			t.Errorf("reporting-copy over a file = %d %q; want 1, refused", code, errOut)
		}
		copied := openURL(t, "sqlite:"+out)
		quintiles := column(t, copied, "SELECT DISTINCT imd_quintile FROM children WHERE imd_quintile IS NOT NULL ORDER BY 1")
		if strings.Join(quintiles, ",") != "1,3,5" {
			t.Errorf("the copy's quintiles %v; want 1, 3 and 5 from the loaded deciles", quintiles)
		}
		checkMasked(t, copied, src, column(t, copied, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), personal)

		if e != store.Postgres {
			return
		}
		pwFile := filepath.Join(t.TempDir(), "pw")
		if err := os.WriteFile(pwFile, []byte("reporting-pass-'quoted'-1234\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, stdout, errOut := run(t, "reporting-role", "--password-file", pwFile, "--database-url", dbURL, "--reporting-key", testReportingKey); code != 0 || !strings.Contains(stdout, reporting.Role) {
			t.Fatalf("reporting-role: %d %q %s", code, stdout, errOut)
		}
		// A command run without the key (a maintenance shell) keeps it.
		if code, _, errOut := run(t, "deprivation", "load", csvFile, "--database-url", dbURL); code != 0 {
			t.Fatalf("deprivation load without the key: %d %s", code, errOut)
		}
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(reporting.Role, "reporting-pass-'quoted'-1234")
		role := openURL(t, u.String())
		views := column(t, src, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema = 'reporting' ORDER BY 1")
		if len(views) != len(reporting.Views) {
			t.Errorf("reporting schema = %v; want the %d views", views, len(reporting.Views))
		}
		checkMasked(t, role, src, views, personal)

		// Every other relation of every schema but the system's: refused.
		others := column(t, src, `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('reporting', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`)
		if len(others) < 40 {
			t.Fatalf("only %d tables outside the reporting schema: %v", len(others), others)
		}
		for _, tbl := range others {
			_, err := role.ExecContext(ctx, "SELECT 1 FROM "+tbl+" LIMIT 1")
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Errorf("the reporting role reading %s: %v; want permission denied", tbl, err)
			}
		}
		if _, err := role.ExecContext(ctx, "CREATE TABLE reporting.mine (x int)"); err == nil {
			t.Error("the reporting role created a table")
		}
	})
}

// checkMasked reads every column of tables in db and fails on any
// personal value; the children's and patients' pseudonyms must be the
// key's HMAC of their ids in src.
func checkMasked(t *testing.T, db, src *sql.DB, tables []string, personal map[string]string) {
	t.Helper()
	ctx := context.Background()
	leaks, cells, err := reportingtest.Leaks(ctx, db, tables, personal)
	if err != nil {
		t.Fatal(err)
	}
	if cells < 1000 {
		t.Errorf("read only %d cells of %v", cells, tables)
	}
	for _, l := range leaks {
		t.Error("leak: " + l)
	}
	prefix := ""
	if strings.HasPrefix(tables[0], "reporting.") {
		prefix = "reporting."
	}
	for kind, table := range map[string]string{"child": "children", "patient": "registry_patients"} {
		var ids []int64
		rows, err := src.QueryContext(ctx, "SELECT id FROM "+table+" WHERE deleted_at IS NULL")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		want := map[string]bool{}
		for _, id := range ids {
			want[reporting.Pseudonym([]byte(testReportingKey), kind, id)] = true
		}
		got := column(t, db, "SELECT "+kind+" FROM "+prefix+table)
		if len(got) != len(ids) || len(ids) == 0 {
			t.Errorf("%s: %d pseudonyms for %d rows", table, len(got), len(ids))
		}
		for _, p := range got {
			if !want[p] {
				t.Errorf("%s: pseudonym %q is no row's HMAC", table, p)
				break
			}
		}
	}
}

// column is the first column of query's rows, as text.
func column(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	return out
}
