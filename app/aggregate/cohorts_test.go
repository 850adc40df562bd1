package aggregate_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestCurrentCohorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, population) // children in cohorts 6, 7 and 8
		for _, c := range []struct {
			today string
			want  []cohort.Cohort
		}{
			{"2025-02-28", []cohort.Cohort{6, 7, 8}},        // open: 7 and 8
			{"2025-12-15", []cohort.Cohort{6, 7, 8, 9}},     // grace period: 7, 8, 9 open
			{"2027-06-01", []cohort.Cohort{6, 7, 8, 9, 10}}, // open: 9, 10; 6–8 have children
		} {
			today, _ := time.Parse("2006-01-02", c.today)
			got, err := aggregate.CurrentCohorts(ctx, s, today)
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, c.want) {
				t.Errorf("on %s: %v, want %v", c.today, got, c.want)
			}
		}
	})
}

func equal(a, b []cohort.Cohort) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
