package forms

import (
	"encoding/json"
	"maps"
	"slices"

	"clinaudit/app/audit"
)

// Record is everything stored about one child's audit forms: the answers
// of each form section, and the rows of the row sections in the order they
// were added. It also carries the parts of the child's case and
// registration that the rules read (the anchors of §4.1, and the sex and
// date of birth for the valproate questions).
type Record struct {
	DateOfBirth     *audit.Date
	FirstAssessment *audit.Date
	Sex             *int

	Sections map[string]map[string]Literal
	Rows     []Row
}

// Row is one row of a row section; ID is its stored id.
type Row struct {
	ID      int64
	Section string
	Answers map[string]Literal
}

// get returns the row's answer to field, or nil.
func (r *Row) get(field string) Literal { return r.Answers[field] }

// Get returns the stored answer at k, or nil.
func (r *Record) Get(k Key) Literal {
	if k.Row == 0 {
		return r.Sections[k.Section][k.Field]
	}
	if row := r.Row(k.Row); row != nil && row.Section == k.Section {
		return row.Answers[k.Field]
	}
	return nil
}

// Row returns the row with the id, or nil.
func (r *Record) Row(id int64) *Row {
	for i := range r.Rows {
		if r.Rows[i].ID == id {
			return &r.Rows[i]
		}
	}
	return nil
}

// RowsOf lists the rows of a section, in the order they were added.
func (r *Record) RowsOf(section string) []*Row {
	var out []*Row
	for i := range r.Rows {
		if r.Rows[i].Section == section {
			out = append(out, &r.Rows[i])
		}
	}
	return out
}

// set stores v at k (nil removes it) and reports the old value.
func (r *Record) set(k Key, v Literal) Literal {
	var m map[string]Literal
	if k.Row == 0 {
		if r.Sections == nil {
			r.Sections = map[string]map[string]Literal{}
		}
		if r.Sections[k.Section] == nil {
			r.Sections[k.Section] = map[string]Literal{}
		}
		m = r.Sections[k.Section]
	} else {
		row := r.Row(k.Row)
		if row == nil {
			return nil
		}
		if row.Answers == nil {
			row.Answers = map[string]Literal{}
		}
		m = row.Answers
	}
	old := m[k.Field]
	if v == nil {
		delete(m, k.Field)
	} else {
		m[k.Field] = v
	}
	return old
}

// AddRow appends a row (its id chosen by the store) with its fixed answers.
func (r *Record) AddRow(row Row) { r.Rows = append(r.Rows, row) }

// removeRow drops a row and returns it.
func (r *Record) removeRow(id int64) (Row, bool) {
	for i := range r.Rows {
		if r.Rows[i].ID == id {
			row := r.Rows[i]
			r.Rows = slices.Delete(r.Rows, i, i+1)
			return row, true
		}
	}
	return Row{}, false
}

// Clone is a deep copy, so a rejected change can be thrown away.
func (r *Record) Clone() *Record {
	c := *r
	c.Sections = make(map[string]map[string]Literal, len(r.Sections))
	for s, m := range r.Sections {
		c.Sections[s] = maps.Clone(m)
	}
	c.Rows = make([]Row, len(r.Rows))
	for i, row := range r.Rows {
		row.Answers = maps.Clone(row.Answers)
		c.Rows[i] = row
	}
	return &c
}

// documentSections are the forms of the audit document a Record holds,
// present from registration; "sites" (the Milestones centres) is in the
// document only when a centre is chosen.
var documentSections = []string{"first_paediatric_assessment", "epilepsy_context", "multiaxial_diagnosis",
	"investigations", "assessment", "management"}

// RowSections are the sections whose answers belong to rows.
var RowSections = []string{"episodes", "syndromes", "comorbidities", "antiepilepsy_medicines"}

// Document is the record as the audit document of docs/data-format.md
// (without case and registration, which the caller adds): every form
// object present, as from registration (decisions.md), and the rows in the
// order they were added.
func (r *Record) Document() map[string]any {
	doc := map[string]any{}
	for _, s := range documentSections {
		doc[s] = objectOf(r.Sections[s])
	}
	if len(r.Sections["sites"]) > 0 {
		doc["sites"] = objectOf(r.Sections["sites"])
	}
	for _, s := range RowSections {
		var rows []any
		for _, row := range r.RowsOf(s) {
			rows = append(rows, objectOf(row.Answers))
		}
		if rows != nil {
			doc[s] = rows
		}
	}
	return doc
}

func objectOf(m map[string]Literal) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = json.RawMessage(v)
	}
	return out
}

// Child decodes the record, with the case and registration given, into the
// audit model that progress and the KPIs read. It makes the same checks an
// imported document gets (audit.DecodeParts is audit.Decode for a document
// already in parts).
func (r *Record) Child(c *audit.Case, reg *audit.Registration) (*audit.Child, error) {
	p := audit.Parts{Case: c, Registration: reg, Forms: map[string]map[string]json.RawMessage{},
		Rows: map[string][]map[string]json.RawMessage{}}
	for _, s := range documentSections {
		p.Forms[s] = objectOf(r.Sections[s])
	}
	if len(r.Sections["sites"]) > 0 {
		p.Forms["sites"] = objectOf(r.Sections["sites"])
	}
	for _, row := range r.Rows {
		p.Rows[row.Section] = append(p.Rows[row.Section], objectOf(row.Answers))
	}
	return audit.DecodeParts(p)
}
