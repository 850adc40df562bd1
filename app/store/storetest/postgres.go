package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/refdata"
	"clinaudit/app/store"
	"clinaudit/app/store/pgstore"
	"clinaudit/schema"

	"github.com/jackc/pgx/v5"
)

// DefaultPostgresURL is where tests look for PostgreSQL unless
// TEST_DATABASE_URL says otherwise.
const DefaultPostgresURL = "postgres://root@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the administrative database tests create databases from.
func PostgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// PostgresRequired reports whether an unreachable PostgreSQL must fail the
// tests rather than skip them.
func PostgresRequired() bool {
	return os.Getenv("REQUIRE_POSTGRES") == "1" || os.Getenv("CI") == "true"
}

var pgTemplate struct {
	once sync.Once
	name string
	err  error
}

func openPostgres(t testing.TB) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := pgstore.Open(ctx, NewPostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NewPostgresDatabase creates a fresh, migrated database with reference
// data (dropped when the test ends) and returns its URL, for tests that
// open it themselves (through a proxy, or in a server process).
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := connectAdmin(ctx, t)
	defer admin.Close(ctx)

	pgTemplate.once.Do(func() { pgTemplate.name, pgTemplate.err = ensureTemplate(ctx, admin) })
	if pgTemplate.err != nil {
		t.Fatalf("postgres template: %v", pgTemplate.err)
	}
	name := "clinaudit_test_" + randomHex(6)
	if err := createFromTemplate(ctx, admin, name, pgTemplate.name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	// A commit need not wait for the WAL to reach the disk: 17 ms a commit
	// on the CI machine's disk, 0.6 ms without. Nothing is lost unless the
	// server itself crashes, which no test using these databases does (the
	// fault tests' databases, from EmptyDatabaseURL, keep the default).
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatal(err)
	}
	return databaseURL(name)
}

// ensureTemplate builds, once per version of the schema and reference data,
// a migrated and loaded database that test databases are cloned from. An
// advisory lock serialises test processes building it at the same time.
func ensureTemplate(ctx context.Context, admin *pgx.Conn) (string, error) {
	name := "clinaudit_tmpl_" + templateVersion()
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
		return "", err
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock(727274)") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	s, err := pgstore.Open(ctx, databaseURL(building))
	if err != nil {
		return "", err
	}
	err = Prepare(ctx, s)
	s.Close()
	if err != nil {
		return "", err
	}
	// Renaming last means a half-built template is never used.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

func createFromTemplate(ctx context.Context, admin *pgx.Conn, name, tmpl string) error {
	var err error
	for range 20 {
		_, err = admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl)
		// Another process cloning the template at this instant is the only
		// expected failure; it passes in milliseconds.
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("create test database: %w", err)
}

// templateVersion hashes everything that shapes the template database.
func templateVersion() string { return schemaVersion("postgres") }

// sqliteTemplateVersion is templateVersion for SQLite's template file.
func sqliteTemplateVersion() string { return schemaVersion("sqlite") }

// schemaVersion hashes an engine's migrations, the reference data and the
// versions of the modules whose migrations run too (River's).
func schemaVersion(engine string) string {
	h := sha256.New()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if strings.HasPrefix(m.Path, "github.com/riverqueue/") {
				h.Write([]byte(m.Path + "@" + m.Version + "\n"))
			}
		}
	}
	_ = fs.WalkDir(schema.FS, engine, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(schema.FS, p)
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	h.Write([]byte(refdata.Checksum()))
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// databaseURL is TEST_DATABASE_URL pointed at another database.
func databaseURL(name string) string {
	u, err := url.Parse(PostgresURL())
	if err != nil {
		panic("storetest: TEST_DATABASE_URL must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("storetest: no randomness"))
	}
	return hex.EncodeToString(b)
}

// DatabaseURL returns the URL of a fresh, migrated database of the engine
// with the reference data loaded (as Open's), dropped or removed when the
// test ends: for a command or server that opens it itself.
func DatabaseURL(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.Postgres {
		return NewPostgresDatabase(t)
	}
	tmpl, err := ensureSQLiteTemplateOnce()
	if err != nil {
		t.Fatalf("sqlite template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(tmpl, path); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

// EmptyDatabaseURL returns the URL of a new, empty database for the test,
// dropped when it ends: for tests of start-up, which migrate it themselves.
// On SQLite it is a path in the test's temporary directory.
func EmptyDatabaseURL(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return "sqlite:" + t.TempDir() + "/empty.db"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := connectAdmin(ctx, t)
	defer admin.Close(ctx)
	name := "clinaudit_test_" + randomHex(6)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return databaseURL(name)
}

func dropDatabase(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if c, err := pgx.Connect(ctx, PostgresURL()); err == nil {
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		c.Close(ctx)
	}
}

// connectAdmin connects to TEST_DATABASE_URL, skipping the test when no
// server answers, or failing it when PostgreSQL is required.
func connectAdmin(ctx context.Context, t testing.TB) *pgx.Conn {
	t.Helper()
	admin, err := pgx.Connect(ctx, PostgresURL())
	if err != nil {
		if PostgresRequired() {
			t.Fatalf("PostgreSQL is required (REQUIRE_POSTGRES=1 or CI=true) but not reachable: %v", err)
		}
		t.Skipf("PostgreSQL not reachable at TEST_DATABASE_URL (%v): skipping the PostgreSQL half", err)
	}
	return admin
}
