package api_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/children"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// testMaxSize is the files' limit in these tests (small, so a file over it
// is cheap to send).
const testMaxSize = 64 << 10

// newFiles is the files' service on a local directory, as the embedded
// default keeps them.
func newFiles(t *testing.T, s store.Store) *files.Service {
	t.Helper()
	b, err := files.OpenBucket(context.Background(), "file:"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	keys, err := files.ParseKeys(files.NewKey("k1"))
	if err != nil {
		t.Fatal(err)
	}
	return &files.Service{Store: s, Bucket: b, Keys: keys, Registry: &registry.Service{Store: s, Now: time.Now},
		Children: &children.Service{Store: s, Now: time.Now}, MaxSize: testMaxSize}
}

// part is one part of a multipart form: a file when filename is set.
type part struct{ name, filename, value string }

// form writes parts as a browser (or curl -F) posts them: the body and
// its Content-Type, with a boundary of its own each time.
func form(parts ...part) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.filename != "" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
			h.Set("Content-Type", "application/octet-stream")
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.name))
		}
		pw, _ := w.CreatePart(h)
		pw.Write([]byte(p.value))
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

type apiFile struct {
	ID          int64  `json:"id"`
	PatientID   int64  `json:"patient_id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	StaffOnly   bool   `json:"staff_only"`
	Extraction  string `json:"extraction"`
	ContentURL  string `json:"content_url"`
}

// upload posts parts to a patient's files.
func (e *env) upload(token string, patientID int64, parts ...part) answer {
	e.t.Helper()
	body, ct := form(parts...)
	return e.call("POST", fmt.Sprintf("%s/patients/%d/files", api.Prefix, patientID), token, body, "Content-Type", ct)
}

const letter = "Clinic letter\nSeen in clinic today; walking well.\n"

func TestFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ctx := context.Background()
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		r := e.token(access.RegistryManager, api.AccessRead, api.DomainRegistry)
		viewer := e.token(access.RegistryViewer, api.AccessRead, api.DomainRegistry)
		var p patient
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", w, ann(3)).json(t, &p)

		// Stored: 201 with its metadata and Location; the type is the
		// bytes', not the part's claim (application/octet-stream).
		res := e.upload(w, p.ID, part{"file", "letter.txt", letter}, part{"kind", "", "letter"}, part{"staff_only", "", "true"})
		var f apiFile
		res.json(t, &f)
		if res.Status != 201 || f.Name != "letter.txt" || f.ContentType != files.TypeText || f.Size != int64(len(letter)) || !f.StaffOnly ||
			f.Kind != "letter" || f.PatientID != p.ID || res.Header.Get("Location") != fmt.Sprintf("%s/files/%d", api.Prefix, f.ID) {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		// A genetic report gets its extraction job in the same transaction.
		var g apiFile
		e.upload(w, p.ID, part{"file", "report.txt", "Gene: MECP2\nc.473C>T pathogenic\n"}, part{"kind", "", "genetic_report"}).json(t, &g)
		if g.Extraction != "pending" {
			t.Errorf("a genetic report's extraction: %q", g.Extraction)
		}

		// Metadata and content, with the download's headers, logged as
		// the token's account's download.
		one := fmt.Sprintf("%s/files/%d", api.Prefix, f.ID)
		var got apiFile
		if res := e.call("GET", one, r, nil); res.Status != 200 {
			t.Fatalf("get: %d %s", res.Status, res.Body)
		} else if res.json(t, &got); got != f {
			t.Errorf("get: %+v, want %+v", got, f)
		}
		res = e.call("GET", f.ContentURL, r, nil)
		if res.Status != 200 || string(res.Body) != letter || res.Header.Get("Content-Type") != files.TypeText ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="letter.txt"`) ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("content: %d %v %q", res.Status, res.Header, res.Body)
		}
		log, err := s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: f.ID, PageLimit: 10})
		if err != nil || len(log) != 1 || log[0].UserID == nil || *log[0].UserID != e.users[access.RegistryManager] {
			t.Errorf("download log: %+v %v", log, err)
		}

		// The list: newest first, 25 a page.
		for i := range 24 {
			e.upload(w, p.ID, part{"file", fmt.Sprintf("n%d.txt", i), "note"}, part{"kind", "", "other"})
		}
		list := fmt.Sprintf("%s/patients/%d/files", api.Prefix, p.ID)
		var page struct {
			Items      []apiFile `json:"items"`
			NextCursor string    `json:"next_cursor"`
		}
		e.call("GET", list, r, nil).json(t, &page)
		if len(page.Items) != 25 || page.NextCursor == "" {
			t.Fatalf("first page: %d items, cursor %q", len(page.Items), page.NextCursor)
		}
		first := page.Items[0]
		var last struct {
			Items      []apiFile `json:"items"`
			NextCursor *string   `json:"next_cursor"`
		}
		e.call("GET", list+"?cursor="+page.NextCursor, r, nil).json(t, &last)
		if len(last.Items) != 1 || last.NextCursor != nil || last.Items[0].ID == first.ID {
			t.Errorf("second page: %+v", last)
		}

		// Refusals, each with the page's message by the field, nothing stored.
		before, _ := s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: p.ID})
		for _, c := range []struct {
			name   string
			parts  []part
			status int
			field  string
			msg    string
		}{
			{"too big", []part{{"file", "big.txt", strings.Repeat("a", testMaxSize+1)}, {"kind", "", "letter"}}, 413, "file", "The selected file must be smaller than 64 KB"},
			{"not a type we take", []part{{"file", "x.exe", "MZ\x00\x01\x02"}, {"kind", "", "letter"}}, 415, "file", files.MsgType},
			{"html", []part{{"file", "x.txt", "<html><script>alert(1)</script>"}, {"kind", "", "letter"}}, 415, "file", files.MsgType},
			{"no kind", []part{{"file", "a.txt", "text"}}, 422, "kind", "Select what the document is"},
			{"no file", []part{{"kind", "", "letter"}}, 422, "file", "Choose a file to upload"},
			{"empty", []part{{"file", "a.txt", ""}, {"kind", "", "letter"}}, 422, "file", "The selected file is empty"},
			{"a path", []part{{"file", "../../etc/passwd", "root"}, {"kind", "", "letter"}}, 422, "file", "The file name must not contain / or \\ (a folder path): rename the file and choose it again"},
		} {
			res := e.upload(w, p.ID, c.parts...)
			pr := res.problem(t)
			if res.Status != c.status || len(pr.Errors) == 0 || pr.Errors[0].Field != c.field || pr.Errors[0].Message != c.msg {
				t.Errorf("%s: %d %+v, want %d %s %q", c.name, res.Status, pr, c.status, c.field, c.msg)
			}
		}
		after, _ := s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: p.ID})
		if len(after) != len(before) {
			t.Errorf("refused uploads stored %d files", len(after)-len(before))
		}

		// The contract: a part not in the form, a staff_only not a
		// boolean, JSON instead of a form, an id not a number.
		for _, c := range []struct {
			name  string
			parts []part
			field string
		}{
			{"unknown part", []part{{"file", "a.txt", "x"}, {"colour", "", "red"}}, "colour"},
			{"bad boolean", []part{{"file", "a.txt", "x"}, {"staff_only", "", "maybe"}}, "staff_only"},
		} {
			res := e.upload(w, p.ID, c.parts...)
			if pr := res.problem(t); res.Status != 400 || len(pr.Errors) == 0 || pr.Errors[0].Field != c.field {
				t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
			}
		}
		if res := e.call("POST", list, w, map[string]any{"kind": "letter"}); res.Status != 400 {
			t.Errorf("JSON to the upload: %d", res.Status)
		}
		if res := e.call("GET", api.Prefix+"/patients/abc/files", r, nil); res.Status != 400 {
			t.Errorf("a patient id not a number: %d", res.Status)
		}
		if res := e.call("GET", list+"?cursor=not-a-cursor", r, nil); res.Status != 400 {
			t.Errorf("a cursor not ours: %d", res.Status)
		}
		if res := e.call("GET", api.Prefix+"/files/abc", r, nil); res.Status != 400 {
			t.Errorf("a file id not a number: %d", res.Status)
		}
		if res := e.call("GET", api.Prefix+"/files/abc/content", r, nil); res.Status != 400 {
			t.Errorf("a file id not a number (content): %d", res.Status)
		}
		if res := e.upload(w, 0, part{"kind", "", "letter"}); res.Status != 400 {
			t.Errorf("patient 0: %d", res.Status)
		}

		// Who may: a viewer never sees identifiers, so no files (403); a
		// read token does not upload (403); an unknown file or patient is 404.
		for _, path := range []string{list, one, f.ContentURL} {
			if res := e.call("GET", path, viewer, nil); res.Status != 403 {
				t.Errorf("viewer GET %s: %d", path, res.Status)
			}
		}
		if res := e.upload(r, p.ID, part{"file", "a.txt", "x"}, part{"kind", "", "letter"}); res.Status != 403 {
			t.Errorf("a read token uploads: %d", res.Status)
		}
		for _, path := range []string{api.Prefix + "/files/999999", api.Prefix + "/files/999999/content", api.Prefix + "/patients/999999/files"} {
			if res := e.call("GET", path, r, nil); res.Status != 404 {
				t.Errorf("GET %s: %d", path, res.Status)
			}
		}
		if res := e.upload(w, 999999, part{"file", "a.txt", "x"}, part{"kind", "", "letter"}); res.Status != 404 {
			t.Errorf("upload to no patient: %d", res.Status)
		}
		// An audit child's file is not the registry's: 404 to a registry
		// token, and its download is not logged.
		childFile, err := s.InsertFile(ctx, store.InsertFileParams{OwnerKind: store.FileOwnerChild, OwnerID: 1, ObjectName: "x", Name: "c.txt",
			ContentType: files.TypeText, Size: 1, Kind: "other", KeyID: "k1", WrappedKey: "x", CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{fmt.Sprintf("%s/files/%d", api.Prefix, childFile), fmt.Sprintf("%s/files/%d/content", api.Prefix, childFile)} {
			if res := e.call("GET", path, r, nil); res.Status != 404 {
				t.Errorf("a child's file at %s: %d", path, res.Status)
			}
		}

		// A deleted patient's files are out of reach.
		var q patient
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", w, ann(4)).json(t, &q)
		var h apiFile
		e.upload(w, q.ID, part{"file", "h.txt", "hello"}, part{"kind", "", "other"}).json(t, &h)
		e.call("DELETE", fmt.Sprintf("%s/patients/%d", api.Prefix, q.ID), w, nil, "If-Match", "*")
		if res := e.call("GET", h.ContentURL, r, nil); res.Status != 404 {
			t.Errorf("a deleted patient's file: %d", res.Status)
		}
	})
}

// A retried upload (the same file, a new boundary as curl draws one)
// answers the first response and stores one file; a key held by a
// request in flight is a 409.
func TestFileUploadIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		ctx := context.Background()
		plain, tokenID, err := e.tokens.Create(ctx, e.users[access.RegistryManager], api.TokenInput{Name: "k", Access: "write", Domain: "registry", Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		var p patient
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", plain, ann(5)).json(t, &p)
		path := fmt.Sprintf("%s/patients/%d/files", api.Prefix, p.ID)
		parts := []part{{"file", "l.txt", letter}, {"kind", "", "letter"}}
		var first, again apiFile
		b1, ct1 := form(parts...)
		res := e.call("POST", path, plain, b1, "Content-Type", ct1, "Idempotency-Key", "up-1")
		res.json(t, &first)
		b2, ct2 := form(parts...)
		if ct1 == ct2 {
			t.Fatal("the two forms have the same boundary")
		}
		res = e.call("POST", path, plain, b2, "Content-Type", ct2, "Idempotency-Key", "up-1")
		res.json(t, &again)
		if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "true" || again.ID != first.ID {
			t.Errorf("retry: %d %s (first %d)", res.Status, res.Body, first.ID)
		}
		fs, _ := s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: p.ID})
		if len(fs) != 1 {
			t.Errorf("%d files stored", len(fs))
		}
		// Another file under the same key: 422.
		b3, ct3 := form(part{"file", "l.txt", "other text"}, part{"kind", "", "letter"})
		if res := e.call("POST", path, plain, b3, "Content-Type", ct3, "Idempotency-Key", "up-1"); res.Status != 422 {
			t.Errorf("another file under the key: %d", res.Status)
		}
		// Held by a request in flight: 409.
		n, err := s.ClaimAPIIdempotency(ctx, store.ClaimAPIIdempotencyParams{TokenID: tokenID, Key: "held", Fingerprint: "POST " + path + " " + api.BodyDigest(ct3, b3),
			CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().UTC().Add(time.Minute)})
		if err != nil || n != 1 {
			t.Fatalf("claim: %d %v", n, err)
		}
		if res := e.call("POST", path, plain, b3, "Content-Type", ct3, "Idempotency-Key", "held"); res.Status != 409 || res.Header.Get("Retry-After") == "" {
			t.Errorf("while the key is held: %d %s", res.Status, res.Body)
		}
	})
}

// A body over the server's own limit (twice the files' limit, at least
// 4 MB) is refused by the server before the API runs: a problem still,
// not a page.
func TestUploadOverServerLimit(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	e := newEnv(t, s, 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })
	// The headers alone, announcing 5 MB: the server answers before
	// reading a body it will not take (a client writing the body would
	// see its connection reset before it could read the answer).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s/patients/1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n",
		api.Prefix, e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry), 5<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	res := answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if pr := res.problem(t); res.Status != 413 || !strings.Contains(pr.Detail, "over the server's limit of 4 MB") {
		t.Errorf("a body over the server's limit: %d %s", res.Status, b)
	}
}
