package answers_test

import (
	"context"
	"testing"

	"clinaudit/app/forms"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// storedProgress is a child's audit progress as the case list reads it.
func storedProgress(t *testing.T, s store.Store, id int64) *int64 {
	t.Helper()
	rows, err := store.ListChildrenSorted(context.Background(), s, "progress", false, store.ChildListParams{OptedOut: "all", PageLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ID == id {
			return r.AuditProgress
		}
	}
	t.Fatalf("child %d is not in the list", id)
	return nil
}

// The case list's progress column is stored with the child's KPI results,
// by the scoring job and by a national recalculation, as the percentage
// the task list shows for the child as loaded.
func TestScoringStoresTheListProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		svc := w.svc()
		id := w.child(t, childOpts{})
		w.answer(t, id, forms.Investigations, "eeg_indicated", lit(false))
		if p := storedProgress(t, s, id); p != nil {
			t.Fatalf("progress %d before any scoring", *p)
		}
		if err := svc.ScoreChild(ctx, id); err != nil {
			t.Fatal(err)
		}
		want := int64(w.load(t, carl, id).Progress.Percent)
		if p := storedProgress(t, s, id); p == nil || *p != want || want == 0 {
			t.Fatalf("after scoring: stored %v, the task list says %d%%", p, want)
		}

		// More answers and no job: a recalculation brings it up to date.
		fillAll(t, w, id)
		want = int64(w.load(t, carl, id).Progress.Percent)
		run, err := svc.RequestRecalculation(ctx, w.users[carl].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Recalculate(ctx, run); err != nil {
			t.Fatal(err)
		}
		if p := storedProgress(t, s, id); p == nil || *p != want || want != 100 {
			t.Errorf("after a recalculation: stored %v, the task list says %d%%", p, want)
		}
		// A child not registered has no progress, scored either way: the
		// list sorts it with the unscored.
		other := w.child(t, childOpts{unregistered: true})
		if err := svc.ScoreChild(ctx, other); err != nil {
			t.Fatal(err)
		}
		run, err = svc.RequestRecalculation(ctx, w.users[carl].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Recalculate(ctx, run); err != nil {
			t.Fatal(err)
		}
		if p := storedProgress(t, s, other); p != nil {
			t.Errorf("an unregistered child's progress is %d", *p)
		}
	})
}
