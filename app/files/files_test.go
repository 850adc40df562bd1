package files_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/family"
	"clinaudit/app/files"
	"clinaudit/app/files/extract/extracttest"
	"clinaudit/app/jobargs"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// backends are the storage backends every test runs on: the local
// directory (the embedded default) and an S3 server speaking the real
// protocol in this process (gofakes3), through the same s3blob driver
// production uses.
func backends(t *testing.T) map[string]string {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("clinaudit-files"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	q := url.Values{"region": {"eu-west-2"}, "endpoint": {srv.URL}, "use_path_style": {"true"}, "disable_https": {"true"}}
	return map[string]string{"local directory": "file:" + t.TempDir(), "s3": "s3://clinaudit-files?" + q.Encode()}
}

// eachBackend runs fn on each engine and each backend.
func eachBackend(t *testing.T, fn func(t *testing.T, h *harness)) {
	for name, u := range backends(t) {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s store.Store) { fn(t, newHarness(t, s, u)) })
		})
	}
}

type harness struct {
	s       store.Store
	svc     *files.Service
	now     time.Time
	manager access.Me
	other   access.Me
	viewer  access.Me
	patient files.Owner
	k1      string // the first key, as --files-keys takes it
}

func newHarness(t *testing.T, s store.Store, bucketURL string) *harness {
	t.Helper()
	ctx := context.Background()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	b, err := files.OpenBucket(ctx, bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	h := &harness{s: s, now: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), k1: files.NewKey("k1")}
	keys, err := files.ParseKeys(h.k1)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return h.now }
	reg := &registry.Service{Store: s, Now: clock}
	if err := registry.Install(ctx, s, h.now); err != nil {
		t.Fatal(err)
	}
	h.svc = &files.Service{Store: s, Bucket: b, Keys: keys, Registry: reg, Children: &children.Service{Store: s, Now: clock}, Now: clock}
	user := func(email string, role access.Role) access.Me {
		id, err := s.CreateUser(ctx, store.CreateUserParams{Email: email, FirstName: "R", Surname: "M", Role: string(role), CreatedAt: h.now})
		if err != nil {
			t.Fatal(err)
		}
		return access.Me{ID: id, Actor: access.Actor{Role: role}}
	}
	h.manager, h.other, h.viewer = user("m@example.org", access.RegistryManager), user("o@example.org", access.RegistryManager), user("v@example.org", access.RegistryViewer)
	p, err := reg.AddPatient(ctx, h.manager, "rett", registry.PatientInput{FirstName: "Amy", Surname: "Smith", Sex: "2",
		DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	h.patient = files.Owner{Kind: store.FileOwnerRegistryPatient, ID: p.ID}
	return h
}

func (h *harness) upload(t *testing.T, me access.Me, u files.Upload) (int64, error) {
	t.Helper()
	sec, err := h.svc.Section(context.Background(), me, h.patient)
	if err != nil {
		t.Fatal(err)
	}
	return h.svc.Upload(context.Background(), me, sec.UploadLink, u)
}

const report = "MECP2 NM_004992.4:c.473C>T p.(Thr158Met) heterozygous. Classification: Pathogenic\n"

func TestStorageEncryptionAndRotation(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		id, err := h.upload(t, h.manager, files.Upload{Name: "report.txt", Kind: "genetic_report", Data: []byte(report)})
		if err != nil {
			t.Fatal(err)
		}
		f, err := h.s.GetFile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if f.ContentType != files.TypeText || f.KeyID != "k1" || strings.Contains(f.ObjectName, "report") || len(f.ObjectName) < 30 {
			t.Errorf("row = %+v", f)
		}
		raw, err := h.svc.Bucket.ReadAll(ctx, f.ObjectName)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("MECP2")) || bytes.Contains(raw, []byte("c.473C>T")) || len(raw) < len(report) {
			t.Errorf("the stored bytes hold the plaintext: %q", raw)
		}
		// Rotation: k2 first, then rewrap; with k1 gone the file still opens.
		k2 := files.NewKey("k2")
		rot, err := files.ParseKeys(k2 + "," + h.k1)
		if err != nil {
			t.Fatal(err)
		}
		h.svc.Keys = rot
		if n, err := files.Rewrap(ctx, h.s, rot); err != nil || n != 1 {
			t.Fatalf("Rewrap = %d, %v", n, err)
		}
		if n, _ := files.Rewrap(ctx, h.s, rot); n != 0 {
			t.Errorf("a second Rewrap rewrapped %d", n)
		}
		onlyNew, _ := files.ParseKeys(k2)
		h.svc.Keys = onlyNew
		page, err := h.svc.Get(ctx, h.manager, id)
		if err != nil {
			t.Fatal(err)
		}
		_, data, err := h.svc.Download(ctx, h.manager, page.DownloadLink)
		if err != nil || string(data) != report {
			t.Fatalf("after rotation: %q, %v", data, err)
		}
		raw2, _ := h.svc.Bucket.ReadAll(ctx, f.ObjectName)
		if !bytes.Equal(raw, raw2) {
			t.Error("rotation rewrote the object; only the data key should change")
		}
	})
}

func TestLinksAndAccess(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		id, err := h.upload(t, h.manager, files.Upload{Name: "letter.pdf", Kind: "letter", Data: []byte("%PDF-1.4\n...")})
		if err != nil {
			t.Fatal(err)
		}
		page, err := h.svc.Get(ctx, h.manager, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.svc.Download(ctx, h.other, page.DownloadLink); !isCode(err, apperr.Forbidden) {
			t.Errorf("another user's link: %v", err)
		}
		if _, _, err := h.svc.Download(ctx, h.manager, page.DownloadLink+"x"); !isCode(err, apperr.NotFound) {
			t.Errorf("a changed link: %v", err)
		}
		if _, err := h.svc.Get(ctx, h.viewer, id); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer opened a file: %v", err)
		}
		if _, _, err := h.svc.Download(ctx, h.manager, page.DownloadLink); err != nil {
			t.Fatal(err)
		}
		logged, err := h.s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: id, PageLimit: 10})
		if err != nil || len(logged) != 1 || logged[0].UserID == nil || *logged[0].UserID != h.manager.ID {
			t.Errorf("downloads = %+v, %v", logged, err)
		}
		h.now = h.now.Add(files.DefaultLinkTTL)
		if _, _, err := h.svc.Download(ctx, h.manager, page.DownloadLink); !isCode(err, apperr.Gone) {
			t.Errorf("an expired link: %v", err)
		}
		page, _ = h.svc.Get(ctx, h.manager, id)
		if err := h.svc.Registry.DeletePatient(ctx, h.manager, h.patient.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.svc.Download(ctx, h.manager, page.DownloadLink); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the link after the patient's deletion: %v", err)
		}
		// Restored with the patient; purged with it after the window.
		if err := h.svc.Registry.RestorePatient(ctx, h.manager, h.patient.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Get(ctx, h.manager, id); err != nil {
			t.Errorf("after restore: %v", err)
		}
		if err := h.svc.Registry.DeletePatient(ctx, h.manager, h.patient.ID, ""); err != nil {
			t.Fatal(err)
		}
		f, _ := h.s.GetFile(ctx, id)
		if n, err := files.PurgeDeleted(ctx, h.s, h.svc.Bucket, h.now.Add(registry.RestoreWindow-time.Hour)); err != nil || n != 0 {
			t.Errorf("purged within the window: %d, %v", n, err)
		}
		if n, err := files.PurgeDeleted(ctx, h.s, h.svc.Bucket, h.now.Add(registry.RestoreWindow+time.Hour)); err != nil || n != 1 {
			t.Errorf("purge = %d, %v", n, err)
		}
		if ok, _ := h.svc.Bucket.Exists(ctx, f.ObjectName); ok {
			t.Error("the purge left the object")
		}
	})
}

func isCode(err error, c apperr.Code) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e.Code == c
}

func TestBadUploadsStoreNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		for name, u := range map[string]files.Upload{
			"empty":      {Name: "a.txt", Kind: "letter", Data: nil, Size: 0},
			"oversize":   {Name: "a.txt", Kind: "letter", Data: []byte("x"), Size: files.DefaultMaxSize + 1},
			"executable": {Name: "a.pdf", Kind: "letter", Data: []byte("MZ\x90\x00\x03\x00\x00\x00")},
			"html":       {Name: "a.txt", Kind: "letter", Data: []byte("<html><script>alert(1)</script></html>")},
			"path":       {Name: "../../etc/passwd", Kind: "letter", Data: []byte("text")},
			"windows":    {Name: `C:\Users\a.txt`, Kind: "letter", Data: []byte("text")},
			"no kind":    {Name: "a.txt", Data: []byte("text")},
		} {
			_, err := h.upload(t, h.manager, u)
			var fe files.FieldErrors
			if !errors.As(err, &fe) || len(fe) == 0 || fe[0].Message == "" {
				t.Errorf("%s: %v, want a message by the field", name, err)
			}
		}
		if fs, _ := h.s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: h.patient.Kind, OwnerID: h.patient.ID}); len(fs) != 0 {
			t.Errorf("bad uploads stored %d rows", len(fs))
		}
		it := h.svc.Bucket.List(nil)
		if o, err := it.Next(ctx); err == nil {
			t.Errorf("bad uploads stored an object: %s", o.Key)
		}
	})
}

// TestExtractionProposesAndConfirms runs the job's worker on an upload:
// proposals, then a confirmation that adds the registry finding.
func TestExtractionProposesAndConfirms(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		id, err := h.upload(t, h.manager, files.Upload{Name: "report.txt", Kind: "genetic_report", Data: []byte(report)})
		if err != nil {
			t.Fatal(err)
		}
		w := &files.ExtractWorker{Files: h.svc}
		if err := w.Work(ctx, &river.Job[jobargs.ExtractFileArgs]{JobRow: &rivertype.JobRow{}, Args: jobargs.ExtractFileArgs{FileID: id}}); err != nil {
			t.Fatal(err)
		}
		sec, err := h.svc.Section(ctx, h.manager, h.patient)
		if err != nil || len(sec.Proposals) != 1 {
			t.Fatalf("proposals = %+v, %v", sec.Proposals, err)
		}
		p := sec.Proposals[0]
		if p.Gene != "MECP2" || p.Variant != "c.473C>T" || p.Classification != "pathogenic" {
			t.Errorf("proposal = %+v", p)
		}
		pt, _ := h.svc.Registry.GetPatient(ctx, h.manager.Actor, h.patient.ID)
		if len(pt.Findings) != 0 {
			t.Fatal("a finding was added before anyone confirmed it")
		}
		// A second proposal, rejected: nothing added.
		extra, err := h.s.InsertFileProposal(ctx, store.InsertFileProposalParams{FileID: id, Gene: "CDKL5", Variant: "c.175C>T"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Decide(ctx, h.manager, extra, false); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Decide(ctx, h.viewer, p.ID, true); err == nil {
			t.Error("a viewer confirmed a proposal")
		}
		if _, err := h.svc.Decide(ctx, h.manager, p.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Decide(ctx, h.manager, p.ID, false); !isCode(err, apperr.Conflict) {
			t.Errorf("deciding twice: %v", err)
		}
		pt, _ = h.svc.Registry.GetPatient(ctx, h.manager.Actor, h.patient.ID)
		if len(pt.Findings) != 1 || pt.Findings[0].Gene != "MECP2" || pt.Findings[0].Variant != "NM_004992.4:c.473C>T" {
			t.Errorf("findings = %+v", pt.Findings)
		}
		// A scanned report: "No text found", and no proposals.
		scan, err := h.upload(t, h.manager, files.Upload{Name: "scan.pdf", Kind: "genetic_report", Data: extracttest.WriteImagePDF()})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(ctx, &river.Job[jobargs.ExtractFileArgs]{JobRow: &rivertype.JobRow{}, Args: jobargs.ExtractFileArgs{FileID: scan}}); err != nil {
			t.Fatal(err)
		}
		if f, _ := h.s.GetFile(ctx, scan); f.Extraction != "no_text" || !strings.HasPrefix(f.ExtractionNote, "No text found") {
			t.Errorf("scanned PDF: %s %q", f.Extraction, f.ExtractionNote)
		}
		// A hostile PDF: recorded as unreadable, the worker carries on.
		bad, err := h.upload(t, h.manager, files.Upload{Name: "bad.pdf", Kind: "genetic_report", Data: []byte("%PDF-1.4\n1 0 obj <</Length 99999999>> stream\n")})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(ctx, &river.Job[jobargs.ExtractFileArgs]{JobRow: &rivertype.JobRow{}, Args: jobargs.ExtractFileArgs{FileID: bad}}); err != nil {
			t.Fatal(err)
		}
		f, _ := h.s.GetFile(ctx, bad)
		if f.Extraction != "failed" || f.ExtractionNote == "" {
			t.Errorf("hostile PDF: %s %q", f.Extraction, f.ExtractionNote)
		}
	})
}

// family gives the harness's patient a mother with legal authority and a
// family account, and another family with a patient of their own; files
// ask package family's rule.
func (h *harness) family(t *testing.T) (mother, other store.FamilyAccount, rel int64) {
	t.Helper()
	ctx := context.Background()
	clock := func() time.Time { return h.now }
	h.svc.Families = &family.Service{Store: h.s, Registry: h.svc.Registry, Now: clock}
	reg, err := h.s.GetRegistryBySlug(ctx, "rett")
	if err != nil {
		t.Fatal(err)
	}
	account := func(first, email string, patient int64) (store.FamilyAccount, int64) {
		c, err := h.svc.Registry.AddContact(ctx, h.manager, "rett", registry.ContactInput{FirstName: first, Surname: "Smith", Email: email}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		rel, err := h.svc.Registry.Link(ctx, h.manager, patient, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: true}, "")
		if err != nil {
			t.Fatal(err)
		}
		id, err := h.s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg.ID, ContactID: c.ID, Email: email, CreatedAt: h.now})
		if err != nil {
			t.Fatal(err)
		}
		a, err := h.s.GetFamilyAccount(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a, rel
	}
	mother, rel = account("Sue", "sue@example.org", h.patient.ID)
	p, err := h.svc.Registry.AddPatient(ctx, h.manager, "rett", registry.PatientInput{FirstName: "Ben", Surname: "Jones", Sex: "1",
		DateOfBirth: registry.DateInput{Day: "3", Month: "5", Year: "2016"}}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	other, _ = account("Ola", "ola@example.org", p.ID)
	return mother, other, rel
}

// TestFamilyFiles: a family sees and downloads its patient's files but not
// staff-only ones, through links of its own, checked again when used; the
// download is logged with the family as who.
func TestFamilyFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		h := newHarness(t, s, "file:"+t.TempDir())
		ctx := context.Background()
		open, err := h.upload(t, h.manager, files.Upload{Name: "letter.txt", Kind: "letter", Data: []byte("Dear family\n")})
		if err != nil {
			t.Fatal(err)
		}
		staff, err := h.upload(t, h.manager, files.Upload{Name: "notes.txt", Kind: "other", StaffOnly: true, Data: []byte("staff notes\n")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.ForFamily(ctx, store.FamilyAccount{ID: 1}, h.patient.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("families not set up, yet a family saw files: %v", err)
		}
		mother, other, rel := h.family(t)
		if _, err := h.svc.ForFamily(ctx, other, h.patient.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another family listed the files: %v", err)
		}
		sec, err := h.svc.ForFamily(ctx, mother, h.patient.ID)
		if err != nil || len(sec.Files) != 1 || sec.Files[0].ID != open {
			t.Fatalf("family section = %+v, %v, want the letter only", sec, err)
		}
		link := sec.Files[0].Link
		f, data, err := h.svc.FamilyDownload(ctx, mother, link)
		if err != nil || string(data) != "Dear family\n" || f.ID != open {
			t.Fatalf("family download: %q %v", data, err)
		}
		log, err := s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: open, PageLimit: 10})
		if err != nil || len(log) != 1 || log[0].UserID != nil || log[0].FamilyAccountID == nil || *log[0].FamilyAccountID != mother.ID ||
			log[0].Email != "sue@example.org" || !log[0].DownloadedAt.Equal(h.now) {
			t.Errorf("download log = %+v, %v, want Sue's download", log, err)
		}

		refused := func(what string, err error, want *apperr.Error) {
			t.Helper()
			if apperr.CodeOf(err) != want.Code {
				t.Errorf("%s: %v, want %v", what, err, want)
			}
		}
		_, _, err = h.svc.FamilyDownload(ctx, other, link)
		refused("another family's link", err, apperr.ErrForbidden)
		_, _, err = h.svc.Download(ctx, access.Me{ID: mother.ID, Actor: h.manager.Actor}, link)
		refused("the family's link, as staff with the same id", err, apperr.ErrNotFound)
		_, _, err = h.svc.Download(ctx, h.manager, link)
		refused("the family's link, as staff", err, apperr.ErrNotFound)
		page, err := h.svc.Get(ctx, h.manager, open)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = h.svc.FamilyDownload(ctx, store.FamilyAccount{ID: h.manager.ID}, page.DownloadLink)
		refused("a staff link, as a family with the staff id", err, apperr.ErrNotFound)
		_, _, err = h.svc.FamilyDownload(ctx, mother, page.DownloadLink)
		refused("a staff link, as the family", err, apperr.ErrNotFound)
		forged := files.SignForTest(h.svc, files.PurposeFamilyDownload, strconv.FormatInt(staff, 10), mother.ID)
		_, _, err = h.svc.FamilyDownload(ctx, mother, forged)
		refused("a link to a staff-only file", err, apperr.ErrNotFound)
		_, _, err = h.svc.FamilyDownload(ctx, mother, link[:len(link)-2]+"xx")
		refused("a changed link", err, apperr.ErrNotFound)

		// Expiry.
		h.now = h.now.Add(files.DefaultLinkTTL)
		_, _, err = h.svc.FamilyDownload(ctx, mother, link)
		if apperr.CodeOf(err) != apperr.Gone {
			t.Errorf("an expired link: %v, want gone", err)
		}
		h.now = h.now.Add(-files.DefaultLinkTTL)

		// The relationship ends: the link, still in date, no longer opens.
		if _, err := h.svc.Registry.SaveRelationshipField(ctx, h.manager, registry.SaveField{ID: rel, Field: registry.FieldEndDate,
			Date: registry.DateInput{Day: "1", Month: "6", Year: "2026"}}); err != nil {
			t.Fatal(err)
		}
		_, _, err = h.svc.FamilyDownload(ctx, mother, link)
		refused("after the relationship ended", err, apperr.ErrNotFound)
		_, err = h.svc.ForFamily(ctx, mother, h.patient.ID)
		refused("listing after the relationship ended", err, apperr.ErrNotFound)
		if log, _ := s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: open, PageLimit: 10}); len(log) != 1 {
			t.Errorf("refused downloads were logged: %+v", log)
		}
	})
}

// TestFamilyLinkAfterThePatientIsDeleted: a family's link in date stops
// opening when the patient is deleted.
func TestFamilyLinkAfterThePatientIsDeleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		h := newHarness(t, s, "file:"+t.TempDir())
		ctx := context.Background()
		if _, err := h.upload(t, h.manager, files.Upload{Name: "letter.txt", Kind: "letter", Data: []byte("Dear family\n")}); err != nil {
			t.Fatal(err)
		}
		mother, _, _ := h.family(t)
		sec, err := h.svc.ForFamily(ctx, mother, h.patient.ID)
		if err != nil || len(sec.Files) != 1 {
			t.Fatalf("family section = %+v, %v", sec, err)
		}
		if err := h.svc.Registry.DeletePatient(ctx, h.manager, h.patient.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.svc.FamilyDownload(ctx, mother, sec.Files[0].Link); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("after the patient was deleted: %v, want not found", err)
		}
	})
}
