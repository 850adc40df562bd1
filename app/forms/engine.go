package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"

	"clinaudit/app/audit"
)

// Change is one stored answer changed by a save: Old and New are nil when
// the answer was not there before, or is not there after.
type Change struct {
	Key      Key
	Old, New Literal
	// Cleared is true when the answer was removed or set because of another
	// answer (a clearing rule, or an answer the application derives).
	Cleared bool
}

// Effect is everything one save did to a record.
type Effect struct {
	Changes     []Change
	RemovedRows []Row
}

// Env is what the rules need from outside the record.
type Env struct {
	Today audit.Date
	// OrganisationExists reports whether an ODS code names an organisation
	// a centre may be (Centre questions). Nil accepts none.
	OrganisationExists func(ods string) bool
	// Keywords are the semiology keywords an episode description is
	// searched for (description_keywords is derived from it).
	Keywords []string
}

// ErrNotAsked is a save of a question that is not shown on the record as it
// is now (its row was removed, or an answer above it hides it).
var ErrNotAsked = errors.New("This question is no longer asked, because of another answer. Reload the page to see the form as it is now.")

// ErrRowGone is a save into a row that is no longer there: removed by
// someone else, in another tab, or by an answer that hides its list.
var ErrRowGone = errors.New("This row has been removed, so the answer was not saved. Reload the page to see the form as it is now.")

// Locate finds the question that stores k in form f, and reports whether it
// is shown on rec.
func (f *Form) Locate(rec *Record, k Key) (q *Question, shown bool) {
	f.walk(rec, func(node *Question, row *Row, visible bool) {
		if q != nil && shown {
			return
		}
		if node.Kind == Rows {
			return
		}
		section, id := f.place(node, row)
		if section != k.Section || id != k.Row || !slices.Contains(node.Stores(), k.Field) {
			return
		}
		q, shown = node, visible
	})
	return q, shown
}

// Sections lists the sections a form's answers are stored in.
func (f *Form) Sections() []string {
	seen := []string{f.Section}
	var visit func([]*Question)
	visit = func(qs []*Question) {
		for _, q := range qs {
			if q.Kind == Centre && !slices.Contains(seen, "sites") {
				seen = append(seen, "sites")
			}
			if q.Kind == Rows && !slices.Contains(seen, q.RowSection) {
				seen = append(seen, q.RowSection)
			}
			visit(q.FollowUps)
			visit(q.RowItems)
		}
	}
	visit(f.Questions)
	return seen
}

// walk visits every question of the form in order, with the row it is
// asked about (nil for the form's own questions) and whether it is shown.
// A hidden question's follow-ups are hidden too.
func (f *Form) walk(rec *Record, fn func(q *Question, row *Row, visible bool)) {
	var visit func(qs []*Question, row *Row, parent Literal, parentVisible bool)
	visit = func(qs []*Question, row *Row, parent Literal, parentVisible bool) {
		for _, q := range qs {
			visible := parentVisible && matches(q, parent)
			fn(q, row, visible)
			if q.Kind == Rows {
				for _, r := range rec.RowsOf(q.RowSection) {
					if !q.Holds(r.get) {
						continue
					}
					visit(q.RowItems, r, nil, visible)
				}
				continue
			}
			visit(q.FollowUps, row, f.answer(rec, q, row), visible)
		}
	}
	visit(f.Questions, nil, nil, true)
}

// answer is the stored answer of q (for Laterality, which of the three is
// true, as a string literal).
func (f *Form) answer(rec *Record, q *Question, row *Row) Literal {
	get := func(field string) Literal {
		if row != nil {
			return row.Answers[field]
		}
		section, _ := f.place(q, nil)
		return rec.Sections[section][field]
	}
	return q.AnswerFrom(get)
}

// place is where q's answers are stored: its row's section and id, or the
// form's own section (row id 0); a Centre's answers are in "sites" either
// way.
func (f *Form) place(q *Question, row *Row) (section string, id int64) {
	section = f.Section
	if row != nil {
		section, id = row.Section, row.ID
	}
	if q.Kind == Centre {
		section = "sites"
	}
	return section, id
}

// Answer is the stored answer of q on rec (row nil for a form question).
func (f *Form) Answer(rec *Record, q *Question, row *Row) Literal { return f.answer(rec, q, row) }

// matches reports whether q is shown given the answer of the question above.
func matches(q *Question, parent Literal) bool {
	for _, v := range q.ShowUnless {
		if jsonEqual(parent, Literal(v)) {
			return false
		}
	}
	if len(q.ShowWhen) == 0 {
		return true
	}
	for _, v := range q.ShowWhen {
		if v == "*" && parent != nil {
			return true
		}
		if jsonEqual(parent, Literal(v)) {
			return true
		}
	}
	return false
}

// ShownUnder reports whether q is shown when the question above it has
// the answer parent (nil: not answered): the one visibility rule, for a
// page rendering the tree level by level.
func (q *Question) ShownUnder(parent Literal) bool { return matches(q, parent) }

// Shown reports whether q (found by Locate or walking the form) is shown.
func (f *Form) Shown(rec *Record, q *Question, row *Row) bool {
	found := false
	f.walk(rec, func(node *Question, r *Row, visible bool) {
		if node == q && r == row || node == q && r != nil && row != nil && r.ID == row.ID {
			found = found || visible
		}
	})
	return found
}

func jsonEqual(a, b Literal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b))
}

func quote(s string) Literal {
	b, _ := json.Marshal(s)
	return b
}

// Apply saves answer v (nil: not answered) at k on rec, as the clinician
// gave it: it checks the answer (§4), stores it, sets the answers derived
// from it, and removes every answer of the form whose question it hides.
// On error rec is unchanged.
func (f *Form) Apply(rec *Record, k Key, v Literal, env Env) (Effect, error) {
	q, shown := f.Locate(rec, k)
	if q == nil && k.Row != 0 && rec.Row(k.Row) == nil && f.Question(k) != nil {
		return Effect{}, &FieldError{Key: k, Message: ErrRowGone.Error()}
	}
	if q == nil {
		return Effect{}, &FieldError{Key: k, Message: "There is no such question on this form"}
	}
	if !shown {
		return Effect{}, &FieldError{Key: k, Message: ErrNotAsked.Error()}
	}
	if q.Kind == Derived || q.Kind == Rows {
		return Effect{}, &FieldError{Key: k, Message: "This answer is set by the application"}
	}
	var row *Row
	if k.Row != 0 {
		row = rec.Row(k.Row)
	}
	if err := f.check(rec, q, row, k, v, env); err != nil {
		return Effect{}, err
	}
	var eff Effect
	record := func(key Key, val Literal, cleared bool) {
		old := rec.set(key, val)
		if !jsonEqual(old, val) {
			eff.Changes = append(eff.Changes, Change{Key: key, Old: old, New: val, Cleared: cleared})
		}
	}
	switch q.Kind {
	case Laterality:
		var chosen string
		if v != nil {
			_ = json.Unmarshal(v, &chosen)
		}
		for _, field := range lateralityFields {
			var val Literal
			if chosen != "" {
				val = Literal(boolText(field == "focal_onset_"+chosen))
			}
			record(Key{k.Section, k.Row, field}, val, field != k.Field)
		}
	default:
		record(k, v, false)
	}
	for _, d := range derive(rec, q, k, env) {
		record(d.Key, d.New, true)
	}
	f.clearHidden(rec, &eff)
	return eff, nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// clearHidden removes every stored answer of the form's sections that no
// shown question stores, and every row no shown list holds.
func (f *Form) clearHidden(rec *Record, eff *Effect) {
	keep := map[Key]bool{}
	rowsShown := map[int64]bool{}
	f.walk(rec, func(q *Question, row *Row, visible bool) {
		if !visible {
			return
		}
		if q.Kind == Rows {
			for _, r := range rec.RowsOf(q.RowSection) {
				if q.Holds(r.get) {
					rowsShown[r.ID] = true
					if q.RowFilter != nil {
						keep[Key{r.Section, r.ID, q.RowFilter.Field}] = true
					}
				}
			}
			return
		}
		section, id := f.place(q, row)
		for _, field := range q.Stores() {
			keep[Key{section, id, field}] = true
		}
	})
	sections := f.Sections()
	for _, s := range sections {
		if slices.Contains(RowSections, s) {
			continue
		}
		for _, field := range sortedFields(rec.Sections[s]) {
			k := Key{s, 0, field}
			if s == "sites" && !f.ownsSite(field) {
				continue
			}
			if !keep[k] {
				eff.Changes = append(eff.Changes, Change{Key: k, Old: rec.set(k, nil), Cleared: true})
			}
		}
	}
	for _, s := range sections {
		if !slices.Contains(RowSections, s) {
			continue
		}
		var ids []int64
		for _, r := range rec.RowsOf(s) {
			ids = append(ids, r.ID)
		}
		for _, id := range ids {
			if !rowsShown[id] {
				removed, _ := rec.removeRow(id)
				eff.RemovedRows = append(eff.RemovedRows, removed)
				continue
			}
			for _, field := range sortedFields(rec.Row(id).Answers) {
				k := Key{s, id, field}
				if !keep[k] {
					eff.Changes = append(eff.Changes, Change{Key: k, Old: rec.set(k, nil), Cleared: true})
				}
			}
		}
	}
}

// ownsSite reports whether a "sites" field is one of this form's centres.
func (f *Form) ownsSite(field string) bool {
	owned := false
	var visit func([]*Question)
	visit = func(qs []*Question) {
		for _, q := range qs {
			if q.Kind == Centre && q.Field == field {
				owned = true
			}
			visit(q.FollowUps)
		}
	}
	visit(f.Questions)
	return owned
}

func sortedFields(m map[string]Literal) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Question finds the question that stores k's field in k's section,
// whatever the record says (shown or not, row present or not).
func (f *Form) Question(k Key) *Question {
	var found *Question
	var visit func(qs []*Question, section string)
	visit = func(qs []*Question, section string) {
		for _, q := range qs {
			if found != nil {
				return
			}
			switch {
			case q.Kind == Rows:
				visit(q.RowItems, q.RowSection)
				continue
			case q.Kind == Centre:
				if k.Section == "sites" && q.Field == k.Field {
					found = q
				}
			case section == k.Section && (k.Row != 0) == (section != f.Section) && slices.Contains(q.Stores(), k.Field):
				found = q
			}
			visit(q.FollowUps, section)
		}
	}
	visit(f.Questions, f.Section)
	return found
}
