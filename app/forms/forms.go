// Package forms is the audit's questionnaire: every question of the six
// audit forms a clinician answers after registration (spec §2.4–§2.13),
// which answers make which follow-up questions appear, and what happens to
// a record when one answer changes (validation of §4, the clearing rules of
// §2 and §3, and the answers the application derives).
//
// One rule decides what is cleared: an answer whose question is no longer
// shown is removed. A follow-up is shown only while the answer above it has
// one of the values in its ShowWhen, so "false clears the dates", "status E
// clears every non-epileptic field" and "no syndrome deletes the syndrome
// rows" are all the same rule, read off the question tree.
//
// Answers are held as JSON values (true, "E", 2, "2024-03-01", ["Gen"]),
// exactly as in the document of docs/data-format.md; the package is plain Go
// with no HTTP or SQL.
package forms

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Kind is how a question is asked and what its answer is.
type Kind int

const (
	// YesNo is a three-state boolean (yes, no, not answered) as two radios.
	YesNo Kind = iota
	// Radios is one code from Choices.
	Radios
	// Select is one code from Choices, as a drop-down (long lists).
	Select
	// Checkboxes is a list of codes from Choices; each box toggles one.
	Checkboxes
	// Date is a day, month and year, stored as "YYYY-MM-DD".
	Date
	// Text is one line of free text of at most MaxLen characters.
	Text
	// TextArea is free text of at most MaxLen characters.
	TextArea
	// Confirm is a single checkbox: ticked is true, unticked not answered.
	Confirm
	// Laterality is the focal-onset side: one radio over three booleans
	// (focal_onset_left, _right, _laterality_unknown); choosing one sets the
	// other two false (spec §2.7).
	Laterality
	// Centre is an organisation chosen by ODS code, held in the child's
	// site records (spec §2.2), not in the form record.
	Centre
	// Derived is an answer the application sets, never asked; it may have
	// follow-ups (the valproate questions hang off
	// is_a_pregnancy_prevention_programme_needed).
	Derived
	// Rows is the list of rows of RowSection (episodes, medicines...), with
	// their own questions; it stores nothing itself.
	Rows
)

// Choice is one option of a list: its code as the JSON value stores it
// (a string, or a number for integer lists) and its label.
type Choice struct {
	Code  string
	Label string
}

// DateRule is §4.1 for one date question: never in the future, never
// before the child's birth or first paediatric assessment (Earliest), and
// in order with the other date of its pair in the same record.
type DateRule struct {
	Earliest  Anchor
	NotBefore string // field of the same record this date may not precede
	NotAfter  string // field of the same record this date may not follow
}

// Anchor is a date of the child the earliest allowed date is taken from.
type Anchor int

const (
	NoAnchor Anchor = iota
	SinceBirth
	SinceFirstAssessment
)

// Question is one question of a form, or of one row of a form.
type Question struct {
	Field string // the JSON field name of spec §2; for Rows, the row section
	Label string
	Hint  string
	Kind  Kind

	Choices  []Choice
	IntCodes bool // the codes are numbers (CHRONICITY)
	MaxLen   int  // Text and TextArea
	Date     *DateRule
	// Required: the "not answered" state cannot be chosen (is_rescue_medicine).
	Optional bool // shown as optional in its label ("(optional)")

	// ShowWhen lists the answers of the question above that show this one,
	// as JSON literals ("true", `"E"`). Empty: shown whenever the question
	// above is (top-level questions always are).
	ShowWhen []string
	// ShowUnless hides the question while the question above has one of
	// these answers (the EEG date while "declined" is ticked).
	ShowUnless []string
	FollowUps  []*Question

	// OncePerChild: a choice made in one row is not offered in the
	// child's other rows (a medicine is listed once, spec §2.13).
	OncePerChild bool

	// Rows only: the row section, its questions, and which rows it lists
	// (for medicines: the rescue or the maintenance list).
	RowSection string
	RowFilter  *RowFilter
	RowNoun    string // "episode", "medicine": for "Add episode"
	RowItems   []*Question
}

// RowFilter selects the rows of a list by one answer fixed when the row is
// added (is_rescue_medicine).
type RowFilter struct {
	Field string
	Value string // JSON literal
}

// Form is one task of the task list: its id (the progress.Form id), title,
// the section its record is stored in, and its questions.
type Form struct {
	ID        string
	Title     string
	Section   string
	Questions []*Question
}

// Stores lists the fields a question writes.
func (q *Question) Stores() []string {
	switch q.Kind {
	case Laterality:
		return lateralityFields
	case Rows:
		return nil
	}
	return []string{q.Field}
}

var lateralityFields = []string{"focal_onset_left", "focal_onset_right", "focal_onset_laterality_unknown"}

// Key names one stored answer: a form's field (Row 0) or a field of one row.
type Key struct {
	Section string
	Row     int64
	Field   string
}

// String is the key as the web layer names inputs: "section.row.field".
func (k Key) String() string {
	return k.Section + "." + strconv.FormatInt(k.Row, 10) + "." + k.Field
}

// ID is the key as an HTML id fragment (no dots).
func (k Key) ID() string {
	return k.Section + "-" + strconv.FormatInt(k.Row, 10) + "-" + k.Field
}

// ParseKey reads a key written by String.
func ParseKey(s string) (Key, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Key{}, fmt.Errorf("forms: bad key %q", s)
	}
	row, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || row < 0 {
		return Key{}, fmt.Errorf("forms: bad key %q", s)
	}
	return Key{Section: parts[0], Row: row, Field: parts[2]}, nil
}

// Literal is a JSON value as stored; nil means not answered.
type Literal = json.RawMessage

// Offered lists the choices q offers on row: all of them, but for a
// OncePerChild question none that another row of the child has chosen.
func (q *Question) Offered(rec *Record, row *Row) []Choice {
	if !q.OncePerChild || row == nil {
		return q.Choices
	}
	taken := map[string]bool{}
	for _, other := range rec.RowsOf(row.Section) {
		if other.ID == row.ID {
			continue
		}
		var code string
		if json.Unmarshal(other.Answers[q.Field], &code) == nil {
			taken[code] = true
		}
	}
	out := make([]Choice, 0, len(q.Choices))
	for _, c := range q.Choices {
		if !taken[c.Code] {
			out = append(out, c)
		}
	}
	return out
}
