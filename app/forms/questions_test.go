package forms

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"clinaudit/app/audit"
)

// structFields are the JSON names of a section's fields in package audit.
func structFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

var sectionStructs = map[string]reflect.Type{
	"first_paediatric_assessment": reflect.TypeFor[audit.FirstPaediatricAssessment](),
	"epilepsy_context":            reflect.TypeFor[audit.EpilepsyContext](),
	"multiaxial_diagnosis":        reflect.TypeFor[audit.MultiaxialDiagnosis](),
	"episodes":                    reflect.TypeFor[audit.Episode](),
	"syndromes":                   reflect.TypeFor[audit.Syndrome](),
	"comorbidities":               reflect.TypeFor[audit.Comorbidity](),
	"investigations":              reflect.TypeFor[audit.Investigations](),
	"assessment":                  reflect.TypeFor[audit.Assessment](),
	"management":                  reflect.TypeFor[audit.Management](),
	"antiepilepsy_medicines":      reflect.TypeFor[audit.AntiEpilepsyMedicine](),
}

// siteFields are the centres of the Milestones form, as the document's
// "sites" object names them (progress checks it counts each: its
// TestCentresAreSites; it cannot be imported here, as it imports forms).
var siteFields = []string{
	"site_is_general_paediatric_centre",
	"site_is_paediatric_neurology_centre",
	"site_is_childrens_epilepsy_surgery_centre",
}

// TestEveryFieldIsAskedOnce: every field of every form and row struct is
// stored by exactly one question of its list (the form's own questions,
// or one list of rows: the maintenance and the rescue medicines are two
// lists of one section), counting the list's fixed answer
// (is_rescue_medicine) and derived answers; and no question stores a
// field the document does not have.
func TestEveryFieldIsAskedOnce(t *testing.T) {
	stored := map[string]map[string]bool{} // section → field → stored somewhere
	for _, f := range All() {
		perList := map[*Question]map[string]int{}
		for _, l := range allQuestions(f) {
			section := sectionOf(f, l)
			if stored[section] == nil {
				stored[section] = map[string]bool{}
			}
			if perList[l.list] == nil {
				perList[l.list] = map[string]int{}
			}
			fields := l.q.Stores()
			if l.q.Kind == Rows && l.q.RowFilter != nil {
				// The list's fixed answer belongs to its own rows.
				section = l.q.RowSection
				if perList[l.q] == nil {
					perList[l.q] = map[string]int{}
				}
				perList[l.q][l.q.RowFilter.Field]++
				if stored[section] == nil {
					stored[section] = map[string]bool{}
				}
				stored[section][l.q.RowFilter.Field] = true
				fields = nil
			}
			for _, field := range fields {
				stored[section][field] = true
				perList[l.list][section+"."+field]++
				if section == "sites" {
					if !slices.Contains(siteFields, field) {
						t.Errorf("%s: centre %q is not a field of the document's sites", f.ID, field)
					}
				} else if !audit.KnownField(section + "." + field) {
					t.Errorf("%s: question stores %s.%s, which the document does not have", f.ID, section, field)
				}
			}
		}
		for list, counts := range perList {
			for field, n := range counts {
				if n != 1 {
					name := "form " + f.ID
					if list != nil {
						name = "list " + list.Label
					}
					t.Errorf("%s: %s is stored by %d questions", name, field, n)
				}
			}
		}
	}
	for section, typ := range sectionStructs {
		for _, field := range structFields(typ) {
			if !stored[section][field] {
				t.Errorf("no question stores %s.%s", section, field)
			}
		}
	}
	for _, field := range siteFields {
		if !stored["sites"][field] {
			t.Errorf("no question chooses the centre %s", field)
		}
	}
}

// TestFocalOnsetFeatures: the 20 focal-onset checkboxes of a focal onset,
// in the spec's order and groups, then the laterality radio.
func TestFocalOnsetFeatures(t *testing.T) {
	want := []string{
		"Motor onset", "atonic", "clonic", "epileptic_spasms", "hyperkinetic", "myoclonic", "tonic", "focal_to_bilateral_tonic_clonic", "automatisms",
		"Non-motor onset", "impaired_awareness", "gelastic", "autonomic", "behavioural_arrest", "cognitive", "emotional", "sensory",
		"EEG findings", "centrotemporal", "temporal", "frontal", "parietal", "occipital",
		"laterality",
	}
	var got []string
	group := ""
	for _, l := range allQuestions(MultiaxialDiagnosis) {
		q := l.q
		if !slices.Equal(q.ShowWhen, []string{`"FO"`}) {
			continue
		}
		switch q.Kind {
		case Confirm:
			if q.Hint != group {
				group = q.Hint
				got = append(got, group)
			}
			got = append(got, strings.TrimPrefix(q.Field, "focal_onset_"))
			if q.Label != strings.ToUpper(q.Label[:1])+strings.ToLower(q.Label[1:]) {
				t.Errorf("%s: label %q is not in sentence case", q.Field, q.Label)
			}
		case Laterality:
			if q.Field != "focal_onset_left" {
				t.Errorf("laterality question stores %q", q.Field)
			}
			got = append(got, "laterality")
		default:
			t.Errorf("%s is shown for a focal onset", q.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("focal onset questions\n got %q\nwant %q", got, want)
	}
}
