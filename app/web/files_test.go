package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/family"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// testFilesKey is the tests' one key, so every service made for a store
// signs links the app accepts.
var testFilesKey = files.NewKey("test")

// appFiles is the files service of each test app, by store, for tests
// that set up files behind the app's back (the access matrix).
var appFiles sync.Map

// testFiles is a files service on a temporary directory.
func testFiles(t *testing.T, s store.Store) *files.Service {
	t.Helper()
	b, err := files.OpenBucket(context.Background(), "file:"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	k, err := files.ParseKeys(testFilesKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &files.Service{Store: s, Bucket: b, Keys: k, Registry: &registry.Service{Store: s, Now: time.Now},
		Children: &children.Service{Store: s, Now: time.Now}, Families: &family.Service{Store: s, Now: time.Now}, MaxSize: 64 << 10}
	appFiles.Store(s, f)
	return f
}

// multipartPost posts a form with a file as a browser does.
func (b *browser) multipartPost(path string, fields map[string]string, name string, content []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if _, ok := fields["csrf"]; !ok {
		w.WriteField("csrf", b.csrf)
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" || content != nil {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(content)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestFilePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")
		m := signIn(t, newBrowser(t, app), "manager@registry.example")
		m.get("/registry/patients/new")
		p := m.post("/registry/patients", registryPatientForm("Amy", "Files"))
		patient := patientIDRE.FindStringSubmatch(p.header.Get("Location"))
		if patient == nil {
			t.Fatalf("add patient: %d %s", p.status, p.header.Get("Location"))
		}
		page := m.get("/registry/patients/" + patient[1])
		action, ok := page.doc.Find("#upload-form").Attr("action")
		if !ok || !strings.HasPrefix(action, "/files/upload/") {
			t.Fatalf("no upload form on the patient's page: %q", text(page, "#files"))
		}

		// Bad input: a message by the field, 422, nothing stored.
		for name, c := range map[string]struct {
			file    string
			content []byte
			kind    string
			want    string
		}{
			"none":     {"", nil, "letter", "Choose a file to upload"},
			"empty":    {"a.txt", []byte{}, "letter", "The selected file is empty"},
			"oversize": {"big.txt", bytes.Repeat([]byte("a"), 64<<10+1), "letter", "smaller than 64 KB"},
			"type":     {"a.pdf", []byte("MZ\x90\x00binary\x00"), "letter", "must be a PDF, a PNG or JPEG image, or plain text"},
			"html":     {"a.txt", []byte("<!DOCTYPE html><script>x</script>"), "letter", "must be a PDF"},
			"path":     {"../../etc/passwd", []byte("text"), "letter", "must not contain / or \\"},
			"kind":     {"a.txt", []byte("text"), "", "Select what the document is"},
		} {
			r := m.multipartPost(action, map[string]string{"kind": c.kind}, c.file, c.content)
			if r.status != 422 || !strings.Contains(text(r, ".nhsuk-error-message"), c.want) || !strings.Contains(text(r, ".nhsuk-error-summary"), c.want) {
				t.Errorf("%s: %d %q (summary %q), want 422 and %q by the field", name, r.status, text(r, ".nhsuk-error-message"), text(r, ".nhsuk-error-summary"), c.want)
			}
		}
		if fs, _ := s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: atoi(t, patient[1])}); len(fs) != 0 {
			t.Fatalf("bad uploads stored %d files", len(fs))
		}

		// A good one: listed, its page links a download, the download logged.
		r := m.multipartPost(action, map[string]string{"kind": "letter"}, "clinic letter.txt", []byte("Seen in clinic.\n"))
		if r.status != 303 {
			t.Fatalf("upload: %d %s", r.status, text(r, ".nhsuk-error-summary"))
		}
		page = m.get("/registry/patients/" + patient[1])
		href, _ := page.doc.Find("#file-table a").Attr("href")
		show := m.get(href)
		link, _ := show.doc.Find("#download").Attr("href")
		if show.status != 200 || !strings.HasPrefix(link, "/files/download/") || text(show, "#no-downloads") == "" {
			t.Fatalf("file page: %d %q", show.status, link)
		}
		d := m.get(link)
		if d.status != 200 || d.body != "Seen in clinic.\n" {
			t.Fatalf("download: %d %q", d.status, d.body)
		}
		for h, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff",
			"Cache-Control": "no-store", "Content-Disposition": `attachment; filename="clinic_letter.txt"; filename*=UTF-8''clinic%20letter.txt`} {
			if got := d.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		show = m.get(href)
		if !strings.Contains(text(show, "#download-log"), "manager@registry.example") {
			t.Errorf("download log: %q", text(show, "#download-log"))
		}
		// A viewer sees no files section and opens no file.
		v := signIn(t, newBrowser(t, app), "viewer@registry.example")
		if vp := v.get("/registry/patients/" + patient[1]); vp.doc.Find("#files").Length() != 0 {
			t.Error("a viewer sees the files section")
		}
		if vr := v.get(href); vr.status != 403 {
			t.Errorf("a viewer opened the file page: %d", vr.status)
		}
		if vr := v.get(link); vr.status != 403 {
			t.Errorf("a viewer used the manager's link: %d", vr.status)
		}
	})
}

func atoi(t *testing.T, s string) int64 {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// matrixFiles fills a files route for the access matrix: a fresh patient
// with a file (and a proposal to decide), links signed for the actor.
func matrixFiles(t *testing.T, s store.Store, method, path string, actorID int64) (string, url.Values) {
	t.Helper()
	ctx := context.Background()
	v, _ := appFiles.Load(s)
	svc := v.(*files.Service)
	p, _ := matrixRegistry(t, s, "GET", "/registry/patients/:id")
	id := atoiPath(t, p)
	owner := files.Owner{Kind: store.FileOwnerRegistryPatient, ID: id}
	sec, err := svc.Section(ctx, matrixManager, owner)
	if err != nil {
		t.Fatal(err)
	}
	fid, err := svc.Upload(ctx, matrixManager, sec.UploadLink, files.Upload{Name: "r.txt", Kind: "genetic_report", Data: []byte("MECP2 c.473C>T pathogenic\n")})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasPrefix(path, "/files/download/"):
		return "/files/download/" + files.SignForTest(svc, files.PurposeDownload, fmt.Sprint(fid), actorID), nil
	case strings.HasPrefix(path, "/files/upload/"):
		return "/files/upload/" + files.SignForTest(svc, files.PurposeUpload, owner.String(), actorID), url.Values{"kind": {"letter"}}
	case strings.HasPrefix(path, "/files/proposals/"):
		pid, err := s.InsertFileProposal(ctx, store.InsertFileProposalParams{FileID: fid, Gene: "MECP2", Variant: "c.473C>T", Classification: "pathogenic"})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(path, ":id", fmt.Sprint(pid), 1), nil
	}
	return strings.Replace(path, ":id", fmt.Sprint(fid), 1), nil
}

func atoiPath(t *testing.T, p string) int64 {
	return atoi(t, strings.TrimPrefix(p, "/registry/patients/"))
}

// TestChildFiles: an audit child's files follow the child's own rules:
// its organisation's staff see them, those who answer its audit upload,
// another trust sees nothing.
func TestChildFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "admin@nca.example", access.Administrator, "RM332")
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		c := signIn(t, newBrowser(t, app), "clin@nca.example")
		c.get("/children/new")
		p := c.post("/children", childForm("943 476 5919"))
		child := strings.TrimSuffix(p.header.Get("Location"), "?done=created")
		page := c.get(child)
		action, ok := page.doc.Find("#upload-form").Attr("action")
		if !ok {
			t.Fatalf("no upload form on the child's page (%d)", page.status)
		}
		if r := c.multipartPost(action, map[string]string{"kind": "consent"}, "consent.txt", []byte("Consent given.\n")); r.status != 303 {
			t.Fatalf("upload: %d", r.status)
		}
		page = c.get(child)
		href, _ := page.doc.Find("#file-table a").Attr("href")
		if !strings.HasPrefix(href, "/files/") {
			t.Fatalf("file not listed: %q", text(page, "#files"))
		}
		admin := signIn(t, newBrowser(t, app), "admin@nca.example")
		ap := admin.get(child)
		if ap.doc.Find("#file-table a").Length() != 1 || ap.doc.Find("#upload-form").Length() != 0 {
			t.Error("an administrator should see the file and no upload form")
		}
		if r := admin.get(href); r.status != 200 {
			t.Errorf("administrator opens the file: %d", r.status)
		}
		other := signIn(t, newBrowser(t, app), "clin@rgt.example")
		if r := other.get(href); r.status != 404 {
			t.Errorf("another trust opened the file: %d", r.status)
		}
	})
}
