package export

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/store"
)

// Record-level exports: children's audit documents (docs/data-format.md),
// identifiable or de-identified, as JSON lines or a flat CSV.
// docs/exports.md is the spec.

// Formats of a record export.
const (
	JSONL = "jsonl"
	CSV   = "csv"
)

// Selection is which children an export holds: those whose lead
// organisation is OrganisationID, or (0) every organisation of Scope (a
// trust's or health board's ODS code, the children.scope_code; "" for
// every organisation), in cohort Cohort (0: every cohort). Opted-out and
// deleted children are never exported.
type Selection struct {
	Scope          string
	OrganisationID int64
	Cohort         int64
}

// page is how many children each listing reads.
const page = 500

// EachChild calls fn with every child of sel, in NHS number order, and its
// audit document as answers.Service.Export makes it (the document
// `clinaudit import` reads); a child deleted while the export runs is
// left out. It returns how many children fn was called for.
func EachChild(ctx context.Context, q store.Queries, svc *answers.Service, sel Selection, fn func(store.ChildListItem, *audit.Child) error) (int, error) {
	n := 0
	for offset := int64(0); ; offset += page {
		var items []store.ChildListItem
		var err error
		if sel.Scope == "" {
			items, err = store.ListChildrenSorted(ctx, q, "nhs_number", false, store.ChildListParams{OrganisationID: sel.OrganisationID,
				Cohort: sel.Cohort, PageOffset: offset, PageLimit: page})
		} else {
			items, err = store.ListChildrenInScopeSorted(ctx, q, "nhs_number", false, store.ChildListInScopeParams{Scope: sel.Scope,
				OrganisationID: sel.OrganisationID, Cohort: sel.Cohort, PageOffset: offset, PageLimit: page})
		}
		if err != nil {
			return n, err
		}
		for _, c := range items {
			doc, err := svc.Export(ctx, c.ID)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted since the page was read
			}
			if err != nil {
				return n, err
			}
			if err := fn(c, doc); err != nil {
				return n, err
			}
			n++
		}
		if len(items) < page {
			return n, nil
		}
	}
}

// Options say how records are written: Format JSONL or CSV; Deidentified
// leaves out every identifying field (Deidentify) and names children by a
// pseudonym, HMAC-SHA256 of their id under Key (a random key per export,
// never stored, so the same child has the same pseudonym throughout one
// export and an unrelated one in the next).
type Options struct {
	Format       string
	Deidentified bool
	Key          []byte
}

// RecordWriter writes one export's records.
type RecordWriter struct {
	opts Options
	out  *bufio.Writer
	enc  *json.Encoder
	csv  *csv.Writer
}

// RecordColumns are the columns of the flat CSV, one line per answer.
var RecordColumns = []string{"child", "lead_organisation", "section", "row", "field", "value"}

// NewRecordWriter writes records to w in opts.Format; Close flushes.
func NewRecordWriter(w io.Writer, opts Options) (*RecordWriter, error) {
	if opts.Deidentified && len(opts.Key) < 16 {
		return nil, errors.New("export: a de-identified export needs a key of 16 bytes or more")
	}
	rw := &RecordWriter{opts: opts, out: bufio.NewWriterSize(w, 64<<10)}
	switch opts.Format {
	case JSONL:
		rw.enc = json.NewEncoder(rw.out)
		rw.enc.SetEscapeHTML(false)
	case CSV:
		rw.csv = csv.NewWriter(rw.out)
		rw.csv.UseCRLF = true
		if err := rw.csv.Write(RecordColumns); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("export: no format %q", opts.Format)
	}
	return rw, nil
}

// deidentified is a de-identified JSON line: the pseudonym, the lead
// organisation and the document's own members.
type deidentified struct {
	Pseudonym        string `json:"pseudonym"`
	LeadOrganisation string `json:"lead_organisation"`
	*audit.Child
}

// Write writes one child's record. An identifiable JSON line is the
// document exactly as `clinaudit export` writes it.
func (rw *RecordWriter) Write(c store.ChildListItem, doc *audit.Child) error {
	id := c.AuditID
	if rw.opts.Deidentified {
		Deidentify(doc)
		id = Pseudonym(rw.opts.Key, c.ID)
	}
	if rw.enc != nil {
		if rw.opts.Deidentified {
			return rw.enc.Encode(deidentified{Pseudonym: id, LeadOrganisation: c.OrganisationOds, Child: doc})
		}
		return rw.enc.Encode(doc)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return flatten(b, func(section, row, field, value string) error {
		return rw.csv.Write([]string{id, c.OrganisationOds, section, row, field, safeText(value)})
	})
}

// Close flushes what is buffered.
func (rw *RecordWriter) Close() error {
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.out.Flush()
}

// Deidentify removes from doc what identifies the child: name, NHS number,
// Jersey's unique reference number, date of birth, postcode, and the
// free-text answers (an episode's description and "other" non-epileptic
// seizure type), which may name anyone. Codes, dates of care, sex,
// ethnicity and the deprivation quintile stay.
func Deidentify(doc *audit.Child) {
	if c := doc.Case; c != nil {
		c.NHSNumber, c.UniqueReferenceNumber, c.FirstName, c.Surname, c.DateOfBirth, c.Postcode = nil, nil, nil, nil, nil, nil
	}
	for i := range doc.Episodes {
		doc.Episodes[i].Description, doc.Episodes[i].NonepilepticSeizureOther = nil, nil
	}
}

// Pseudonym is a child's name in a de-identified export: the first 16
// hexadecimal digits of HMAC-SHA256(key, the child's id in decimal).
func Pseudonym(key []byte, childID int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(childID, 10)))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// flatten calls emit for every answer of a document's JSON (doc): its
// section (a form, or a list of rows), the row's number from 1 (empty for
// a form), the field and the value as text (strings as they are, true and
// false, numbers as written; a list of choices joined by "|"), in the
// document's order.
func flatten(doc []byte, emit func(section, row, field, value string) error) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	delim := func(want json.Delim) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fmt.Errorf("export: %v where %v was expected", tok, want)
		}
		return nil
	}
	object := func(section, row string) error {
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			value, err := scalar(dec)
			if err != nil {
				return err
			}
			if err := emit(section, row, fmt.Sprint(key), value); err != nil {
				return err
			}
		}
		return delim('}')
	}
	if err := delim('{'); err != nil {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		section := fmt.Sprint(key)
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			if err := object(section, ""); err != nil {
				return err
			}
		case json.Delim('['):
			for i := 1; dec.More(); i++ {
				if err := delim('{'); err != nil {
					return err
				}
				if err := object(section, strconv.Itoa(i)); err != nil {
					return err
				}
			}
			if err := delim(']'); err != nil {
				return err
			}
		default:
			return fmt.Errorf("export: section %s is %v", section, tok)
		}
	}
	return delim('}')
}

// scalar reads one answer: a string, number, true or false, or a list of
// them (joined by "|").
func scalar(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	if tok == json.Delim('[') {
		var parts []string
		for dec.More() {
			p, err := scalar(dec)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		if _, err := dec.Token(); err != nil {
			return "", err
		}
		return strings.Join(parts, "|"), nil
	}
	switch v := tok.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("export: unexpected %v", tok)
}
