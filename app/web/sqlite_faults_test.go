package web

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/storetest"
)

// Another process holds SQLite's write lock (BEGIN IMMEDIATE) for longer
// than the busy timeout: a save answers 503 within a bounded time, pages
// that only read keep loading meanwhile (WAL, read connections of their
// own), and saves work again once the lock is released.
func TestSQLiteWriteLockBoundsSaves(t *testing.T) {
	s := storetest.Open(t, store.SQLite).(*litestore.Store)
	var logs lockedBuffer
	app, b := faultApp(t, s, &logs)
	child := registeredChild(t, s, "9434765919")
	b.get("/children")
	if r := b.htmxPost(savePath(child), saveForm("true")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
		t.Fatalf("save before the lock: %d %.300s", r.status, r.body)
	}

	other, err := sql.Open("sqlite", litestore.DSN(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	holder, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	// A save in flight, waiting for the lock, while a page loads.
	type result struct {
		status int
		body   string
		took   time.Duration
	}
	saved := make(chan result, 1)
	req := httptest.NewRequest(http.MethodPost, savePath(child), strings.NewReader(saveForm("false").Encode()+"&csrf="+b.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	for k, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	go func() {
		start := time.Now()
		resp, err := app.Test(req, -1)
		if err != nil {
			saved <- result{status: -1, body: err.Error()}
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		saved <- result{resp.StatusCode, string(body), time.Since(start)}
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	p := b.get("/children")
	if took := time.Since(start); p.status != 200 || took > 2*time.Second {
		t.Errorf("page while the lock is held: %d in %v", p.status, took)
	}
	r := <-saved
	if r.status != 503 || strings.Contains(r.body, ">Saved<") || r.took > writeDeadline+time.Second {
		t.Errorf("save while the lock is held: %d in %v: %.300s", r.status, r.took, r.body)
	}
	if !strings.Contains(logs.String(), `"level":"WARN"`) || strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("log: %s", logs.String())
	}

	if _, err := holder.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	b.get("/children")
	if r := b.htmxPost(savePath(child), saveForm("false")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
		t.Errorf("save after the lock is released: %d %.300s", r.status, r.body)
	}
}

// The disk holding the SQLite file fills up (a 16 MB tmpfs, so the test
// needs root; CI runs as root): a save answers 503 and never "Saved", pages
// still load, /readyz says 503; once space returns saves work again without
// a restart and the database passes PRAGMA integrity_check.
func TestSQLiteDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipped: mounting a small tmpfs to fill needs root (CI runs as root; sudo go test -run TestSQLiteDiskFull ./app/web/)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	s := storetest.OpenSQLiteIn(t, dir)
	s.MinFreeBytes = 2 << 20
	var logs lockedBuffer
	app, b := faultApp(t, s, &logs)
	child := registeredChild(t, s, "9434765919")
	b.get("/children")
	if r := b.htmxPost(savePath(child), saveForm("true")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
		t.Fatalf("save with room: %d %.300s", r.status, r.body)
	}
	if resp, _, body := get(t, app, "/readyz", false); resp.StatusCode != 200 {
		t.Fatalf("readyz with room: %d %s", resp.StatusCode, body)
	}

	// An empty WAL, so the next write needs new space, then no space.
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	filler := fill(t, dir)

	// (A retry may then fit in the WAL space the failed attempt allocated,
	// and rightly say Saved; the first attempt is the one that cannot.)
	r := b.htmxPost(savePath(child), saveForm("false"))
	if r.status != 503 || strings.Contains(r.body, ">Saved<") || r.header.Get("Retry-After") == "" {
		t.Errorf("save on a full disk: %d %.300s", r.status, r.body)
	}
	if p := b.get("/children"); p.status != 200 {
		t.Errorf("page on a full disk: %d", p.status)
	}
	if resp, _, body := get(t, app, "/readyz", false); resp.StatusCode != 503 {
		t.Errorf("readyz on a full disk: %d %s", resp.StatusCode, body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	b.get("/children")
	if r := b.htmxPost(savePath(child), saveForm("false")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
		t.Errorf("save once space returns: %d %.300s", r.status, r.body)
	}
	if resp, _, body := get(t, app, "/readyz", false); resp.StatusCode != 200 {
		t.Errorf("readyz once space returns: %d %s", resp.StatusCode, body)
	}
	var ok string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
}

// fill writes a file in dir until the file system has no space left.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := dir + "/filler"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, size := range []int{1 << 20, 4 << 10, 512} {
		buf := make([]byte, size)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
	return path
}
