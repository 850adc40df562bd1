package answers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
)

// The document Import reads, split into its forms and rows, each a list of
// its members in order, every one marked when a question takes it, so
// that an answer no question took is refused rather than dropped.

// docField is one member of a form or row object of the document.
type docField struct {
	name  string
	value forms.Literal // as encoded from the decoded document: never null
	used  bool
}

// docObject is one form or row of the document, its members in order.
type docObject struct {
	path   string // "management", "episodes[2]"
	fields []*docField
}

func (o *docObject) get(name string) *docField {
	if o == nil {
		return nil
	}
	for _, f := range o.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// value is the document's answer for a field, marking it used; nil when
// not answered.
func (o *docObject) value(name string) forms.Literal {
	if f := o.get(name); f != nil {
		f.used = true
		return f.value
	}
	return nil
}

// document is a decoded audit document, form by form and row by row.
type document struct {
	forms map[string]*docObject   // by section; the centres are "sites"
	rows  map[string][]*docObject // by row section, in document order
}

func newDocument(c *audit.Child) (*document, error) {
	d := &document{forms: map[string]*docObject{}, rows: map[string][]*docObject{}}
	add := func(section string, v any) error {
		o, err := objectOf(section, v)
		d.forms[section] = o
		return err
	}
	for _, f := range []struct {
		section string
		v       any
		present bool
	}{
		{"first_paediatric_assessment", c.FirstPaediatricAssessment, c.FirstPaediatricAssessment != nil},
		{"epilepsy_context", c.EpilepsyContext, c.EpilepsyContext != nil},
		{"multiaxial_diagnosis", c.MultiaxialDiagnosis, c.MultiaxialDiagnosis != nil},
		{"investigations", c.Investigations, c.Investigations != nil},
		{"assessment", c.Assessment, c.Assessment != nil},
		{"management", c.Management, c.Management != nil},
		{"sites", c.Sites, c.Sites != nil},
	} {
		if f.present {
			if err := add(f.section, f.v); err != nil {
				return nil, err
			}
		}
	}
	addRows := func(section string, n int, row func(int) any) error {
		for i := range n {
			o, err := objectOf(fmt.Sprintf("%s[%d]", section, i), row(i))
			if err != nil {
				return err
			}
			d.rows[section] = append(d.rows[section], o)
		}
		return nil
	}
	for _, err := range []error{
		addRows("episodes", len(c.Episodes), func(i int) any { return c.Episodes[i] }),
		addRows("syndromes", len(c.Syndromes), func(i int) any { return c.Syndromes[i] }),
		addRows("comorbidities", len(c.Comorbidities), func(i int) any { return c.Comorbidities[i] }),
		addRows("antiepilepsy_medicines", len(c.AntiEpilepsyMedicines), func(i int) any { return c.AntiEpilepsyMedicines[i] }),
	} {
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// objectOf splits an encoded form or row into its members, in order.
func objectOf(path string, v any) (*docObject, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	o := &docObject{path: path}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if string(raw) != "null" {
			o.fields = append(o.fields, &docField{name: tok.(string), value: forms.Literal(raw)})
		}
	}
	return o, nil
}

// objects lists the forms and rows in document order.
func (d *document) objects() []*docObject {
	var out []*docObject
	for _, s := range []string{"first_paediatric_assessment", "epilepsy_context", "multiaxial_diagnosis", "investigations", "assessment", "management", "sites"} {
		if o := d.forms[s]; o != nil {
			out = append(out, o)
		}
	}
	for _, s := range forms.RowSections {
		out = append(out, d.rows[s]...)
	}
	return out
}

// firstAnswer is the path of the first answer or row of the forms, or "".
func (d *document) firstAnswer() string {
	for _, o := range d.objects() {
		if strings.HasSuffix(o.path, "]") {
			return o.path
		}
		if len(o.fields) > 0 {
			return o.path + "." + o.fields[0].name
		}
	}
	return ""
}

// leftOver refuses the first answer no question took.
func (d *document) leftOver() error {
	for _, o := range d.objects() {
		for _, f := range o.fields {
			if !f.used {
				return fieldError(o.path+"."+f.name, "is not asked here: the form has no such question for this %s", objectNoun(o.path))
			}
		}
	}
	return nil
}

func objectNoun(path string) string {
	if strings.HasSuffix(path, "]") {
		return "row"
	}
	return "form"
}
