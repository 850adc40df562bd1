package answers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// kids is the children service as the web layer builds it: Lock checks the
// audit with answers' progress.
func (w *world) kids() *children.Service {
	return answers.New(w.s, func() time.Time { return now }).Children
}

// Locking needs a complete audit (spec §1.6, §5.2, §11.1): refused with
// what is missing, then allowed once every form is complete, and the lock
// is in the child's trail.
func TestLockNeedsCompleteAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		id := w.child(t, childOpts{})
		err := w.kids().Lock(ctx, w.me(t, carl), id, w.version(t, id))
		var inc *children.IncompleteError
		if !errors.As(err, &inc) || !errors.Is(err, children.ErrIncomplete) || !children.IsConflict(err) {
			t.Fatalf("lock of an empty audit: %v", err)
		}
		if len(inc.Missing()) == 0 || inc.Progress.Complete {
			t.Errorf("the refusal lists nothing missing: %+v", inc.Progress)
		}
		if c, _ := s.GetChild(ctx, id); c.LockedAt != nil {
			t.Fatal("an incomplete audit was locked")
		}
		w.fillAll(t, id)
		if err := w.kids().Lock(ctx, w.me(t, carl), id, w.version(t, id)); err != nil {
			t.Fatalf("lock of a complete audit: %v", err)
		}
		trail, err := s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: id, KindFilter: children.KindLock, PageLimit: 10})
		if err != nil || len(trail) != 1 || *trail[0].OldValue != "false" || *trail[0].NewValue != "true" || trail[0].Cause != children.CauseForm ||
			trail[0].ChangedBy == nil || *trail[0].ChangedBy != w.users[carl].ID {
			t.Errorf("lock trail %+v (%v)", trail, err)
		}
		// Without a way to check, nothing is locked.
		if err := (&children.Service{Store: s, Now: func() time.Time { return now }}).Unlock(ctx, w.me(t, carl), id); err != nil {
			t.Fatal(err)
		}
		if err := (&children.Service{Store: s, Now: func() time.Time { return now }}).Lock(ctx, w.me(t, carl), id, w.version(t, id)); err == nil {
			t.Error("a service with no progress check locked a child")
		}
	})
}

// Records locked before locking needed a complete audit: the one-off review
// unlocks those still incomplete, with a trail entry saying why, and
// leaves the complete ones locked.
func TestReviewLocksUnlocksIncomplete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		incomplete := w.child(t, childOpts{locked: true})
		complete := w.child(t, childOpts{})
		w.fillAll(t, complete)
		if err := w.kids().Lock(ctx, w.me(t, carl), complete, w.version(t, complete)); err != nil {
			t.Fatal(err)
		}
		if n, err := s.QueueChildrenLockReview(ctx); err != nil || n != 2 {
			t.Fatalf("queued %d (%v)", n, err)
		}
		svc := w.svc()
		svc.Children = w.kids()
		n, err := svc.ReviewLocks(ctx)
		if err != nil || n != 1 {
			t.Fatalf("unlocked %d (%v), want 1", n, err)
		}
		if c, _ := s.GetChild(ctx, incomplete); c.LockedAt != nil {
			t.Error("the incomplete record is still locked")
		}
		if c, _ := s.GetChild(ctx, complete); c.LockedAt == nil {
			t.Error("the complete record was unlocked")
		}
		trail, err := s.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: incomplete, PageLimit: 10})
		if err != nil || len(trail) != 1 || trail[0].Field != "locked" || *trail[0].NewValue != "false" || trail[0].Cause != children.CauseJob ||
			trail[0].ChangedBy != nil || !strings.Contains(trail[0].Note, "locked with its audit incomplete (1 of 7 sections complete") {
			t.Errorf("review trail %+v (%v)", trail, err)
		}
		// The review is once: nothing is left to look at.
		if n, err := svc.ReviewLocks(ctx); n != 0 || err != nil {
			t.Errorf("second review unlocked %d (%v)", n, err)
		}
	})
}
