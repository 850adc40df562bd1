// Package storetest runs the same tests against every store engine. Each test
// gets a fresh, migrated database with reference data loaded: a copy of a
// template file on SQLite, a database cloned from a template on PostgreSQL.
package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"clinaudit/app/refdata"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
)

// Each runs fn once per engine, as subtests named "sqlite" and "postgres",
// one after the other. The PostgreSQL subtest is skipped when no server
// answers, unless REQUIRE_POSTGRES=1 or CI=true, when it fails instead.
func Each(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Helper()
	each(t, false, fn)
}

// EachParallel is Each with the two subtests run in parallel, for tests
// that share no state between the engines' runs (package variables, a
// random source, a clock): each has its own database, and the PostgreSQL
// half mostly waits on the server. The subtests run after the calling
// test's function has returned, so nothing may follow EachParallel in it.
// Not the default: on two cores it saves little, and a shared variable
// becomes a data race.
func EachParallel(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Helper()
	each(t, true, fn)
}

func each(t *testing.T, parallel bool, fn func(t *testing.T, s store.Store)) {
	t.Helper()
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			if parallel {
				t.Parallel()
			}
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh store of the engine, closed when the test ends.
func Open(t testing.TB, e store.Engine) store.Store {
	t.Helper()
	var s store.Store
	if e == store.Postgres {
		s = openPostgres(t)
	} else {
		s = openSQLite(t)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.StopJobs(ctx)
		_ = s.Close()
	})
	return s
}

// Prepare migrates s and loads the reference data: what start-up does.
func Prepare(ctx context.Context, s store.Store) error {
	if err := s.MigrateUp(ctx); err != nil {
		return err
	}
	_, err := refdata.Load(ctx, s, time.Now())
	return err
}

var sqliteTemplate struct {
	once sync.Once
	path string
	err  error
}

func openSQLite(t testing.TB) *litestore.Store {
	if _, err := ensureSQLiteTemplateOnce(); err != nil {
		t.Fatalf("sqlite template: %v", err)
	}
	return openSQLiteIn(t, t.TempDir())
}

func ensureSQLiteTemplateOnce() (string, error) {
	sqliteTemplate.once.Do(func() { sqliteTemplate.path, sqliteTemplate.err = ensureSQLiteTemplate() })
	return sqliteTemplate.path, sqliteTemplate.err
}

// ensureSQLiteTemplate returns the template file, built once per version
// of the schema and reference data and kept in the temporary directory for
// every test process, as PostgreSQL's template is kept on the server:
// building it (migrations, reference data) took seconds of CPU under -race
// in each of the dozen packages that open a store.
func ensureSQLiteTemplate() (string, error) {
	path := filepath.Join(os.TempDir(), "clinaudit-sqlite-tmpl-"+sqliteTemplateVersion()+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	dir, err := os.MkdirTemp("", "clinaudit-tmpl-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	built := filepath.Join(dir, "template.db")
	s, err := litestore.Open(built)
	if err != nil {
		return "", err
	}
	err = Prepare(context.Background(), s)
	// Closing checkpoints the WAL, so the main file alone is complete.
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	// Renaming last means a half-built template is never used; processes
	// building it at once each rename a complete copy of the same thing.
	part := path + "." + randomHex(6)
	if err := copyFile(built, part); err != nil {
		return "", err
	}
	return path, os.Rename(part, path)
}

// OpenSQLiteIn is a fresh SQLite store like Open's, with its file in dir
// (a small file system, for disk-full tests), closed when the test ends.
func OpenSQLiteIn(t testing.TB, dir string) *litestore.Store {
	t.Helper()
	openSQLite(t).Close() // builds the template
	s := openSQLiteIn(t, dir)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openSQLiteIn(t testing.TB, dir string) *litestore.Store {
	t.Helper()
	path := filepath.Join(dir, "test.db")
	if err := copyFile(sqliteTemplate.path, path); err != nil {
		t.Fatal(err)
	}
	s, err := litestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return out.Close()
}
