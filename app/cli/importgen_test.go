package cli

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/nhsnumber"
)

// docGen makes the audit documents of made-up children the way clinicians
// fill the forms: in a random order, answering most questions shown (valid
// answers, with the §4.1 date rules kept), leaving some, changing some
// answers' minds (which clears their follow-ups), adding rows to lists.
// Every answer goes through forms.Form.Apply on a record in memory, so
// the documents are ones the forms could have made, and the import must
// take every one.
type docGen struct {
	r     *rand.Rand
	today audit.Date
	nhs   map[string]bool
}

func newDocGen(seed uint64, today audit.Date) *docGen {
	return &docGen{r: rand.New(rand.NewPCG(seed, 7)), today: today, nhs: map[string]bool{}}
}

var (
	genNames      = []string{"Amelia", "Noah", "Isla", "Oliver", "Seren", "Rhys", "Aisha", "Tomasz", "Priya", "Kwame"}
	genSurnames   = []string{"Smith", "Jones", "Patel", "Evans", "Nowak", "Okafor", "Khan", "Murphy", "Price", "O'Neill"}
	genPostcodes  = []string{"CB20QQ", "SW1A1AA", "M68HD", "CF144XW", "ZZ993WZ", "LS13EX"}
	genWords      = []string{"then", "with", "and", "during sleep", "after school", "lasting two minutes", "brief"}
	genTexts      = []string{"cerebral palsy", "attention deficit hyperactivity disorder", "tuberous sclerosis", "a fall", "not sure"}
	genSexes      = []int{1, 2, 2, 9, 0}
	valproateName = "Sodium valproate"
)

func (g *docGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *docGen) date(from, to audit.Date) audit.Date {
	return from.AddDays(g.r.IntN(audit.DaysBetween(from, to) + 1))
}

// next is one child: registered in an open cohort (one in ten not
// registered), with every form.
func (g *docGen) next() *audit.Child {
	earliest := audit.DateOf(cohort.RolesOn(g.today.Time()).EarliestFirstAssessment())
	fpa := g.date(earliest, g.today)
	dob := fpa.AddDays(-30 - g.r.IntN(16*365))
	sex := genSexes[g.r.IntN(len(genSexes))]
	nhs := nhsnumber.Generate(g.r)
	for g.nhs[nhs] {
		nhs = nhsnumber.Generate(g.r)
	}
	g.nhs[nhs] = true
	first, surname, postcode := g.pick(genNames), g.pick(genSurnames), g.pick(genPostcodes)
	ethnicity := children.Ethnicities[g.r.IntN(len(children.Ethnicities))].Code
	c := &audit.Case{NHSNumber: &nhs, FirstName: &first, Surname: &surname, Sex: &sex, DateOfBirth: &dob,
		Postcode: &postcode, Ethnicity: &ethnicity}
	if g.r.IntN(10) == 0 {
		return &audit.Child{Case: c}
	}
	rec := &forms.Record{DateOfBirth: &dob, FirstAssessment: &fpa, Sex: &sex, Sections: map[string]map[string]forms.Literal{}}
	env := forms.Env{Today: g.today, Keywords: forms.SemiologyKeywords}
	for _, f := range forms.All() {
		g.fill(f, rec, env)
	}
	yes := true
	child, err := rec.Child(c, &audit.Registration{FirstPaediatricAssessmentDate: &fpa, EligibilityCriteriaMet: &yes})
	if err != nil {
		panic(fmt.Sprintf("a generated record does not decode: %v", err))
	}
	return child
}

// fill answers one form as a clinician might, step by step: each step
// answers one question shown and not yet decided, or adds a row to a list
// that wants more, chosen at random.
func (g *docGen) fill(f *forms.Form, rec *forms.Record, env forms.Env) {
	decided := map[string]bool{}
	wanted := map[string]int{} // rows each list gets
	for step := 0; step < 400; step++ {
		type todo struct {
			id  string
			q   *forms.Question
			row *forms.Row
		}
		var todos []todo
		genShown(f, rec, func(q *forms.Question, row *forms.Row) {
			id := genKey(f, q, row).String()
			switch q.Kind {
			case forms.Derived, forms.Centre:
				return
			case forms.Rows:
				id = "rows " + q.RowSection
				if q.RowFilter != nil {
					id += " " + q.RowFilter.Value
				}
				if _, ok := wanted[id]; !ok {
					wanted[id] = 1 + g.r.IntN(3)
				}
				if genRows(rec, q) >= wanted[id] {
					return
				}
			}
			if !decided[id] {
				todos = append(todos, todo{id, q, row})
			}
		})
		if len(todos) == 0 {
			return
		}
		t := todos[g.r.IntN(len(todos))]
		if t.q.Kind == forms.Rows {
			g.addRow(rec, t.q)
			continue
		}
		decided[t.id] = true
		if g.r.IntN(8) == 0 {
			continue // left unanswered
		}
		k := genKey(f, t.q, t.row)
		if v, ok := g.answer(rec, t.q, k); ok {
			_, _ = f.Apply(rec, k, v, env) // a refused answer (a date out of order) stays unanswered
		}
		if g.r.IntN(25) == 0 {
			decided[t.id] = false // a change of mind, later
		}
	}
}

func (g *docGen) addRow(rec *forms.Record, list *forms.Question) {
	id := int64(len(rec.Rows) + 1)
	for rec.Row(id) != nil {
		id++
	}
	row := forms.Row{ID: id, Section: list.RowSection, Answers: map[string]forms.Literal{}}
	if flt := list.RowFilter; flt != nil {
		row.Answers[flt.Field] = forms.Literal(flt.Value)
	}
	rec.AddRow(row)
}

// answer is a random valid answer to q (ok false: leave it as it is).
func (g *docGen) answer(rec *forms.Record, q *forms.Question, k forms.Key) (forms.Literal, bool) {
	lit := func(v any) forms.Literal { b, _ := json.Marshal(v); return b }
	switch q.Kind {
	case forms.YesNo:
		return lit(g.r.IntN(3) != 0), true
	case forms.Confirm:
		return forms.Literal("true"), true
	case forms.Radios, forms.Select:
		c := q.Choices[g.r.IntN(len(q.Choices))].Code
		if k.Field == "medicine_name" && g.r.IntN(3) == 0 && slices.ContainsFunc(q.Choices, func(c forms.Choice) bool { return c.Code == valproateName }) {
			c = valproateName
		}
		if q.IntCodes {
			return forms.Literal(c), true
		}
		return lit(c), true
	case forms.Checkboxes:
		if k.Field == "description_keywords" {
			switch g.r.IntN(5) {
			case 0:
				return nil, true // none of the derived ones apply
			case 1, 2:
			default:
				return nil, false // as derived
			}
		}
		var codes []string
		for range 1 + g.r.IntN(3) {
			if c := q.Choices[g.r.IntN(len(q.Choices))].Code; !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
		return lit(codes), true
	case forms.Date:
		from, to := *rec.DateOfBirth, g.today
		if q.Date.Earliest == forms.SinceFirstAssessment || g.r.IntN(4) != 0 {
			from = *rec.FirstAssessment // most dates come after the first assessment
		}
		other := func(field string) *audit.Date {
			var s string
			if v := rec.Get(forms.Key{Section: k.Section, Row: k.Row, Field: field}); v != nil && json.Unmarshal(v, &s) == nil {
				if d, err := audit.ParseDate(s); err == nil {
					return &d
				}
			}
			return nil
		}
		if d := other(q.Date.NotBefore); q.Date.NotBefore != "" && d != nil && d.After(from) {
			from = *d
		}
		if d := other(q.Date.NotAfter); q.Date.NotAfter != "" && d != nil && d.Before(to) {
			to = *d
		}
		if to.Before(from) {
			return nil, false
		}
		return lit(g.date(from, to).String()), true
	case forms.Text:
		return lit(g.pick(genTexts)), true
	case forms.TextArea:
		words := []string{"The child had"}
		for range g.r.IntN(4) {
			words = append(words, g.pick(forms.SemiologyKeywords), g.pick(genWords))
		}
		return lit(strings.Join(words, " ") + "."), true
	case forms.Laterality:
		return lit([]string{"left", "right", "laterality_unknown"}[g.r.IntN(3)]), true
	}
	return nil, false
}

// genShown visits the questions shown on rec, in order, with the row each
// is asked about; a hidden question's follow-ups are not visited.
func genShown(f *forms.Form, rec *forms.Record, fn func(q *forms.Question, row *forms.Row)) {
	var visit func(qs []*forms.Question, row *forms.Row)
	visit = func(qs []*forms.Question, row *forms.Row) {
		for _, q := range qs {
			if !f.Shown(rec, q, row) {
				continue
			}
			fn(q, row)
			if q.Kind != forms.Rows {
				visit(q.FollowUps, row)
				continue
			}
			for _, r := range rec.RowsOf(q.RowSection) {
				if q.RowFilter == nil || string(r.Answers[q.RowFilter.Field]) == q.RowFilter.Value {
					visit(q.RowItems, r)
				}
			}
		}
	}
	visit(f.Questions, nil)
}

func genRows(rec *forms.Record, list *forms.Question) int {
	n := 0
	for _, r := range rec.RowsOf(list.RowSection) {
		if list.RowFilter == nil || string(r.Answers[list.RowFilter.Field]) == list.RowFilter.Value {
			n++
		}
	}
	return n
}

func genKey(f *forms.Form, q *forms.Question, row *forms.Row) forms.Key {
	if row != nil {
		return forms.Key{Section: row.Section, Row: row.ID, Field: q.Field}
	}
	return forms.Key{Section: f.Section, Field: q.Field}
}

// variant is the same child as another document may carry it: with the
// fields clinaudit derives or does not keep (the deprivation quintile, the
// derived registration dates), or without the answers it derives itself
// (whether a pregnancy prevention programme is needed; the false sides of
// a focal onset). It imports as the same record.
func (g *docGen) variant(c *audit.Child) *audit.Child {
	v := clone(c)
	if g.r.IntN(3) == 0 {
		q := 1 + g.r.IntN(5)
		v.Case.IndexOfMultipleDeprivationQuintile = &q
	}
	if r := v.Registration; r != nil && g.r.IntN(2) == 0 {
		n, _ := cohort.ForDate(r.FirstPaediatricAssessmentDate.Time())
		number, year := int(n), r.FirstPaediatricAssessmentDate.AddYears(1)
		deadline := audit.DateOf(n.SubmissionDeadline())
		r.Cohort, r.CompletedFirstYearOfCareDate, r.AuditSubmissionDate = &number, &year, &deadline
	}
	for i := range v.AntiEpilepsyMedicines {
		if g.r.IntN(2) == 0 {
			v.AntiEpilepsyMedicines[i].IsAPregnancyPreventionProgrammeNeeded = nil
		}
	}
	for i := range v.Episodes {
		e := &v.Episodes[i]
		for _, p := range []**bool{&e.FocalOnsetLeft, &e.FocalOnsetRight, &e.FocalOnsetLateralityUnknown} {
			if *p != nil && !**p && g.r.IntN(2) == 0 {
				*p = nil
			}
		}
	}
	return v
}

func clone(c *audit.Child) *audit.Child {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var out audit.Child
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

// line is a document as one line of an import file.
func line(t *testing.T, c *audit.Child) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()
