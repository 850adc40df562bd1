package files

import (
	"bytes"
	"fmt"
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"clinaudit/app/children"
)

// FieldErrors are an upload form's problems, by field (the app's one form
// error type).
type FieldErrors = children.FieldErrors

// Kinds of file, as the upload form offers them.
var Kinds = []struct{ Code, Label string }{
	{"genetic_report", "Genetic test report"}, {"letter", "Clinic letter"}, {"consent", "Consent form"}, {"other", "Other document"},
}

// KindLabel is a kind's label.
func KindLabel(code string) string {
	for _, k := range Kinds {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// Content types accepted, decided from the bytes (never the name or the
// browser's claim).
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeText = "text/plain; charset=utf-8"
)

// Sniff decides a file's type by its first bytes; "" for anything not
// accepted. Plain text is valid UTF-8 with no control characters other
// than tab, line feed, carriage return and form feed: that refuses
// executables, archives and office files, which are binary. HTML is
// refused too, though it is text: it is the one text a browser could be
// talked into running.
func Sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return TypeJPEG
	}
	if !utf8.Valid(b) || looksLikeHTML(b) {
		return ""
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return ""
		}
	}
	return TypeText
}

func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(b[:min(len(b), 512)])))
	for _, p := range []string{"<!doctype", "<html", "<script", "<svg", "<?xml", "<body", "<head", "<iframe"} {
		if strings.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// Extension is the name ending that matches a content type.
func Extension(contentType string) string {
	switch contentType {
	case TypePDF:
		return ".pdf"
	case TypePNG:
		return ".png"
	case TypeJPEG:
		return ".jpg"
	}
	return ".txt"
}

// Upload is a file as sent.
type Upload struct {
	Name      string
	Kind      string
	StaffOnly bool
	Data      []byte
	// Size is the size the form said, which may be more than Data holds
	// when the form was cut short; 0 is len(Data).
	Size int64
}

// MsgType refuses a file whose bytes are of no accepted type (the API
// answers it 415).
const MsgType = "The selected file must be a PDF, a PNG or JPEG image, or plain text"

// TooBig refuses a file over maxSize (the API answers it 413).
func TooBig(maxSize int64) string { return "The selected file must be smaller than " + Bytes(maxSize) }

// Check decides whether an upload may be stored: it returns its content
// type, or the problems by field ("file", "kind"). Nothing is stored
// unless this passes.
func Check(u Upload, maxSize int64) (string, FieldErrors) {
	var errs FieldErrors
	add := func(f, m string) { errs = append(errs, children.FieldError{Field: f, Message: m}) }
	size := u.Size
	if size == 0 {
		size = int64(len(u.Data))
	}
	var ct string
	switch {
	case u.Name == "" && size == 0:
		add("file", "Choose a file to upload")
	case size == 0:
		add("file", "The selected file is empty")
	case size > maxSize:
		add("file", TooBig(maxSize))
	case badName(u.Name) != "":
		add("file", badName(u.Name))
	default:
		if ct = Sniff(u.Data); ct == "" {
			add("file", MsgType)
		}
	}
	if KindLabel(u.Kind) == u.Kind {
		add("kind", "Select what the document is")
	}
	return ct, errs
}

// SentName is the file name as the client sent it in the part's
// Content-Disposition: Go's multipart reader keeps only its last path
// element, which would store "../../etc/passwd" as "passwd" without a
// word; the name is refused instead (Check), with a message. parsed is
// the reader's name, used when the header has none.
func SentName(disposition, parsed string) string {
	if _, params, err := mime.ParseMediaType(disposition); err == nil && params["filename"] != "" {
		return params["filename"]
	}
	return parsed
}

// badName is the problem with a file's name, or "": a name is shown on
// pages and in the download's Content-Disposition, so it may not carry a
// path, control characters or quotes.
func badName(n string) string {
	switch {
	case strings.ContainsAny(n, `/\`) || n == "." || n == ".." || path.Base(n) != n:
		return "The file name must not contain / or \\ (a folder path): rename the file and choose it again"
	case strings.ContainsAny(n, "\"<>|:*?") || strings.IndexFunc(n, unicode.IsControl) >= 0:
		return `The file name must not contain " < > | : * ? or control characters: rename the file and choose it again`
	case utf8.RuneCountInString(n) > 200:
		return "The file name must be 200 characters or fewer"
	case !utf8.ValidString(n):
		return "The file name is not readable text: rename the file and choose it again"
	}
	return ""
}

// Bytes is a size as people read it: 10 MB, 512 KB.
func Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
