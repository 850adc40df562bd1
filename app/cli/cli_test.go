package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// startServe runs `serve` until the test ends, returning its base URL.
func startServe(t *testing.T, dbURL string, extra ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var out, logs syncBuffer
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--log-format", "json",
		"--files-url", "file:" + t.TempDir()}, extra...) // not ./data/files beside the tests (PostgreSQL)
	go func() {
		done <- Run(ctx, args, Env{Stdout: &out, Stderr: &logs, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr }})
	}()
	select {
	case addr := <-ready:
		stop := func() int {
			cancel()
			select {
			case code := <-done:
				return code
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop within 20s of its context ending")
				return -1
			}
		}
		t.Cleanup(func() { cancel() })
		return "http://" + addr, &out, stop
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before listening: %s", code, logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start within 60s")
	}
	return "", nil, nil
}

// eachEngine runs test as the subtests "sqlite" and "postgres", at the
// same time: each half has its own database and shares nothing with the
// other (the commands keep no package state), and the PostgreSQL half
// mostly waits on the server while the SQLite half works the CPU.
func eachEngine(t *testing.T, test func(t *testing.T, e store.Engine)) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			test(t, e)
		})
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeFromEmptyDatabaseThenRestart(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.EmptyDatabaseURL(t, e)
		// Without the demo's children with audits (TestSeedDemoChildren has
		// them): importing them through the forms is slow under -race.
		base, out, stop := startServe(t, dbURL, "--demo", "--demo-audits", "0", "--workers", "1")
		if code, body := httpGet(t, base+"/readyz"); code != 200 || !strings.Contains(body, string(e)) {
			t.Errorf("readyz = %d %s", code, body)
		}
		if code, body := httpGet(t, base+"/"); code != 200 || !strings.Contains(body, `data-count="organisations">342<`) {
			t.Errorf("home = %d", code)
		}
		if !strings.Contains(out.String(), "is serving "+base) || !strings.Contains(out.String(), "demo data: 342 organisations") {
			t.Errorf("start-up output lacks the URL or demo summary: %q", out.String())
		}
		if code := stop(); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		// Start again on the now-existing database: no re-migration, no reload.
		base, _, stop = startServe(t, dbURL, "--workers", "0")
		if code, _ := httpGet(t, base+"/readyz"); code != 200 {
			t.Errorf("readyz after restart = %d", code)
		}
		if code := stop(); code != 0 {
			t.Fatalf("exit code after restart %d", code)
		}
	})
}

func TestMigrateCommands(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.EmptyDatabaseURL(t, e)
		if code, out, errOut := run(t, "migrate", "status", "--database-url", dbURL); code != 0 || !strings.Contains(out, "pending") {
			t.Fatalf("status on empty db: %d %q %q", code, out, errOut)
		}
		if code, _, errOut := run(t, "migrate", "up", "--database-url", dbURL); code != 0 {
			t.Fatalf("up: %d %s", code, errOut)
		}
		if code, out, _ := run(t, "--database-url", dbURL, "migrate", "status"); code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "applied") {
			t.Fatalf("status after up: %d %q", code, out)
		}
		if code, _, errOut := run(t, "migrate", "down", "--database-url", dbURL); code != 0 {
			t.Fatalf("down: %d %s", code, errOut)
		}
		if _, out, _ := run(t, "migrate", "status", "--database-url", dbURL); !strings.Contains(out, "pending") {
			t.Fatalf("status after down: %q", out)
		}
		if code, _, _ := run(t, "seed-demo", "--demo-audits", "0", "--database-url", dbURL); code != 0 {
			t.Fatalf("seed-demo: %d", code)
		}
	})
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"help flag", []string{"--help"}, 0, "migrate up|down|status", ""},
		{"help command", []string{"help"}, 0, "CLINAUDIT_ADDR", ""},
		{"version", []string{"version"}, 0, "clinaudit dev", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"stray argument", []string{"serve", "now"}, 2, "", `unexpected argument "now"`},
		{"migrate without action", []string{"migrate", "--database-url", "sqlite:" + t.TempDir() + "/x.db"}, 2, "", "usage: clinaudit migrate"},
		{"migrate bad action", []string{"migrate", "sideways", "--database-url", "sqlite:" + t.TempDir() + "/x.db"}, 2, "", `unknown action "sideways"`},
		{"bad database URL hides the password", []string{"serve", "--database-url", "mysql://admin:hunter2@db/x"}, 2, "", "must start with sqlite: or postgres://"},
		{"worker with no workers", []string{"worker", "--workers", "0", "--database-url", "sqlite:" + t.TempDir() + "/x.db"}, 1, "", "would do nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("code %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.out, errOut, tt.err)
			}
			if strings.Contains(out+errOut, "hunter2") {
				t.Error("output leaks the database password")
			}
		})
	}
}
