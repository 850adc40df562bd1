package forms

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clinaudit/app/audit"
	"clinaudit/app/datefield"
	"clinaudit/app/textinput"
)

// FieldError is an answer that cannot be saved, with the message shown
// next to the question. Parts are the date inputs to highlight.
type FieldError struct {
	Key     Key
	Message string
	Parts   []datefield.Part
}

func (e *FieldError) Error() string { return e.Message }

func fail(k Key, format string, args ...any) *FieldError {
	return &FieldError{Key: k, Message: fmt.Sprintf(format, args...)}
}

// check is §4 for one answer: its type and list, its length, and the date
// rules of §4.1.
func (f *Form) check(rec *Record, q *Question, row *Row, k Key, v Literal, env Env) error {
	if v == nil {
		return nil // not answered is always allowed
	}
	switch q.Kind {
	case YesNo, Confirm:
		var b bool
		if json.Unmarshal(v, &b) != nil {
			return fail(k, "Answer yes or no")
		}
		if q.Kind == Confirm && !b {
			return fail(k, "Tick the box, or leave it unticked")
		}
	case Radios, Select:
		if !q.hasChoice(v) {
			return fail(k, "Choose one of the options for: %s", lowerFirst(q.Label))
		}
		if q.OncePerChild && row != nil && !slices.ContainsFunc(q.Offered(rec, row), func(c Choice) bool { return jsonEqual(quote(c.Code), v) }) {
			// The list does not offer it; a request may still send it.
			return fail(k, "This medicine is listed already for this child. Choose another, or remove this row.")
		}
	case Checkboxes:
		var codes []string
		if json.Unmarshal(v, &codes) != nil {
			return fail(k, "Choose from the options listed")
		}
		for i, c := range codes {
			if !q.hasChoice(quote(c)) || slices.Contains(codes[:i], c) {
				return fail(k, "Choose from the options listed")
			}
		}
	case Text, TextArea:
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fail(k, "Enter text")
		}
		if n := utf8.RuneCountInString(s); q.MaxLen > 0 && n > q.MaxLen {
			return fail(k, "%s must be %d characters or fewer (it is %d)", q.Label, q.MaxLen, n)
		}
		// The same rule as the web guard's, for imports too; json.Unmarshal
		// would quietly mend bad UTF-8, so the literal is checked as sent.
		lines := textinput.SingleLine
		if q.Kind == TextArea {
			lines = textinput.MultiLine
		}
		err := textinput.Check(s, lines)
		if err == nil && !utf8.Valid(v) {
			err = textinput.ErrEncoding
		}
		if err != nil {
			return fail(k, "%s", textinput.Message(q.Label, err))
		}
	case Laterality:
		var s string
		_ = json.Unmarshal(v, &s)
		if s != "left" && s != "right" && s != "laterality_unknown" {
			return fail(k, "Choose left, right or unknown")
		}
	case Centre:
		var s string
		if json.Unmarshal(v, &s) != nil || env.OrganisationExists == nil || !env.OrganisationExists(s) {
			return fail(k, "Choose the centre from the list")
		}
	case Date:
		return f.checkDate(rec, q, row, k, v, env)
	}
	return nil
}

func (q *Question) hasChoice(v Literal) bool {
	for _, c := range q.Choices {
		lit := quote(c.Code)
		if q.IntCodes {
			lit = Literal(c.Code)
		}
		if jsonEqual(lit, v) {
			return true
		}
	}
	return false
}

// checkDate is §4.1: not in the future, not before the anchor, and in order
// with its pair (each date of a pair is checked against the other's stored
// value).
func (f *Form) checkDate(rec *Record, q *Question, row *Row, k Key, v Literal, env Env) error {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return fail(k, "%s must be a real date", q.Label)
	}
	d, err := audit.ParseDate(s)
	if err != nil {
		return fail(k, "%s must be a real date", q.Label)
	}
	rules := []datefield.Rule{datefield.NotInFuture(env.Today.Time())}
	if r := q.Date; r != nil {
		switch r.Earliest {
		case SinceBirth:
			if rec.DateOfBirth != nil {
				rules = append(rules, datefield.OnOrAfter(rec.DateOfBirth.Time(), datefield.WhatBirth))
			}
		case SinceFirstAssessment:
			if rec.FirstAssessment != nil {
				rules = append(rules, datefield.OnOrAfter(rec.FirstAssessment.Time(), datefield.WhatFirstAssessment))
			}
		}
		other := func(field string) (time.Time, string) {
			lit := rec.Get(Key{k.Section, k.Row, field})
			var o string
			if lit == nil || json.Unmarshal(lit, &o) != nil {
				return time.Time{}, ""
			}
			od, err := audit.ParseDate(o)
			if err != nil {
				return time.Time{}, ""
			}
			return od.Time(), "the " + lowerFirst(f.labelOf(field, row))
		}
		if r.NotBefore != "" {
			if t, what := other(r.NotBefore); !t.IsZero() {
				rules = append(rules, datefield.OnOrAfter(t, what))
			}
		}
		if r.NotAfter != "" {
			if t, what := other(r.NotAfter); !t.IsZero() {
				rules = append(rules, datefield.OnOrBefore(t, what))
			}
		}
	}
	if err := datefield.Check(q.Label, d.Time(), rules...); err != nil {
		fe := &FieldError{Key: k, Message: err.Error()}
		if de, ok := err.(*datefield.Error); ok {
			fe.Parts = de.Parts
		}
		return fe
	}
	return nil
}

// labelOf is the label of the question storing field, for messages.
func (f *Form) labelOf(field string, row *Row) string {
	label := field
	var visit func([]*Question)
	visit = func(qs []*Question) {
		for _, q := range qs {
			if q.Field == field && q.Kind != Rows {
				label = q.Label
				return
			}
			visit(q.FollowUps)
			visit(q.RowItems)
		}
	}
	visit(f.Questions)
	return label
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// derive lists the answers the application sets because k changed.
func derive(rec *Record, q *Question, k Key, env Env) []Change {
	switch {
	case k.Section == "antiepilepsy_medicines" && k.Field == "medicine_name":
		// §2.13: the programme is needed for sodium valproate, a girl, aged
		// 12 or over today; choosing a medicine resets the two questions.
		// Rescue medicines are never sodium valproate and do not ask them.
		if jsonEqual(rec.Get(Key{k.Section, k.Row, "is_rescue_medicine"}), Literal("true")) {
			return nil
		}
		needed := false
		var name string
		if v := rec.Get(k); v != nil {
			_ = json.Unmarshal(v, &name)
		}
		if name == audit.MedicineSodiumValproate && rec.Sex != nil && *rec.Sex == audit.SexFemale && rec.DateOfBirth != nil {
			needed = rec.DateOfBirth.AddYears(12).OnOrBefore(env.Today)
		}
		var neededLit Literal
		if rec.Get(k) != nil {
			neededLit = Literal(boolText(needed))
		}
		return []Change{
			{Key: Key{k.Section, k.Row, "is_a_pregnancy_prevention_programme_needed"}, New: neededLit},
			{Key: Key{k.Section, k.Row, "is_a_pregnancy_prevention_programme_in_place"}},
			{Key: Key{k.Section, k.Row, "has_a_valproate_annual_risk_acknowledgement_form_been_completed"}},
		}
	case k.Section == "episodes" && k.Field == "description":
		var text string
		if v := rec.Get(k); v != nil {
			_ = json.Unmarshal(v, &text)
		}
		found := Keywords(text, env.Keywords)
		var lit Literal
		if len(found) > 0 {
			lit, _ = json.Marshal(found)
		}
		return []Change{{Key: Key{k.Section, k.Row, "description_keywords"}, New: lit}}
	}
	return nil
}

// Keywords lists the keywords that occur in a description, as whole words
// or phrases, ignoring case, in the keyword list's order. Epilepsy12 uses a
// fuzzy match (rapidfuzz partial_ratio ≥ 90); an exact match is stricter,
// and the clinician can tick any keyword it misses.
func Keywords(description string, keywords []string) []string {
	text := " " + normaliseWords(description) + " "
	var out []string
	for _, kw := range keywords {
		if w := normaliseWords(kw); w != "" && strings.Contains(text, " "+w+" ") && !slices.Contains(out, kw) {
			out = append(out, kw)
		}
	}
	return out
}

func normaliseWords(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r > 127)
	})
	return strings.Join(f, " ")
}

// IntLiteral is n as a stored answer.
func IntLiteral(n int) Literal { return Literal(strconv.Itoa(n)) }
