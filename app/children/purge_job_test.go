package children_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/children"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// deletedChild adds a child at RM332 and deletes it at deletedAt.
func deletedChild(t *testing.T, s store.Store, nhs, auditID string, deletedAt time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	id := liveChild(t, s, nhs, auditID, deletedAt)
	if n, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: deletedAt, ID: id, Version: 1}); err != nil || n != 1 {
		t.Fatalf("delete: %d, %v", n, err)
	}
	return id
}

func liveChild(t *testing.T, s store.Store, nhs, auditID string, created time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	dob := store.Date{Year: 2015, Month: 5, Day: 3}
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: auditID, NHSNumber: &nhs, FirstName: "Ava", Surname: "Smith",
		DateOfBirth: &dob, Sex: 2, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The worker, on an injected clock, purges exactly the children deleted
// more than 30 days before it, with their transfers, on both engines.
func TestPurgeChildrenWorkerBoundary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
		const day = 24 * time.Hour
		over := deletedChild(t, s, "9434765919", "C0000001", now.Add(-30*day-time.Second))
		exactly := deletedChild(t, s, "4010232137", "C0000002", now.Add(-30*day))
		recent := deletedChild(t, s, "9990000018", "C0000003", now.Add(-day))
		alive := liveChild(t, s, "9990000026", "C0000004", now.Add(-90*day))
		// A transfer hangs off the child about to be purged.
		from, _ := s.GetOrganisationByODS(ctx, "RM332")
		to, _ := s.GetOrganisationByODS(ctx, "RGT01")
		if _, err := s.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: over, FromOrganisationID: from.ID,
			ToOrganisationID: to.ID, RequestedAt: now.Add(-40 * day)}); err != nil {
			t.Fatal(err)
		}

		w := children.NewPurgeWorker(s, nil)
		w.Now = func() time.Time { return now }
		if err := w.Work(ctx, &river.Job[jobargs.PurgeChildrenArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDeletedChild(ctx, over); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted 30 days and a second ago: not purged (%v)", err)
		}
		if h, err := s.ListChildTransfers(ctx, over); err != nil || len(h) != 0 {
			t.Errorf("purged child's transfers: %d, %v", len(h), err)
		}
		for name, id := range map[string]int64{"exactly 30 days": exactly, "a day": recent} {
			if _, err := s.GetDeletedChild(ctx, id); err != nil {
				t.Errorf("deleted %s ago: purged (%v)", name, err)
			}
		}
		if _, err := s.GetChild(ctx, alive); err != nil {
			t.Errorf("a live child was purged: %v", err)
		}
		// A day later the one deleted exactly 30 days before goes too.
		now = now.Add(day)
		if err := w.Work(ctx, &river.Job[jobargs.PurgeChildrenArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDeletedChild(ctx, exactly); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("not purged the next day: %v", err)
		}
		if _, err := s.GetDeletedChild(ctx, recent); err != nil {
			t.Errorf("recent deletion purged: %v", err)
		}
	})
}
