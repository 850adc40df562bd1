package answers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/store"
)

// How Import answers the six forms from a document: each form's own
// questions in question order (a follow-up after the answer that shows
// it), then its rows in the document's order, each row's questions in
// question order. Every answer goes through forms.Form.Apply and is stored
// as Save stores it; every row is added as AddRow adds it.

// importer answers the forms of one child from a document.
type importer struct {
	s   *Service
	ctx context.Context
	tx  store.Tx
	l   *Loaded
	w   writeArgs
	env forms.Env
	doc *document
}

// form answers one form: its own questions, then its rows.
func (im *importer) form(f *forms.Form) error {
	own := im.doc.forms[f.Section]
	if own == nil {
		own = &docObject{path: f.Section} // left out: nothing answered
	}
	if err := im.visit(f, f.Questions, own, 0, nil); err != nil {
		return err
	}
	for _, section := range f.Sections() {
		for i, o := range im.doc.rows[section] {
			list, parent := findList(f, section, o)
			if list == nil {
				continue // left over: reported at the end
			}
			if list.RowFilter != nil {
				o.value(list.RowFilter.Field)
			}
			if !f.Shown(im.l.Record, list, nil) {
				return im.notAsked(f, o.path, own, parent, 0)
			}
			id, _, _, err := im.s.addRow(im.ctx, im.tx, im.l, im.w, list, fmt.Sprintf("import:%s:%d", section, i))
			if err != nil {
				return err
			}
			if err := im.visit(f, list.RowItems, o, id, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// findList is the Rows question of f that holds a row of section like o
// (for medicines, the list its is_rescue_medicine picks), and the
// question that shows it.
func findList(f *forms.Form, section string, o *docObject) (list, parent *forms.Question) {
	var visit func(qs []*forms.Question, above *forms.Question)
	visit = func(qs []*forms.Question, above *forms.Question) {
		for _, q := range qs {
			if q.Kind == forms.Rows && q.RowSection == section && list == nil {
				if flt := q.RowFilter; flt == nil || o.get(flt.Field) != nil && string(o.get(flt.Field).value) == flt.Value {
					list, parent = q, above
				}
			}
			visit(q.FollowUps, q)
		}
	}
	visit(f.Questions, nil)
	return list, parent
}

// visit answers qs and their follow-ups in order, from o, on the form's
// own record (row 0) or one row. Lists are skipped: form adds their rows.
func (im *importer) visit(f *forms.Form, qs []*forms.Question, o *docObject, rowID int64, parent *forms.Question) error {
	for _, q := range qs {
		var err error
		switch q.Kind {
		case forms.Rows: // rows come after
			continue
		case forms.Centre: // in the document's "sites", not the form's object
			err = im.answer(f, q, im.doc.forms["sites"], rowID, parent)
		case forms.Derived:
			err = im.derived(f, q, o, rowID)
		default:
			err = im.answer(f, q, o, rowID, parent)
		}
		if err != nil {
			return err
		}
		if err := im.visit(f, q.FollowUps, o, rowID, q); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) row(id int64) *forms.Row {
	if id == 0 {
		return nil
	}
	return im.l.Record.Row(id)
}

func keyFor(f *forms.Form, q *forms.Question, row *forms.Row) forms.Key {
	switch {
	case row != nil:
		return forms.Key{Section: row.Section, Row: row.ID, Field: q.Field}
	case q.Kind == forms.Centre:
		return forms.Key{Section: "sites", Field: q.Field}
	}
	return forms.Key{Section: f.Section, Field: q.Field}
}

// answer gives q the document's answer, read by the question as the form
// reads its inputs (forms.Question.Parse), unless it has it already (an
// answer the application derived from an earlier one).
func (im *importer) answer(f *forms.Form, q *forms.Question, o *docObject, rowID int64, parent *forms.Question) error {
	if o == nil {
		return nil // no "sites" in the document: no centre chosen
	}
	above := o // the object the question above is answered in
	if q.Kind == forms.Centre {
		if above = im.doc.forms[f.Section]; above == nil {
			above = &docObject{path: f.Section}
		}
	}
	row := im.row(rowID)
	k := keyFor(f, q, row)
	field, in, err := inputs(q, k, o)
	if err != nil {
		return err
	}
	want, err := q.Parse(k, in)
	if err != nil {
		return im.refused(o, field, err)
	}
	rec := im.l.Record
	if bytes.Equal(want, f.Answer(rec, q, row)) {
		return nil
	}
	if !f.Shown(rec, q, row) {
		return im.notAsked(f, o.path+"."+field, above, parent, rowID)
	}
	if _, err := im.s.applyAnswer(im.ctx, im.tx, im.l, im.w, f, k, want, im.env); err != nil {
		return im.refused(o, field, err)
	}
	return nil
}

// derived checks an answer the application sets (whether a pregnancy
// prevention programme is needed) against the document's.
func (im *importer) derived(f *forms.Form, q *forms.Question, o *docObject, rowID int64) error {
	given := o.value(q.Field)
	if given == nil {
		return nil
	}
	have := f.Answer(im.l.Record, q, im.row(rowID))
	switch {
	case have == nil:
		return fieldError(o.path+"."+q.Field, "is set by the application when the medicine is chosen, and this row has none")
	case !bytes.Equal(given, have):
		return fieldError(o.path+"."+q.Field, "is %s in the document, but the application works it out as %s "+
			"(true for sodium valproate, for a girl aged 12 or over today)", given, have)
	}
	return nil
}

// refused is an answer the form does not accept, named by its path.
func (im *importer) refused(o *docObject, field string, err error) error {
	var fe *forms.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.Key.Field != "" {
		field = fe.Key.Field
	}
	return fieldError(o.path+"."+field, "%s", fe.Message)
}

// notAsked refuses an answer (or a row) to a question the form hides
// because of the answer above it.
func (im *importer) notAsked(f *forms.Form, path string, o *docObject, parent *forms.Question, rowID int64) error {
	if parent == nil {
		return fieldError(path, "is not asked on the form as it is answered")
	}
	above := "not answered"
	if v := f.Answer(im.l.Record, parent, im.row(rowID)); v != nil {
		above = string(v)
	}
	return fieldError(path, "is not asked when %s.%s is %s", o.path, parent.Field, above)
}

var lateralitySides = []string{"left", "right", "laterality_unknown"}

// inputs are the document's answer to q as the form's inputs would send
// it (forms.Values), and the field it came from.
func inputs(q *forms.Question, k forms.Key, o *docObject) (string, forms.Values, error) {
	name := k.String()
	one := func(v string) forms.Values {
		return func(n string) []string {
			if n == name {
				return []string{v}
			}
			return nil
		}
	}
	none := func(string) []string { return nil }
	if q.Kind == forms.Laterality {
		return laterality(o, one, none)
	}
	v := o.value(q.Field)
	if v == nil {
		return q.Field, none, nil
	}
	wrong := fieldError(o.path+"."+q.Field, "expected %s, got %s", expectedKind(q), v)
	var s string
	switch q.Kind {
	case forms.YesNo, forms.Confirm:
		return q.Field, one(string(v)), nil
	case forms.Radios, forms.Select:
		if q.IntCodes {
			return q.Field, one(string(v)), nil
		}
	case forms.Checkboxes:
		var codes []string
		if json.Unmarshal(v, &codes) != nil {
			return q.Field, nil, wrong
		}
		return q.Field, func(n string) []string {
			if n == name {
				return codes
			}
			return nil
		}, nil
	case forms.Date:
		if json.Unmarshal(v, &s) != nil {
			return q.Field, nil, wrong
		}
		d, err := audit.ParseDate(s)
		if err != nil {
			return q.Field, nil, fieldError(o.path+"."+q.Field, "%v", err)
		}
		parts := map[string]string{name + "-day": strconv.Itoa(d.Day), name + "-month": strconv.Itoa(int(d.Month)),
			name + "-year": strconv.Itoa(d.Year)}
		return q.Field, func(n string) []string {
			if p, ok := parts[n]; ok {
				return []string{p}
			}
			return nil
		}, nil
	}
	if json.Unmarshal(v, &s) != nil {
		return q.Field, nil, wrong
	}
	return q.Field, one(s), nil
}

func expectedKind(q *forms.Question) string {
	switch q.Kind {
	case forms.Checkboxes:
		return "an array of strings"
	case forms.Date:
		return "a date"
	}
	return "a string"
}

// laterality reads the three focal-onset side fields as the one radio the
// form asks: the side that is true, the other two false or left out.
func laterality(o *docObject, one func(string) forms.Values, none forms.Values) (string, forms.Values, error) {
	var chosen, falseField string
	for _, side := range lateralitySides {
		field := "focal_onset_" + side
		switch v := o.value(field); {
		case v == nil:
		case string(v) == "true" && chosen != "":
			return field, nil, fieldError(o.path+"."+field, "only one of focal_onset_left, focal_onset_right and "+
				"focal_onset_laterality_unknown can be true")
		case string(v) == "true":
			chosen = side
		case falseField == "":
			falseField = field
		}
	}
	field := "focal_onset_left"
	switch {
	case chosen != "":
		return "focal_onset_" + chosen, one(chosen), nil
	case falseField != "":
		return falseField, nil, fieldError(o.path+"."+falseField, "false is recorded only when one of focal_onset_left, "+
			"focal_onset_right and focal_onset_laterality_unknown is true (the form asks which side)")
	}
	return field, none, nil
}
