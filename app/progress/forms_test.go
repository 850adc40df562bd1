package progress

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
)

// TestProgressFollowsTheForms walks every form over many records and
// checks, question by question, that what progress expects is what the
// form shows (read as docs/progress.md says: a shown question that is not
// optional, derived, a list or a lone tick box; a shown list without rows
// owes its first row), in the form's order and with the answer above as
// Because; except where the differences table says otherwise. Every entry
// of the table must be needed by some record.
func TestProgressFollowsTheForms(t *testing.T) {
	used := map[int]bool{}
	decoded := 0
	const records = 600
	r := rand.New(rand.NewPCG(15, 2025))
	for n := range records {
		rec := randomRecord(r)
		c, err := rec.Child(&audit.Case{Sex: rec.Sex, DateOfBirth: rec.DateOfBirth}, nil)
		if err != nil {
			continue // a combination the document refuses (a declined test with its date)
		}
		decoded++
		o := Options{Today: fixedToday}.resolve(c)
		for _, f := range forms.All() {
			pf := formOf(t, f.ID)
			got, _ := o.expectations(c, pf, true)
			want := formView(f, rec)
			compareWithForm(t, fmt.Sprintf("record %d, %s", n, f.ID), got, want, used)
		}
	}
	if decoded < records/2 {
		t.Fatalf("only %d of %d records decode", decoded, records)
	}
	for i, d := range differences {
		if !used[i] {
			t.Errorf("difference %s (%v) is never needed: progress agrees with the form there", d.Question, d.Effect)
		}
	}
}

// formOf is the progress form with the forms.Form's ID.
func formOf(t *testing.T, id string) Form {
	t.Helper()
	for _, f := range Forms() {
		if f.ID() == id {
			return f
		}
	}
	t.Fatalf("no progress form %q", id)
	return 0
}

var rowIndex = regexp.MustCompile(`\[\d+\]`)

// question is the path of an answer's question: row indexes dropped.
func question(path string) string { return rowIndex.ReplaceAllString(path, "[]") }

// differenceAt returns the index of the table's entry for the question
// with the effect, or -1.
func differenceAt(q string, e effect) int {
	return slices.IndexFunc(differences, func(d difference) bool { return d.Question == q && d.Effect == e })
}

// compareWithForm checks progress's expectations against the form's.
func compareWithForm(t *testing.T, where string, got, want []expectation, used map[int]bool) {
	t.Helper()
	allow := func(q string, e effect) bool {
		i := differenceAt(q, e)
		if i >= 0 {
			used[i] = true
		}
		return i >= 0
	}
	matched := make([]bool, len(want))
	var gotOrder, wantOrder []int // pairs, in each side's order
	pairOf := make([]int, len(got))
	for i, g := range got {
		pairOf[i] = -1
		for j, w := range want {
			if !matched[j] && w.Path == g.Path {
				matched[j], pairOf[i] = true, j
				break
			}
		}
		j := pairOf[i]
		q := question(g.Path)
		switch {
		case j < 0:
			// Expected by progress only.
			list, _, _ := strings.Cut(g.Path, ".") // "episodes[]" for a row still to add
			ok := !g.given && allow(q, OwesFollowUp) ||
				g.given && allow(q, AnsweredWhenHidden) ||
				!g.given && strings.HasSuffix(list, "[]") && owedRowBecause(list, g.Because) && allow(list, OwedRow)
			if !ok {
				t.Errorf("%s: progress expects %s (because %q, given %v); the form does not show it", where, g.Path, g.Because, g.given)
			}
			continue
		case want[j].given != g.given || want[j].Because != g.Because:
			if !allow(q, AnsweredWhenHidden) {
				t.Errorf("%s: %s: progress says given %v because %q; the form %v because %q",
					where, g.Path, g.given, g.Because, want[j].given, want[j].Because)
			}
		}
		gotOrder = append(gotOrder, i)
	}
	for j, w := range want {
		if matched[j] {
			wantOrder = append(wantOrder, j)
			continue
		}
		if !allow(question(w.Because), AlsoWhen) {
			t.Errorf("%s: the form shows %s (because %q); progress does not expect it", where, w.Path, w.Because)
		}
	}
	// The order: the same, but for the questions listed last.
	seq := func(order []int, path func(int) string, skipLast bool) []string {
		var out []string
		for _, k := range order {
			p := path(k)
			if skipLast && (differenceAt(question(p), ListedLast) >= 0 || differenceAt(question(becauseOf(got, want, p)), ListedLast) >= 0) {
				continue
			}
			out = append(out, p)
		}
		return out
	}
	gp := func(i int) string { return got[i].Path }
	wp := func(j int) string { return want[j].Path }
	sort := func(js []int) []int { slices.Sort(js); return js }
	var pairedWant []int
	for _, i := range gotOrder {
		pairedWant = append(pairedWant, pairOf[i])
	}
	if slices.Equal(seq(gotOrder, gp, false), seq(sort(slices.Clone(pairedWant)), wp, false)) {
		return
	}
	if a, b := seq(gotOrder, gp, true), seq(sort(slices.Clone(pairedWant)), wp, true); !slices.Equal(a, b) {
		t.Errorf("%s: order\nprogress %q\nthe form %q", where, a, b)
		return
	}
	for _, i := range gotOrder {
		for _, q := range []string{question(got[i].Path), question(got[i].Because)} {
			if k := differenceAt(q, ListedLast); k >= 0 {
				used[k] = true
			}
		}
	}
}

// owedRowBecause reports whether because is the field of list's OwedRow.
func owedRowBecause(list, because string) bool {
	i := differenceAt(list, OwedRow)
	return i >= 0 && because == list+"."+differences[i].Field
}

// becauseOf is the Because of the answer at path.
func becauseOf(got, want []expectation, path string) string {
	for _, l := range [][]expectation{got, want} {
		if i := slices.IndexFunc(l, func(e expectation) bool { return e.Path == path }); i >= 0 {
			return l[i].Because
		}
	}
	return ""
}

// formView is what form f shows on rec as expected answers, read as the
// forms read themselves (forms.Walk), not as progress does.
func formView(f *forms.Form, rec *forms.Record) []expectation {
	parent := map[*forms.Question]*forms.Question{} // the question above, not a list
	var link func(qs []*forms.Question, above *forms.Question)
	link = func(qs []*forms.Question, above *forms.Question) {
		for _, q := range qs {
			parent[q] = above
			if q.Kind == forms.Rows {
				link(q.RowItems, above)
				continue
			}
			link(q.FollowUps, q)
		}
	}
	link(f.Questions, nil)
	inRow := map[*forms.Question]bool{}
	var mark func(qs []*forms.Question, row bool)
	mark = func(qs []*forms.Question, row bool) {
		for _, q := range qs {
			inRow[q] = row
			mark(q.FollowUps, row)
			mark(q.RowItems, true)
		}
	}
	mark(f.Questions, false)

	pathOf := func(q *forms.Question, row *forms.Row) string {
		switch {
		case q == nil:
			return ""
		case q.Kind == forms.Centre:
			return "sites." + q.Field
		case row == nil:
			return f.Section + "." + q.Field
		}
		i := slices.IndexFunc(rec.RowsOf(row.Section), func(r *forms.Row) bool { return r.ID == row.ID })
		return fmt.Sprintf("%s[%d].%s", row.Section, i, q.Field)
	}
	because := func(q *forms.Question, row *forms.Row) string {
		p := parent[q]
		if p != nil && !inRow[p] {
			row = nil
		}
		return pathOf(p, row)
	}
	asked := func(q *forms.Question) bool {
		return !q.Optional && q.Kind != forms.Rows && q.Kind != forms.Derived && q.Kind != forms.Confirm
	}
	var out []expectation
	var blank func(qs []*forms.Question, section, because string)
	blank = func(qs []*forms.Question, section, because string) {
		for _, q := range qs {
			if q.ShownUnder(nil) && asked(q) {
				out = append(out, expectation{Gap{section + "[]." + q.Field, because}, false})
				blank(q.FollowUps, section, section+"[]."+q.Field)
			}
		}
	}
	f.Walk(rec, func(q *forms.Question, row *forms.Row, shown bool) {
		if !shown {
			return
		}
		if q.Kind == forms.Rows {
			held := slices.ContainsFunc(rec.RowsOf(q.RowSection), func(r *forms.Row) bool {
				return q.Holds(func(field string) forms.Literal { return r.Answers[field] })
			})
			if !held {
				blank(q.RowItems, q.RowSection, because(q, nil))
			}
			return
		}
		if !asked(q) {
			return
		}
		a := f.Answer(rec, q, row)
		out = append(out, expectation{Gap{pathOf(q, row), because(q, row)}, a != nil && string(a) != "[]"})
	})
	return out
}

// randomRecord answers every form at random: most shown questions, a few
// hidden ones (answers left behind), a few rows of each list, the
// valproate rule's conditions often met.
func randomRecord(r *rand.Rand) *forms.Record {
	rec := &forms.Record{Sections: map[string]map[string]forms.Literal{}}
	sex := []int{audit.SexFemale, audit.SexMale}[r.IntN(2)]
	rec.Sex = &sex
	dob := audit.MustParseDate([]string{"2010-01-01", "2013-06-01", "2013-06-02", "2020-01-01"}[r.IntN(4)])
	rec.DateOfBirth = &dob
	g := generator{r: r, rec: rec}
	for _, f := range forms.All() {
		g.form = f
		g.questions(f.Questions, 0, nil, true)
	}
	return rec
}

type generator struct {
	r    *rand.Rand
	rec  *forms.Record
	form *forms.Form
	id   int64
}

func (g *generator) set(q *forms.Question, row int64, field string, v forms.Literal) {
	if row != 0 {
		g.rec.Row(row).Answers[field] = v
		return
	}
	section := g.form.Section
	if q.Kind == forms.Centre {
		section = "sites"
	}
	if g.rec.Sections[section] == nil {
		g.rec.Sections[section] = map[string]forms.Literal{}
	}
	g.rec.Sections[section][field] = v
}

func (g *generator) get(q *forms.Question, row int64) func(string) forms.Literal {
	return func(field string) forms.Literal {
		if row != 0 {
			return g.rec.Row(row).Answers[field]
		}
		section := g.form.Section
		if q.Kind == forms.Centre {
			section = "sites"
		}
		return g.rec.Sections[section][field]
	}
}

func (g *generator) questions(qs []*forms.Question, row int64, above forms.Literal, aboveShown bool) {
	for _, q := range qs {
		shown := aboveShown && q.ShownUnder(above)
		if q.Kind == forms.Rows {
			n := g.r.IntN(4)
			if !shown && g.r.IntN(8) > 0 {
				n = 0
			}
			for range n {
				g.id++
				answers := map[string]forms.Literal{}
				if q.RowFilter != nil {
					answers[q.RowFilter.Field] = forms.Literal(q.RowFilter.Value)
				}
				g.rec.AddRow(forms.Row{ID: g.id, Section: q.RowSection, Answers: answers})
				g.questions(q.RowItems, g.id, nil, shown)
			}
			continue
		}
		if shown && g.r.IntN(5) > 0 || !shown && g.r.IntN(12) == 0 {
			g.answer(q, row)
		}
		g.questions(q.FollowUps, row, q.AnswerFrom(g.get(q, row)), shown)
	}
}

func (g *generator) answer(q *forms.Question, row int64) {
	quote := func(s string) forms.Literal { return forms.Literal(`"` + s + `"`) }
	var v forms.Literal
	switch q.Kind {
	case forms.YesNo, forms.Derived:
		v = forms.Literal([]string{"true", "true", "false"}[g.r.IntN(3)])
	case forms.Confirm:
		v = forms.Literal("true")
	case forms.Radios, forms.Select:
		code := q.Choices[g.r.IntN(len(q.Choices))].Code
		// Often an answer that shows a follow-up, and sodium valproate.
		var showing []string
		for _, f := range q.FollowUps {
			showing = append(showing, f.ShowWhen...)
		}
		if len(showing) > 0 && g.r.IntN(2) == 0 {
			if s := showing[g.r.IntN(len(showing))]; s != "*" {
				code = strings.Trim(s, `"`)
			}
		}
		if q.Field == "medicine_name" && g.r.IntN(2) == 0 && slices.ContainsFunc(q.Choices, func(c forms.Choice) bool { return c.Code == audit.MedicineSodiumValproate }) {
			code = audit.MedicineSodiumValproate
		}
		v = quote(code)
		if q.IntCodes {
			v = forms.Literal(code)
		}
	case forms.Checkboxes:
		v = forms.Literal(`["` + q.Choices[g.r.IntN(len(q.Choices))].Code + `"]`)
	case forms.Date:
		v = quote("2024-05-01")
	case forms.Text, forms.TextArea:
		v = quote("some words")
	case forms.Centre:
		v = quote("RGT01")
	case forms.Laterality:
		side := g.r.IntN(3)
		for i, field := range q.Stores() {
			g.set(q, row, field, forms.Literal(fmt.Sprint(i == side)))
		}
		return
	}
	g.set(q, row, q.Field, v)
}

// TestCentresAreSites: every centre a form asks for is one of the site
// roles progress counts (Sites, and the Path constants of its gaps).
func TestCentresAreSites(t *testing.T) {
	known := []string{PathGeneralPaediatricCentre, PathPaediatricNeurologyCentre, PathEpilepsySurgeryCentre}
	var found []string
	for _, f := range forms.All() {
		f.Walk(&forms.Record{}, func(q *forms.Question, _ *forms.Row, _ bool) {
			if q.Kind == forms.Centre {
				found = append(found, "sites."+q.Field)
			}
		})
	}
	if !slices.Equal(found, known) {
		t.Errorf("the forms' centres are %q; progress knows %q", found, known)
	}
}
