package web

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"clinaudit/app/apperr"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Files (issue 18, docs/files.md): the files section of a registry
// patient's and an audit child's page, the signed upload, a file's page
// (its fresh download link and download log), the signed download, and
// confirming or rejecting what the extraction job proposed. package files
// checks access on every call; links are checked there too.

// filesView is a record's files section.
type filesView struct {
	files.Section
	Rows      []fileRow
	Proposals []proposalView
	Kinds     []registry.Choice
	Max       string
	Errors    fieldErrs
	Kind      string
	StaffOnly bool
}

type fileRow struct {
	store.File
	KindLabel, SizeText, Uploaded, ReadText string
}

type proposalView struct {
	store.FileProposal
	ClassificationLabel string
}

var extractionLabels = map[string]string{"pending": "Being read", "done": "Read", "no_text": "No text found", "failed": "Could not be read"}

// filesSection is a record's files section for the actor, or nil when
// files are not set up or the actor may not see them (a registry viewer:
// a report names the patient).
func (s *server) filesSection(c *fiber.Ctx, o files.Owner) (*filesView, error) {
	if s.Files == nil {
		return nil, nil
	}
	sec, err := s.Files.Section(c.UserContext(), me(c), o)
	if errors.Is(err, apperr.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &filesView{Section: sec, Max: files.Bytes(s.Files.Max())}
	for _, k := range files.Kinds {
		v.Kinds = append(v.Kinds, registry.Choice{Code: k.Code, Label: k.Label})
	}
	for _, f := range sec.Files {
		v.Rows = append(v.Rows, fileRow{File: f, KindLabel: files.KindLabel(f.Kind), SizeText: files.Bytes(f.Size),
			Uploaded: f.CreatedAt.In(londonTime).Format("2 January 2006 15:04"), ReadText: extractionLabels[f.Extraction]})
	}
	classes := registry.Definitions[registrySlug()].VariantClassifications
	for _, p := range sec.Proposals {
		v.Proposals = append(v.Proposals, proposalView{FileProposal: p, ClassificationLabel: registry.Label(classes, p.Classification)})
	}
	return v, nil
}

// handleFileUpload takes the upload form, posted to its signed link.
func (s *server) handleFileUpload(c *fiber.Ctx) error {
	if s.Files == nil {
		return apperr.ErrNotFound
	}
	ctx, m, token := c.UserContext(), me(c), c.Params("token")
	o, err := s.Files.UploadOwner(ctx, m, token)
	if err != nil {
		return err
	}
	u := files.Upload{Kind: c.FormValue("kind"), StaffOnly: c.FormValue("staff_only") == "yes"}
	if fh, err := c.FormFile("file"); err == nil {
		u.Name, u.Size = files.SentName(fh.Header.Get(fiber.HeaderContentDisposition), fh.Filename), fh.Size
		if fh.Size > 0 && fh.Size <= s.Files.Max() {
			r, err := fh.Open()
			if err != nil {
				return err
			}
			u.Data, err = io.ReadAll(io.LimitReader(r, s.Files.Max()+1))
			r.Close()
			if err != nil {
				return err
			}
		}
	}
	_, err = s.Files.Upload(ctx, m, token, u)
	var fe files.FieldErrors
	if errors.As(err, &fe) {
		return s.showUploadForm(c, o, u, toFieldErrs(fe))
	}
	if err != nil {
		return err
	}
	sec, err := s.Files.Section(ctx, m, o)
	if err != nil {
		return err
	}
	return c.Redirect(sec.URL+"?done=uploaded#files", fiber.StatusSeeOther)
}

type fileUploadPage struct {
	page
	Files *filesView
}

// showUploadForm shows a refused upload again, with a fresh link and the
// messages by the fields (422).
func (s *server) showUploadForm(c *fiber.Ctx, o files.Owner, u files.Upload, errs fieldErrs) error {
	v, err := s.filesSection(c, o)
	if err != nil {
		return err
	}
	if v == nil {
		return apperr.ErrForbidden
	}
	v.Errors, v.Kind, v.StaffOnly = errs, u.Kind, u.StaffOnly
	c.Status(fiber.StatusUnprocessableEntity)
	return renderPage(c, "pages/file_upload", fileUploadPage{page: s.page(c, "Error: Upload a file for "+v.Label, ""), Files: v})
}

type fileShowPage struct {
	page
	File      fileRow
	Record    files.Record
	Link      string
	Expires   string
	Downloads []downloadRow
}

type downloadRow struct {
	Who, When string
}

// handleFileShow is a file's page: what it is, a download link made now
// for this user, and who downloaded it when.
func (s *server) handleFileShow(c *fiber.Ctx) error {
	if s.Files == nil {
		return apperr.ErrNotFound
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.Files.Get(c.UserContext(), me(c), id)
	if err != nil {
		return err
	}
	f := p.File
	out := fileShowPage{page: s.page(c, f.Name, ""), Record: p.Record, Link: "/files/download/" + p.DownloadLink,
		Expires: p.Expires.In(londonTime).Format("15:04"),
		File: fileRow{File: f, KindLabel: files.KindLabel(f.Kind), SizeText: files.Bytes(f.Size),
			Uploaded: f.CreatedAt.In(londonTime).Format("2 January 2006 15:04"), ReadText: extractionLabels[f.Extraction]}}
	for _, d := range p.Downloads {
		out.Downloads = append(out.Downloads, downloadRow{Who: downloader(d), When: d.DownloadedAt.In(londonTime).Format("2 January 2006 15:04:05")})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return renderPage(c, "pages/file_show", out)
}

// handleFileDownload serves a file through a staff member's signed link.
func (s *server) handleFileDownload(c *fiber.Ctx) error {
	if s.Files == nil {
		return apperr.ErrNotFound
	}
	f, data, err := s.Files.Download(c.UserContext(), me(c), c.Params("token"))
	if err != nil {
		return err
	}
	return sendFile(c, f, data)
}

// downloader is who a download log row names: a staff user, or a family
// account (a family's own download, family_files.go).
func downloader(d store.FileDownload) string {
	switch {
	case d.UserID != nil:
		return strings.TrimSpace(d.FirstName + " " + d.Surname + " (" + d.Email + ")")
	case d.FamilyAccountID != nil:
		return "Family account " + d.Email
	}
	return "A family account since removed"
}

// sendFile sends a file whose link and access have been checked, staff's
// and families' alike, with the headers of every download
// (files.DownloadHeaders: attachment, checked type, nosniff, no-store).
func sendFile(c *fiber.Ctx, f store.File, data []byte) error {
	for k, v := range files.DownloadHeaders(f) {
		c.Set(k, v)
	}
	return c.Send(data)
}

// handleProposal confirms or rejects a proposal, and goes back to the
// record's page.
func (s *server) handleProposal(confirm bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Files == nil {
			return apperr.ErrNotFound
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		p, err := s.Files.Decide(c.UserContext(), me(c), id, confirm)
		var fe registry.FieldErrors
		if errors.As(err, &fe) && len(fe) > 0 {
			return apperr.New(apperr.Conflict, "This proposal cannot be added as it is ("+fe[0].Message+"): add the finding by hand.")
		}
		if err != nil {
			return err
		}
		done := "rejected"
		if confirm {
			done = "confirmed"
		}
		url := "/children/" + strconv.FormatInt(p.OwnerID, 10)
		if p.OwnerKind == store.FileOwnerRegistryPatient {
			url = patientURL(p.OwnerID)
		}
		return c.Redirect(url+"?done=proposal-"+done+"#files", fiber.StatusSeeOther)
	}
}
