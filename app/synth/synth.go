// Package synth makes synthetic audit documents for demos, tests and
// benchmarks: made-up children whose six audit forms are filled the way
// clinicians fill them, in a random order, answering most questions shown,
// leaving some, changing their mind on some (which clears the follow-ups),
// adding rows to lists.
//
// Every answer goes through forms.Form.Apply on a record in memory, so
// every document is one the forms could have made: `clinaudit import`
// (answers.Service.Import) takes each one. A share of the children can be
// made complete (every form Completed, progress.Overall), so that they
// count in the KPIs (spec §8.2), and the first paediatric assessments can
// be kept within a range of dates (a cohort).
//
// The same Options and seed give the same children.
package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/progress"
)

// Options says what children to make.
type Options struct {
	// Seed fixes the random choices: the same Options make the same
	// children.
	Seed uint64
	// Today is the day the documents are made on: no date in them is
	// later, and the forms' rules (a girl's age for the valproate
	// questions) read it.
	Today audit.Date
	// From and To bound the first paediatric assessment dates, both
	// included. A zero From is the earliest date a clinician may enter
	// today (cohort.RolesOn(Today).EarliestFirstAssessment()); a zero To,
	// or one after Today, is Today.
	From, To audit.Date
	// Complete is the share of children, from 0 to 1, made with a complete
	// audit: registered, every form Completed by progress.Overall (with
	// Doc.Sites). It is exact, not left to chance: of the first n
	// children, ⌊n × Complete⌋ are made complete. The others are filled
	// as they come, leaving about one question in eight unanswered, so
	// they are all but never complete.
	Complete float64
	// Unregistered is the share, from 0 to 1, of the children not made
	// complete who are not registered: a case and nothing else.
	Unregistered float64
	// Centres are the ODS codes the Milestones form's centres are chosen
	// from; nil means DefaultCentres.
	Centres []string
}

// DefaultCentres are organisations of the reference data that serve as
// centres (general paediatrics, paediatric neurology, epilepsy surgery)
// when Options.Centres is nil.
var DefaultCentres = []string{"RGT01", "RP401", "RBS25", "RQ301", "RA723", "7A4H1"}

// Doc is one made-up child.
type Doc struct {
	// Child is the audit document (docs/data-format.md), with the centres
	// chosen on the Milestones form in its "sites".
	Child *audit.Child
	// Complete reports whether progress.Overall finds every form
	// Completed.
	Complete bool
}

// Generator makes children, one at a time; it is not safe for concurrent
// use.
type Generator struct {
	r        *rand.Rand
	o        Options
	from, to audit.Date
	nhs      map[string]bool
	// made and completed count the children made, and those of them made
	// complete.
	made, completed int
	// complete is set while the child being filled must end complete.
	complete bool
}

// New returns a generator of the children o describes.
func New(o Options) *Generator {
	if o.Today.IsZero() {
		panic("synth: Options.Today is required")
	}
	if o.Centres == nil {
		o.Centres = DefaultCentres
	}
	g := &Generator{r: rand.New(rand.NewPCG(o.Seed, 7)), o: o, from: o.From, to: o.To, nhs: map[string]bool{}}
	if g.from.IsZero() {
		g.from = audit.DateOf(cohort.RolesOn(o.Today.Time()).EarliestFirstAssessment())
	}
	if g.to.IsZero() || g.to.After(o.Today) {
		g.to = o.Today
	}
	if g.to.Before(g.from) {
		panic(fmt.Sprintf("synth: no first assessment date from %s to %s", g.from, g.to))
	}
	return g
}

var (
	genNames     = []string{"Amelia", "Noah", "Isla", "Oliver", "Seren", "Rhys", "Aisha", "Tomasz", "Priya", "Kwame"}
	genSurnames  = []string{"Smith", "Jones", "Patel", "Evans", "Nowak", "Okafor", "Khan", "Murphy", "Price", "O'Neill"}
	genPostcodes = []string{"CB20QQ", "SW1A1AA", "M68HD", "CF144XW", "ZZ993WZ", "LS13EX"}
	genWords     = []string{"then", "with", "and", "during sleep", "after school", "lasting two minutes", "brief"}
	genTexts     = []string{"cerebral palsy", "attention deficit hyperactivity disorder", "tuberous sclerosis", "a fall", "not sure"}
	genSexes     = []int{1, 2, 2, 9, 0}
)

// completeTries bounds the attempts at filling one child's forms to the
// end: a date the forms refuse (out of order with its pair) or an answer
// that clears another late in the filling can leave a gap.
const completeTries = 20

func (g *Generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *Generator) date(from, to audit.Date) audit.Date {
	return from.AddDays(g.r.IntN(audit.DaysBetween(from, to) + 1))
}

func (g *Generator) chance(share float64) bool { return share > 0 && g.r.Float64() < share }

// Next is one child: registered, with a first assessment in the range and
// every form, complete for a share Options.Complete of the children; or,
// for a share Options.Unregistered of the others, not registered.
func (g *Generator) Next() Doc {
	fpa := g.date(g.from, g.to)
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
	g.made++
	complete := int(float64(g.made)*g.o.Complete+1e-9) > g.completed
	if complete {
		g.completed++
	}
	if !complete && g.chance(g.o.Unregistered) {
		return Doc{Child: &audit.Child{Case: c}}
	}
	yes := true
	reg := &audit.Registration{FirstPaediatricAssessmentDate: &fpa, EligibilityCriteriaMet: &yes}
	g.complete = complete
	defer func() { g.complete = false }()
	for try := 1; ; try++ {
		rec := &forms.Record{DateOfBirth: &dob, FirstAssessment: &fpa, Sex: &sex, Sections: map[string]map[string]forms.Literal{}}
		env := forms.Env{Today: g.o.Today, Keywords: forms.SemiologyKeywords, OrganisationExists: g.isCentre}
		for _, f := range forms.All() {
			g.fill(f, rec, env)
		}
		child, err := rec.Child(c, reg)
		if err != nil {
			panic(fmt.Sprintf("synth: a generated record does not decode: %v", err))
		}
		d := Doc{Child: child}
		d.Complete = progress.Options{Today: g.o.Today}.Overall(child).Complete
		if d.Complete || !complete || try == completeTries {
			return d
		}
	}
}

func (g *Generator) isCentre(ods string) bool { return slices.Contains(g.o.Centres, ods) }

// fill answers one form as a clinician might, step by step: each step
// answers one question shown and not yet decided, or adds a row to a list
// that wants more, chosen at random. A child to be complete has every
// question shown answered.
func (g *Generator) fill(f *forms.Form, rec *forms.Record, env forms.Env) {
	decided := map[string]bool{}
	wanted := map[string]int{} // rows each list gets
	for step := 0; step < 400; step++ {
		type todo struct {
			id  string
			q   *forms.Question
			row *forms.Row
		}
		var todos []todo
		shown(f, rec, func(q *forms.Question, row *forms.Row) {
			id := key(f, q, row).String()
			switch q.Kind {
			case forms.Derived:
				return
			case forms.Rows:
				id = "rows " + q.RowSection
				if q.RowFilter != nil {
					id += " " + q.RowFilter.Value
				}
				if _, ok := wanted[id]; !ok {
					wanted[id] = 1 + g.r.IntN(3)
				}
				if rows(rec, q) >= wanted[id] {
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
		if !g.complete && g.r.IntN(8) == 0 {
			continue // left unanswered
		}
		k := key(f, t.q, t.row)
		if v, ok := g.answer(rec, t.q, k); ok {
			_, _ = f.Apply(rec, k, v, env) // a refused answer (a date out of order) stays unanswered
		}
		if g.r.IntN(25) == 0 {
			decided[t.id] = false // a change of mind, later
		}
	}
}

func (g *Generator) addRow(rec *forms.Record, list *forms.Question) {
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
func (g *Generator) answer(rec *forms.Record, q *forms.Question, k forms.Key) (forms.Literal, bool) {
	lit := func(v any) forms.Literal { b, _ := json.Marshal(v); return b }
	switch q.Kind {
	case forms.YesNo:
		return lit(g.r.IntN(3) != 0), true
	case forms.Confirm:
		// A box ticked now and then: a declined test, a focal feature.
		if g.r.IntN(4) != 0 {
			return nil, false
		}
		return forms.Literal("true"), true
	case forms.Radios, forms.Select:
		c := q.Choices[g.r.IntN(len(q.Choices))].Code
		if k.Field == "medicine_name" && g.r.IntN(3) == 0 && slices.ContainsFunc(q.Choices, func(c forms.Choice) bool { return c.Code == audit.MedicineSodiumValproate }) {
			c = audit.MedicineSodiumValproate
		}
		if k.Field == "epilepsy_or_nonepilepsy_status" && g.complete && !epileptic(rec, k.Row) {
			c = audit.StatusEpileptic // a complete audit has an epileptic episode
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
		return g.dateAnswer(rec, q, k)
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
	case forms.Centre:
		return lit(g.pick(g.o.Centres)), true
	}
	return nil, false
}

// dateAnswer is a date §4.1 allows: not in the future, not before the
// child's birth or first assessment (the question's anchor), in order
// with the other date of its pair. Within that, most dates are in the
// first year of care, and most second dates of a pair (seen after
// referral, done after requested) within three weeks of the first.
func (g *Generator) dateAnswer(rec *forms.Record, q *forms.Question, k forms.Key) (forms.Literal, bool) {
	fpa := *rec.FirstAssessment
	lo, hi := *rec.DateOfBirth, g.o.Today
	if q.Date.Earliest == forms.SinceFirstAssessment {
		lo = fpa
	}
	other := func(field string) *audit.Date {
		var s string
		if v := rec.Get(forms.Key{Section: k.Section, Row: k.Row, Field: field}); field != "" && v != nil && json.Unmarshal(v, &s) == nil {
			if d, err := audit.ParseDate(s); err == nil {
				return &d
			}
		}
		return nil
	}
	after, before := other(q.Date.NotBefore), other(q.Date.NotAfter)
	if after != nil && after.After(lo) {
		lo = *after
	}
	if before != nil && before.Before(hi) {
		hi = *before
	}
	if hi.Before(lo) {
		return nil, false
	}
	// Preferences, each kept only when some date is left.
	narrow := func(from, to audit.Date) {
		if from.After(lo) && !from.After(hi) {
			lo = from
		}
		if to.Before(hi) && !to.Before(lo) {
			hi = to
		}
	}
	if q.Date.NotBefore != "" || g.r.IntN(4) != 0 {
		// Most dates come after the first assessment, and every second
		// date of a pair, so that its first date, if asked after it
		// and since the first assessment, has room.
		narrow(fpa, hi)
	}
	if g.r.IntN(8) != 0 {
		narrow(lo, fpa.AddYears(1)) // and within the first year of care
	}
	if g.r.IntN(4) != 0 {
		if after != nil {
			narrow(lo, after.AddDays(20))
		}
		if before != nil {
			narrow(before.AddDays(-20), hi)
		}
	}
	b, _ := json.Marshal(g.date(lo, hi).String())
	return b, true
}

// epileptic reports whether an episode of rec other than row but is
// epileptic.
func epileptic(rec *forms.Record, but int64) bool {
	for _, r := range rec.RowsOf("episodes") {
		if r.ID != but && string(r.Answers["epilepsy_or_nonepilepsy_status"]) == `"`+audit.StatusEpileptic+`"` {
			return true
		}
	}
	return false
}

// shown visits the questions shown on rec, in order, with the row each is
// asked about; a hidden question's follow-ups are not visited. It is
// forms.Form.Shown for every question in one walk of the form (Shown walks
// the whole form for one question): a question is shown when the question
// above it is and that question's answer is one of its ShowWhen ("*": any
// answer), or it has none, and not one of its ShowUnless.
func shown(f *forms.Form, rec *forms.Record, fn func(q *forms.Question, row *forms.Row)) {
	var visit func(qs []*forms.Question, row *forms.Row, parent forms.Literal)
	visit = func(qs []*forms.Question, row *forms.Row, parent forms.Literal) {
		for _, q := range qs {
			if !matches(q, parent) {
				continue
			}
			fn(q, row)
			if q.Kind != forms.Rows {
				visit(q.FollowUps, row, f.Answer(rec, q, row))
				continue
			}
			for _, r := range rec.RowsOf(q.RowSection) {
				if q.RowFilter == nil || sameJSON(r.Answers[q.RowFilter.Field], forms.Literal(q.RowFilter.Value)) {
					visit(q.RowItems, r, nil)
				}
			}
		}
	}
	visit(f.Questions, nil, nil)
}

// matches is whether q is shown below a shown question answered parent.
func matches(q *forms.Question, parent forms.Literal) bool {
	for _, v := range q.ShowUnless {
		if sameJSON(parent, forms.Literal(v)) {
			return false
		}
	}
	if len(q.ShowWhen) == 0 {
		return true
	}
	for _, v := range q.ShowWhen {
		if v == "*" && parent != nil || sameJSON(parent, forms.Literal(v)) {
			return true
		}
	}
	return false
}

func sameJSON(a, b forms.Literal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b))
}

func rows(rec *forms.Record, list *forms.Question) int {
	n := 0
	for _, r := range rec.RowsOf(list.RowSection) {
		if list.RowFilter == nil || string(r.Answers[list.RowFilter.Field]) == list.RowFilter.Value {
			n++
		}
	}
	return n
}

// key is where q's answer is stored: the form's section, the row's, or the
// child's sites for a centre.
func key(f *forms.Form, q *forms.Question, row *forms.Row) forms.Key {
	switch {
	case q.Kind == forms.Centre:
		return forms.Key{Section: "sites", Field: q.Field}
	case row != nil:
		return forms.Key{Section: row.Section, Row: row.ID, Field: q.Field}
	}
	return forms.Key{Section: f.Section, Field: q.Field}
}

// Variant is the same child as another system's document may carry it:
// with the fields clinaudit derives or does not keep (the deprivation
// quintile, the derived registration dates), or without the answers it
// derives itself (whether a pregnancy prevention programme is needed; the
// false sides of a focal onset). It imports as the same record.
func (g *Generator) Variant(c *audit.Child) *audit.Child {
	v := Clone(c)
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

// Clone is a deep copy of a document.
func Clone(c *audit.Child) *audit.Child {
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
