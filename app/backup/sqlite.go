package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"clinaudit/app/store/litestore"
)

// Backup writes a consistent copy of the running SQLite database s to out,
// which must not exist. VACUUM INTO reads one snapshot while the app goes
// on writing (WAL lets a reader and a writer run together), into a file
// beside out that is checked (Verify, on sample children), synced and only
// then renamed to out: out exists only when it is whole and good.
func Backup(ctx context.Context, s *litestore.Store, out string, sample int, now func() time.Time) (Report, error) {
	if _, err := os.Lstat(out); err == nil {
		return Report{}, fmt.Errorf("%s exists already: give the copy a new name (a date, say)", out)
	}
	part := out + ".partial"
	_ = os.Remove(part) // left by an interrupted run
	if err := s.VacuumInto(ctx, part); err != nil {
		return Report{}, fmt.Errorf("copying the database to %s: %w", part, err)
	}
	r, err := checkFile(ctx, part, false, sample, now)
	if err == nil && !r.OK() {
		err = fmt.Errorf("the copy failed its checks: %s", strings.Join(r.Problems, "; "))
	}
	if err == nil {
		err = syncFile(part)
	}
	if err == nil {
		err = os.Rename(part, out)
	}
	if err != nil {
		_ = os.Remove(part)
		return r, err
	}
	return r, syncDir(filepath.Dir(out))
}

// checkFile runs Verify on the SQLite file at path, after applying the
// migrations it lacks when migrate is set (a copy from before an upgrade,
// as start-up would; only once the file has shown it is clinaudit's).
// Closing the store checkpoints and removes its -wal and -shm files: the
// file stays whole.
func checkFile(ctx context.Context, path string, migrate bool, sample int, now func() time.Time) (Report, error) {
	s, err := litestore.Open(path)
	if err != nil {
		return Report{}, err
	}
	if migrate {
		if _, err = s.AppliedMigrations(ctx); err == nil {
			err = s.MigrateUp(ctx)
		}
		if err != nil {
			s.Close()
			return Report{}, err
		}
	}
	r, err := Verify(ctx, s, sample, now)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return r, err
}

// ErrInUse is a restore refused because a process has the database open.
var ErrInUse = errors.New("the database is in use: stop clinaudit serve and every worker first")

// Restore replaces the SQLite database at target with the copy in, after
// checking the copy (Verify, every child re-scored when sample is 0) and
// applying the migrations a copy from an older version lacks. The copy is
// written beside target and synced, then renamed over it: target
// is at every moment the old database or the new one. The old one stays,
// whole, as target.before-restore. Restore refuses while any process holds
// target open, and holds target's exclusive lock while it swaps the files.
func Restore(ctx context.Context, in, target string, sample int, now func() time.Time) (Report, error) {
	before := target + ".before-restore"
	if _, err := os.Lstat(before); err == nil {
		return Report{}, fmt.Errorf("%s exists (an earlier restore's): move it somewhere safe first", before)
	}
	// The last saves of a database in use, or not closed cleanly, are in
	// its -wal file, which a copy of the main file alone would lose.
	if fi, err := os.Stat(in + "-wal"); err == nil && fi.Size() > 0 {
		return Report{}, fmt.Errorf("%s has a -wal file beside it: it is in use or was not closed cleanly; take a copy with clinaudit backup", in)
	}
	part := target + ".restore-partial"
	if err := copyFile(in, part); err != nil {
		_ = os.Remove(part)
		return Report{}, err
	}
	defer os.Remove(part) // gone once renamed; removed on any failure
	r, err := checkFile(ctx, part, true, sample, now)
	if err != nil {
		return r, fmt.Errorf("%s cannot be read as a clinaudit database: %w", in, err)
	}
	if !r.OK() {
		return r, fmt.Errorf("%s failed its checks, nothing was changed: %s", in, strings.Join(r.Problems, "; "))
	}
	if err := syncFile(part); err != nil {
		return r, err
	}
	if _, err := os.Stat(target); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(part, target); err != nil {
			return r, err
		}
		return r, syncDir(filepath.Dir(target))
	}
	release, err := lockExclusive(ctx, target)
	if err != nil {
		return r, err
	}
	defer release()
	// A hard link keeps the old file under its new name while the rename
	// swaps the new one in, so there is no moment without a database.
	if err := os.Link(target, before); err != nil {
		return r, fmt.Errorf("keeping the old database as %s: %w", before, err)
	}
	if err := os.Rename(part, target); err != nil {
		_ = os.Remove(before)
		return r, err
	}
	return r, syncDir(filepath.Dir(target))
}

// lockExclusive takes target's exclusive lock, failing at once (no busy
// wait) with ErrInUse when another connection has it open. Leaving WAL mode
// needs every other connection closed (SQLite keeps a shared lock for each
// while the WAL is open), and checkpoints the WAL into the file, so the
// file kept as .before-restore is whole without its -wal.
func lockExclusive(ctx context.Context, target string) (release func(), err error) {
	db, err := sql.Open("sqlite", "file:"+target+"?_pragma=busy_timeout(0)")
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	fail := func(err error) (func(), error) {
		conn.Close()
		db.Close()
		return nil, err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err != nil {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			return fail(ErrInUse)
		}
		return fail(fmt.Errorf("opening %s: %w", target, err))
	}
	if mode != "delete" {
		return fail(ErrInUse)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		return fail(ErrInUse)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
