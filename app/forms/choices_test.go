package forms

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"clinaudit/app/audit"
)

// wantCodes are the code lists of spec §2.6–2.7 (the same as
// app/audit/codes.go), by the field that offers them, in display order.
var wantCodes = map[string][]string{
	"episodes.seizure_onset_date_confidence":                                            {"Apx", "Exc", "NK"},
	"episodes.episode_definition":                                                       {"a", "b", "c"},
	"episodes.epilepsy_or_nonepilepsy_status":                                           {"E", "NE", "U"},
	"episodes.epileptic_seizure_onset_type":                                             {"FO", "GO", "UO", "UC"},
	"episodes.epileptic_generalised_onset":                                              {"AEM", "Ato", "Aab", "Clo", "EpS", "MyC", "MAb", "MTC", "MAt", "Ton", "TCl", "TAb", "Oth"},
	"episodes.nonepileptic_seizure_unknown_onset":                                       {"BAr", "EpS", "TCl", "Oth"},
	"episodes.nonepileptic_seizure_type":                                                {"BPP", "MAD", "ME", "SRC", "SAS", "PMD", "Oth"},
	"episodes.nonepileptic_seizure_syncope":                                             strings.Split("abcdefghij", ""),
	"episodes.nonepileptic_seizure_behavioural":                                         strings.Split("abcdefghij", ""),
	"episodes.nonepileptic_seizure_sleep":                                               strings.Split("abcdefg", ""),
	"episodes.nonepileptic_seizure_paroxysmal":                                          strings.Split("abcdefghij", ""),
	"episodes.nonepileptic_seizure_migraine":                                            strings.Split("abcde", ""),
	"episodes.nonepileptic_seizure_miscellaneous":                                       strings.Split("abcdefgh", ""),
	"multiaxial_diagnosis.global_developmental_delay_or_learning_difficulties_severity": {"mild", "moderate", "severe", "profound", "uncertain"},
	"multiaxial_diagnosis.epilepsy_cause_categories":                                    {"Gen", "Imm", "Inf", "Met", "Str"},
	"multiaxial_diagnosis.mental_health_issues":                                         {"AxD", "EmB", "MoD", "SHm", "Oth"},
	"syndromes.syndrome_name":                                                           audit.SyndromeNames(),
	"episodes.description_keywords":                                                     SemiologyKeywords,
}

func codesOf(q *Question) []string {
	var out []string
	for _, c := range q.Choices {
		out = append(out, c.Code)
	}
	return out
}

// unvalidated are the choice fields audit.Decode takes as free text (the
// SNOMED-derived comorbidity list is loaded by the operator; keywords are
// derived).
var unvalidated = []string{"comorbidities.comorbidityentity", "episodes.description_keywords"}

// TestChoicesAreTheAuditCodes: every choice question offers exactly its
// spec list, every choice decodes (audit validation accepts it), and a
// code outside the list is refused by the same validation.
func TestChoicesAreTheAuditCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range All() {
		for _, l := range allQuestions(f) {
			q := l.q
			if q.Kind != Radios && q.Kind != Select && q.Kind != Checkboxes {
				continue
			}
			path := sectionOf(f, l) + "." + q.Field
			if len(q.Choices) == 0 {
				t.Errorf("%s has no choices", path)
				continue
			}
			if want, ok := wantCodes[path]; ok {
				seen[path] = true
				if got := codesOf(q); !slices.Equal(got, want) {
					t.Errorf("%s offers %q, want %q", path, got, want)
				}
			}
			if q.Field == "medicine_name" {
				rescue := l.list.RowFilter.Value == "true"
				var want []string
				for _, m := range audit.Medicines() {
					if m.IsRescue == rescue {
						want = append(want, m.Name)
					}
				}
				if got := codesOf(q); !slices.Equal(got, want) {
					t.Errorf("%s (rescue %v) offers %q, want %q", path, rescue, got, want)
				}
			}
			for _, c := range q.Choices {
				if err := decodeWith(f, l, answerFor(q, c.Code)); err != nil {
					t.Errorf("%s = %q: the audit document refuses it: %v", path, c.Code, err)
				}
			}
			bogus := answerFor(q, "Nope")
			if q.IntCodes {
				bogus = Literal("99")
			}
			if !slices.Contains(unvalidated, path) {
				if decodeWith(f, l, bogus) == nil {
					t.Errorf("%s = %s: accepted by the audit document, so the list is not checked", path, bogus)
				}
			}
			if q.hasChoice(bogus) {
				t.Errorf("%s: %s is a choice", path, bogus)
			}
		}
	}
	for path := range wantCodes {
		if !seen[path] {
			t.Errorf("no question offers %s", path)
		}
	}
}

func answerFor(q *Question, code string) Literal {
	switch {
	case q.IntCodes:
		return Literal(code)
	case q.Kind == Checkboxes:
		return lit([]string{code})
	}
	return quote(code)
}

// decodeWith stores v as the answer of l (ignoring what shows it) and
// decodes the record as the audit document.
func decodeWith(f *Form, l located, v Literal) error {
	rec := newRecord(girl)
	section := sectionOf(f, l)
	if l.list != nil {
		fixed := map[string]Literal{}
		if l.list.RowFilter != nil {
			fixed[l.list.RowFilter.Field] = Literal(l.list.RowFilter.Value)
		}
		id := addRow(rec, section, fixed)
		rec.Row(id).Answers[l.q.Field] = v
	} else {
		rec.set(Key{section, 0, l.q.Field}, v)
	}
	_, err := rec.Child(nil, nil)
	return err
}

// TestQuestionShapes checks what the page and the messages rely on: every
// question has a label; date labels are noun phrases (the date messages
// read "<label> must be …"); questions with choices ask a question; a
// follow-up's ShowWhen and ShowUnless are answers its parent can give.
func TestQuestionShapes(t *testing.T) {
	for _, f := range All() {
		var visit func(qs []*Question, parent *Question)
		visit = func(qs []*Question, parent *Question) {
			for _, q := range qs {
				name := f.ID + "." + q.Field
				if q.Label == "" {
					t.Errorf("%s has no label", name)
				}
				switch q.Kind {
				case Date:
					if q.Date == nil || strings.HasSuffix(q.Label, "?") {
						t.Errorf("%s: a date needs a rule and a noun-phrase label, got %q", name, q.Label)
					}
				case YesNo, Radios, Select, Checkboxes, Laterality, Centre:
					if !strings.HasSuffix(q.Label, "?") {
						t.Errorf("%s: label %q is not a question", name, q.Label)
					}
				case Text, TextArea:
					if q.MaxLen <= 0 {
						t.Errorf("%s: free text without a length limit", name)
					}
				case Rows:
					if q.RowNoun == "" || q.RowSection == "" || len(q.RowItems) == 0 {
						t.Errorf("%s: a list needs a noun, a section and items", name)
					}
				}
				for _, v := range append(slices.Clone(q.ShowWhen), q.ShowUnless...) {
					if v == "*" {
						continue
					}
					if !json.Valid([]byte(v)) {
						t.Errorf("%s: ShowWhen %q is not JSON", name, v)
						continue
					}
					if parent == nil {
						t.Errorf("%s: a top-level question with ShowWhen %s", name, v)
						continue
					}
					ok := false
					switch parent.Kind {
					case YesNo, Derived:
						ok = v == "true" || v == "false"
					case Confirm:
						ok = v == "true"
					default:
						ok = parent.hasChoice(Literal(v))
					}
					if !ok {
						t.Errorf("%s: shown when %s answers %s, which it cannot", name, parent.Field, v)
					}
				}
				visit(q.FollowUps, q)
				visit(q.RowItems, nil)
			}
		}
		visit(f.Questions, nil)
	}
}
