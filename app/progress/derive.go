package progress

import (
	"slices"
	"strconv"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
)

// A form's expected answers are read off its question tree (app/forms),
// the tree the form pages show, so that the two cannot drift apart:
//   - a shown question is expected, and answered when its answer is given
//     (a list of codes: when one is ticked; laterality: when a side is
//     true; a centre: when the child's sites hold one for the role);
//   - except an optional question, a derived answer, and a lone tick box
//     (unticked is an answer that looks like none); their follow-ups are
//     read all the same;
//   - a shown list with no rows yet owes its first row: the questions a
//     blank row shows, at "list[].field";
//   - Because is the answer above (for a row's own questions, the answer
//     that shows the list);
// and then the differences table (differences.go) says where progress
// deliberately counts otherwise.

// fromForm adds form f's expected answers on c to l, and reports whether
// anything at all is answered on the form.
func (o Options) fromForm(l *checklist, c *audit.Child, f *forms.Form) bool {
	d := deriver{o: o, c: c, tree: treeOf(f), out: l.list, allPaths: l.allPaths}
	for _, q := range f.Questions {
		var b block
		d.question(&b, q, at{prefix: f.Section + ".", rec: formRecord(c, f.Section)}, nil, "")
		d.end(&b)
	}
	l.list = d.out
	return started(c, f, d.tree)
}

// block is one of the form's questions, or one row: the expected answers
// listed last (ListedLast) are kept apart until its end.
type block struct{ last []expectation }

// end closes block b: its answers listed last follow the others.
func (d *deriver) end(b *block) { d.out = append(d.out, b.last...) }

// at is where a question's answer is: a form record, row i of a list, or
// a row still to be added (blank).
type at struct {
	prefix string // of the answers' paths: "management.", "episodes[1].", "episodes[]."
	rec    record
	row    int // a row's index in its list (AlsoWhen's condition reads it)
	blank  bool
}

type deriver struct {
	o    Options
	c    *audit.Child
	tree *tree
	out  []expectation
	// allPaths: every expectation has its path, not just the missing ones.
	allPaths bool
}

// path is q's answer's path at a.
func (d *deriver) path(q *forms.Question, a at) string {
	if q.Kind == forms.Centre {
		return "sites." + q.Field
	}
	return a.prefix + q.Field
}

// answer is q's answer at a, as the forms read answers (nil on a blank
// row, whose record is the zero record).
func (d *deriver) answer(q *forms.Question, a at) forms.Literal {
	if q.Kind == forms.Centre {
		if d.centre(q.Field) {
			return forms.Literal("true")
		}
		return nil
	}
	// The value matters only where a follow-up's visibility reads it.
	value := len(q.FollowUps) > 0 || q.Kind == forms.Laterality
	return q.AnswerFrom(func(field string) forms.Literal { return a.rec.answer(field, value) })
}

// centre reports whether the child's sites hold the centre of a role.
func (d *deriver) centre(field string) bool {
	s := d.o.Sites
	switch "sites." + field {
	case PathGeneralPaediatricCentre:
		return s.GeneralPaediatricCentre
	case PathPaediatricNeurologyCentre:
		return s.PaediatricNeurologyCentre
	case PathEpilepsySurgeryCentre:
		return s.EpilepsySurgeryCentre
	}
	return false // TestCentresAreSites keeps every centre known
}

// question adds q's expected answers at a, if the answer above it (above,
// at the path because) shows it; those listed last go to b.
func (d *deriver) question(b *block, q *forms.Question, a at, above forms.Literal, because string) {
	if !q.ShownUnder(above) {
		return
	}
	diffs := d.tree.differences[q]
	if has(diffs, ListedLast) {
		k := len(d.out)
		var inner block
		d.shown(&inner, q, a, because, diffs)
		d.end(&inner)
		b.last = append(b.last, d.out[k:]...)
		d.out = d.out[:k]
		return
	}
	d.shown(b, q, a, because, diffs)
}

// shown adds the expected answers of q, which is shown.
func (d *deriver) shown(b *block, q *forms.Question, a at, because string, diffs []difference) {
	if q.Kind == forms.Rows {
		d.rows(b, q, because, diffs)
		return
	}
	expected := !q.Optional && q.Kind != forms.Derived && q.Kind != forms.Confirm
	if !expected && len(q.FollowUps) == 0 {
		return // a focal feature, say: nothing to count or to read
	}
	v := d.answer(q, a)
	path := ""
	if len(q.FollowUps) > 0 || v == nil || d.allPaths {
		path = d.path(q, a) // else only counted: forForm lists the missing
	}
	if expected {
		d.add(path, because, v != nil)
	}
	own := len(d.out)
	for _, diff := range diffs {
		if diff.Effect == AlsoWhen && (a.blank || !diff.When(d.c, a.row, d.o.Today)) {
			return
		}
	}
	for _, f := range q.FollowUps {
		if has(d.tree.differences[f], AnsweredWhenHidden) {
			// A tick box's hiding answer ("declined") answers the question
			// under it, which is expected whenever the box is shown.
			d.add(d.path(f, a), because, d.answer(f, a) != nil || !f.ShownUnder(v))
			continue
		}
		d.question(b, f, a, v, path)
	}
	if i := slices.IndexFunc(diffs, func(x difference) bool { return x.Effect == OwesFollowUp }); i >= 0 &&
		len(d.out) == own && !slices.ContainsFunc(diffs[i].Except, func(e string) bool { return literalIs(v, e) }) {
		// No follow-up is shown yet, but one is owed.
		d.add(path, because, false)
	}
}

// rows adds the expected answers of a list: each row it holds, as a block
// of its own, or its first row while it holds none.
func (d *deriver) rows(b *block, list *forms.Question, because string, diffs []difference) {
	held := 0
	for i := range rowCount(d.c, list.RowSection) {
		rec := rowRecord(d.c, list.RowSection, i)
		if !list.Holds(func(field string) forms.Literal { return rec.answer(field, true) }) {
			continue
		}
		held++
		a := at{prefix: list.RowSection + "[" + strconv.Itoa(i) + "].", rec: rec, row: i}
		var rb block
		for _, q := range list.RowItems {
			d.question(&rb, q, a, nil, because)
		}
		d.end(&rb)
	}
	if held == 0 {
		d.blankRow(b, list, because)
		return
	}
	for _, diff := range diffs {
		if diff.Effect != OwedRow {
			continue
		}
		found := false
		for i := range rowCount(d.c, list.RowSection) {
			found = found || literalIs(rowRecord(d.c, list.RowSection, i).answer(diff.Field, true), diff.Value)
		}
		if !found {
			d.blankRow(b, list, list.RowSection+"[]."+diff.Field)
		}
	}
}

// blankRow adds the questions a row not added yet shows.
func (d *deriver) blankRow(b *block, list *forms.Question, because string) {
	var rb block
	for _, q := range list.RowItems {
		d.question(&rb, q, at{prefix: list.RowSection + "[].", blank: true}, nil, because)
	}
	d.end(&rb)
}

func (d *deriver) add(path, because string, given bool) {
	d.out = append(d.out, expectation{Gap{Path: path, Because: because}, given})
}

func has(diffs []difference, e effect) bool {
	return slices.ContainsFunc(diffs, func(d difference) bool { return d.Effect == e })
}

// literalIs reports whether the answer v is the JSON literal want.
func literalIs(v forms.Literal, want string) bool { return v != nil && string(v) == want }

// tree is what progress needs to know of a form's questions, worked out
// once: the differences of each question, and the fields that do not
// start a form (derived answers, and a list's fixed answer).
type tree struct {
	differences map[*forms.Question][]difference
	notAnswers  map[string][]string // section → fields
	sections    []string            // f.Sections()
}

var trees = func() map[*forms.Form]*tree {
	out := map[*forms.Form]*tree{}
	for _, f := range forms.All() {
		t := &tree{differences: map[*forms.Question][]difference{}, notAnswers: map[string][]string{}, sections: f.Sections()}
		var visit func(qs []*forms.Question, section string, row bool)
		visit = func(qs []*forms.Question, section string, row bool) {
			for _, q := range qs {
				name := section + "." + q.Field
				switch {
				case q.Kind == forms.Centre:
					name = "sites." + q.Field
				case q.Kind == forms.Rows:
					name = q.RowSection + "[]"
				case row:
					name = section + "[]." + q.Field
				}
				for _, d := range differences {
					if d.Question == name {
						t.differences[q] = append(t.differences[q], d)
					}
				}
				if q.Kind == forms.Derived {
					t.notAnswers[section] = append(t.notAnswers[section], q.Field)
				}
				if q.Kind == forms.Rows {
					if q.RowFilter != nil && !slices.Contains(t.notAnswers[q.RowSection], q.RowFilter.Field) {
						t.notAnswers[q.RowSection] = append(t.notAnswers[q.RowSection], q.RowFilter.Field)
					}
					visit(q.RowItems, q.RowSection, true)
					continue
				}
				visit(q.FollowUps, section, row)
			}
		}
		visit(f.Questions, f.Section, false)
		out[f] = t
	}
	return out
}()

func treeOf(f *forms.Form) *tree { return trees[f] }

// started reports whether anything is answered on form f: any field of its
// record or of the rows of its lists, but for the answers the application
// sets. The centres are site records, not answers on the form.
func started(c *audit.Child, f *forms.Form, t *tree) bool {
	for _, section := range t.sections {
		if section == "sites" {
			continue
		}
		skip := t.notAnswers[section]
		if section == f.Section {
			if formRecord(c, section).anyGiven(skip) {
				return true
			}
			continue
		}
		for i := range rowCount(c, section) {
			if rowRecord(c, section, i).anyGiven(skip) {
				return true
			}
		}
	}
	return false
}
