package files

import (
	"context"
	"strconv"
	"time"

	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// Families (issues 17 and 18, docs/files.md "Families"): a signed-in
// family account sees, and downloads, the files of the registry patients
// it holds an active relationship with authority for (family.Service's one
// rule, PatientOf, asked at every call), except those marked staff only.
// Never uploads, proposals or the download log. A family session is its
// own kind (store.FamilyAccount, not access.Me), so this is a path of its
// own, and its links a purpose of their own.

// FamilyFile is a file as a family's page lists it, with its download
// link, signed for the account.
type FamilyFile struct {
	store.File
	Link string
}

// FamilySection is a patient's files for a family, and when their links
// expire.
type FamilySection struct {
	Files   []FamilyFile
	Expires time.Time
}

// familyPatient is nil when account a reaches patient id now:
// apperr.ErrNotFound otherwise (another family's patient looks like one
// that does not exist), or the store's error.
func (s *Service) familyPatient(ctx context.Context, a store.FamilyAccount, id int64) error {
	if s.Families == nil {
		return apperr.ErrNotFound
	}
	_, err := s.Families.PatientOf(ctx, a, id)
	return err
}

// ForFamily lists patient id's files that are not staff only, each with a
// download link for account a. Errors: apperr.ErrNotFound, the store's.
func (s *Service) ForFamily(ctx context.Context, a store.FamilyAccount, id int64) (FamilySection, error) {
	if err := s.familyPatient(ctx, a, id); err != nil {
		return FamilySection{}, err
	}
	fs, err := s.Store.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: store.FileOwnerRegistryPatient, OwnerID: id})
	if err != nil {
		return FamilySection{}, err
	}
	out := FamilySection{Expires: s.now().Add(s.ttl())}
	key := s.Keys.linkKey()
	for _, f := range fs {
		if !f.StaffOnly {
			out.Files = append(out.Files, FamilyFile{File: f,
				Link: sign(key, Link{Purpose: PurposeFamilyDownload, Subject: strconv.FormatInt(f.ID, 10), UserID: a.ID, Expires: out.Expires})})
		}
	}
	return out, nil
}

// FamilyDownload opens a file through a family's download link: the link
// checked (signature, purpose, expiry, account), then, now, that the file
// and its patient are not deleted, that the account still reaches the
// patient and that the file is not staff only; the download is logged
// with the family account as who. Errors: apperr (link refused, no
// access: 404), the bucket's and the store's.
func (s *Service) FamilyDownload(ctx context.Context, a store.FamilyAccount, token string) (store.File, []byte, error) {
	l, err := verify(s.Keys.linkKey(), token, PurposeFamilyDownload, a.ID, s.now())
	if err != nil {
		return store.File{}, nil, linkErr(err, PurposeFamilyDownload)
	}
	id, err := strconv.ParseInt(l.Subject, 10, 64)
	if err != nil {
		return store.File{}, nil, linkErr(ErrLinkInvalid, PurposeFamilyDownload)
	}
	f, err := s.liveFile(ctx, id)
	if err != nil {
		return f, nil, err
	}
	if f.OwnerKind != store.FileOwnerRegistryPatient || f.StaffOnly {
		return f, nil, apperr.ErrNotFound
	}
	if err := s.familyPatient(ctx, a, f.OwnerID); err != nil {
		return f, nil, err
	}
	return s.deliver(ctx, f, store.InsertFileDownloadParams{FamilyAccountID: &a.ID})
}
