package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError is one problem with one field of a document. Path is
// "section.field", with an index for rows: "episodes[1].seizure_onset_date".
type FieldError struct {
	Path    string
	Problem string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Problem }

// Errors lists every problem found in a document, in document order.
type Errors []*FieldError

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Error()
	}
	return strings.Join(msgs, "; ")
}

// orNil returns e as an error, or a true nil when e is empty (a nil Errors
// inside an error interface would not compare equal to nil).
func (e Errors) orNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Decode reads one child's JSON document (docs/data-format.md) and checks it.
//
// It rejects malformed JSON, anything after the document, unknown or
// duplicated fields at every level (names must match exactly, case
// included), values of the wrong type, impossible dates, and codes outside
// their lists (Validate). Problems with fields come back as Errors, every one
// with its path; malformed JSON comes back as a single plain error.
func Decode(r io.Reader) (*Child, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("audit: reading document: %w", err)
	}
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	var d decoder
	c := d.child(data)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Encode writes c as an indented JSON document that Decode reads back to an
// equal Child. Unanswered fields and missing forms are left out.
func Encode(w io.Writer, c *Child) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}

func checkSyntax(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, so the offending character is the
		// one before it, unless the input simply ended.
		at := se.Offset - 1
		if se.Offset >= int64(len(data)) && strings.Contains(se.Error(), "end of JSON input") {
			at = int64(len(data))
		}
		line, col := lineAndColumn(data, at)
		return fmt.Errorf("audit: malformed JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	}
	if err == nil {
		err = errors.New("not valid JSON")
	}
	return fmt.Errorf("audit: malformed JSON: %w", err)
}

func lineAndColumn(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// decoder collects field errors so that one pass reports all of them.
type decoder struct{ errs Errors }

func (d *decoder) fail(path, format string, args ...any) {
	d.errs = append(d.errs, &FieldError{Path: path, Problem: fmt.Sprintf(format, args...)})
}

func (d *decoder) child(data []byte) *Child {
	c := &Child{}
	ms, ok := d.members("document", data)
	if !ok {
		return c
	}
	for _, m := range ms {
		dst, s, ok := c.sectionValue(m.name)
		switch {
		case !ok:
			d.fail(m.name, "unknown field")
		case s.rows:
			d.rows(m.name, m.value, dst)
		default:
			d.form(m.name, m.value, dst)
		}
	}
	return c
}

type member struct {
	name  string
	value json.RawMessage
}

// members splits a JSON object into its members, in order. It reports a
// value that is not an object, and duplicated names (encoding/json would
// silently keep the last).
func (d *decoder) members(path string, raw []byte) ([]member, bool) {
	if kind := jsonKind(raw); kind != "an object" {
		d.fail(path, "expected an object, got %s", kind)
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '{'; the syntax was checked already
		d.fail(path, "%v", err)
		return nil, false
	}
	var out []member
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			d.fail(path, "%v", err)
			return nil, false
		}
		name, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			d.fail(path, "%v", err)
			return nil, false
		}
		if seen[name] {
			d.fail(join(path, name), "appears more than once")
			continue
		}
		seen[name] = true
		out = append(out, member{name, value})
	}
	return out, true
}

// join builds a field path; the top-level object has no prefix.
func join(path, name string) string {
	if path == "document" {
		return name
	}
	return path + "." + name
}

// form reads one form object into dst, a pointer field of Child; null
// leaves it nil (the form's record does not exist).
func (d *decoder) form(path string, raw json.RawMessage, dst reflect.Value) {
	if isNull(raw) {
		dst.SetZero()
		return
	}
	v := reflect.New(dst.Type().Elem())
	d.object(path, raw, v.Elem())
	dst.Set(v)
}

// rows reads an array of row objects into dst, a slice field of Child;
// null and [] both leave it nil.
func (d *decoder) rows(path string, raw json.RawMessage, dst reflect.Value) {
	dst.SetZero()
	if isNull(raw) {
		return
	}
	var elems []json.RawMessage
	if kind := jsonKind(raw); kind != "an array" || json.Unmarshal(raw, &elems) != nil {
		d.fail(path, "expected an array of objects, got %s", kind)
		return
	}
	if len(elems) == 0 {
		return
	}
	rows := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
	for i, e := range elems {
		d.object(fmt.Sprintf("%s[%d]", path, i), e, rows.Index(i))
	}
	dst.Set(rows)
}

// object decodes the members of one JSON object into the struct v, field by
// field, so that every error carries its exact path.
func (d *decoder) object(path string, raw json.RawMessage, v reflect.Value) {
	ms, ok := d.members(path, raw)
	if !ok {
		return
	}
	index := fieldIndex[v.Type()]
	for _, m := range ms {
		i, known := index[m.name]
		fieldPath := path + "." + m.name
		if !known {
			d.fail(fieldPath, "unknown field")
			continue
		}
		d.value(fieldPath, m.value, v.Field(i))
	}
}

var stringSliceType = reflect.TypeFor[[]string]()

// value decodes one field. Fields are pointers (nil = not answered) or
// string slices (empty = nothing chosen).
func (d *decoder) value(path string, raw json.RawMessage, field reflect.Value) {
	if field.Type() == stringSliceType {
		d.stringList(path, raw, field)
		return
	}
	if fastValue(raw, field) {
		return
	}
	err := json.Unmarshal(raw, field.Addr().Interface())
	if err == nil {
		return
	}
	field.SetZero()
	var de *DateError
	if errors.As(err, &de) {
		d.fail(path, "%s", de.Error())
		return
	}
	d.fail(path, "expected %s, got %s", expected(field.Type()), describe(raw))
}

func (d *decoder) stringList(path string, raw json.RawMessage, field reflect.Value) {
	if isNull(raw) {
		return
	}
	var elems []json.RawMessage
	if jsonKind(raw) != "an array" || json.Unmarshal(raw, &elems) != nil {
		d.fail(path, "expected an array of strings, got %s", describe(raw))
		return
	}
	var out []string
	for i, e := range elems {
		var s string
		if jsonKind(e) != "a string" || json.Unmarshal(e, &s) != nil {
			d.fail(fmt.Sprintf("%s[%d]", path, i), "expected a string, got %s", describe(e))
			continue
		}
		out = append(out, s)
	}
	field.Set(reflect.ValueOf(out))
}

var (
	boolPtrType   = reflect.TypeFor[*bool]()
	intPtrType    = reflect.TypeFor[*int]()
	stringPtrType = reflect.TypeFor[*string]()
)

func expected(t reflect.Type) string {
	switch t {
	case boolPtrType:
		return "true, false or null"
	case intPtrType:
		return "a whole number or null"
	case stringPtrType:
		return "a string or null"
	}
	return t.String()
}

// describe shows a short JSON value as given, and a long or nested one by
// its kind, for error messages.
func describe(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch kind := jsonKind(raw); kind {
	case "an object", "an array":
		return kind
	}
	if len(raw) > 40 {
		return string(raw[:37]) + "..."
	}
	return string(raw)
}

func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// fastValue decodes the commonest plain values (true, false, null, a whole
// number, a string with no escapes) without encoding/json, which costs a
// reflection walk per field; anything else it leaves to value.
func fastValue(raw json.RawMessage, field reflect.Value) bool {
	switch field.Type() {
	case boolPtrType:
		switch string(raw) {
		case "true", "false":
			b := string(raw) == "true"
			field.Set(reflect.ValueOf(&b))
			return true
		}
	case intPtrType:
		if !plainInteger(raw) {
			break
		}
		if n, err := strconv.Atoi(string(raw)); err == nil {
			field.Set(reflect.ValueOf(&n))
			return true
		}
	case stringPtrType:
		if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 &&
			bytes.IndexByte(raw[1:len(raw)-1], '"') < 0 && utf8.Valid(raw) && !hasControl(raw) {
			s := string(raw[1 : len(raw)-1])
			field.Set(reflect.ValueOf(&s))
			return true
		}
	}
	if string(raw) == "null" {
		field.SetZero()
		return true
	}
	return false
}

// plainInteger: a JSON whole number (no sign but minus, no leading zero,
// no fraction or exponent).
func plainInteger(raw []byte) bool {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || (digits[0] == '0' && len(digits) > 1) {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasControl: JSON strings may not hold raw control characters.
func hasControl(raw []byte) bool {
	for _, c := range raw {
		if c < 0x20 {
			return true
		}
	}
	return false
}
