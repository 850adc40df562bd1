package forms

import (
	"testing"
)

// pick chooses the answer to q (on row, nil for a form question); nil
// means the default answer of defaultAnswer, skip leaves it unanswered.
type pick func(q *Question, row *Row) Literal

var skip = Literal("skip")

// defaultAnswer is a valid answer to any question: yes, the first choice,
// a date after the first assessment (later for the second date of a
// pair), a ticked box only when picked.
func defaultAnswer(q *Question) Literal {
	switch q.Kind {
	case YesNo:
		return yes
	case Radios, Select:
		return answerFor(q, q.Choices[0].Code)
	case Checkboxes:
		return lit([]string{q.Choices[0].Code})
	case Text, TextArea:
		return quote("Some words")
	case Date:
		if q.Date.NotBefore != "" {
			return day(20)
		}
		return day(10)
	case Laterality:
		return quote("left")
	case Centre:
		return quote("RGT01")
	}
	return skip // Confirm: unticked unless picked
}

// fill answers every question shown on every form, as a clinician going
// down the page would, adding one row to every list shown without rows,
// until nothing shown is left unanswered.
func fill(t *testing.T, rec *Record, choose pick) {
	t.Helper()
	for _, f := range All() {
		skipped := map[Key]bool{}
		for range 1000 {
			var next *Key
			var nextQ *Question
			addTo := (*Question)(nil)
			f.walk(rec, func(q *Question, row *Row, visible bool) {
				if !visible || next != nil || addTo != nil {
					return
				}
				switch q.Kind {
				case Rows:
					for _, r := range rec.RowsOf(q.RowSection) {
						if q.RowFilter == nil || jsonEqual(r.Answers[q.RowFilter.Field], Literal(q.RowFilter.Value)) {
							return
						}
					}
					addTo = q
					return
				case Derived:
					return
				}
				k := Key{f.Section, 0, q.Stores()[0]}
				if row != nil {
					k = Key{row.Section, row.ID, k.Field}
				}
				if q.Kind == Centre {
					k.Section = "sites"
				}
				if skipped[k] || f.Answer(rec, q, row) != nil {
					return
				}
				next, nextQ = &k, q
			})
			switch {
			case addTo != nil:
				fixed := map[string]Literal{}
				if addTo.RowFilter != nil {
					fixed[addTo.RowFilter.Field] = Literal(addTo.RowFilter.Value)
				}
				addRow(rec, addTo.RowSection, fixed)
				continue
			case next == nil:
				goto done
			}
			v := choose(nextQ, rec.Row(next.Row))
			if v == nil {
				v = defaultAnswer(nextQ)
			}
			if string(v) == string(skip) {
				skipped[*next] = true
				continue
			}
			if _, err := f.Apply(rec, *next, v, testEnv()); err != nil {
				t.Fatalf("%s: Apply(%s, %s): %v", f.ID, *next, v, err)
			}
		}
		t.Fatalf("%s: still unanswered questions after 1000 answers", f.ID)
	done:
	}
}

// answers picks by field name (any row), else the default.
func answers(m map[string]Literal) pick {
	return func(q *Question, row *Row) Literal { return m[q.Field] }
}
