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
		// The case and the registration are not forms here: Parts carries
		// them decoded.
		dst, s, ok := c.sectionValue(name)
		if !ok || s.rows || name == "case" || name == "registration" {
			d.fail(name, "unknown field")
			continue
		}
		if fields != nil {
			v := reflect.New(dst.Type().Elem())
			d.fields(name, fields, v.Elem())
			dst.Set(v)
		}
	}
	for name, rows := range p.Rows {
		dst, s, ok := c.sectionValue(name)
		if !ok || !s.rows {
			d.fail(name, "unknown field")
			continue
		}
		if len(rows) > 0 {
			out := reflect.MakeSlice(dst.Type(), len(rows), len(rows))
			for i, r := range rows {
				d.fields(fmt.Sprintf("%s[%d]", name, i), r, out.Index(i))
			}
			dst.Set(out)
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
