package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// familyAccountOf is the family account with sign-in address email.
func familyAccountOf(t *testing.T, s store.Store, email string) store.FamilyAccount {
	t.Helper()
	ctx := context.Background()
	reg, err := s.GetRegistryBySlug(ctx, registrySlug())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg.ID, Email: email})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// familyFileLink uploads a letter to patient as the registry team does
// and signs a family download link to it for email's account, as the
// family's patient page would.
func familyFileLink(t *testing.T, s store.Store, patient int64, email string, staffOnly bool) (int64, string) {
	t.Helper()
	ctx := context.Background()
	v, _ := appFiles.Load(s)
	svc := v.(*files.Service)
	owner := files.Owner{Kind: store.FileOwnerRegistryPatient, ID: patient}
	sec, err := svc.Section(ctx, matrixManager, owner)
	if err != nil {
		t.Fatal(err)
	}
	fid, err := svc.Upload(ctx, matrixManager, sec.UploadLink, files.Upload{Name: "letter.txt", Kind: "letter", StaffOnly: staffOnly, Data: []byte("Dear family\n")})
	if err != nil {
		t.Fatal(err)
	}
	return fid, files.SignForTest(svc, files.PurposeFamilyDownload, fmt.Sprint(fid), familyAccountOf(t, s, email).ID)
}

// TestFamilyFiles: the family's patient page lists the patient's files
// but not staff-only ones; a link downloads the file as staff downloads
// are served and the registry team sees the family in the download log;
// links never cross between families, or between a family and staff.
func TestFamilyFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		amy := familyFixture(t, s, "sarah@example.org", "Amy")
		ben := familyFixture(t, s, "olu@example.org", "Ben")
		fam := newBrowser(t, app)
		familySignIn(t, s, a, fam, "sarah@example.org")
		other := newBrowser(t, app)
		familySignIn(t, s, a, other, "olu@example.org")
		if r := fam.get(fmt.Sprint("/family/patients/", amy)); text(r, "#no-files") == "" {
			t.Errorf("no files yet: %q", text(r, "#files"))
		}

		v, _ := appFiles.Load(s)
		svc := v.(*files.Service)
		upload := func(patient int64, name string, staffOnly bool) int64 {
			sec, err := svc.Section(ctx, matrixManager, files.Owner{Kind: store.FileOwnerRegistryPatient, ID: patient})
			if err != nil {
				t.Fatal(err)
			}
			id, err := svc.Upload(ctx, matrixManager, sec.UploadLink, files.Upload{Name: name, Kind: "letter", StaffOnly: staffOnly, Data: []byte("About " + name + "\n")})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		letter := upload(amy, "clinic letter.txt", false)
		upload(amy, "staff notes.txt", true)
		upload(ben, "ben.txt", false)

		page := fam.get(fmt.Sprint("/family/patients/", amy))
		list := text(page, "#family-files")
		if page.status != 200 || !strings.Contains(list, "clinic letter.txt") || strings.Contains(list, "staff notes") || strings.Contains(list, "ben.txt") {
			t.Fatalf("family's files: %d %q, want the clinic letter only", page.status, list)
		}
		if cc := page.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("patient page Cache-Control = %q, want no-store (it holds links)", cc)
		}
		link, _ := page.doc.Find("#family-files a").Attr("href")
		if !strings.HasPrefix(link, "/family/files/download/") {
			t.Fatalf("link = %q", link)
		}
		d := fam.get(link)
		if d.status != 200 || d.body != "About clinic letter.txt\n" {
			t.Fatalf("download: %d %q", d.status, d.body)
		}
		for h, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff",
			"Cache-Control": "no-store", "Content-Disposition": `attachment; filename="clinic_letter.txt"; filename*=UTF-8''clinic%20letter.txt`} {
			if got := d.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}

		// The registry team sees who downloaded it.
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		m := signIn(t, newBrowser(t, app), "manager@registry.example")
		show := m.get(fmt.Sprint("/files/", letter))
		if got := text(show, "#download-log"); !strings.Contains(got, "Family account sarah@example.org") {
			t.Errorf("download log: %q, want the family", got)
		}

		// Another family, staff, and the family at the staff route.
		token := strings.TrimPrefix(link, "/family/files/download/")
		if r := other.get(link); r.status != 403 || !strings.Contains(r.body, "made for someone else") {
			t.Errorf("another family's link: %d %q", r.status, text(r, "main"))
		}
		if r := m.get(link); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/family/sign-in") {
			t.Errorf("the family's link at its route, as staff: %d %q", r.status, r.header.Get("Location"))
		}
		if r := m.get("/files/download/" + token); r.status != 404 {
			t.Errorf("the family's link at the staff route, as staff: %d, want 404", r.status)
		}
		staffLink, _ := show.doc.Find("#download").Attr("href")
		if r := fam.get("/family/files/download/" + strings.TrimPrefix(staffLink, "/files/download/")); r.status != 404 {
			t.Errorf("a staff link at the family route: %d, want 404", r.status)
		}
		if r := fam.get(staffLink); r.status < 300 || r.status >= 400 || !strings.HasPrefix(r.header.Get("Location"), "/sign-in") {
			t.Errorf("a staff link at its route, as the family: %d %q, want the staff sign-in", r.status, r.header.Get("Location"))
		}
		if log, _ := s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: letter, PageLimit: 10}); len(log) != 1 {
			t.Errorf("refused downloads logged: %+v", log)
		}

		// The registry team deletes Amy: the family's link stops working.
		if err := (&registry.Service{Store: s, Now: time.Now}).DeletePatient(ctx, matrixManager, amy, ""); err != nil {
			t.Fatal(err)
		}
		if r := fam.get(link); r.status != 404 {
			t.Errorf("after the patient was deleted: %d, want 404", r.status)
		}
	})
}
