package faults

// The shared harness of the fault tests: the binary, one server process,
// the throwaway databases. clinicians_test.go has the clients that save
// over HTTP and check_test.go what is checked in the database afterwards.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// requireFaults skips the test unless CLINAUDIT_FAULTS is set: each runs
// the real binary for tens of seconds (make test-faults).
func requireFaults(t *testing.T) {
	t.Helper()
	if os.Getenv("CLINAUDIT_FAULTS") == "" {
		t.Skip("fault tests run the real binary for minutes: CLINAUDIT_FAULTS=1 (make test-faults)")
	}
}

// engines runs fn as the subtests sqlite and postgres, each with an empty
// database of its own (the postgres half skips, or fails when PostgreSQL
// is required, as storetest.EmptyDatabaseURL does).
func engines(t *testing.T, fn func(t *testing.T, e store.Engine, dbURL string)) {
	binary(t)
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) { fn(t, e, storetest.EmptyDatabaseURL(t, e)) })
	}
}

var (
	binMu sync.Mutex
	bins  = map[string]string{}
)

// binary builds ./app/cmd/clinaudit (as `make build` does, without the
// version stamp) once per top-level test, into that test's temporary
// directory; the build cache makes the second test's build a link. Call it
// first from the top-level test (engines does), then from its subtests.
func binary(t *testing.T) string {
	t.Helper()
	top := strings.SplitN(t.Name(), "/", 2)[0]
	binMu.Lock()
	defer binMu.Unlock()
	if b, ok := bins[top]; ok {
		return b
	}
	if top != t.Name() {
		t.Fatal("binary: call it from the top-level test first")
	}
	b := filepath.Join(t.TempDir(), "clinaudit")
	// The test's own build settings, so the build cache is shared.
	if out, err := exec.Command("go", "build", "-o", b, "clinaudit/app/cmd/clinaudit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bins[top] = b
	t.Cleanup(func() {
		binMu.Lock()
		delete(bins, top)
		binMu.Unlock()
	})
	return b
}

// freeAddr is a loopback address nothing listens on now; the server keeps
// it across restarts, so the clients' URLs stay the same.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runCommand runs the binary once to completion (seed-demo, migrate).
func runCommand(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("clinaudit %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// server is one `clinaudit serve` process at a time on one database and
// address; start, kill and terminate replace it.
type server struct {
	t      *testing.T
	bin    string
	dbURL  string
	addr   string
	extra  []string
	logDir string
	runs   int

	cmd       *exec.Cmd
	startedAt time.Time
	exited    chan struct{}
	waitErr   error
	log       *os.File
}

func newServer(t *testing.T, dbURL string, extra ...string) *server {
	s := &server{t: t, bin: binary(t), dbURL: dbURL, addr: freeAddr(t), extra: extra, logDir: t.TempDir()}
	t.Cleanup(func() {
		if s.running() {
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() && s.log != nil {
			t.Logf("last server log %s:\n%s", s.log.Name(), tail(s.log.Name(), 30))
		}
	})
	return s
}

func (s *server) base() string { return "http://" + s.addr }

func (s *server) running() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// start runs `serve --demo --demo-audits 20` and waits for /readyz to
// answer 200; it returns the time from exec to ready.
func (s *server) start() time.Duration {
	s.t.Helper()
	s.runs++
	logf, err := os.Create(filepath.Join(s.logDir, fmt.Sprintf("serve-%d.log", s.runs)))
	if err != nil {
		s.t.Fatal(err)
	}
	args := append([]string{"serve", "--demo", "--demo-audits", "20", "--addr", s.addr, "--base-url", s.base(),
		"--database-url", s.dbURL, "--log-format", "json", "--workers", "4"}, s.extra...)
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	started := time.Now()
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd, s.log, s.exited, s.startedAt = cmd, logf, make(chan struct{}), started
	go func() { s.waitErr = cmd.Wait(); logf.Close(); close(s.exited) }()

	client := &http.Client{Timeout: time.Second}
	for {
		if resp, err := client.Get(s.base() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(started)
			}
		}
		select {
		case <-s.exited:
			s.t.Fatalf("serve exited before it was ready: %v\n%s", s.waitErr, tail(logf.Name(), 30))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Since(started) > 2*time.Minute {
			s.t.Fatalf("serve not ready after 2 minutes\n%s", tail(logf.Name(), 30))
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.exited
}

// terminate sends SIGTERM and waits up to limit for the process to exit;
// it returns how long that took and the process's error (nil: exit 0).
func (s *server) terminate(limit time.Duration) (time.Duration, error) {
	s.t.Helper()
	sent := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.exited:
		return time.Since(sent), s.waitErr
	case <-time.After(limit):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return time.Since(sent), errors.New("still running at the limit: killed")
	}
}

// tail is the last n lines of a log file, for failure messages.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// ctxTimeout is a context for one check's database reads.
func ctxTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}
