package web

import (
	"clinaudit/app/apperr"
	"clinaudit/app/files"

	"github.com/gofiber/fiber/v2"
)

// A family's view of its patient's files (issues 17 and 18,
// docs/files.md "Families"): the list on the patient's page in the private
// area, each file with a download link signed for the family account, and
// the download those links lead to. package files decides, asking package
// family's rule; staff-only files are never listed or served.

type familyFilesView struct {
	Rows    []familyFileRow
	Expires string
}

type familyFileRow struct {
	files.FamilyFile
	KindLabel, SizeText, Uploaded string
}

// familyFiles is patient id's files for the signed-in family, or nil when
// files are not set up.
func (s *server) familyFiles(c *fiber.Ctx, id int64) (*familyFilesView, error) {
	if s.Files == nil {
		return nil, nil
	}
	sec, err := s.Files.ForFamily(c.UserContext(), familyAccount(c), id)
	if err != nil {
		return nil, err
	}
	v := &familyFilesView{Expires: sec.Expires.In(londonTime).Format("15:04")}
	for _, f := range sec.Files {
		v.Rows = append(v.Rows, familyFileRow{FamilyFile: f, KindLabel: files.KindLabel(f.Kind), SizeText: files.Bytes(f.Size),
			Uploaded: f.CreatedAt.In(londonTime).Format("2 January 2006")})
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // the page holds links
	return v, nil
}

// handleFamilyFileDownload serves a file through a family's link, exactly
// as a staff download is served.
func (s *server) handleFamilyFileDownload(c *fiber.Ctx) error {
	if s.Files == nil {
		return apperr.ErrNotFound
	}
	f, data, err := s.Files.FamilyDownload(c.UserContext(), familyAccount(c), c.Params("token"))
	if err != nil {
		return err
	}
	return sendFile(c, f, data)
}
