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

// member is the field of struct v (a struct value) named name, or the
// zero Value.
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

// sectionOf is the form record of section (a pointer, possibly nil).
func sectionOf(c *audit.Child, section string) any {
	if f := member(reflect.ValueOf(c).Elem(), section); f.IsValid() {
		return f.Interface()
	}
	return nil
}

// rowsOf is the number of rows of a list.
func rowsOf(c *audit.Child, section string) int {
	if f := member(reflect.ValueOf(c).Elem(), section); f.Kind() == reflect.Slice {
		return f.Len()
	}
	return 0
}

// rowOf is row i of a list, as a pointer.
func rowOf(c *audit.Child, section string, i int) any {
	return member(reflect.ValueOf(c).Elem(), section).Index(i).Addr().Interface()
}

// fieldOf is the answer at field of section (row -1 for a form record, or
// row i of a list) as a JSON literal, nil when not answered: an empty list
// is not an answer. Without value, any answer reads as answered, which
// saves encoding answers that nothing compares.
func fieldOf(c *audit.Child, section string, row int, field string, value bool) forms.Literal {
	s := member(reflect.ValueOf(c).Elem(), section)
	switch {
	case !s.IsValid():
		return nil
	case row >= 0:
		if s.Kind() != reflect.Slice || row >= s.Len() {
			return nil
		}
		s = s.Index(row)
	case s.Kind() != reflect.Pointer || s.IsNil():
		return nil
	default:
		s = s.Elem()
	}
	return literal(member(s, field), value)
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

// anyGiven reports whether the record (a pointer to a form or row struct,
// possibly nil) holds any answer: a non-nil field or a non-empty list,
// other than the fields named in skip (by JSON name).
func anyGiven(record any, skip ...string) bool {
	v := reflect.ValueOf(record)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	v = v.Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if slices.Contains(skip, name) {
			continue
		}
		switch f := v.Field(i); f.Kind() {
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
