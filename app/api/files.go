package api

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"strconv"

	"clinaudit/app/api/apigen"
	"clinaudit/app/apperr"
	"clinaudit/app/files"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Files (the seed's /files): a registry patient's documents through
// files.Service, the pages' own service: the same access rules (who may
// see the registry's identifiers sees them, who may edit it uploads), the
// same checks, encryption, extraction job and download log. Only the
// signed link is not needed: the token authenticates every call.

// filesService is the files' service, or a 404 when files are not set up.
func (a *API) filesService() (*files.Service, error) {
	if a.deps.Files == nil {
		return nil, problem(fiber.StatusNotFound, "Files are not set up on this server")
	}
	return a.deps.Files, nil
}

func patientOwner(id int64) files.Owner {
	return files.Owner{Kind: store.FileOwnerRegistryPatient, ID: id}
}

// ListPatientFiles is a page of a patient's files, newest first.
func (a *API) ListPatientFiles(ctx context.Context, req apigen.ListPatientFilesRequestObject) (apigen.ListPatientFilesResponseObject, error) {
	svc, err := a.filesService()
	if err != nil {
		return nil, err
	}
	page, err := cursorPage(req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	fs, err := svc.Files(ctx, callerOf(ctx).Me, patientOwner(req.Id))
	if err != nil {
		return nil, err
	}
	out := apigen.ListPatientFiles200JSONResponse{Items: []apigen.File{}}
	for _, f := range fs[min(len(fs), (page-1)*pageSize):min(len(fs), page*pageSize)] {
		out.Items = append(out.Items, fileOf(f))
	}
	out.NextCursor = nextCursor(page, (len(fs)+pageSize-1)/pageSize)
	return out, nil
}

// pageSize is a list's page, as the other lists' (docs/api.md).
const pageSize = 25

// UploadPatientFile stores one file posted as the upload form posts it:
// the parts file, kind and staff_only. The file part is read once, into
// the Upload the service checks; a file over the limit is not read at all
// (counted only), as the page does not read it.
func (a *API) UploadPatientFile(ctx context.Context, req apigen.UploadPatientFileRequestObject) (apigen.UploadPatientFileResponseObject, error) {
	svc, err := a.filesService()
	if err != nil {
		return nil, err
	}
	u, err := readUpload(req.Body, svc.Max())
	if err != nil {
		return nil, err
	}
	me := callerOf(ctx).Me
	id, err := svc.UploadTo(ctx, me, patientOwner(req.Id), u)
	var fe files.FieldErrors
	if errors.As(err, &fe) {
		return nil, uploadProblem(fe, svc.Max())
	}
	if err != nil {
		return nil, err
	}
	f, err := svc.File(ctx, me, id)
	if err != nil {
		return nil, err
	}
	loc := Prefix + "/files/" + strconv.FormatInt(id, 10)
	return apigen.UploadPatientFile201JSONResponse{Body: fileOf(f), Headers: apigen.UploadPatientFile201ResponseHeaders{Location: &loc}}, nil
}

// readUpload reads the form's parts (the contract has checked their names
// and types). Parts after the first file are left unread.
func readUpload(mr *multipart.Reader, max int64) (files.Upload, error) {
	var u files.Upload
	seen := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, nil
		}
		if err != nil {
			return u, problem(fiber.StatusBadRequest, "The multipart body could not be read: "+err.Error())
		}
		switch part.FormName() {
		case "file":
			if seen {
				continue
			}
			seen = true
			u.Name = files.SentName(part.Header.Get(fiber.HeaderContentDisposition), part.FileName())
			if u.Data, err = io.ReadAll(io.LimitReader(part, max+1)); err != nil {
				return u, problem(fiber.StatusBadRequest, "The file part could not be read: "+err.Error())
			}
			rest, err := io.Copy(io.Discard, part) // counted, not kept
			if err != nil {
				return u, problem(fiber.StatusBadRequest, "The file part could not be read: "+err.Error())
			}
			u.Size = int64(len(u.Data)) + rest
			if u.Size > max {
				u.Data = nil
			}
		case "kind", "staff_only":
			b, err := io.ReadAll(io.LimitReader(part, 1000))
			if err != nil {
				return u, problem(fiber.StatusBadRequest, "The form could not be read: "+err.Error())
			}
			if part.FormName() == "kind" {
				u.Kind = string(b)
			} else {
				u.StaffOnly, _ = strconv.ParseBool(string(b)) // the contract has checked it
			}
		}
	}
}

// uploadProblem is the page's refusal as a problem: the file too big is
// 413, of a type not accepted 415, anything else 422; the messages are
// the page's, by the field.
func uploadProblem(fe files.FieldErrors, max int64) *Problem {
	p := fieldProblem(fe)
	for _, e := range fe {
		switch {
		case e.Field == "file" && e.Message == files.TooBig(max):
			p.Status, p.Title, p.Type, p.Detail = fiber.StatusRequestEntityTooLarge, httpTitle(413), problemType(413), e.Message
		case e.Field == "file" && e.Message == files.MsgType:
			p.Status, p.Title, p.Type, p.Detail = fiber.StatusUnsupportedMediaType, httpTitle(415), problemType(415), e.Message
		}
	}
	return p
}

// GetFile is a file's metadata.
func (a *API) GetFile(ctx context.Context, req apigen.GetFileRequestObject) (apigen.GetFileResponseObject, error) {
	svc, err := a.filesService()
	if err != nil {
		return nil, err
	}
	f, err := registryFile(ctx, svc, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetFile200JSONResponse(fileOf(f)), nil
}

// GetFileContent sends a file's bytes with the headers of every download,
// logged as the token's account's download.
func (a *API) GetFileContent(ctx context.Context, req apigen.GetFileContentRequestObject) (apigen.GetFileContentResponseObject, error) {
	svc, err := a.filesService()
	if err != nil {
		return nil, err
	}
	if _, err := registryFile(ctx, svc, req.Id); err != nil {
		return nil, err // before Open: nothing is logged for a file out of reach
	}
	f, data, err := svc.Open(ctx, callerOf(ctx).Me, req.Id)
	if err != nil {
		return nil, err
	}
	return fileContent{f: f, data: data}, nil
}

// registryFile is a file the caller may see that belongs to a registry
// patient: an audit child's file is out of a registry token's reach, so
// it is not found, as a file of another organisation is.
func registryFile(ctx context.Context, svc *files.Service, id int64) (store.File, error) {
	f, err := svc.File(ctx, callerOf(ctx).Me, id)
	if err == nil && f.OwnerKind != store.FileOwnerRegistryPatient {
		err = apperr.ErrNotFound
	}
	return f, err
}

// fileContent answers with the file, as the pages' download does.
type fileContent struct {
	f    store.File
	data []byte
}

func (r fileContent) VisitGetFileContentResponse(c *fiber.Ctx) error {
	for k, v := range files.DownloadHeaders(r.f) {
		c.Set(k, v)
	}
	return c.Status(fiber.StatusOK).Send(r.data)
}

func fileOf(f store.File) apigen.File {
	return apigen.File{Id: f.ID, PatientId: f.OwnerID, Name: f.Name, Kind: f.Kind, ContentType: f.ContentType, Size: f.Size,
		StaffOnly: f.StaffOnly, Extraction: opt(f.Extraction), UploadedAt: f.CreatedAt.UTC(),
		ContentUrl: Prefix + "/files/" + strconv.FormatInt(f.ID, 10) + "/content"}
}
