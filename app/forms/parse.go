package forms

import (
	"encoding/json"
	"strings"

	"clinaudit/app/datefield"
)

// Values reads the inputs a question's form group posted: every value of
// one input name ("" names the question's own input).
type Values func(name string) []string

// Parse reads the answer the clinician gave to q from its inputs, named
// after k (k.String(), and for dates k.String()+"-day", "-month", "-year").
// Blank input means "not answered". Only shape is checked here (a date
// must be a real date); Apply checks the rest.
func (q *Question) Parse(k Key, in Values) (Literal, error) {
	name := k.String()
	first := func(n string) string {
		if vs := in(n); len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	switch q.Kind {
	case Date:
		d, m, y := first(name+"-day"), first(name+"-month"), first(name+"-year")
		if datefield.IsBlank(d, m, y) {
			return nil, nil
		}
		t, err := datefield.Parse(q.Label, d, m, y)
		if err != nil {
			fe := &FieldError{Key: k, Message: err.Error()}
			if de, ok := err.(*datefield.Error); ok {
				fe.Parts = de.Parts
			}
			return nil, fe
		}
		return quote(t.Format("2006-01-02")), nil
	case Checkboxes:
		var codes []string
		for _, v := range in(name) {
			if v = strings.TrimSpace(v); v != "" {
				codes = append(codes, v)
			}
		}
		if len(codes) == 0 {
			return nil, nil
		}
		b, _ := json.Marshal(codes)
		return b, nil
	}
	v := first(name)
	if q.Kind != TextArea && q.Kind != Text {
		v = strings.TrimSpace(v)
	}
	if v == "" {
		return nil, nil
	}
	switch q.Kind {
	case YesNo, Confirm:
		if v != "true" && v != "false" {
			return nil, fail(k, "Answer yes or no")
		}
		return Literal(v), nil
	case Radios, Select:
		if q.IntCodes {
			for _, c := range q.Choices {
				if c.Code == v {
					return Literal(v), nil
				}
			}
			return nil, fail(k, "Choose one of the options for: %s", lowerFirst(q.Label))
		}
	case TextArea:
		// Line endings as browsers send them (CRLF) count as one character.
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	return quote(v), nil
}
