package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"

	"github.com/jackc/pgx/v5/stdlib"
)

// eachEngine runs test as subtests "sqlite" and "postgres", each starting
// its own server on that engine. The PostgreSQL half runs on a throwaway
// database, and skips, saying so, when no server answers, unless
// REQUIRE_POSTGRES=1 or CI=true, when it fails instead (as storetest.Each).
//
// The two halves run at the same time: much of a browser test is waiting
// (for serve to seed the demo, an authenticator's next code, an autosave's
// retry), and the halves share nothing but the machine. The tests
// themselves run one after another, so at most two servers and two
// browsers run at once.
func eachEngine(t *testing.T, test func(t *testing.T, e store.Engine)) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			test(t, e)
		})
	}
}

// server is the app running in-process, as `clinaudit serve --demo` would run
// it, on a fresh database of either engine.
type server struct {
	t      *testing.T
	engine store.Engine
	base   string // http://127.0.0.1:PORT, also the base URL of email links
	dbURL  string
	stdout *syncBuffer
	logs   *syncBuffer // JSON log lines
}

// cliEnv is the environment commands run with: no environment variables, so
// nothing on the machine (DATABASE_URL, CLINAUDIT_*) changes the test.
func cliEnv(stdout, stderr *syncBuffer, ready func(string)) cli.Env {
	return cli.Env{Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" }, Ready: ready}
}

// startServer runs `serve --demo` until the test ends. The port is chosen
// first so that --base-url, and so the links in emails, name the real
// address; if another process takes the port in between, it tries again.
//
// The demo's children with filled audits are left out (--demo-audits 0):
// importing them through the forms takes a second or two, and most of a
// minute under -race, and only the dashboard test needs them. extra
// arguments follow, so a test may ask for some (--demo-audits N).
func startServer(t *testing.T, e store.Engine, extra ...string) *server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		port := freePort(t)
		s := &server{
			t:      t,
			engine: e,
			base:   fmt.Sprintf("http://127.0.0.1:%d", port),
			stdout: &syncBuffer{},
			logs:   &syncBuffer{},
		}
		// Either engine's database is a copy of storetest's template,
		// migrated and with the reference data loaded, so serve only seeds
		// the demo: on a new SQLite file serve took 40 s to be ready under
		// -race on a busy machine, against 9 s on the PostgreSQL copy.
		s.dbURL = storetest.DatabaseURL(t, e)
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan int, 1)
		args := append([]string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--database-url", s.dbURL,
			"--demo", "--demo-audits", "0", "--workers", "1", "--log-format", "json", "--base-url", s.base,
			// Aggregation runs only when a test asks: under the race detector
			// a run holds SQLite's one connection for seconds, and no test
			// here but the dashboard's needs one (its demo data is aggregated
			// when seeded).
			"--aggregate-every", "0",
			// Uploaded files in the test's own directory, not the working one.
			"--files-url", "file:" + t.TempDir()}, extra...)
		started := time.Now()
		go func() {
			done <- cli.Run(ctx, args, cliEnv(s.stdout, s.logs, func(addr string) { ready <- addr }))
		}()
		select {
		case addr := <-ready:
			t.Logf("serve on %s ready in %s", e, time.Since(started).Round(time.Millisecond))
			if "http://"+addr != s.base {
				cancel()
				t.Fatalf("serve listens on %s, not %s", addr, s.base)
			}
			t.Cleanup(func() {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("serve exited with %d", code)
					}
				case <-time.After(20 * time.Second):
					t.Errorf("serve did not stop within 20s of its context ending")
				}
				if t.Failed() {
					t.Logf("server log:\n%s", s.logs.String())
				}
			})
			return s
		case code := <-done:
			cancel()
			if attempt < 3 && strings.Contains(s.logs.String(), "address already in use") {
				continue
			}
			t.Fatalf("serve exited with %d before listening:\n%s", code, s.logs.String())
		case <-time.After(3 * time.Minute): // -race on a busy 2-core machine
			cancel()
			t.Fatalf("serve did not start within 3 minutes:\n%s", s.logs.String())
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// run runs a clinaudit command against the server's database and base URL,
// failing the test unless it exits 0. It returns its standard output.
func (s *server) run(args ...string) string {
	s.t.Helper()
	var out, errOut syncBuffer
	args = append(args, "--database-url", s.dbURL, "--base-url", s.base)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code := cli.Run(ctx, args, cliEnv(&out, &errOut, nil)); code != 0 {
		s.t.Fatalf("clinaudit %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}

// checkLogs fails the test for any error the server logged (a 5xx, a
// panic, a failed job).
func (s *server) checkLogs() {
	s.t.Helper()
	for _, line := range strings.Split(s.logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) && !riverRetrying(line) {
			s.t.Errorf("server logged an error: %s", line)
		}
	}
}

// riverRetrying is River's own bookkeeping timing out and trying again
// (leader election, the job completer), which it logs as errors: on a
// loaded machine under the race detector SQLite's one connection can be
// busy for longer than those loops wait. Nothing the app does is lost,
// and a job that fails is still an error.
func riverRetrying(line string) bool {
	return strings.Contains(line, `"component":"jobs"`) &&
		(strings.Contains(line, `"msg":"leadership.Elector: `) ||
			strings.Contains(line, `"msg":"jobcompleter.BatchCompleter: Completer error (will retry`))
}

// serverDB is the server's database opened beside it, for what a test must
// read or arrange directly: the store, and SQL written with ? placeholders
// (SQLite's), rewritten to $n on PostgreSQL.
type serverDB struct {
	store.Store
	db sqlDB
}

// openDB opens the server's database; close it when done.
func (s *server) openDB() *serverDB {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.engine == store.Postgres {
		st, err := pgstore.Open(ctx, s.dbURL)
		if err != nil {
			s.t.Fatal(err)
		}
		return &serverDB{Store: st, db: sqlDB{db: stdlib.OpenDBFromPool(st.Pool()), dollar: true}}
	}
	st, err := litestore.Open(strings.TrimPrefix(s.dbURL, "sqlite:"))
	if err != nil {
		s.t.Fatal(err)
	}
	return &serverDB{Store: st, db: sqlDB{db: st.DB()}}
}

// DB is for SQL of the test's own.
func (d *serverDB) DB() sqlDB { return d.db }

// sqlDB is a *sql.DB whose queries use ? for their arguments on either
// engine.
type sqlDB struct {
	db     *sql.DB
	dollar bool // PostgreSQL: ? becomes $1, $2…
}

func (d sqlDB) bind(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (d sqlDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.db.QueryRowContext(ctx, d.bind(query), args...)
}

func (d sqlDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(ctx, d.bind(query), args...)
}

func (d sqlDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.db.ExecContext(ctx, d.bind(query), args...)
}

// dateValue is a DATE column as either engine returns it: text on SQLite
// (date(…)), a time on PostgreSQL.
func dateValue(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), nil
	case string:
		return time.Parse(time.DateOnly, v)
	case []byte:
		return time.Parse(time.DateOnly, string(v))
	}
	return time.Time{}, fmt.Errorf("a date as %T", v)
}
