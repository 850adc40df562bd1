package forms

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"

	"clinaudit/app/audit"
)

// The child of the tests: born 15 January 2012 (13 on "today"), first
// assessed on 1 March 2024.
var (
	today = audit.MustParseDate("2025-06-01")
	dob   = audit.MustParseDate("2012-01-15")
	fpa   = audit.MustParseDate("2024-03-01")
)

const (
	girl = audit.SexFemale
	boy  = audit.SexMale
)

func newRecord(sex int) *Record {
	d, f := dob, fpa
	return &Record{DateOfBirth: &d, FirstAssessment: &f, Sex: &sex}
}

func testEnv() Env {
	return Env{
		Today:              today,
		OrganisationExists: func(ods string) bool { return ods != "" && ods != "NOPE" },
		Keywords:           SemiologyKeywords,
	}
}

func lit(v any) Literal {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// day is the date n days after the first paediatric assessment, as an
// answer.
func day(n int) Literal { return lit(fpa.AddDays(n).String()) }

func key(section string, row int64, field string) Key { return Key{section, row, field} }

// addRow adds a row of section (with the list's fixed answer, if any) and
// returns its id.
func addRow(rec *Record, section string, fixed map[string]Literal) int64 {
	id := int64(1)
	for _, r := range rec.Rows {
		id = max(id, r.ID+1)
	}
	answers := map[string]Literal{}
	for k, v := range fixed {
		answers[k] = v
	}
	rec.AddRow(Row{ID: id, Section: section, Answers: answers})
	return id
}

func addMedicine(rec *Record, rescue bool) int64 {
	return addRow(rec, "antiepilepsy_medicines", map[string]Literal{"is_rescue_medicine": lit(rescue)})
}

// step is one save, or (made by adding) adding rows as the page's "Add"
// button does.
type step struct {
	k Key
	v Literal
}

// adders are the row-adding steps, by the field of their step's key.
var adders = map[string]func(rec *Record){}

func adding(fn func(rec *Record)) step {
	name := strconv.Itoa(len(adders))
	adders[name] = fn
	return step{Key{Section: "+add", Field: name}, nil}
}

// apply saves the steps in order on form f, failing the test on an error,
// and returns the last save's effect.
func apply(t *testing.T, f *Form, rec *Record, steps ...step) Effect {
	t.Helper()
	var eff Effect
	for _, s := range steps {
		if s.k.Section == "+add" {
			adders[s.k.Field](rec)
			continue
		}
		var err error
		eff, err = f.Apply(rec, s.k, s.v, testEnv())
		if err != nil {
			t.Fatalf("Apply(%s, %s): %v", s.k, s.v, err)
		}
	}
	return eff
}

// applyErr saves one answer that must be refused, checks the record is
// unchanged, and returns the error.
func applyErr(t *testing.T, f *Form, rec *Record, k Key, v Literal) *FieldError {
	t.Helper()
	before := rec.Clone()
	_, err := f.Apply(rec, k, v, testEnv())
	if err == nil {
		t.Fatalf("Apply(%s, %s): accepted, want an error", k, v)
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("Apply(%s, %s): %T %v, want *FieldError", k, v, err, err)
	}
	if fe.Key != k {
		t.Errorf("Apply(%s, %s): error key %s", k, v, fe.Key)
	}
	if !sameRecord(before, rec) {
		t.Errorf("Apply(%s, %s) was refused but changed the record", k, v)
	}
	return fe
}

// sameRecord compares two records' answers and rows (an empty section is
// the same as a missing one).
func sameRecord(a, b *Record) bool {
	canon := func(r *Record) string {
		sections := map[string]map[string]Literal{}
		for s, m := range r.Sections {
			if len(m) > 0 {
				sections[s] = m
			}
		}
		rows := r.Rows
		if len(rows) == 0 {
			rows = nil
		}
		out, _ := json.Marshal([]any{r.DateOfBirth, r.FirstAssessment, r.Sex, sections, rows})
		return string(out)
	}
	return canon(a) == canon(b)
}

// changeOf returns the change of key k in the effect.
func changeOf(eff Effect, k Key) (Change, bool) {
	i := slices.IndexFunc(eff.Changes, func(c Change) bool { return c.Key == k })
	if i < 0 {
		return Change{}, false
	}
	return eff.Changes[i], true
}

// questions lists every question of a form with the Rows question whose
// rows it is asked about (nil for the form's own questions).
type located struct {
	q    *Question
	list *Question
}

func allQuestions(f *Form) []located {
	var out []located
	var visit func(qs []*Question, list *Question)
	visit = func(qs []*Question, list *Question) {
		for _, q := range qs {
			out = append(out, located{q, list})
			visit(q.FollowUps, list)
			visit(q.RowItems, q)
		}
	}
	visit(f.Questions, nil)
	return out
}

// sectionOf is the section q's answers are stored in.
func sectionOf(f *Form, l located) string {
	switch {
	case l.q.Kind == Centre:
		return "sites"
	case l.list != nil:
		return l.list.RowSection
	}
	return f.Section
}
