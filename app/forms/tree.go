package forms

import "strings"

// Read-only views of the question tree, for packages that read a record
// other than a Record (progress reads the decoded audit.Child): the same
// visibility, list and answer rules as the forms themselves.

// Walk visits every question of f in order, with the row it is asked about
// (nil for the form's own questions) and whether it is shown on rec. A
// hidden question's follow-ups are hidden too.
func (f *Form) Walk(rec *Record, fn func(q *Question, row *Row, shown bool)) { f.walk(rec, fn) }

// AnswerFrom is q's answer as get (field name → stored answer, nil when
// not answered) reads it: for a Laterality question which of its three
// booleans is true ("left"), for any other question get(q.Field).
func (q *Question) AnswerFrom(get func(field string) Literal) Literal {
	if q.Kind == Laterality {
		for _, field := range lateralityFields {
			if jsonEqual(get(field), Literal("true")) {
				return quote(strings.TrimPrefix(field, "focal_onset_"))
			}
		}
		return nil
	}
	return get(q.Field)
}

// Holds reports whether the list q (a Rows question) holds a row whose
// answers get reads: every row, or for a list with a RowFilter the rows
// whose fixed answer matches it (the rescue or the maintenance medicines).
func (q *Question) Holds(get func(field string) Literal) bool {
	return q.RowFilter == nil || jsonEqual(get(q.RowFilter.Field), Literal(q.RowFilter.Value))
}
