// Package files keeps documents for registry patients and audit children
// (issue 18, docs/files.md): encrypted in private object storage under
// random names, reached only through short-lived signed links issued after
// an access check, every download logged; genetic reports are read by a
// job that proposes their variants for a person to confirm.
package files

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/family"
	"clinaudit/app/jobargs"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"gocloud.dev/blob"
)

// DefaultMaxSize is the largest file accepted unless configured.
const DefaultMaxSize = 10 << 20

// Service runs the files' operations.
type Service struct {
	Store    store.Store
	Bucket   *blob.Bucket
	Keys     *Keyring
	Registry *registry.Service
	Children *children.Service
	// MaxSize is the largest file accepted (DefaultMaxSize when 0).
	MaxSize int64
	// LinkTTL is how long a signed link lasts (DefaultLinkTTL when 0).
	LinkTTL time.Duration
	// Families decides which patients a family account reaches
	// (family.Service.PatientOf, the private area's one rule); nil:
	// families reach no file.
	Families *family.Service
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Max is the size limit in force.
func (s *Service) Max() int64 {
	if s.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return s.MaxSize
}

func (s *Service) ttl() time.Duration {
	if s.LinkTTL <= 0 {
		return DefaultLinkTTL
	}
	return s.LinkTTL
}

// Section is a record's files as its page shows them.
type Section struct {
	Record
	Files     []store.File
	Proposals []store.FileProposal
	// UploadLink signs the upload form, for CanChange only.
	UploadLink string
}

// Section lists a record's files for me, with an upload link if me may
// upload. Errors: as authorize.
func (s *Service) Section(ctx context.Context, me access.Me, o Owner) (Section, error) {
	r, err := s.authorize(ctx, me, o, see)
	if err != nil {
		return Section{}, err
	}
	out := Section{Record: r}
	fs, err := s.Store.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: o.Kind, OwnerID: o.ID})
	if err != nil {
		return out, err
	}
	out.Files = fs
	if out.Proposals, err = s.Store.ListFileProposalsOf(ctx, store.ListFileProposalsOfParams{OwnerKind: o.Kind, OwnerID: o.ID}); err != nil {
		return out, err
	}
	if r.CanChange {
		out.UploadLink = sign(s.Keys.linkKey(), Link{Purpose: PurposeUpload, Subject: o.String(), UserID: me.ID, Expires: s.now().Add(s.ttl())})
	}
	return out, nil
}

// linkErr turns a refused link into what the user is told.
func linkErr(err error, purpose string) error {
	switch {
	case errors.Is(err, ErrLinkExpired) && purpose == PurposeUpload:
		return apperr.New(apperr.Gone, "This upload form has expired: it lasts a few minutes. Go back, reload the page and choose the file again.")
	case errors.Is(err, ErrLinkExpired) && purpose == PurposeFamilyDownload:
		return apperr.New(apperr.Gone, "This download link has expired: links last a few minutes. Reload your patient's page for a new one.")
	case errors.Is(err, ErrLinkExpired):
		return apperr.New(apperr.Gone, "This download link has expired: links last a few minutes. Open the file's page again for a new one.")
	case errors.Is(err, ErrLinkUser) && purpose == PurposeFamilyDownload:
		return apperr.New(apperr.Forbidden, "This link was made for someone else. Sign in yourself for links of your own.")
	case errors.Is(err, ErrLinkUser):
		return apperr.New(apperr.Forbidden, "This link was made for someone else. Open the file's page yourself for a link of your own.")
	}
	return apperr.New(apperr.NotFound, "This link is not valid.")
}

// UploadOwner is the record an upload link is for, checked for me (its
// signature, expiry and user), so a refused form can be shown again.
func (s *Service) UploadOwner(ctx context.Context, me access.Me, token string) (Owner, error) {
	l, err := verify(s.Keys.linkKey(), token, PurposeUpload, me.ID, s.now())
	if err != nil {
		return Owner{}, linkErr(err, PurposeUpload)
	}
	o, err := ParseOwner(l.Subject)
	if err != nil {
		return Owner{}, apperr.New(apperr.NotFound, "This link is not valid.")
	}
	return o, nil
}

// Upload stores a file through an upload link: the link checked, access
// checked again, the file checked (FieldErrors: nothing stored), its
// bytes encrypted under a random object name, then its row and, for a
// genetic report, the extraction job, in one transaction. An object whose
// row could not be written is deleted again. Errors: FieldErrors,
// apperr (link refused, access), the bucket's and the store's.
func (s *Service) Upload(ctx context.Context, me access.Me, token string, u Upload) (int64, error) {
	o, err := s.UploadOwner(ctx, me, token)
	if err != nil {
		return 0, err
	}
	return s.put(ctx, me, o, u)
}

// put stores u for o once access is checked again: the upload's one path,
// through a link (Upload) or the API (UploadTo).
func (s *Service) put(ctx context.Context, me access.Me, o Owner, u Upload) (int64, error) {
	if _, err := s.authorize(ctx, me, o, change); err != nil {
		return 0, err
	}
	ct, errs := Check(u, s.Max())
	if len(errs) > 0 {
		return 0, errs
	}
	object := newObjectName()
	sealed := s.Keys.Seal(object, u.Data)
	if err := s.Bucket.WriteAll(ctx, object, sealed.Data, &blob.WriterOptions{ContentType: "application/octet-stream"}); err != nil {
		return 0, fmt.Errorf("files: store object: %w", err)
	}
	var id int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		// Only a registry patient has genetic findings to propose into.
		extraction := ""
		if u.Kind == "genetic_report" && o.Kind == store.FileOwnerRegistryPatient {
			extraction = "pending"
		}
		var by *int64
		if me.ID != 0 {
			by = &me.ID
		}
		var err error
		id, err = tx.InsertFile(ctx, store.InsertFileParams{OwnerKind: o.Kind, OwnerID: o.ID, ObjectName: object, Name: u.Name,
			ContentType: ct, Size: int64(len(u.Data)), Kind: u.Kind, StaffOnly: u.StaffOnly, KeyID: sealed.KeyID,
			WrappedKey: sealed.WrappedKey, Extraction: extraction, CreatedAt: s.now(), CreatedBy: by})
		if err != nil || extraction == "" {
			return err
		}
		return tx.InsertJob(ctx, jobargs.ExtractFileArgs{FileID: id}, nil)
	})
	if err != nil {
		_ = s.Bucket.Delete(context.WithoutCancel(ctx), object)
		return 0, err
	}
	return id, nil
}

// Page is a file as its page shows it.
type Page struct {
	File      store.File
	Record    Record
	Downloads []store.FileDownload
	// DownloadLink is a fresh signed link for me.
	DownloadLink string
	Expires      time.Time
}

// Get is a file's page for me: access checked, a download link issued.
// Errors: apperr.ErrNotFound, apperr.ErrForbidden, the store's.
func (s *Service) Get(ctx context.Context, me access.Me, id int64) (Page, error) {
	f, r, err := s.fileFor(ctx, me, id, see)
	if err != nil {
		return Page{}, err
	}
	p := Page{File: f, Record: r, Expires: s.now().Add(s.ttl())}
	p.DownloadLink = sign(s.Keys.linkKey(), Link{Purpose: PurposeDownload, Subject: strconv.FormatInt(id, 10), UserID: me.ID, Expires: p.Expires})
	p.Downloads, err = s.Store.ListFileDownloads(ctx, store.ListFileDownloadsParams{FileID: id, PageLimit: 100})
	return p, err
}

// Download opens a file through a download link: the link checked (its
// signature, expiry and user), then access again and that the file and
// its record are not deleted; the download is logged. Errors: apperr
// (link refused, access, deleted), the bucket's and the store's.
func (s *Service) Download(ctx context.Context, me access.Me, token string) (store.File, []byte, error) {
	l, err := verify(s.Keys.linkKey(), token, PurposeDownload, me.ID, s.now())
	if err != nil {
		return store.File{}, nil, linkErr(err, PurposeDownload)
	}
	id, err := strconv.ParseInt(l.Subject, 10, 64)
	if err != nil {
		return store.File{}, nil, linkErr(ErrLinkInvalid, PurposeDownload)
	}
	f, _, err := s.fileFor(ctx, me, id, see)
	if err != nil {
		return f, nil, err
	}
	return s.deliver(ctx, f, store.InsertFileDownloadParams{UserID: &me.ID})
}

// deliver opens a file whose access has been checked and logs the
// download by who (a user or a family account), staff's and families'
// downloads alike.
func (s *Service) deliver(ctx context.Context, f store.File, who store.InsertFileDownloadParams) (store.File, []byte, error) {
	data, err := s.read(ctx, f.ObjectName, f.KeyID, f.WrappedKey)
	if err != nil {
		return f, nil, err
	}
	who.FileID, who.DownloadedAt = f.ID, s.now()
	if err := s.Store.InsertFileDownload(ctx, who); err != nil {
		return f, nil, err
	}
	return f, data, nil
}

// read fetches and decrypts an object.
func (s *Service) read(ctx context.Context, object, keyID, wrapped string) ([]byte, error) {
	sealed, err := s.Bucket.ReadAll(ctx, object)
	if err != nil {
		return nil, fmt.Errorf("files: read object: %w", err)
	}
	return s.Keys.Open(object, keyID, wrapped, sealed)
}

// Decide confirms a proposal, adding it to the patient's genetic findings
// through package registry (which checks it as any finding), or rejects
// it. Errors: apperr.ErrNotFound, apperr.ErrForbidden, apperr Conflict
// (decided already), registry.FieldErrors, the store's.
func (s *Service) Decide(ctx context.Context, me access.Me, proposalID int64, confirm bool) (store.FileProposal, error) {
	p, err := s.Store.GetFileProposal(ctx, proposalID)
	if errors.Is(err, store.ErrNotFound) {
		return p, apperr.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	if _, _, err := s.fileFor(ctx, me, p.FileID, change); err != nil {
		return p, err
	}
	if p.Status != "proposed" {
		return p, apperr.New(apperr.Conflict, "This proposal was confirmed or rejected already.")
	}
	now := s.now()
	d := store.DecideFileProposalParams{Status: "rejected", DecidedAt: &now, DecidedBy: &me.ID, ID: p.ID}
	if confirm {
		if p.OwnerKind != store.FileOwnerRegistryPatient {
			return p, apperr.New(apperr.Conflict, "Only a registry patient's findings can be added from a report.")
		}
		fid, err := s.Registry.SaveFinding(ctx, me, p.OwnerID, 0, 0, findingOf(ctx, s, p), registry.CauseJob)
		if err != nil {
			return p, err
		}
		d.Status, d.FindingID = "confirmed", &fid
	}
	n, err := s.Store.DecideFileProposal(ctx, d)
	if err == nil && n == 0 {
		err = apperr.New(apperr.Conflict, "This proposal was confirmed or rejected already.")
	}
	return p, err
}

// findingOf is a proposal as a finding: a gene outside the registry's
// list is "Other" with the symbol kept in the source.
func findingOf(ctx context.Context, s *Service, p store.FileProposal) registry.FindingInput {
	gene, note := p.Gene, ""
	if reg, err := s.Registry.Get(ctx, access.Actor{Role: access.RegistryViewer}, registry.Slugs()[0]); err == nil {
		known := false
		for _, g := range reg.Genes {
			known = known || g == gene
		}
		if !known {
			gene = "Other"
			if p.Gene != "" {
				note = " (gene " + p.Gene + ")"
			}
		}
	}
	variant := p.Variant
	if p.Transcript != "" && !strings.HasPrefix(variant, "p.") {
		variant = p.Transcript + ":" + variant
	}
	if p.Protein != "" && p.Protein != p.Variant {
		note += ", " + p.Protein
	}
	return registry.FindingInput{Gene: gene, Variant: variant, Classification: p.Classification,
		SourceReport: "Report " + p.FileName + note + ", read by the extraction job and confirmed"}
}
