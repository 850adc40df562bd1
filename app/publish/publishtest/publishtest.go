// Package publishtest builds what the publishing and download tests need:
// registered children with stored KPI results whose first year of care is
// over, so that an aggregation run counts them.
package publishtest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// FPA is a first paediatric assessment 400 days before now: its year of
// care is over, so an aggregation run today counts the child. Its cohort
// is Cohort().
func FPA() time.Time { return time.Now().UTC().AddDate(0, 0, -400) }

// Cohort is the cohort of FPA().
func Cohort() cohort.Cohort {
	c, _ := cohort.ForDate(FPA())
	return c
}

var seq atomic.Int64

// Child inserts a child at organisation ods, registered in Cohort() with
// FPA(), its audit complete, scored as scores says (a measure left out is
// not scored), with a name, date of birth and postcode; it returns the
// child's id.
func Child(t testing.TB, s store.Store, ods string, scores map[kpi.Measure]int64) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatalf("organisation %s: %v", ods, err)
	}
	n := seq.Add(1)
	fpa, c, now := store.NewDate(FPA()), int64(Cohort()), time.Now().UTC()
	dob := store.Date{Year: 2015, Month: 5, Day: 3}
	p := store.InsertChildParams{AuditID: fmt.Sprintf("PTEST%05d", n), FirstName: "Pubby", Surname: fmt.Sprintf("Testchild%d", n),
		DateOfBirth: &dob, Sex: 2, Postcode: "CB20QQ", Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: now,
		FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now}
	id, err := s.InsertChild(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	complete := true
	r := store.UpsertKPIResultParams{ChildID: id, RulesVersion: kpi.RulesVersion, DataVersion: 1, ComputedAt: now, AuditComplete: &complete}
	v := reflect.ValueOf(&r).Elem()
	for m, sc := range scores {
		f := v.FieldByName(camel(m.ID()))
		if !f.IsValid() {
			t.Fatalf("no field for measure %s", m.ID())
		}
		f.Set(reflect.ValueOf(&sc))
	}
	if _, err := s.UpsertKPIResult(ctx, r); err != nil {
		t.Fatal(err)
	}
	return id
}

func camel(id string) string {
	parts := strings.Split(id, "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}
