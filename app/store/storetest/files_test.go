package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestFileQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ann := newUser(t, s, "ann@example.org", nil)
		file := func(owner int64, object, kind string) int64 {
			return get[int64](t)(s.InsertFile(ctx, store.InsertFileParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: owner,
				ObjectName: object, Name: object + ".pdf", ContentType: "application/pdf", Size: 10, Kind: kind, KeyID: "k1",
				WrappedKey: "w-" + object, Extraction: "pending", CreatedAt: at(0), CreatedBy: &ann}))
		}
		a, b := file(7, "obj-a", "genetic_report"), file(7, "obj-b", "letter")
		c := file(8, "obj-c", "consent")
		_, err := s.InsertFile(ctx, store.InsertFileParams{OwnerKind: store.FileOwnerChild, OwnerID: 1, ObjectName: "obj-a", Name: "x",
			ContentType: "text/plain", Size: 1, Kind: "other", KeyID: "k1", WrappedKey: "w", CreatedAt: at(0)})
		wantConflict(t, "InsertFile with a taken object name", err)
		f := get[store.File](t)(s.GetFile(ctx, a))
		if f.OwnerID != 7 || f.ObjectName != "obj-a" || f.Extraction != "pending" || *f.CreatedBy != ann || f.DeletedAt != nil || !f.CreatedAt.Equal(at(0)) {
			t.Errorf("GetFile = %+v", f)
		}
		_, err = s.GetFile(ctx, c+100)
		wantNotFound(t, "GetFile", err)
		if fs := get[[]store.File](t)(s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})); len(fs) != 2 || fs[0].ID != b {
			t.Errorf("ListFilesOf = %+v, want b then a", fs)
		}
		n, err := s.SetFileExtraction(ctx, store.SetFileExtractionParams{Extraction: "done", ExtractionNote: "1 variant proposed.", ID: a})
		wantRows(t, "SetFileExtraction", n, err, 1)

		// Proposals: listed for the owner, decided once.
		p := get[int64](t)(s.InsertFileProposal(ctx, store.InsertFileProposalParams{FileID: a, Gene: "MECP2", Variant: "c.473C>T",
			Transcript: "NM_004992.4", Protein: "p.(Thr158Met)", Classification: "pathogenic", Evidence: "line"}))
		q := get[int64](t)(s.InsertFileProposal(ctx, store.InsertFileProposalParams{FileID: a, Gene: "CDKL5", Variant: "c.175C>T"}))
		got := get[store.FileProposal](t)(s.GetFileProposal(ctx, p))
		if got.OwnerKind != store.FileOwnerRegistryPatient || got.OwnerID != 7 || got.FileName != "obj-a.pdf" || got.Status != "proposed" || got.Protein != "p.(Thr158Met)" {
			t.Errorf("GetFileProposal = %+v", got)
		}
		_, err = s.GetFileProposal(ctx, q+100)
		wantNotFound(t, "GetFileProposal", err)
		fid := int64(42)
		n, err = s.DecideFileProposal(ctx, store.DecideFileProposalParams{Status: "confirmed", DecidedAt: ptr(at(1)), DecidedBy: &ann, FindingID: &fid, ID: p})
		wantRows(t, "DecideFileProposal", n, err, 1)
		n, err = s.DecideFileProposal(ctx, store.DecideFileProposalParams{Status: "rejected", DecidedAt: ptr(at(2)), DecidedBy: &ann, ID: p})
		wantRows(t, "DecideFileProposal twice", n, err, 0)
		if ps := get[[]store.FileProposal](t)(s.ListFileProposalsOf(ctx, store.ListFileProposalsOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})); len(ps) != 1 || ps[0].ID != q {
			t.Errorf("ListFileProposalsOf = %+v, want the undecided one", ps)
		}
		n, err = s.DeleteFileProposals(ctx, a)
		wantRows(t, "DeleteFileProposals (undecided only)", n, err, 1)

		// Downloads, newest first, with who.
		check(t, s.InsertFileDownload(ctx, store.InsertFileDownloadParams{FileID: a, UserID: &ann, DownloadedAt: at(3)}))
		check(t, s.InsertFileDownload(ctx, store.InsertFileDownloadParams{FileID: a, UserID: &ann, DownloadedAt: at(4)}))
		// A family's download: the family account, never a user.
		reg := newRegistry(t, s, "rett")
		jo := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Jo", Surname: "Smith", CreatedAt: at(0)}))
		fam := get[int64](t)(s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: jo, Email: "jo@example.org", CreatedAt: at(0)}))
		check(t, s.InsertFileDownload(ctx, store.InsertFileDownloadParams{FileID: a, FamilyAccountID: &fam, DownloadedAt: at(5)}))
		if ds := get[[]store.FileDownload](t)(s.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: a, PageLimit: 10})); len(ds) != 3 ||
			!ds[1].DownloadedAt.Equal(at(4)) || ds[1].Email != "ann@example.org" || ds[1].UserID == nil || *ds[1].UserID != ann || ds[1].FamilyAccountID != nil ||
			ds[0].Email != "jo@example.org" || ds[0].UserID != nil || ds[0].FamilyAccountID == nil || *ds[0].FamilyAccountID != fam || ds[0].FirstName != "" {
			t.Errorf("ListFileDownloads = %+v", ds)
		}
		err = s.InsertFileDownload(ctx, store.InsertFileDownloadParams{FileID: a, UserID: &ann, FamilyAccountID: &fam, DownloadedAt: at(5)})
		if err == nil {
			t.Error("InsertFileDownload by a user and a family at once: accepted")
		}

		// Keys: listed by id, rewrapped only from the key seen.
		if ks := get[[]store.FileObject](t)(s.ListFileKeys(ctx, store.ListFileKeysParams{AfterID: a, PageLimit: 10})); len(ks) != 2 || ks[0].ID != b || ks[0].WrappedKey != "w-obj-b" {
			t.Errorf("ListFileKeys = %+v", ks)
		}
		n, err = s.UpdateFileKey(ctx, store.UpdateFileKeyParams{KeyID: "k2", WrappedKey: "w2", ID: b, OldKeyID: "k1"})
		wantRows(t, "UpdateFileKey", n, err, 1)
		n, err = s.UpdateFileKey(ctx, store.UpdateFileKeyParams{KeyID: "k3", WrappedKey: "w3", ID: b, OldKeyID: "k1"})
		wantRows(t, "UpdateFileKey from a key no longer there", n, err, 0)

		// Deleted with the record, restored with it, purged after.
		n, err = s.SoftDeleteFilesOf(ctx, store.SoftDeleteFilesOfParams{DeletedAt: ptr(at(5)), OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})
		wantRows(t, "SoftDeleteFilesOf", n, err, 2)
		if fs := get[[]store.File](t)(s.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})); len(fs) != 0 {
			t.Errorf("ListFilesOf after deletion = %d files", len(fs))
		}
		if ps := get[[]store.FileProposal](t)(s.ListFileProposalsOf(ctx, store.ListFileProposalsOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})); len(ps) != 0 {
			t.Errorf("ListFileProposalsOf of deleted files = %d", len(ps))
		}
		n, err = s.RestoreFilesOf(ctx, store.RestoreFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})
		wantRows(t, "RestoreFilesOf", n, err, 2)
		_, _ = s.SoftDeleteFilesOf(ctx, store.SoftDeleteFilesOfParams{DeletedAt: ptr(at(5)), OwnerKind: store.FileOwnerRegistryPatient, OwnerID: 7})
		if ps := get[[]store.FileObject](t)(s.ListFilesToPurge(ctx, store.ListFilesToPurgeParams{Before: ptr(at(6)), PageLimit: 10})); len(ps) != 2 || ps[0].ID != a {
			t.Errorf("ListFilesToPurge = %+v", ps)
		}
		if ps := get[[]store.FileObject](t)(s.ListFilesToPurge(ctx, store.ListFilesToPurgeParams{Before: ptr(at(5)), PageLimit: 10})); len(ps) != 0 {
			t.Errorf("ListFilesToPurge before the deletion = %+v", ps)
		}
		n, err = s.DeleteFile(ctx, a)
		wantRows(t, "DeleteFile (downloads and proposals with it)", n, err, 1)
		_, err = s.GetFileProposal(ctx, q)
		wantNotFound(t, "GetFileProposal of a deleted file", err)
	})
}
