// Package registry is the patient registry's domain (issue 16,
// docs/registry.md): registries defined as data, their patients with
// genetic findings, contacts and the relationships between them; the checks
// on what is typed, duplicate warnings, field-by-field autosave with
// per-field conflicts, the one trail, soft delete and restore, and merging
// two contacts. It knows nothing of HTTP: every operation takes the acting
// user (access.Me), authorises itself and returns app/apperr errors or
// children.FieldErrors (the audit's per-field shape, so the web layer shows
// both alike).
package registry

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
)

// Choice is one option of a definition's list: a stored code and the words
// people read.
type Choice struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Definition is what makes one registry different from another: its name,
// the options of its diagnosis and genetic fields and its consent text. It
// is data (definitions/*.json, stored in registries.definition), so a
// second registry is a second file, not a new package.
type Definition struct {
	Slug                   string   `json:"slug"`
	Name                   string   `json:"name"`
	ShortName              string   `json:"short_name"`
	DiagnosisConfirmations []Choice `json:"diagnosis_confirmations"`
	Genes                  []string `json:"genes"`
	VariantClassifications []Choice `json:"variant_classifications"`
	ClinicalStatuses       []Choice `json:"clinical_statuses"`
	ConsentText            string   `json:"consent_text"`
}

//go:embed definitions/*.json
var definitionFiles embed.FS

// Definitions are the registries this binary hosts, by slug, read from
// definitions/*.json. A file that does not parse or lacks a slug, name or
// list stops the program at start-up (and the package's tests).
var Definitions = func() map[string]Definition {
	out := map[string]Definition{}
	names, err := definitionFiles.ReadDir("definitions")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		b, err := definitionFiles.ReadFile(path.Join("definitions", n.Name()))
		if err != nil {
			panic(err)
		}
		d, err := ParseDefinition(b)
		if err != nil {
			panic(fmt.Sprintf("registry: %s: %v", n.Name(), err))
		}
		out[d.Slug] = d
	}
	return out
}()

// DemoSlug is the registry the demo hosts.
const DemoSlug = "rett"

// Slugs lists the hosted registries' slugs in order.
func Slugs() []string {
	var out []string
	for s := range Definitions {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ParseDefinition reads and checks a definition.
func ParseDefinition(b []byte) (Definition, error) {
	var d Definition
	if err := json.Unmarshal(b, &d); err != nil {
		return Definition{}, err
	}
	switch {
	case d.Slug == "" || d.Name == "":
		return Definition{}, fmt.Errorf("a definition needs a slug and a name")
	case len(d.DiagnosisConfirmations) == 0 || len(d.Genes) == 0 || len(d.VariantClassifications) == 0 || len(d.ClinicalStatuses) == 0:
		return Definition{}, fmt.Errorf("a definition needs diagnosis confirmations, genes, variant classifications and clinical statuses")
	case d.ConsentText == "":
		return Definition{}, fmt.Errorf("a definition needs its consent text")
	}
	if d.ShortName == "" {
		d.ShortName = d.Name
	}
	return d, nil
}

// has reports whether code is one of the choices.
func has(cs []Choice, code string) bool {
	return slices.ContainsFunc(cs, func(c Choice) bool { return c.Code == code })
}

// Label names code from the choices, or returns it as it is.
func Label(cs []Choice, code string) string {
	for _, c := range cs {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}
