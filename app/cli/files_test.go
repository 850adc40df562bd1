package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/config"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// TestFilesKeyRotation: `files new-key` prints a key --files-keys takes;
// after a new key goes first, `files rewrap` moves every file to it, and
// the file opens with the new key alone.
func TestFilesKeyRotation(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db, dir := storetest.DatabaseURL(t, e), t.TempDir()
			code, k1, _ := run(t, "files", "new-key", "k1")
			if _, err := files.ParseKeys(strings.TrimSpace(k1)); code != 0 || err != nil {
				t.Fatalf("new-key: %d %q %v", code, k1, err)
			}
			if code, _, _ := run(t, "files", "new-key", "bad:id"); code != 2 {
				t.Errorf("a key id with a colon: exit %d, want 2", code)
			}
			cfg := &config.Config{DatabaseURL: db, FilesURL: "file:" + dir, FilesKeys: strings.TrimSpace(k1), FilesMaxMB: 1, FilesLinkTTL: time.Minute}
			s, err := openStore(ctx, cfg, true)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := newFiles(ctx, cfg, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := registry.Install(ctx, s, time.Now()); err != nil {
				t.Fatal(err)
			}
			me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
			p, err := svc.Registry.AddPatient(ctx, me, "rett", registry.PatientInput{FirstName: "K", Surname: "Ey", Sex: "1",
				DateOfBirth: registry.DateInput{Day: "1", Month: "1", Year: "2016"}}, true, "")
			if err != nil {
				t.Fatal(err)
			}
			sec, err := svc.Section(ctx, me, files.Owner{Kind: store.FileOwnerRegistryPatient, ID: p.ID})
			if err != nil {
				t.Fatal(err)
			}
			id, err := svc.Upload(ctx, me, sec.UploadLink, files.Upload{Name: "a.txt", Kind: "letter", Data: []byte("letter\n")})
			if err != nil {
				t.Fatal(err)
			}
			svc.Bucket.Close()
			s.Close()

			_, k2, _ := run(t, "files", "new-key", "k2")
			both := strings.TrimSpace(k2) + "," + strings.TrimSpace(k1)
			code, out, errOut := run(t, "files", "rewrap", "--database-url", db, "--files-url", "file:"+dir, "--files-keys", both)
			if code != 0 || !strings.Contains(out, "rewrapped 1 files' data keys under k2") {
				t.Fatalf("rewrap: %d %q %q", code, out, errOut)
			}
			cfg.FilesKeys = strings.TrimSpace(k2)
			s, err = openStore(ctx, cfg, true)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			svc, err = newFiles(ctx, cfg, s)
			if err != nil {
				t.Fatal(err)
			}
			defer svc.Bucket.Close()
			f, err := s.GetFile(ctx, id)
			if err != nil || f.KeyID != "k2" {
				t.Fatalf("after rewrap: key %q, %v", f.KeyID, err)
			}
			raw, err := svc.Bucket.ReadAll(ctx, f.ObjectName)
			if err != nil {
				t.Fatal(err)
			}
			if data, err := svc.Keys.Open(f.ObjectName, f.KeyID, f.WrappedKey, raw); err != nil || string(data) != "letter\n" {
				t.Fatalf("with k2 alone: %q %v", data, err)
			}
		})
	}
}

// TestFilesKeyGenerated: with no --files-keys, a file: directory gets a
// key kept beside it (not in it), owner-only, the same on every start.
func TestFilesKeyGenerated(t *testing.T) {
	dir := t.TempDir()
	cfg := &config.Config{FilesURL: "file:" + filepath.Join(dir, "files")}
	k, err := filesKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "files.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("files.key: %v %v", fi, err)
	}
	again, err := filesKeys(cfg)
	if err != nil || again.Current != k.Current {
		t.Errorf("a second start read another key: %v", err)
	}
}
