package backup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/backup"
	"clinaudit/app/internal/testwait"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/storetest"
)

// pathOf is the file of a SQLite store.
func pathOf(t *testing.T, s *litestore.Store) string {
	t.Helper()
	var seq int
	var name, file string
	if err := s.DB().QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

func openLite(t *testing.T, path string) *litestore.Store {
	t.Helper()
	s, err := litestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func rowCounts(t *testing.T, s store.Store) map[string]int64 {
	t.Helper()
	tc, err := s.(store.Inspector).TableRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int64{}
	for _, c := range tc {
		m[c.Table] = c.Rows
	}
	return m
}

// answersOf is every answer of the children, one text each, by child.
func answersOf(t *testing.T, s store.Store, first, last int64) map[int64]string {
	t.Helper()
	rows, err := s.ListAnswersOfChildren(context.Background(), store.ListAnswersOfChildrenParams{FirstID: first, LastID: last})
	if err != nil {
		t.Fatal(err)
	}
	m := map[int64]string{}
	for _, r := range rows {
		m[r.ChildID] = r.AnswerList
	}
	return m
}

// The backup is taken by a connection of its own (the command is another
// process) while two clients go on saving; every save acknowledged before
// it began is in the copy, the copy restores into a fresh path and passes
// verify, and its rows are the original's as far as the copy goes.
func TestBackupWhileSaving(t *testing.T) {
	ctx := context.Background()
	app := storetest.Open(t, store.SQLite).(*litestore.Store)
	seeded := newFiller(t, app, 11).seed(t, 8)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")

	var mu sync.Mutex
	var acked []int64 // children committed, in the order acknowledged
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := range 2 {
		f := newFiller(t, app, uint64(100+i))
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				id, err := f.add(ctx)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		})
	}
	waitFor := func(n int) {
		testwait.Eventually(t, 30*time.Second, fmt.Sprintf("%d saves", n), func() (string, bool) {
			mu.Lock()
			got := len(acked)
			mu.Unlock()
			return fmt.Sprintf("%d saves", got), got >= n
		})
	}
	waitFor(10)

	mu.Lock()
	before := append([]int64(nil), acked...)
	mu.Unlock()
	r, err := backup.Backup(ctx, openLite(t, pathOf(t, app)), out, 0, time.Now)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	waitFor(len(before) + during + 5) // saves go on after it too
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a save failed during the backup: %v", err)
	}
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !r.OK() {
		t.Fatalf("the copy fails its checks: %q", r.Problems)
	}
	t.Logf("%d saves acknowledged before the backup, %d while it ran, %d after", len(before), during, len(acked)-len(before)-during)

	if _, err := backup.Backup(ctx, app, out, 0, time.Now); err == nil {
		t.Error("a second backup overwrote the first")
	}

	restored := filepath.Join(dir, "fresh", "clinaudit.db")
	if err := os.Mkdir(filepath.Dir(restored), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, out, restored, 0, time.Now); err != nil {
		t.Fatalf("restore: %v", err)
	}
	got := openLite(t, restored)
	v, err := backup.Verify(ctx, got, 0, time.Now)
	if err != nil || !v.OK() {
		t.Fatalf("the restored database fails verify: %v %q", err, v.Problems)
	}
	if v.Rescored < len(seeded) {
		t.Errorf("re-scored %d children, want at least the %d scored", v.Rescored, len(seeded))
	}

	// Every acknowledged save before the backup is there, answer for
	// answer as the original has it.
	all := append(append([]int64(nil), seeded...), before...)
	first, last := all[0], all[len(all)-1]
	wantAnswers, gotAnswers := answersOf(t, app, first, last), answersOf(t, got, first, last)
	for _, id := range all {
		a, err := app.GetChild(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := got.GetChild(ctx, id)
		if err != nil {
			t.Errorf("child %d, acknowledged before the backup, is not in the copy: %v", id, err)
			continue
		}
		if a.AuditID != b.AuditID || a.Version != b.Version || wantAnswers[id] != gotAnswers[id] {
			t.Errorf("child %d differs in the copy: audit id %s/%s, version %d/%d, answers equal %v",
				id, a.AuditID, b.AuditID, a.Version, b.Version, wantAnswers[id] == gotAnswers[id])
		}
		if wantAnswers[id] == "" {
			t.Errorf("child %d has no answers", id)
		}
	}

	// The copy holds at least what was acknowledged before it began and no
	// more than the original holds now, table by table.
	now, then := rowCounts(t, app), rowCounts(t, got)
	if len(now) != len(then) {
		t.Errorf("tables: original %d, copy %d", len(now), len(then))
	}
	for table, n := range then {
		if n > now[table] {
			t.Errorf("%s: %d rows in the copy, %d in the original", table, n, now[table])
		}
	}
	if min := int64(len(all)); then["children"] < min {
		t.Errorf("children: %d in the copy, want at least %d", then["children"], min)
	}
}

// A restore refuses while the database is open elsewhere, then swaps the
// files and keeps the old one whole beside.
func TestRestoreInPlace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "clinaudit.db")
	old := openLite(t, target)
	if err := storetest.Prepare(ctx, old); err != nil {
		t.Fatal(err)
	}
	newFiller(t, old, 21).seed(t, 2)
	out := filepath.Join(dir, "copy.db")
	if _, err := backup.Backup(ctx, old, out, 0, time.Now); err != nil {
		t.Fatal(err)
	}
	newFiller(t, old, 22).seed(t, 3) // after the copy: 5 children

	if _, err := backup.Restore(ctx, out, target, 0, time.Now); !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("restore over an open database: %v, want ErrInUse", err)
	}
	if n := rowCounts(t, old)["children"]; n != 5 {
		t.Fatalf("the refused restore changed the database: %d children", n)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, out, target, 0, time.Now); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if n := rowCounts(t, openLite(t, target))["children"]; n != 2 {
		t.Errorf("restored database has %d children, want the copy's 2", n)
	}
	kept := openLite(t, target+".before-restore")
	if n := rowCounts(t, kept)["children"]; n != 5 {
		t.Errorf(".before-restore has %d children, want the old 5", n)
	}
	if r, err := backup.Verify(ctx, kept, 0, time.Now); err != nil || !r.OK() {
		t.Errorf(".before-restore fails verify: %v %q", err, r.Problems)
	}
	if _, err := backup.Restore(ctx, out, target, 0, time.Now); err == nil {
		t.Error("a second restore overwrote .before-restore")
	}
	// The live database itself, open, is not a copy to restore from.
	live := openLite(t, target)
	if err := live.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	newFiller(t, live, 23).seed(t, 1)
	if _, err := backup.Restore(ctx, target, filepath.Join(dir, "other.db"), 0, time.Now); err == nil || !strings.Contains(err.Error(), "-wal file") {
		t.Errorf("restore from a database in use: %v, want refused for its -wal file", err)
	}
	live.Close()
	for _, f := range []string{target + ".restore-partial", out + ".partial"} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", f, err)
		}
	}
}

// A copy taken before an upgrade (a migration fewer) is migrated as it is
// restored; one from a newer version (a migration unknown) is refused.
func TestRestoreOlderAndNewerCopies(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := storetest.Open(t, store.SQLite).(*litestore.Store)
	newFiller(t, app, 41).seed(t, 2)
	older, newer := filepath.Join(dir, "older.db"), filepath.Join(dir, "newer.db")
	for _, p := range []string{older, newer} {
		if _, err := backup.Backup(ctx, app, p, 0, time.Now); err != nil {
			t.Fatal(err)
		}
	}
	s := openLite(t, older)
	if err := s.MigrateDown(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openLite(t, newer)
	if _, err := s.DB().Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	target := filepath.Join(dir, "from-older.db")
	r, err := backup.Restore(ctx, older, target, 0, time.Now)
	if err != nil || !r.OK() || r.Rescored != 2 {
		t.Fatalf("restore of an older copy: %v %q, re-scored %d", err, r.Problems, r.Rescored)
	}
	st, err := openLite(t, target).MigrationStatus(ctx)
	if err != nil || store.Pending(st) {
		t.Errorf("the restored older copy has migrations pending: %v", err)
	}
	target = filepath.Join(dir, "from-newer.db")
	if _, err := backup.Restore(ctx, newer, target, 0, time.Now); err == nil || !strings.Contains(err.Error(), "migration 99999") {
		t.Errorf("restore of a newer copy: %v, want refused for migration 99999", err)
	}
}

// A damaged copy fails verify and is not restored.
func TestRestoreRefusesDamagedCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := storetest.Open(t, store.SQLite).(*litestore.Store)
	newFiller(t, app, 31).seed(t, 20)
	out := filepath.Join(dir, "copy.db")
	if _, err := backup.Backup(ctx, app, out, 0, time.Now); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	flipped := append([]byte(nil), good...)
	// The first byte of a page says what kind of b-tree page it is; flip
	// it on every fourth page after the schema's.
	for p := 1; p*page < len(flipped); p += 4 {
		flipped[p*page] ^= 0xff
	}
	// One page in the middle, of a table the schema's reading never
	// touches: the file opens, and only the integrity check finds it.
	onePage := append([]byte(nil), good...)
	onePage[len(onePage)/page/2*page] ^= 0xff
	for name, data := range map[string][]byte{
		"truncated": good[:len(good)/2],
		"flipped":   flipped,
		"one page":  onePage,
		"not sqlite": []byte("SQLite format 3\x00 but not really, just text that begins like it " +
			"and is long enough to be a header of a kind"),
	} {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(dir, name+".db")
			if err := os.WriteFile(bad, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if s, err := litestore.Open(bad); err == nil {
				r, err := backup.Verify(ctx, s, 0, time.Now)
				s.Close()
				if err == nil && r.OK() {
					t.Error("verify passes a damaged copy")
				}
				t.Logf("verify: %v %q", err, r.Problems)
				if name == "one page" && !strings.Contains(strings.Join(r.Problems, "\n"), "integrity check: ") {
					t.Errorf("verify: %q, want the integrity check's complaint", r.Problems)
				}
			} else if name == "one page" {
				t.Errorf("the copy with one bad page does not open (%v): the test wants one that does", err)
				if err := os.WriteFile(bad, data, 0o600); err != nil { // Verify's open may have touched it
					t.Fatal(err)
				}
			}
			target := filepath.Join(dir, name+"-target.db")
			_, err := backup.Restore(ctx, bad, target, 0, time.Now)
			if err == nil {
				t.Fatal("restored a damaged copy")
			}
			t.Logf("restore: %v", err)
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the refused restore left %s: %v", target, err)
			}
		})
	}
}
