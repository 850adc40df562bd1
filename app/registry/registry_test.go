package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestPatientsAndContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		svc := &registry.Service{Store: s, Now: func() time.Time { return now }}
		if err := registry.Install(ctx, s, now); err != nil {
			t.Fatal(err)
		}
		me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
		viewer := access.Actor{Role: access.RegistryViewer}
		in := registry.PatientInput{FirstName: "Amy", Surname: "Smith", Sex: "2", NHSNumber: "9434765919",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}
		if _, err := svc.AddPatient(ctx, access.Me{Actor: viewer}, "rett", in, false, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer added a patient: %v", err)
		}
		p, err := svc.AddPatient(ctx, me, "rett", in, false, "")
		if err != nil {
			t.Fatal(err)
		}
		in2 := in
		in2.NHSNumber = ""
		var dup *registry.DuplicateError
		if _, err := svc.AddPatient(ctx, me, "rett", in2, false, ""); !errors.As(err, &dup) || dup.Matches[0].ID != p.ID {
			t.Errorf("same name and birth: %v, want a duplicate warning", err)
		}
		sib, err := svc.AddPatient(ctx, me, "rett", in2, true, "")
		if err != nil {
			t.Fatalf("confirmed duplicate: %v", err)
		}
		in3 := in
		in3.FirstName = "Zoe"
		var fe registry.FieldErrors
		if _, err := svc.AddPatient(ctx, me, "rett", in3, true, ""); !errors.As(err, &fe) || fe.For(registry.FieldNHSNumber) == "" {
			t.Errorf("taken NHS number: %v", err)
		}

		// Autosave, then someone else's change to the same field.
		saved, err := svc.SavePatientField(ctx, me, registry.SaveField{ID: p.ID, Field: registry.FieldClinicalStatus, Value: "classic", Seen: 1})
		if err != nil || saved.Version != 2 || !saved.Changed {
			t.Fatalf("SavePatientField = %+v, %v", saved, err)
		}
		other := access.Me{ID: 0, Actor: me.Actor}
		_, err = svc.SavePatientField(ctx, access.Me{ID: 99, Actor: other.Actor}, registry.SaveField{ID: p.ID, Field: registry.FieldClinicalStatus, Value: "atypical", Seen: 1})
		if !registry.IsConflict(err) {
			t.Errorf("a stale save of the same field = %v, want a conflict", err)
		}
		if _, err := svc.SavePatientField(ctx, me, registry.SaveField{ID: p.ID, Field: registry.FieldNotes, Value: "x", Seen: 1}); err != nil {
			t.Errorf("a stale save of another field: %v", err)
		}
		if _, err := svc.SavePatientField(ctx, me, registry.SaveField{ID: p.ID, Field: registry.FieldDateOfDeath,
			Date: registry.DateInput{Day: "1", Month: "1", Year: "2010"}}); !errors.As(err, &fe) || fe.For(registry.FieldDateOfDeath) == "" {
			t.Errorf("death before birth: %v", err)
		}

		// Contacts, links, merge, delete.
		mum, err := svc.AddContact(ctx, me, "rett", registry.ContactInput{FirstName: "Jo", Surname: "Smith", Email: "jo@example.org", MayContact: true}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		mum2, err := svc.AddContact(ctx, me, "rett", registry.ContactInput{FirstName: "Jo", Surname: "Smith", Phone: "07700 900123"}, false, "")
		if !errors.As(err, &dup) {
			t.Fatalf("same name contact: %v, want a warning", err)
		}
		mum2, err = svc.AddContact(ctx, me, "rett", registry.ContactInput{FirstName: "Jo", Surname: "Smith", Phone: "07700 900123"}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Link(ctx, me, p.ID, mum.ID, registry.RelationshipInput{Type: "mother", IsPrimary: true}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Link(ctx, me, sib.ID, mum2.ID, registry.RelationshipInput{Type: "mother"}, ""); err != nil {
			t.Fatal(err)
		}
		pv, err := svc.PreviewMerge(ctx, me.Actor, mum.ID, mum2.ID)
		if err != nil || pv.Result.Phone != "+447700900123" || len(pv.Moving) != 1 {
			t.Fatalf("PreviewMerge = %+v, %v", pv, err)
		}
		if err := svc.MergeContacts(ctx, me, mum.ID, mum2.ID, pv.Keep.Version, pv.Away.Version, ""); err != nil {
			t.Fatal(err)
		}
		c, err := svc.GetContact(ctx, me.Actor, mum.ID)
		if err != nil || len(c.Links) != 2 || c.Phone != "+447700900123" {
			t.Errorf("after the merge: %+v, %v", c, err)
		}
		if _, err := svc.GetContact(ctx, viewer, mum.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer saw a contact: %v", err)
		}
		if err := svc.DeletePatient(ctx, me, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeletePatient(ctx, me, sib.ID, ""); err != nil {
			t.Fatal(err)
		}
		page, err := svc.ListContacts(ctx, me.Actor, "rett", registry.ContactFilter{Review: true})
		if err != nil || len(page.Contacts) != 1 || page.Contacts[0].ID != mum.ID {
			t.Errorf("review queue = %+v, %v; want the mother, linked to nobody now", page.Contacts, err)
		}
		if err := svc.RestorePatient(ctx, me, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		vp, err := svc.ListPatients(ctx, viewer, "rett", registry.PatientFilter{})
		if err != nil || len(vp.Patients) != 1 || vp.Patients[0].Surname != "" || vp.Identified {
			t.Errorf("viewer's list = %+v, %v; want one row without names", vp.Patients, err)
		}
		hist, err := svc.History(ctx, me, p.ID, 0)
		if err != nil || len(hist) < 5 {
			t.Errorf("History = %d rows, %v", len(hist), err)
		}
	})
}
