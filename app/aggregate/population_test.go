package aggregate_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// A hand-built population for the aggregation tests: children at English
// organisations in three trusts, ICBs and regions, at Welsh organisations in
// two health boards, and in Jersey, with hand-chosen results, and children
// that must not be counted (year of care not over, audit incomplete, not
// scored, opted out, deleted, unregistered, another cohort).

// testNow is when the tests aggregate: 28 February 2025, the day the year of
// care of a child first assessed on 29 February 2024 ends. Cohort 7 runs
// from 1 December 2023 to 30 November 2024.
var testNow = time.Date(2025, 2, 28, 12, 0, 0, 0, time.UTC)

const testCohort = cohort.Cohort(7)

// kid is one child of the population.
type kid struct {
	org      string // lead organisation's ODS code
	cohort   int64  // 0: not registered
	fpa      string // first paediatric assessment
	complete *bool  // the audit's completeness when scored; nil: not known
	noKPI    bool   // never scored
	ecg      *int64 // KPI 4, chosen by hand (nil: not scored)
	kpi1     *int64 // KPI 1, chosen by hand
	optedOut bool
	deleted  bool
}

var (
	yes, no    = ptr(true), ptr(false)
	s0, s1, s2 = ptr(int64(0)), ptr(int64(1)), ptr(int64(2))
)

func ptr[T any](v T) *T { return &v }

// The first year of care is over for a first assessment on or before
// 2024-02-29 (yearOver, leapDay) and not for 2024-03-01 (yearNotOver).
const (
	yearOver    = "2024-01-10"
	leapDay     = "2024-02-29"
	yearNotOver = "2024-03-01"
)

// population: the counts the tests expect are worked out by hand in
// TestAggregationByHand, and by the Go model (expectedFigures) for every
// entity and measure in TestAggregationMatchesModel.
var population = []kid{
	// RGT01 (England: trust RGT, ICB QUE, region Y61, network EPEN).
	{org: "RGT01", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1},
	{org: "RGT01", cohort: 7, fpa: yearOver, complete: yes, ecg: s0},
	{org: "RGT01", cohort: 7, fpa: leapDay, complete: yes, ecg: s2, kpi1: s0},
	{org: "RGT01", cohort: 7, fpa: yearNotOver, complete: yes, ecg: s1, kpi1: s1},    // year not over: registered, complete
	{org: "RGT01", cohort: 7, fpa: yearOver, complete: no, ecg: s1, kpi1: s1},        // audit incomplete: registered
	{org: "RGT01", cohort: 7, fpa: yearOver, noKPI: true},                            // not scored yet: registered
	{org: "RGT01", cohort: 7, fpa: yearOver, ecg: s1, kpi1: s1},                      // completeness not known: registered
	{org: "RGT01", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, optedOut: true}, // not counted at all
	{org: "RGT01", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, deleted: true},  // not counted at all
	{org: "RGT01", cohort: 8, fpa: "2024-12-05", complete: yes, ecg: s1, kpi1: s1},   // another cohort
	{org: "RGT01", cohort: 0, complete: yes, ecg: s1, kpi1: s1},                      // not registered
	// RM301 and RM325: two organisations of trust RM3 (ICB QOP, region Y62, network NWEIG).
	{org: "RM301", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1},
	{org: "RM301", cohort: 7, fpa: leapDay, complete: yes, kpi1: s1},
	{org: "RM325", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s0},
	// RCF22 (trust RCF, ICB QWO, region Y63): a child of another cohort only.
	{org: "RCF22", cohort: 6, fpa: "2023-01-10", complete: yes, ecg: s1, kpi1: s1},
	// Wales: 7A1A4 (health board 7A1, network EPIC), 7A3C7 (health board 7A3, network SWEP).
	{org: "7A1A4", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s1},
	{org: "7A1A4", cohort: 7, fpa: leapDay, complete: yes, ecg: s0, kpi1: s1},
	{org: "7A3C7", cohort: 7, fpa: yearOver, complete: yes, ecg: s2},
	// Jersey: trust RGT1W, network SWIPE, country JEY, no ICB or region.
	{org: "RGT1W", cohort: 7, fpa: yearOver, complete: yes, ecg: s1, kpi1: s0},
}

// scores are a kid's 21 results: KPI 1 and 4 as chosen, the others from a
// pattern that differs by measure, so a measure counted in another's
// column shows.
func (k kid) scores(i int) [kpi.NumMeasures]*int64 {
	var out [kpi.NumMeasures]*int64
	pattern := []*int64{nil, s0, s1, s2}
	for m := range out {
		out[m] = pattern[(i+3*m)%len(pattern)]
	}
	out[kpi.PaediatricianWithExpertiseInEpilepsies] = k.kpi1
	out[kpi.ECG] = k.ecg
	return out
}

// inserted numbers the children inserted, for unique audit IDs; atomic,
// because storetest.Each runs the engines' subtests in parallel.
var inserted atomic.Int64

// insertPopulation stores kids as the app would have: registered, scored,
// opted out, deleted.
func insertPopulation(t *testing.T, s store.Store, kids []kid) {
	t.Helper()
	ctx := context.Background()
	orgs := organisationsByODS(t, s)
	for i, k := range kids {
		o, ok := orgs[k.org]
		if !ok {
			t.Fatalf("no organisation %s", k.org)
		}
		p := store.InsertChildParams{AuditID: fmt.Sprintf("CTEST%03d", inserted.Add(1)), FirstName: "Test", Surname: fmt.Sprintf("Child %d", i),
			Sex: 1, Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: testNow}
		if k.cohort != 0 {
			fpa, err := audit.ParseDate(k.fpa)
			if err != nil {
				t.Fatal(err)
			}
			p.FirstPaediatricAssessmentDate, p.EligibilityConfirmed, p.Cohort, p.RegisteredAt = &fpa, true, &k.cohort, &testNow
		}
		id, err := s.InsertChild(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !k.noKPI {
			storeScores(t, s, id, 1, k.scores(i), k.complete)
		}
		if k.optedOut {
			if n, err := s.OptOutChild(ctx, store.OptOutChildParams{ID: id, UpdatedAt: testNow}); err != nil || n != 1 {
				t.Fatalf("opt out: %d %v", n, err)
			}
		}
		if k.deleted {
			if n, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{ID: id, Version: 1, UpdatedAt: testNow}); err != nil || n != 1 {
				t.Fatalf("delete: %d %v", n, err)
			}
		}
	}
}

// storeScores stores a child's results as the KPI job does; each measure's
// field is found by its name (kpi IDs in CamelCase), so a measure missing
// from the store's type fails here.
func storeScores(t *testing.T, s store.Store, childID, version int64, scores [kpi.NumMeasures]*int64, complete *bool) {
	t.Helper()
	p := store.UpsertKPIResultParams{ChildID: childID, RulesVersion: kpi.RulesVersion, DataVersion: version,
		ComputedAt: testNow, AuditComplete: complete}
	v := reflect.ValueOf(&p).Elem()
	for m, sc := range scores {
		f := v.FieldByName(camel(kpi.Measure(m).ID()))
		if !f.IsValid() {
			t.Fatalf("no field for measure %s", kpi.Measure(m).ID())
		}
		f.Set(reflect.ValueOf(sc))
	}
	if _, err := s.UpsertKPIResult(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func camel(id string) string {
	parts := strings.Split(id, "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

func organisationsByODS(t *testing.T, s store.Store) map[string]store.Organisation {
	t.Helper()
	out := map[string]store.Organisation{}
	for _, o := range allOrganisations(t, s) {
		out[o.ODSCode] = o
	}
	return out
}

type entityKey struct {
	level aggregate.Level
	key   string
}

// expectedFigures is the Go model of the aggregation: every entity of every
// level that has an organisation, with the kids of cohort c counted by
// aggregate.Child's rules on date asOf.
func expectedFigures(orgs map[string]store.Organisation, kids []kid, c cohort.Cohort, asOf audit.Date) map[entityKey]*aggregate.Figures {
	out := map[entityKey]*aggregate.Figures{}
	for _, o := range orgs {
		for _, l := range aggregate.Levels() {
			if e, ok := aggregate.EntityOf(l, o); ok {
				out[entityKey{l, e}] = &aggregate.Figures{Entity: aggregate.Entity{Level: l, Key: e}}
			}
		}
	}
	for i, k := range kids {
		ch := aggregate.Child{OptedOut: k.optedOut, Deleted: k.deleted, AuditComplete: !k.noKPI && k.complete != nil && *k.complete}
		if k.cohort != 0 {
			kc := cohort.Cohort(k.cohort)
			fpa, _ := audit.ParseDate(k.fpa)
			ch.Cohort, ch.FirstAssessment = &kc, &fpa
		}
		scores := k.scores(i)
		for _, l := range aggregate.Levels() {
			e, ok := aggregate.EntityOf(l, orgs[k.org])
			if !ok {
				continue
			}
			f := out[entityKey{l, e}]
			if ch.Registered(c) {
				f.Registered++
			}
			if ch.Complete(c) {
				f.Complete++
			}
			if ch.Counted(c, asOf) {
				f.Counted++
				for m := range f.Measures {
					f.Measures[m].Add(scores[m])
				}
			}
		}
	}
	return out
}
