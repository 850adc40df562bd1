package files

import (
	"context"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// The API's path (app/api): its caller is authenticated by a bearer token
// on every call, so there is no page to draw a signed link on. Access is
// decided by the same rules (authorize) as the pages, afresh at each call,
// and the rest (checks, encryption, the extraction job, the download log)
// is the pages' own code.

// UploadTo stores u for o as the upload form does (Upload), without a
// link. Errors: as Upload.
func (s *Service) UploadTo(ctx context.Context, me access.Me, o Owner, u Upload) (int64, error) {
	return s.put(ctx, me, o, u)
}

// Files lists o's files for me (newest first, as the page lists them).
// Errors: as authorize.
func (s *Service) Files(ctx context.Context, me access.Me, o Owner) ([]store.File, error) {
	if _, err := s.authorize(ctx, me, o, see); err != nil {
		return nil, err
	}
	return s.Store.ListFilesOf(ctx, store.ListFilesOfParams{OwnerKind: o.Kind, OwnerID: o.ID})
}

// File is a file's row for me: not deleted, its record within reach.
// Errors: apperr.ErrNotFound, apperr.ErrForbidden, the store's.
func (s *Service) File(ctx context.Context, me access.Me, id int64) (store.File, error) {
	f, _, err := s.fileFor(ctx, me, id, see)
	return f, err
}

// Open reads a file me may see and logs the download as me's, as a
// download through a link does. Errors: as File, the bucket's.
func (s *Service) Open(ctx context.Context, me access.Me, id int64) (store.File, []byte, error) {
	f, _, err := s.fileFor(ctx, me, id, see)
	if err != nil {
		return f, nil, err
	}
	return s.deliver(ctx, f, store.InsertFileDownloadParams{UserID: &me.ID})
}

// DownloadHeaders are the headers every download is sent with, staff's,
// families' and the API's: always an attachment, with the type its bytes
// were checked to be, never sniffed, never cached, sandboxed.
func DownloadHeaders(f store.File) map[string]string {
	return map[string]string{
		"Content-Type":            f.ContentType,
		"Content-Disposition":     `attachment; filename="` + asciiName(f) + `"; filename*=UTF-8''` + pathEscape(f.Name),
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Security-Policy": "default-src 'none'; sandbox",
	}
}

// asciiName is the file's name for old clients: ASCII letters, digits and
// . _ - only, with the extension its type has.
func asciiName(f store.File) string {
	var b strings.Builder
	base := strings.TrimSuffix(f.Name, f.Name[strings.LastIndex(f.Name, ".")+1:])
	for _, r := range strings.TrimSuffix(base, ".") {
		if r < 128 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		b.WriteString("file-" + strconv.FormatInt(f.ID, 10))
	}
	return b.String() + Extension(f.ContentType)
}

// pathEscape is RFC 5987's encoding of a filename.
func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 128 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}
