package progress

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
)

// The audit document read by the forms' field names: progress walks the
// forms' questions, which name fields as the document does, over the
// decoded audit.Child.

// fieldIndex maps each struct type of audit.Child (and Child itself) to
// its fields by JSON name.
var fieldIndex = func() map[reflect.Type]map[string]int {
	out := map[reflect.Type]map[string]int{}
	var index func(t reflect.Type)
	index = func(t reflect.Type) {
		if _, done := out[t]; done {
			return
		}
		m := map[string]int{}
		out[t] = m
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			m[name] = i
			switch ft := f.Type; {
			case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft.Elem() != reflect.TypeFor[audit.Date]():
				index(ft.Elem())
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				index(ft.Elem())
			}
		}
	}
	index(reflect.TypeFor[audit.Child]())
	return out
}()

// record is one form record or one row of the document, as its struct
// value; the zero record (a form record that is missing, a row still to
// be added) has nothing answered.
type record struct {
	v      reflect.Value
	fields map[string]int // v's fields by JSON name
}

func recordAt(v reflect.Value) record { return record{v, fieldIndex[v.Type()]} }

// formRecord is the record of a form section.
func formRecord(c *audit.Child, section string) record {
	if f := member(reflect.ValueOf(c).Elem(), section); f.Kind() == reflect.Pointer && !f.IsNil() {
		return recordAt(f.Elem())
	}
	return record{}
}

// recordOf is the record p points to (a form or row struct; nil: none).
func recordOf(p any) record {
	if v := reflect.ValueOf(p); v.Kind() == reflect.Pointer && !v.IsNil() {
		return recordAt(v.Elem())
	}
	return record{}
}

// rowCount is the number of rows of a list.
func rowCount(c *audit.Child, section string) int {
	if f := member(reflect.ValueOf(c).Elem(), section); f.Kind() == reflect.Slice {
		return f.Len()
	}
	return 0
}

// rowRecord is row i of a list.
func rowRecord(c *audit.Child, section string, i int) record {
	return recordAt(member(reflect.ValueOf(c).Elem(), section).Index(i))
}

// answer is the answer at field as a JSON literal, nil when not answered:
// an empty list is not an answer. Without value, any answer reads as
// answered, which saves encoding answers that nothing compares.
func (r record) answer(field string, value bool) forms.Literal {
	i, ok := r.fields[field]
	if !ok {
		return nil
	}
	return literal(r.v.Field(i), value)
}

// member is the field of struct v named name, or the zero Value.
func member(v reflect.Value, name string) reflect.Value {
	if !v.IsValid() {
		return reflect.Value{}
	}
	i, ok := fieldIndex[v.Type()][name]
	if !ok {
		return reflect.Value{}
	}
	return v.Field(i)
}

// answered stands for an answer whose value is not needed.
var answered = forms.Literal("null")

var literalTrue, literalFalse = forms.Literal("true"), forms.Literal("false")

// literal is a field's value as the forms store it.
func literal(v reflect.Value, value bool) forms.Literal {
	switch {
	case !v.IsValid():
		return nil
	case v.Kind() == reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
	case v.Kind() != reflect.Pointer || v.IsNil():
		return nil
	}
	if !value {
		return answered
	}
	// The common answers without encoding/json: progress reads every
	// answer of every child a national recalculation scores.
	switch p := v.Interface().(type) {
	case *bool:
		if *p {
			return literalTrue
		}
		return literalFalse
	case *int:
		return forms.Literal(strconv.Itoa(*p))
	case *audit.Date:
		b, _ := p.MarshalJSON()
		return b
	case *string:
		if plain(*p) {
			return forms.Literal(`"` + *p + `"`)
		}
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil
	}
	return b
}

// anyGiven reports whether the record holds any answer: a non-nil field
// or a non-empty list, other than the fields named in skip (by JSON name).
func (r record) anyGiven(skip []string) bool {
	if !r.v.IsValid() {
		return false
	}
	t := r.v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if slices.Contains(skip, name) {
			continue
		}
		switch f := r.v.Field(i); f.Kind() {
		case reflect.Pointer:
			if !f.IsNil() {
				return true
			}
		case reflect.Slice:
			if f.Len() > 0 {
				return true
			}
		}
	}
	return false
}

// plain reports whether JSON writes s as it is, between quotes.
func plain(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
