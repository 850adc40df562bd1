package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/progress"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// day is the tests' today: 2 December 2026, in the grace period of cohort 8
// (cohorts 8, 9 and 10 open).
var day = audit.MustParseDate("2026-12-02")

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func TestGenerator(t *testing.T) {
	c8 := cohort.Cohort(8)
	yearOver := audit.DateOf(c8.End()) // before day less a year
	tests := []struct {
		name         string
		o            Options
		n            int
		unregistered [2]int // at least, at most
		complete     int    // -1: whatever comes
		from, to     audit.Date
	}{
		{"as the import tests make them: one in ten unregistered", Options{Seed: 12, Today: day, Unregistered: 0.1},
			200, [2]int{8, 35}, -1, audit.DateOf(cohort.RolesOn(day.Time()).EarliestFirstAssessment()), day},
		{"seven in ten complete, cohort 8, first year over", Options{Seed: 2020, Today: day, Complete: 0.7,
			From: audit.DateOf(c8.Start()), To: yearOver}, 100, [2]int{0, 0}, 70, audit.DateOf(c8.Start()), yearOver},
		{"every one complete, cohort 9", Options{Seed: 9, Today: day, Complete: 1, From: audit.DateOf(cohort.Cohort(9).Start()),
			To: audit.DateOf(cohort.Cohort(9).End()), Centres: []string{"RGT01"}}, 60, [2]int{0, 0}, 60, audit.DateOf(cohort.Cohort(9).Start()), day.AddDays(-2)},
		{"a third complete, a quarter unregistered", Options{Seed: 3, Today: day, Complete: 1.0 / 3, Unregistered: 0.25},
			90, [2]int{8, 35}, 30, audit.DateOf(c8.Start()), day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.o)
			centres := tt.o.Centres
			if centres == nil {
				centres = DefaultCentres
			}
			var docs []Doc
			unregistered, complete, withCentres := 0, 0, 0
			for i := range tt.n {
				d := g.Next()
				docs = append(docs, d)
				var b bytes.Buffer
				if err := audit.Encode(&b, d.Child); err != nil {
					t.Fatal(err)
				}
				back, err := audit.Decode(bytes.NewReader(b.Bytes()))
				if err != nil {
					t.Fatalf("child %d does not decode: %v\n%s", i, err, b.String())
				}
				if a, b := jsonOf(t, back), jsonOf(t, d.Child); a != b {
					t.Errorf("child %d decodes as\n%s\nnot\n%s", i, a, b)
				}
				eachString(t, d.Child, func(s string) {
					if isoDate.MatchString(s) && s > tt.o.Today.String() {
						t.Errorf("child %d has a date after today: %s", i, s)
					}
				})
				r := d.Child.Registration
				if r == nil {
					unregistered++
					if d.Complete || d.Child.Sites != nil || d.Child.Management != nil {
						t.Errorf("unregistered child %d has answers: %+v", i, d)
					}
					continue
				}
				if fpa := *r.FirstPaediatricAssessmentDate; fpa.Before(tt.from) || fpa.After(tt.to) {
					t.Errorf("child %d first assessed on %s, not from %s to %s", i, fpa, tt.from, tt.to)
				}
				if got := (progress.Options{Today: tt.o.Today}).Overall(d.Child); got.Complete != d.Complete {
					t.Errorf("child %d: Complete %v, progress says %v (%d of %d forms)", i, d.Complete, got.Complete, got.CompletedForms, got.TotalForms)
				}
				if d.Complete {
					complete++
				}
				if s := d.Child.Sites; s != nil {
					for field, ods := range map[string]*string{"general paediatric centre": s.GeneralPaediatricCentre,
						"paediatric neurology centre": s.PaediatricNeurologyCentre, "surgery centre": s.ChildrensEpilepsySurgeryCentre} {
						if ods != nil && !slices.Contains(centres, *ods) {
							t.Errorf("child %d's %s is %s, not one of %v", i, field, *ods, centres)
						}
					}
					withCentres++
				}
			}
			t.Logf("%d children: %d unregistered, %d complete, %d with centres", tt.n, unregistered, complete, withCentres)
			if unregistered < tt.unregistered[0] || unregistered > tt.unregistered[1] {
				t.Errorf("%d unregistered, want %d to %d", unregistered, tt.unregistered[0], tt.unregistered[1])
			}
			if tt.complete >= 0 && complete != tt.complete {
				t.Errorf("%d complete, want exactly %d", complete, tt.complete)
			}
			if withCentres == 0 && tt.n-unregistered > 20 {
				t.Error("no child has a centre")
			}
			// The same options make the same children.
			again := New(tt.o)
			for i := range 5 {
				if a, b := jsonOf(t, again.Next().Child), jsonOf(t, docs[i].Child); a != b {
					t.Errorf("child %d differs the second time:\n%s\n%s", i, a, b)
				}
			}
		})
	}
}

// The import (answers.Service.Import, as `clinaudit import`) takes every
// document, through the forms' checks, and stores the record the document
// is: exported again, it is the same, centres included; a complete one is
// complete as the app stores and loads it.
func TestDocumentsImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		for _, ods := range DefaultCentres {
			if _, err := s.GetOrganisationByODS(ctx, ods); err != nil {
				t.Errorf("the default centre %s: %v", ods, err)
			}
		}
		now := func() time.Time { return day.Time().Add(12 * time.Hour) }
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: now}}
		o, err := s.GetOrganisationByODS(ctx, "RGT01")
		if err != nil {
			t.Fatal(err)
		}
		g := New(Options{Seed: 7, Today: day, Complete: 0.5, Unregistered: 0.1})
		complete := 0
		for i := range 20 {
			d := g.Next()
			id, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: d.Child, RequestID: "synth test"})
			if err != nil {
				t.Fatalf("child %d refused: %v\n%s", i, err, jsonOf(t, d.Child))
			}
			back, err := svc.Export(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r := back.Registration; r != nil {
				r.Cohort, r.CompletedFirstYearOfCareDate, r.AuditSubmissionDate = nil, nil, nil
			}
			if a, b := jsonOf(t, back), jsonOf(t, d.Child); a != b {
				t.Errorf("child %d imports as\n%s\nnot\n%s", i, a, b)
			}
			l, err := svc.LoadForSystem(ctx, s, id)
			if err != nil {
				t.Fatal(err)
			}
			// Imported with its centres ("sites"), the stored child is as
			// complete as the generated one, with nothing chosen after.
			if got := l.Progress.Complete; got != d.Complete {
				t.Errorf("child %d: stored, complete is %v; generated, %v", i, got, d.Complete)
			}
			if d.Complete {
				complete++
			}
		}
		if complete != 10 {
			t.Errorf("%d complete, want 10", complete)
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// eachString calls fn with every string in v's JSON.
func eachString(t *testing.T, v any, fn func(string)) {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(jsonOf(t, v)), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			fn(x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
}
