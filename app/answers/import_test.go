package answers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A child whose every question was answered on the forms is exported,
// imported as another child (another NHS number) and exported again: the
// two documents are the same, the import's trail is the system's, cause
// "import", and one KPI job scores it as kpi.Score scores the document.
func TestImportRoundTripsEveryQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		id := w.child(t, childOpts{})
		n := w.fillAll(t, id)
		svc := w.svc()
		doc, err := svc.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		before := w.kpiJobs(t)
		nhs := w.nextNHS()
		doc.Case.NHSNumber = &nhs
		newID := w.importDoc(t, "RM332", doc)

		again, err := svc.Export(ctx, newID)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := encode(t, doc), encode(t, again); a != b {
			t.Errorf("the import exports differently:\nexported %s\nimported %s", a, b)
		}
		if jobs := w.kpiJobs(t); jobs[newID] != 1 || len(jobs) != len(before)+1 {
			t.Errorf("kpi jobs %v (before the import %v): want one for child %d", jobs, before, newID)
		}
		w.checkKPI(t, newID)
		if got, want := kpi.Score(w.load(t, carl, newID).Audit).Scores, kpi.Score(doc).Scores; got != want {
			t.Errorf("the imported child scores %v, the document %v", got, want)
		}

		trail := w.trail(t, newID)
		causes := map[string]int{}
		for _, ch := range trail {
			causes[ch.Cause]++
			if ch.ChangedBy != nil || ch.ChangedByName != "" || ch.RequestID != "import test:1" {
				t.Errorf("trail row %s.%d.%s by %v %q, request %q: want the system's, request \"import test:1\"",
					ch.Section, ch.RowID, ch.Field, ch.ChangedBy, ch.ChangedByName, ch.RequestID)
			}
		}
		if causes["import"] < n-10 || causes["row_added"] < 4 || causes["answer"] != 0 {
			t.Errorf("trail causes %v for %d answers given on the forms", causes, n)
		}
		c, err := s.GetChild(ctx, newID)
		if err != nil {
			t.Fatal(err)
		}
		if c.RegisteredAt == nil || c.Version != trail[len(trail)-1].Version {
			t.Errorf("imported child registered %v at version %d, trail ends at %d", c.RegisteredAt, c.Version, trail[len(trail)-1].Version)
		}
	})
}

// Every kind of document the forms refuse is refused whole, naming the
// field by its path in the document: nothing of the child is left (the
// same document without the fault imports afterwards, so its NHS number
// was not kept), and no KPI job.
func TestImportRefusals(t *testing.T) {
	long := strings.Repeat("x", 251)
	tests := []struct {
		name   string
		ods    string
		change func(d doc)
		path   string
		says   string
	}{
		{"case form: no surname", "", func(d doc) { delete(d.obj("case"), "surname") }, "case.surname", "Enter the child's surname"},
		{"case form: NHS number check digit", "", func(d doc) { d.obj("case")["nhs_number"] = "9434765910" }, "case.nhs_number", ""},
		{"case form: born in the future", "", func(d doc) { d.obj("case")["date_of_birth"] = "2025-06-11" }, "case.date_of_birth", "today or in the past"},
		{"an NHS number in Jersey", "RGT1W", func(d doc) {}, "case.nhs_number", "unique_reference_number"},
		{"a reference number outside Jersey", "", func(d doc) { d.obj("case")["unique_reference_number"] = "JSY1" }, "case.unique_reference_number", "Jersey"},
		{"eligibility false", "", func(d doc) { d.obj("registration")["eligibility_criteria_met"] = false }, "registration.eligibility_criteria_met", "must be true"},
		{"assessment date without eligibility", "", func(d doc) { delete(d.obj("registration"), "eligibility_criteria_met") },
			"registration.eligibility_criteria_met", "Confirm"},
		{"assessment date in a closed cohort", "", func(d doc) { d.obj("registration")["first_paediatric_assessment_date"] = "2021-01-10" },
			"registration.first_paediatric_assessment_date", ""},
		{"answers without registration", "", func(d doc) {
			delete(d, "registration")
			d.obj("epilepsy_context")["previous_febrile_seizure"] = "Y"
		}, "epilepsy_context.previous_febrile_seizure", "not registered"},
		{"a date in the future", "", func(d doc) {
			d.obj("investigations")["eeg_indicated"] = true
			d.obj("investigations")["eeg_request_date"] = "2025-06-20"
		}, "investigations.eeg_request_date", "today or in the past"},
		{"an answer not asked", "", func(d doc) {
			d.obj("investigations")["eeg_indicated"] = false
			d.obj("investigations")["eeg_request_date"] = fpa.String()
		}, "investigations.eeg_request_date", "not asked when investigations.eeg_indicated is false"},
		{"a row not asked", "", func(d doc) {
			d.obj("management")["has_an_aed_been_given"] = false
			d.rows("antiepilepsy_medicines", obj{"medicine_name": "Sodium valproate", "is_rescue_medicine": false})
		}, "antiepilepsy_medicines[0]", "not asked when management.has_an_aed_been_given is false"},
		{"a derived answer that disagrees", "", func(d doc) {
			d.obj("management")["has_an_aed_been_given"] = true
			d.rows("antiepilepsy_medicines", obj{"medicine_name": "Sodium valproate", "is_rescue_medicine": false,
				"is_a_pregnancy_prevention_programme_needed": true}) // she is 10
		}, "antiepilepsy_medicines[0].is_a_pregnancy_prevention_programme_needed", "works it out as false"},
		{"a valproate question on a rescue medicine", "", func(d doc) {
			d.obj("management")["has_rescue_medication_been_prescribed"] = true
			d.rows("antiepilepsy_medicines", obj{"medicine_name": "Buccal midazolam", "is_rescue_medicine": true,
				"is_a_pregnancy_prevention_programme_in_place": true})
		}, "antiepilepsy_medicines[0].is_a_pregnancy_prevention_programme_in_place", "not asked here"},
		{"two sides", "", func(d doc) {
			d.obj("multiaxial_diagnosis")
			d.rows("episodes", obj{"epilepsy_or_nonepilepsy_status": "E", "epileptic_seizure_onset_type": "FO",
				"focal_onset_left": true, "focal_onset_right": true})
		}, "episodes[0].focal_onset_right", "only one"},
		{"a side false alone", "", func(d doc) {
			d.obj("multiaxial_diagnosis")
			d.rows("episodes", obj{"epilepsy_or_nonepilepsy_status": "E", "epileptic_seizure_onset_type": "FO", "focal_onset_left": false})
		}, "episodes[0].focal_onset_left", "which side"},
		{"declined false", "", func(d doc) {
			d.obj("investigations")["eeg_indicated"] = true
			d.obj("investigations")["eeg_declined"] = false
		}, "investigations.eeg_declined", "Tick the box"},
		{"a centre not asked", "", func(d doc) {
			d.obj("assessment")["consultant_paediatrician_referral_made"] = false
			d.obj("sites")["site_is_general_paediatric_centre"] = "RGT01"
		}, "sites.site_is_general_paediatric_centre", "not asked when assessment.consultant_paediatrician_referral_made is false"},
		{"a centre that is no organisation", "", func(d doc) {
			d.obj("assessment")["paediatric_neurologist_referral_made"] = true
			d.obj("sites")["site_is_paediatric_neurology_centre"] = "ZZZ99"
		}, "sites.site_is_paediatric_neurology_centre", "Choose the centre from the list"},
		{"text too long", "", func(d doc) {
			d.obj("multiaxial_diagnosis")["relevant_impairments_behavioural_educational"] = true
			d.rows("comorbidities", obj{"comorbidityentity": long})
		}, "comorbidities[0].comorbidityentity", "250 characters or fewer"},
		{"a keyword not in the list", "", func(d doc) {
			d.obj("multiaxial_diagnosis")
			d.rows("episodes", obj{"description": "he fell", "description_keywords": []string{"falling over"}})
		}, "episodes[0].description_keywords", "Choose from the options"},
		{"a medicine started before the first assessment (the last form)", "", func(d doc) {
			// Everything before it is fine, and was saved in the transaction.
			d.obj("first_paediatric_assessment")["general_examination_performed"] = true
			d.obj("multiaxial_diagnosis")["syndrome_present"] = true
			d.rows("syndromes", obj{"syndrome_name": audit.SyndromeNames()[0], "syndrome_diagnosis_date": fpa.String()})
			d.rows("episodes", obj{"epilepsy_or_nonepilepsy_status": "E", "description": "jerking"})
			d.obj("management")["has_an_aed_been_given"] = true
			d.rows("antiepilepsy_medicines", obj{"medicine_name": "Sodium valproate", "is_rescue_medicine": false,
				"antiepilepsy_medicine_start_date": "2025-05-01"})
		}, "antiepilepsy_medicines[0].antiepilepsy_medicine_start_date", "first paediatric assessment"},
	}
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		svc := w.svc()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ods := tt.ods
				if ods == "" {
					ods = "RM332"
				}
				o, err := s.GetOrganisationByODS(ctx, ods)
				if err != nil {
					t.Fatal(err)
				}
				d := w.doc()
				tt.change(d)
				child := d.decode(t)
				before := totals(t, s)
				_, err = svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: child, RequestID: "import test:2"})
				var fe audit.Errors
				if !errors.As(err, &fe) || fe[0].Path != tt.path || !strings.Contains(fe[0].Problem, tt.says) {
					t.Fatalf("got %v, want %s: …%s…", err, tt.path, tt.says)
				}
				if after := totals(t, s); after != before {
					t.Errorf("children before %d, after %d", before, after)
				}
				if jobs := w.kpiJobs(t); len(jobs) != 0 {
					t.Errorf("kpi jobs left: %v", jobs)
				}
			})
		}
		// Nothing was kept: the base document imports, with its NHS number,
		// and a second time is refused for that number.
		d := w.doc()
		w.importDoc(t, "RM332", d.decode(t))
		o, _ := s.GetOrganisationByODS(ctx, "RM332")
		_, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: d.decode(t)})
		if fe := (audit.Errors{}); !errors.As(err, &fe) || fe[0].Path != "case.nhs_number" || !strings.Contains(fe[0].Problem, "already registered") {
			t.Errorf("the same NHS number again: %v", err)
		}
	})
}

// Answers the application derives are accepted when the document agrees,
// and not saved twice; when the document leaves them out they are still
// derived; keywords the document gives differently are the clinician's.
func TestImportDerivedAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		d := w.doc()
		d.obj("case")["date_of_birth"] = "2012-03-01" // 13 today
		d.obj("multiaxial_diagnosis")
		d.rows("episodes",
			obj{"description": "Staring, then eye blinking", "description_keywords": []string{"eye blinking"}}, // as derived
			obj{"description": "eye blinking and pallor", "description_keywords": []string{"pallor"}},
			obj{"description": "eye blinking"})
		d.obj("management")["has_an_aed_been_given"] = true
		d.rows("antiepilepsy_medicines",
			obj{"medicine_name": "Sodium valproate", "is_rescue_medicine": false, "is_a_pregnancy_prevention_programme_needed": true,
				"is_a_pregnancy_prevention_programme_in_place": false},
			obj{"medicine_name": "Levetiracetam", "is_rescue_medicine": false}) // a medicine is listed once

		id := w.importDoc(t, "RM332", d.decode(t))

		got, err := w.svc().Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		kw := func(i int) string { return strings.Join(got.Episodes[i].DescriptionKeywords, ",") }
		if kw(0) != "eye blinking" || kw(1) != "pallor" || kw(2) != "" {
			t.Errorf("keywords %q, %q, %q: want as the document gives them", kw(0), kw(1), kw(2))
		}
		for i, m := range got.AntiEpilepsyMedicines {
			if want := i == 0; m.IsAPregnancyPreventionProgrammeNeeded == nil || *m.IsAPregnancyPreventionProgrammeNeeded != want {
				t.Errorf("medicine %d: programme needed %v, want %v (derived)", i, m.IsAPregnancyPreventionProgrammeNeeded, want)
			}
		}
		if m := got.AntiEpilepsyMedicines[0]; m.IsAPregnancyPreventionProgrammeInPlace == nil || *m.IsAPregnancyPreventionProgrammeInPlace {
			t.Errorf("programme in place %v, want false as given", m.IsAPregnancyPreventionProgrammeInPlace)
		}
		// The first episode's keywords are the derived ones: set by the
		// description ("cleared": changed by another answer), never saved
		// again by the import; the second's were changed as the document
		// says, the third's cleared. Derived answers are never the import's.
		var episodes []int64
		saves := map[string]int{}
		for _, ch := range w.trail(t, id) {
			if ch.Section == "episodes" && ch.Cause == "row_added" {
				episodes = append(episodes, ch.RowID)
			}
			saves[fmt.Sprintf("%s.%d.%s %s", ch.Section, ch.RowID, ch.Field, ch.Cause)]++
		}
		want := map[string]int{}
		for i, ep := range episodes {
			want[fmt.Sprintf("episodes.%d.description_keywords cleared", ep)] = 1
			if i > 0 {
				want[fmt.Sprintf("episodes.%d.description_keywords import", ep)] = 1
			}
		}
		for k, n := range saves {
			if strings.Contains(k, "description_keywords") && want[k] != n {
				t.Errorf("%s: %d trail rows, want %d", k, n, want[k])
			}
			if strings.Contains(k, "is_a_pregnancy_prevention_programme_needed import") {
				t.Errorf("%s: a derived answer saved as the document's", k)
			}
		}
		if len(episodes) != 3 {
			t.Errorf("%d episodes added", len(episodes))
		}
	})
}

// A child the document does not register is added unregistered, with no
// forms; exported, it is the case alone.
func TestImportUnregistered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		d := w.doc()
		delete(d, "registration")
		d.obj("registration") // {}: the record, with nothing in it, is no registration
		id := w.importDoc(t, "RM332", d.decode(t))
		got, err := w.svc().Export(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Registration != nil || got.Management != nil || got.Case == nil || *got.Case.Surname != "Smith" {
			t.Errorf("exported %s", encode(t, got))
		}
		if c, _ := s.GetChild(context.Background(), id); c.RegisteredAt != nil || c.UpdatedByName != "" {
			t.Errorf("registered at %v, changed by %q", c.RegisteredAt, c.UpdatedByName)
		}
	})
}

// A Jersey child has a unique reference number and a Jersey postcode.
func TestImportJersey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		d := w.doc()
		c := d.obj("case")
		delete(c, "nhs_number")
		c["unique_reference_number"], c["postcode"] = "JSY0042", "JE23QW"
		id := w.importDoc(t, "RGT1W", d.decode(t))
		got, err := w.svc().Export(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Case.NHSNumber != nil || *got.Case.UniqueReferenceNumber != "JSY0042" || got.Registration == nil {
			t.Errorf("exported %s", encode(t, got))
		}
	})
}

// fillAll answers every question shown on every form with valid(), adding
// one row to every list, as a clinician on the forms; it returns how many
// answers it gave.
func (w *world) fillAll(t *testing.T, id int64) int {
	t.Helper()
	n := 0
	for _, f := range forms.All() {
		for i := 0; ; i++ {
			if i > 300 {
				t.Fatalf("%s: still unanswered questions after %d saves", f.ID, i)
			}
			l := w.load(t, carl, id)
			var todo, add *forms.Question
			var row *forms.Row
			shown(f, l.Record, func(q *forms.Question, r *forms.Row) {
				switch {
				case todo != nil || add != nil || q.Kind == forms.Derived:
				case q.Kind == forms.Rows:
					if len(l.Record.RowsOf(q.RowSection)) == 0 || q.RowFilter != nil && !hasRow(l.Record, q) {
						add = q
					}
				case f.Answer(l.Record, q, r) == nil:
					todo, row = q, r
				}
			})
			switch {
			case add != nil:
				w.addRow(t, id, f, add, fmt.Sprintf("%s-%d", f.ID, i))
			case todo != nil:
				w.save(t, carl, id, f, keyOf(f, todo, row), valid(todo), l.Version())
				n++
			}
			if add == nil && todo == nil {
				break
			}
		}
	}
	return n
}

func hasRow(rec *forms.Record, q *forms.Question) bool {
	for _, r := range rec.RowsOf(q.RowSection) {
		if string(r.Answers[q.RowFilter.Field]) == q.RowFilter.Value {
			return true
		}
	}
	return false
}

func (w *world) nextNHS() string {
	for {
		w.nhs++
		first9 := fmt.Sprintf("999%06d", w.nhs)
		if d, ok := nhsnumber.CheckDigit(first9); ok {
			return first9 + fmt.Sprint(d)
		}
	}
}

// importDoc imports a document at an organisation, failing the test on an error.
func (w *world) importDoc(t *testing.T, ods string, c *audit.Child) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := w.s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.svc().Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: c, RequestID: "import test:1"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return id
}

func totals(t *testing.T, s store.Store) int64 {
	t.Helper()
	n, err := s.ChildTotals(context.Background(), store.ChildTotalsParams{})
	if err != nil {
		t.Fatal(err)
	}
	return n.Total
}

func encode(t *testing.T, c *audit.Child) string {
	t.Helper()
	var b bytes.Buffer
	if err := audit.Encode(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// doc is a document being built: the test child (a girl born 3 May 2015,
// first assessed on fpa) with a new NHS number, registered.
type (
	doc map[string]any
	obj = map[string]any
)

func (w *world) doc() doc {
	return doc{
		"case": obj{"nhs_number": w.nextNHS(), "first_name": "Ava", "surname": "Smith", "sex": 2,
			"date_of_birth": dob.String(), "postcode": "M68HD", "ethnicity": "A"},
		"registration": obj{"first_paediatric_assessment_date": fpa.String(), "eligibility_criteria_met": true},
	}
}

// obj is the document's object name, made when missing.
func (d doc) obj(name string) obj {
	if o, ok := d[name].(obj); ok {
		return o
	}
	o := obj{}
	d[name] = o
	return o
}

func (d doc) rows(section string, rows ...obj) { d[section] = rows }

func (d doc) decode(t *testing.T) *audit.Child {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	c, err := audit.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the test's document does not decode: %v\n%s", err, b)
	}
	return c
}
