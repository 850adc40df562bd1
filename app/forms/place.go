package forms

import (
	"strconv"
	"strings"
)

// Place is where an answer of the audit document is asked: the form and
// the answer's key. A path naming every row of a list ("episodes[].x")
// has Row 0 and List set: the whole list is the place to look.
type Place struct {
	Form *Form
	Key  Key
	List bool
}

// PlaceOf maps a document path, as the KPI explanations name the answers
// they read ("management.has_an_aed_been_given", "episodes[2].x",
// "antiepilepsy_medicines[].medicine_name"), to where rec asks it. Paths of
// the case and the registration are not on a form: ok is false for them,
// and for anything else this package does not know.
func PlaceOf(rec *Record, path string) (Place, bool) {
	head, field, found := strings.Cut(path, ".")
	if !found || field == "" {
		return Place{}, false
	}
	section, index, hasIndex := strings.Cut(head, "[")
	f := ForSection(section)
	if f == nil {
		return Place{}, false
	}
	p := Place{Form: f, Key: Key{Section: section, Field: field}}
	if !hasIndex {
		return p, true
	}
	index = strings.TrimSuffix(index, "]")
	if index == "" {
		p.List = true
		return p, true
	}
	i, err := strconv.Atoi(index)
	rows := rec.RowsOf(section)
	if err != nil || i < 0 || i >= len(rows) {
		p.List = true // the row has gone since: the list is still the place
		return p, true
	}
	p.Key.Row = rows[i].ID
	return p, true
}

// Lists are the lists (Rows questions) of the form that hold the place's
// rows: one, or two for medicines (maintenance and rescue).
func (p Place) Lists() []*Question {
	var out []*Question
	var visit func(qs []*Question)
	visit = func(qs []*Question) {
		for _, q := range qs {
			if q.Kind == Rows && q.RowSection == p.Key.Section {
				out = append(out, q)
			}
			visit(q.FollowUps)
		}
	}
	visit(p.Form.Questions)
	return out
}
