package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The daily purge removes a patient and a contact deleted 31 days ago,
// with their trail (the relationship rows on the surviving contact's
// history included), and keeps those deleted 29 days ago, restorable. A
// relationship unlinked 31 days ago goes; its trail stays.
func TestPurgeDeleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		clock := now
		svc := &registry.Service{Store: s, Now: func() time.Time { return clock }}
		if err := registry.Install(ctx, s, now); err != nil {
			t.Fatal(err)
		}
		me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
		patient := func(first string) int64 {
			p, err := svc.AddPatient(ctx, me, registry.DemoSlug, registry.PatientInput{FirstName: first, Surname: "Purcell", Sex: "2",
				DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
			if err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		contact := func(first string) int64 {
			c, err := svc.AddContact(ctx, me, registry.DemoSlug, registry.ContactInput{FirstName: first, Surname: "Purcell", MayContact: true}, true, "")
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		link := func(p, c int64) int64 {
			id, err := svc.Link(ctx, me, p, c, registry.RelationshipInput{Type: "mother"}, "")
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		rows := func(p, c int64) []store.RegistryChange {
			rows, err := s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: p, ContactID: c, PageLimit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		trail := func(p, c int64) int { return len(rows(p, c)) }

		clock = now.Add(-40 * 24 * time.Hour)
		oldP, youngP, liveP := patient("Olive"), patient("Yara"), patient("Lily")
		oldC, youngC, liveC := contact("Otto"), contact("Yves"), contact("Lena")
		link(oldP, liveC)
		mistake := link(liveP, liveC)

		clock = now.Add(-31 * 24 * time.Hour)
		for _, err := range []error{svc.DeletePatient(ctx, me, oldP, ""), svc.DeleteContact(ctx, me, oldC, ""), svc.Unlink(ctx, me, mistake, "")} {
			if err != nil {
				t.Fatal(err)
			}
		}
		liveP1 := trail(liveP, 0)
		// Lena's trail: her own rows, the mistaken link's, and those of her
		// link to Olive, which go with Olive.
		liveC1, aboutOld := rows(0, liveC), 0
		for _, r := range liveC1 {
			if r.PatientID != nil && *r.PatientID == oldP {
				aboutOld++
			}
		}
		if aboutOld == 0 || aboutOld == len(liveC1) {
			t.Fatalf("the surviving contact's trail has %d rows, %d about the patient to purge", len(liveC1), aboutOld)
		}
		clock = now.Add(-29 * 24 * time.Hour)
		for _, err := range []error{svc.DeletePatient(ctx, me, youngP, ""), svc.DeleteContact(ctx, me, youngC, "")} {
			if err != nil {
				t.Fatal(err)
			}
		}

		w := registry.NewPurgeWorker(s, nil)
		w.Now = func() time.Time { return now }
		if err := w.Work(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetRegistryPatient(ctx, oldP); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a patient deleted 31 days ago is still there: %v", err)
		}
		if _, err := s.GetRegistryContact(ctx, oldC); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a contact deleted 31 days ago is still there: %v", err)
		}
		if _, err := s.GetRegistryRelationship(ctx, mistake); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a relationship unlinked 31 days ago is still there: %v", err)
		}
		if n := trail(oldP, 0) + trail(0, oldC); n != 0 {
			t.Errorf("%d trail rows of the purged records left", n)
		}
		if n := trail(0, liveC); n != len(liveC1)-aboutOld {
			t.Errorf("the surviving contact's trail has %d rows, want %d (all but those about the purged patient)", n, len(liveC1)-aboutOld)
		}
		if n := trail(liveP, 0); n != liveP1 {
			t.Errorf("the surviving patient's trail has %d rows, want %d", n, liveP1)
		}

		clock = now
		if err := svc.RestorePatient(ctx, me, youngP, ""); err != nil {
			t.Errorf("a patient deleted 29 days ago cannot be restored after the purge: %v", err)
		}
		if err := svc.RestoreContact(ctx, me, youngC, ""); err != nil {
			t.Errorf("a contact deleted 29 days ago cannot be restored after the purge: %v", err)
		}
		if _, err := s.GetRegistryPatient(ctx, liveP); err != nil {
			t.Errorf("a patient never deleted: %v", err)
		}
	})
}
