package cli

import (
	"bytes"
	"context"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The demo registry: 40 patients, one deleted; siblings sharing a contact;
// a guardian with legal authority; a clinician; the deleted patient's
// mother in the review queue. Seeded once, quickly.
func TestSeedDemoRegistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		started := time.Now()
		if err := seedDemoRegistry(ctx, s, Env{Stdout: &out}, time.Now()); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s(%s)", out.String(), time.Since(started).Round(time.Millisecond))
		svc := &registry.Service{Store: s, Now: time.Now}
		me := access.Actor{Role: access.RegistryManager}
		live, err := svc.ListPatients(ctx, me, registry.DemoSlug, registry.PatientFilter{})
		if err != nil || live.Total != demoRegistryPatients-1 {
			t.Fatalf("live patients = %d, %v; want %d", live.Total, err, demoRegistryPatients-1)
		}
		deleted, err := svc.ListPatients(ctx, me, registry.DemoSlug, registry.PatientFilter{Deleted: true})
		if err != nil || deleted.Total != 1 {
			t.Errorf("deleted patients = %d, %v; want 1", deleted.Total, err)
		}
		review, err := svc.ListContacts(ctx, me, registry.DemoSlug, registry.ContactFilter{Review: true})
		if err != nil || review.Total != 1 {
			t.Errorf("review queue = %+v, %v; want one contact", review.Contacts, err)
		}
		for status, want := range map[string]int64{registry.StatusVerified: 1, registry.StatusPending: 1} {
			if q, err := svc.ListSubmissions(ctx, me, registry.DemoSlug, status, 1); err != nil || q.Total != want {
				t.Errorf("%s requests to join = %d, %v; want %d", status, q.Total, err, want)
			}
		}
		if vs, err := svc.ConsentVersions(ctx, me, registry.DemoSlug); err != nil || len(vs) != 1 || vs[0].Version != 1 {
			t.Errorf("consent versions = %+v, %v; want version 1", vs, err)
		}
		all, err := svc.ListContacts(ctx, me, registry.DemoSlug, registry.ContactFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var siblings, guardian, clinician bool
		for page := 1; page <= all.Pages; page++ {
			cp, err := svc.ListContacts(ctx, me, registry.DemoSlug, registry.ContactFilter{Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range cp.Contacts {
				c, err := svc.GetContact(ctx, me, row.ID)
				if err != nil {
					t.Fatal(err)
				}
				mothers := 0
				for _, l := range c.Links {
					switch {
					case l.Type == "mother":
						mothers++
					case l.Type == "guardian" && l.LegalAuthority && l.MayAct:
						guardian = true
					case l.Type == "clinician" && len(c.Links) > 5:
						clinician = true
					}
				}
				siblings = siblings || mothers == 2
			}
		}
		if !siblings || !guardian || !clinician {
			t.Errorf("siblings sharing a mother %v, a guardian with legal authority %v, a clinician of many %v; want all", siblings, guardian, clinician)
		}
		// The demo family: an account for the first patient's mother, who
		// holds authority for them.
		reg, err := s.GetRegistryBySlug(ctx, registry.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		fa, err := s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg.ID, Email: DemoFamilyEmail})
		if err != nil {
			t.Fatalf("demo family account: %v", err)
		}
		if ps, err := s.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: fa.ID, Today: &store.Date{Year: 2100, Month: 1, Day: 1}}); err != nil || len(ps) == 0 {
			t.Errorf("the demo family's patients = %+v, %v; want theirs", ps, err)
		}
		out.Reset()
		if err := seedDemoRegistry(ctx, s, Env{Stdout: &out}, time.Now()); err != nil || out.Len() != 0 {
			t.Errorf("seeding again: %v %q, want nothing done", err, out.String())
		}
	})
}
