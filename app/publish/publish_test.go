package publish_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/kpi"
	"clinaudit/app/publish"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var publisher = access.Me{Actor: access.Actor{Role: access.NationalFull}}

func organisation(t *testing.T, s store.Store, ods string) store.Organisation {
	t.Helper()
	o, err := s.GetOrganisationByODS(context.Background(), ods)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Publishing copies the current run's figures: the publication reads the
// same as the run, level by level, and keeps reading so after the data
// changes, later runs replace (and delete) the one it came from, and the
// cohort is published again. History keeps both, newest first.
func TestPublishCopiesFiguresAndKeepsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := publishtest.Cohort()
		rgt := organisation(t, s, "RGT01")
		wales := organisation(t, s, "7A4H1")
		publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: 1, kpi.MRI: 0})
		publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: 0, kpi.MRI: 2})
		publishtest.Child(t, s, "7A4H1", map[kpi.Measure]int64{kpi.ECG: 1})

		if _, err := publish.Publish(ctx, s, publisher, c); !errors.Is(err, aggregate.ErrNotRun) {
			t.Fatalf("publishing a cohort never aggregated: %v, want ErrNotRun", err)
		}
		if _, err := publish.Latest(ctx, s, c); !errors.Is(err, publish.ErrNotPublished) {
			t.Fatalf("Latest before publishing: %v", err)
		}
		run, err := aggregate.Run(ctx, s, c)
		if err != nil {
			t.Fatal(err)
		}
		first, err := publish.Publish(ctx, s, access.Me{ID: 0, Actor: publisher.Actor}, c)
		if err != nil {
			t.Fatal(err)
		}
		if first.RunID != run.ID || first.Cohort != int64(c) || !first.ComputedAt.Equal(run.ComputedAt) || first.Children != 3 {
			t.Errorf("publication %+v of run %+v", first, run)
		}
		want := map[int64]aggregate.OrganisationReport{}
		for _, o := range []store.Organisation{rgt, wales} {
			want[o.ID], err = aggregate.ForOrganisation(ctx, s, c, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := publish.ForOrganisation(ctx, s, first, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Levels, want[o.ID].Levels) || len(got.Levels) < 5 {
				t.Errorf("%s: published\n%+v\nrun\n%+v", o.ODSCode, got.Levels, want[o.ID].Levels)
			}
		}
		rep, _ := publish.ForOrganisation(ctx, s, first, rgt.ID)
		if org := rep.Levels[0]; org.Level != aggregate.Organisation || org.Measure(kpi.ECG) != (aggregate.Counts{Passed: 1, TotalEligible: 2}) ||
			org.Measure(kpi.MRI) != (aggregate.Counts{TotalEligible: 1, Ineligible: 1}) {
			t.Errorf("RGT01 published %+v", org)
		}

		// New data, two more runs: the first publication's run is deleted,
		// its copy is not, and it still says what it said.
		publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: 1})
		for range 3 {
			if _, err := aggregate.Run(ctx, s, c); err != nil {
				t.Fatal(err)
			}
		}
		if runs, _ := aggregate.History(ctx, s, c, 10); runs[len(runs)-1].ID == run.ID {
			t.Fatalf("the published run %d was kept: %+v", run.ID, runs)
		}
		again, _ := publish.ForOrganisation(ctx, s, first, rgt.ID)
		if !reflect.DeepEqual(again.Levels, want[rgt.ID].Levels) {
			t.Errorf("the first publication changed after later runs:\n%+v\nwas\n%+v", again.Levels, want[rgt.ID].Levels)
		}
		second, err := publish.Publish(ctx, s, publisher, c)
		if err != nil {
			t.Fatal(err)
		}
		now, _ := publish.ForOrganisation(ctx, s, second, rgt.ID)
		if got := now.Levels[0].Measure(kpi.ECG); got != (aggregate.Counts{Passed: 2, TotalEligible: 3}) {
			t.Errorf("second publication: RGT01 ECG %+v", got)
		}
		hist, err := publish.History(ctx, s, c, 10)
		if err != nil || len(hist) != 2 || hist[0].ID != second.ID || hist[1].ID != first.ID {
			t.Fatalf("history %+v, %v", hist, err)
		}
		if latest, err := publish.Latest(ctx, s, c); err != nil || latest.ID != second.ID {
			t.Errorf("latest %+v, %v", latest, err)
		}
		cohorts, err := publish.Cohorts(ctx, s)
		if err != nil || len(cohorts) != 1 || cohorts[0].ID != second.ID {
			t.Errorf("cohorts %+v, %v", cohorts, err)
		}
		orgs, err := s.ListPublishedOrganisations(ctx)
		if err != nil || len(orgs) != 342 {
			t.Errorf("%d published organisations, %v", len(orgs), err)
		}
	})
}

func TestPublishNeedsThePublishAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := publishtest.Cohort()
		if _, err := aggregate.Run(ctx, s, c); err != nil {
			t.Fatal(err)
		}
		for _, r := range access.Roles {
			_, err := publish.Publish(ctx, s, access.Me{Actor: access.Actor{Role: r, Organisation: 1, Trust: "RGT"}}, c)
			if allowed := err == nil; allowed != (r == access.NationalFull) {
				t.Errorf("%s: publish err %v", r, err)
			}
			if err != nil && !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s: %v, want ErrForbidden", r, err)
			}
		}
		if hist, _ := publish.History(ctx, s, c, 10); len(hist) != 1 {
			t.Errorf("%d publications, want 1", len(hist))
		}
	})
}
