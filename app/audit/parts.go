package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
)

// Parts is a document already split into its objects, as the database holds
// it: each form's answers by field name, each row's likewise, every value
// JSON. DecodeParts reads it with Decode's checks but without writing and
// re-reading the whole document, which is most of the cost of scoring a
// stored child (a national recalculation does it for every child).
type Parts struct {
	Case         *Case
	Registration *Registration
	// Forms maps a form's document name ("management") to its answers; a
	// form present with no answers is an empty map, a form absent is nil.
	Forms map[string]map[string]json.RawMessage
	// Rows maps a list's document name ("episodes") to its rows in order.
	Rows map[string][]map[string]json.RawMessage
}

// DecodeParts is Decode for a document in parts. Errors are as Decode's;
// fields are checked in name order within each object.
func DecodeParts(p Parts) (*Child, error) {
	d := decoder{}
	c := &Child{Case: p.Case, Registration: p.Registration}
	for name, fields := range p.Forms {
		switch name {
		case "first_paediatric_assessment":
			c.FirstPaediatricAssessment = partsForm[FirstPaediatricAssessment](&d, name, fields)
		case "epilepsy_context":
			c.EpilepsyContext = partsForm[EpilepsyContext](&d, name, fields)
		case "multiaxial_diagnosis":
			c.MultiaxialDiagnosis = partsForm[MultiaxialDiagnosis](&d, name, fields)
		case "investigations":
			c.Investigations = partsForm[Investigations](&d, name, fields)
		case "assessment":
			c.Assessment = partsForm[Assessment](&d, name, fields)
		case "management":
			c.Management = partsForm[Management](&d, name, fields)
		case "sites":
			c.Sites = partsForm[Sites](&d, name, fields)
		default:
			d.fail(name, "unknown field")
		}
	}
	for name, rows := range p.Rows {
		switch name {
		case "episodes":
			c.Episodes = partsRows[Episode](&d, name, rows)
		case "syndromes":
			c.Syndromes = partsRows[Syndrome](&d, name, rows)
		case "comorbidities":
			c.Comorbidities = partsRows[Comorbidity](&d, name, rows)
		case "antiepilepsy_medicines":
			c.AntiEpilepsyMedicines = partsRows[AntiEpilepsyMedicine](&d, name, rows)
		default:
			d.fail(name, "unknown field")
		}
	}
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *FieldError) int { return cmp.Compare(a.Path, b.Path) })
		return nil, d.errs
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func partsForm[T any](d *decoder, path string, fields map[string]json.RawMessage) *T {
	if fields == nil {
		return nil
	}
	v := new(T)
	d.fields(path, fields, reflect.ValueOf(v).Elem())
	return v
}

func partsRows[T any](d *decoder, path string, rows []map[string]json.RawMessage) []T {
	if len(rows) == 0 {
		return nil
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		d.fields(fmt.Sprintf("%s[%d]", path, i), r, reflect.ValueOf(&out[i]).Elem())
	}
	return out
}

// fields is object for a map of members.
func (d *decoder) fields(path string, fields map[string]json.RawMessage, v reflect.Value) {
	index := fieldIndex[v.Type()]
	for name, raw := range fields {
		i, known := index[name]
		if !known {
			d.fail(path+"."+name, "unknown field")
			continue
		}
		field := v.Field(i)
		if field.Type() != stringSliceType && fastValue(raw, field) {
			continue // the path is only for errors: not built for every field
		}
		d.value(path+"."+name, raw, field)
	}
}
