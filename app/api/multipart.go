package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Multipart bodies (the file upload). kin-openapi's own multipart decoder
// reads every part into a string, and its request validation copies the
// whole body first: a 10 MB file would be held three times over before
// the handler reads it once more. Here a multipart body is validated
// straight from the request's buffer, its binary parts streamed past
// (counted, never kept), the other parts decoded by the schema and the
// result validated by the same schema as any body; the handler then reads
// the file part once. The decoder is also registered with kin-openapi for
// multipart/form-data, so any other validation of such a body (the tests')
// behaves the same.

func init() {
	openapi3filter.RegisterBodyDecoder("multipart/form-data", decodeMultipart)
}

// maxFormValue bounds a non-file part.
const maxFormValue = 64 << 10

// isMultipart reports whether the request's body is multipart/form-data.
func isMultipart(contentType string) (boundary string, ok bool) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", false
	}
	return params["boundary"], true
}

// decodeMultipart is a kin-openapi body decoder for multipart/form-data
// that keeps no binary part: each is read through and stands as "".
func decodeMultipart(body io.Reader, header http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	boundary, ok := isMultipart(header.Get("Content-Type"))
	if !ok {
		return nil, errors.New("a multipart/form-data body needs a boundary")
	}
	if schema == nil || schema.Value == nil || !schema.Value.Type.Is("object") {
		return nil, errors.New("unsupported schema of request body")
	}
	obj := map[string]any{}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return obj, nil
		}
		if err != nil {
			return nil, fmt.Errorf("the multipart body: %w", err)
		}
		name := part.FormName()
		prop := schema.Value.Properties[name]
		if prop == nil || prop.Value == nil {
			return nil, &partError{name, "is not a field of this form"}
		}
		if _, dup := obj[name]; dup {
			return nil, &partError{name, "is sent twice"}
		}
		if prop.Value.Type.Is("string") && prop.Value.Format == "binary" {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, fmt.Errorf("part %s: %w", name, err)
			}
			obj[name] = ""
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormValue+1))
		if err != nil {
			return nil, fmt.Errorf("part %s: %w", name, err)
		}
		if len(b) > maxFormValue {
			return nil, &partError{name, fmt.Sprintf("is longer than %d bytes", maxFormValue)}
		}
		v, err := formValue(string(b), prop.Value)
		if err != nil {
			return nil, &partError{name, err.Error()}
		}
		obj[name] = v
	}
}

// partError is a part the form's schema refuses.
type partError struct{ field, message string }

func (e *partError) Error() string { return "part " + e.field + ": " + e.message }

// formValue is a form part's text as its schema's type.
func formValue(s string, sc *openapi3.Schema) (any, error) {
	switch {
	case sc.Type.Is("boolean"):
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	case sc.Type.Is("integer"):
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return n, nil
	}
	return s, nil
}

// validateMultipart checks a multipart body against the operation's
// schema, reading it from the request's own buffer.
func validateMultipart(route *routers.Route, contentType string, body []byte) *Problem {
	op := route.Operation
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return problem(400, "This operation takes no body")
	}
	mt := op.RequestBody.Value.Content.Get("multipart/form-data")
	if mt == nil || mt.Schema == nil {
		return problem(400, `header Content-Type has unexpected value "multipart/form-data"`)
	}
	v, err := decodeMultipart(bytes.NewReader(body), http.Header{"Content-Type": {contentType}}, mt.Schema, nil)
	if err == nil {
		err = mt.Schema.Value.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.MultiErrors())
	}
	var pe *partError
	switch {
	case errors.As(err, &pe):
		p := problem(400, "The request does not match the API's contract ("+Prefix+"/openapi.json)")
		p.Errors = []FieldIssue{{Field: pe.field, Message: "The part " + pe.message}}
		return p
	case err != nil:
		return contractProblem(err)
	}
	return nil
}

// bodyDigest fingerprints a request's body for Idempotency-Key: a
// multipart body by its parts (names, file names, types, contents), since
// a client's retry draws a new boundary; any other by its bytes.
func bodyDigest(contentType string, body []byte) string {
	h := sha256.New()
	boundary, ok := isMultipart(contentType)
	if !ok {
		h.Write(body)
		return hex.EncodeToString(h.Sum(nil))
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				h.Write(body) // unreadable: its bytes then
			}
			return "multipart " + hex.EncodeToString(h.Sum(nil))
		}
		fmt.Fprintf(h, "%q %q %q\n", part.FormName(), part.Header.Get("Content-Disposition"), part.Header.Get("Content-Type"))
		n, _ := io.Copy(h, part)
		fmt.Fprintf(h, "\n%d\n", n)
	}
}
