package audit

import (
	"reflect"
	"strings"
)

// section is a top-level member of the document: its field of Child, and
// whether it is one form (a pointer) or an array of rows (a slice).
type section struct {
	field int
	rows  bool
}

// sections are the document's top-level members by name, read from
// Child's fields and their JSON names, so that Child alone lists them.
var sections = func() map[string]section {
	t := reflect.TypeFor[Child]()
	out := make(map[string]section, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		out[jsonName(f)] = section{field: i, rows: f.Type.Kind() == reflect.Slice}
	}
	return out
}()

// Sections of the document: the name of each top-level member and the Go
// type of one object in it (a form, or one row of an array).
var sectionTypes = func() map[string]reflect.Type {
	t := reflect.TypeFor[Child]()
	out := make(map[string]reflect.Type, len(sections))
	for name, s := range sections {
		out[name] = t.Field(s.field).Type.Elem()
	}
	return out
}()

// sectionValue is c's field for the section name, settable, and the
// section; ok is false when name is no section of the document.
func (c *Child) sectionValue(name string) (reflect.Value, section, bool) {
	s, ok := sections[name]
	if !ok {
		return reflect.Value{}, s, false
	}
	return reflect.ValueOf(c).Elem().Field(s.field), s, true
}

// fieldIndex maps each section type's exact JSON field names to struct
// field indexes. Built once; read-only afterwards, so safe for concurrent use.
var fieldIndex = buildFieldIndex()

func buildFieldIndex() map[reflect.Type]map[string]int {
	out := make(map[reflect.Type]map[string]int, len(sectionTypes))
	for _, t := range sectionTypes {
		names := make(map[string]int, t.NumField())
		for i := range t.NumField() {
			names[jsonName(t.Field(i))] = i
		}
		out[t] = names
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		panic("audit: field " + f.Name + " has no json name")
	}
	return name
}

// KnownField reports whether path names a field of the document, as
// "section.field". Array sections may carry an index or empty brackets:
// "episodes[2].focal_onset_myoclonic", "episodes[].focal_onset_myoclonic".
// A bare section name ("episodes") is also known. The KPI explanations use
// these paths to link a result to the question that decides it.
func KnownField(path string) bool {
	section, field, hasField := strings.Cut(path, ".")
	if i := strings.IndexByte(section, '['); i >= 0 {
		if !strings.HasSuffix(section, "]") || !validIndex(section[i+1:len(section)-1]) {
			return false
		}
		section = section[:i]
		if sectionTypes[section] == nil || !isRowSection(section) {
			return false
		}
	}
	t, ok := sectionTypes[section]
	if !ok {
		return false
	}
	if !hasField {
		return true
	}
	_, ok = fieldIndex[t][field]
	return ok
}

func isRowSection(name string) bool { return sections[name].rows }

func validIndex(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
