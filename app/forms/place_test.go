package forms

import (
	"strings"
	"testing"

	"clinaudit/app/audit"
	"clinaudit/app/kpi"
)

func TestPlaceOf(t *testing.T) {
	rec := newRecord(girl)
	first := addRow(rec, "episodes", nil)
	second := addRow(rec, "episodes", nil)
	cases := []struct {
		path   string
		ok     bool
		form   *Form
		key    Key
		isList bool
	}{
		{"management.has_an_aed_been_given", true, Management, key("management", 0, "has_an_aed_been_given"), false},
		{"episodes[0].epilepsy_or_nonepilepsy_status", true, MultiaxialDiagnosis, key("episodes", first, "epilepsy_or_nonepilepsy_status"), false},
		{"episodes[1].epilepsy_or_nonepilepsy_status", true, MultiaxialDiagnosis, key("episodes", second, "epilepsy_or_nonepilepsy_status"), false},
		{"episodes[].epilepsy_or_nonepilepsy_status", true, MultiaxialDiagnosis, key("episodes", 0, "epilepsy_or_nonepilepsy_status"), true},
		{"episodes[7].epilepsy_or_nonepilepsy_status", true, MultiaxialDiagnosis, key("episodes", 0, "epilepsy_or_nonepilepsy_status"), true},
		{"case.date_of_birth", false, nil, Key{}, false},
		{"registration.first_paediatric_assessment_date", false, nil, Key{}, false},
		{"nothing", false, nil, Key{}, false},
		{"episodes[x].y", true, MultiaxialDiagnosis, key("episodes", 0, "y"), true},
	}
	for _, tc := range cases {
		p, ok := PlaceOf(rec, tc.path)
		if ok != tc.ok || p.Form != tc.form || p.Key != tc.key || p.List != tc.isList {
			t.Errorf("PlaceOf(%q) = %+v, %v; want form %v key %v list %v, %v", tc.path, p, ok, tc.form, tc.key, tc.isList, tc.ok)
		}
	}
}

// Every answer a KPI explanation names is a question of a form (or the
// case or registration), so the Performance summary can link to it.
func TestEveryPathTheKPIsReadIsAsked(t *testing.T) {
	for _, pick := range []pick{answers(nil), func(q *Question, row *Row) Literal {
		if q.Kind == YesNo {
			return no
		}
		return nil
	}} {
		rec := newRecord(girl)
		fill(t, rec, pick)
		confirmed := true
		c, err := rec.Child(&audit.Case{Sex: rec.Sex, DateOfBirth: rec.DateOfBirth},
			&audit.Registration{FirstPaediatricAssessmentDate: rec.FirstAssessment, EligibilityCriteriaMet: &confirmed})
		if err != nil {
			t.Fatal(err)
		}
		res := kpi.Score(c)
		seen := 0
		for _, e := range res.Explanations {
			for _, path := range e.Fields {
				if strings.HasPrefix(path, "case.") || strings.HasPrefix(path, "registration.") {
					continue
				}
				p, ok := PlaceOf(rec, path)
				if !ok {
					t.Errorf("%s reads %q, which no form asks", e.Measure, path)
					continue
				}
				k := p.Key
				if p.List {
					k.Row = 1 // any row: Question ignores which
				}
				if p.Form.Question(k) == nil && !setByList(p) {
					t.Errorf("%s reads %q: form %s has no question for %v", e.Measure, path, p.Form.ID, k)
				}
				seen++
			}
		}
		if seen < 20 {
			t.Errorf("only %d paths checked; the explanations should name more of the answers they read", seen)
		}
	}
}

// setByList: the field is the one a list fixes when a row is added (a
// medicine's is_rescue_medicine), so the list is where it is answered.
func setByList(p Place) bool {
	for _, l := range p.Lists() {
		if l.RowFilter != nil && l.RowFilter.Field == p.Key.Field {
			return true
		}
	}
	return false
}

// A medicine chosen in one row is not offered in the child's other rows;
// the row's own choice and every other medicine still are.
func TestMedicinesAreOfferedOnce(t *testing.T) {
	rec := newRecord(girl)
	first, second := addMedicine(rec, false), addMedicine(rec, false)
	rec.Row(first).Answers["medicine_name"] = quote("Lamotrigine")
	q := Management.Question(key("antiepilepsy_medicines", first, "medicine_name"))
	codes := func(row int64) map[string]bool {
		out := map[string]bool{}
		for _, c := range q.Offered(rec, rec.Row(row)) {
			out[c.Code] = true
		}
		return out
	}
	if !q.OncePerChild || !codes(first)["Lamotrigine"] || codes(second)["Lamotrigine"] {
		t.Errorf("lamotrigine offered in its own row %v, in the other %v", codes(first)["Lamotrigine"], codes(second)["Lamotrigine"])
	}
	if got, all := len(codes(second)), len(q.Choices); got != all-1 {
		t.Errorf("the second row offers %d of %d medicines, want all but one", got, all)
	}
	if yn := Management.Question(key("management", 0, "has_an_aed_been_given")); yn.OncePerChild {
		t.Error("a form question is marked once per child")
	}
}

// The server refuses what the list does not offer: the same medicine in a
// second row of the child (a forged or stale request), with a message next
// to the field; the first row may save it again, and the second another.
func TestMedicineTwiceIsRefused(t *testing.T) {
	rec := newRecord(girl)
	apply(t, Management, rec, step{key("management", 0, "has_an_aed_been_given"), lit(true)})
	first, second := addMedicine(rec, false), addMedicine(rec, false)
	apply(t, Management, rec, step{key("antiepilepsy_medicines", first, "medicine_name"), quote("Lamotrigine")})
	fe := applyErr(t, Management, rec, key("antiepilepsy_medicines", second, "medicine_name"), quote("Lamotrigine"))
	if !strings.Contains(fe.Message, "listed already") {
		t.Errorf("message %q", fe.Message)
	}
	apply(t, Management, rec,
		step{key("antiepilepsy_medicines", first, "medicine_name"), quote("Lamotrigine")},
		step{key("antiepilepsy_medicines", second, "medicine_name"), quote("Levetiracetam")})
}
