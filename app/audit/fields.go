package audit

import (
	"reflect"
	"strings"
)

// Sections of the document: the name of each top-level member and the Go
// type of one object in it (a form, or one row of an array).
var sectionTypes = map[string]reflect.Type{
	"case":                        reflect.TypeFor[Case](),
	"registration":                reflect.TypeFor[Registration](),
	"first_paediatric_assessment": reflect.TypeFor[FirstPaediatricAssessment](),
	"epilepsy_context":            reflect.TypeFor[EpilepsyContext](),
	"multiaxial_diagnosis":        reflect.TypeFor[MultiaxialDiagnosis](),
	"investigations":              reflect.TypeFor[Investigations](),
	"assessment":                  reflect.TypeFor[Assessment](),
	"management":                  reflect.TypeFor[Management](),
	"sites":                       reflect.TypeFor[Sites](),
	"episodes":                    reflect.TypeFor[Episode](),
	"syndromes":                   reflect.TypeFor[Syndrome](),
	"comorbidities":               reflect.TypeFor[Comorbidity](),
	"antiepilepsy_medicines":      reflect.TypeFor[AntiEpilepsyMedicine](),
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

func isRowSection(section string) bool {
	switch section {
	case "episodes", "syndromes", "comorbidities", "antiepilepsy_medicines":
		return true
	}
	return false
}

func validIndex(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
