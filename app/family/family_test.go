package family_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/family"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type fixture struct {
	s         store.Store
	reg       *registry.Service
	fam       *family.Service
	now       time.Time
	staff     access.Me
	amy       store.RegistryPatient
	sarah     store.FamilyAccount
	other     store.RegistryPatient
	motherRel int64
}

// newFixture: Amy, whose mother Sarah has legal authority and a family
// account; Ben, a patient of someone else.
func newFixture(t *testing.T, s store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{s: s, now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), staff: access.Me{Actor: access.Actor{Role: access.RegistryManager}}}
	clock := func() time.Time { return f.now }
	f.reg = &registry.Service{Store: s, Now: clock}
	f.fam = &family.Service{Store: s, Registry: f.reg, Now: clock, BaseURL: "http://test", InviteTTL: 72 * time.Hour}
	if err := registry.Install(ctx, s, f.now); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil { // the outbox queues its sending job
		t.Fatal(err)
	}
	patient := func(first string) store.RegistryPatient {
		p, err := f.reg.AddPatient(ctx, f.staff, "rett", registry.PatientInput{FirstName: first, Surname: "Hughes", Sex: "2",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.amy, f.other = patient("Amy"), patient("Ben")
	c, err := f.reg.AddContact(ctx, f.staff, "rett", registry.ContactInput{FirstName: "Sarah", Surname: "Hughes", Email: "sarah@example.org"}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.motherRel, err = f.reg.Link(ctx, f.staff, f.amy.ID, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: true}, ""); err != nil {
		t.Fatal(err)
	}
	reg, _ := s.GetRegistryBySlug(ctx, "rett")
	id, err := s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg.ID, ContactID: c.ID, Email: "sarah@example.org", CreatedAt: f.now})
	if err != nil {
		t.Fatal(err)
	}
	if f.sarah, err = s.GetFamilyAccount(ctx, id); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFamiliesSeeOnlyTheirPatientsUntilTheRelationshipEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		ps, err := f.fam.Patients(ctx, f.sarah)
		if err != nil || len(ps) != 1 || ps[0].ID != f.amy.ID {
			t.Fatalf("Patients = %+v, %v, want Amy", ps, err)
		}
		if _, _, err := f.fam.Patient(ctx, f.sarah, f.other.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("someone else's patient = %v, want not found", err)
		}
		if _, err := f.fam.SavePatientField(ctx, f.sarah, registry.SaveField{ID: f.other.ID, Field: registry.FieldFirstName, Value: "X"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("editing someone else's patient = %v, want not found", err)
		}
		if err := f.fam.DeletePatient(ctx, f.sarah, f.other.ID, ""); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("deleting someone else's patient = %v, want not found", err)
		}
		if _, err := f.fam.SavePatientField(ctx, f.sarah, registry.SaveField{ID: f.amy.ID, Field: registry.FieldNotes, Value: "x"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("editing the registry's notes = %v, want forbidden", err)
		}

		// An edit is the family's, in the trail.
		saved, err := f.fam.SavePatientField(ctx, f.sarah, registry.SaveField{ID: f.amy.ID, Field: registry.FieldFirstName, Value: "Amelia", Seen: f.amy.Version})
		if err != nil || !saved.Changed {
			t.Fatalf("SavePatientField = %+v, %v", saved, err)
		}
		h, err := f.reg.History(ctx, f.staff, f.amy.ID, 0)
		if err != nil || h[0].Field != registry.FieldFirstName || h[0].ChangedByFamily == nil || *h[0].ChangedByFamily != f.sarah.ID ||
			h[0].ChangedBy != nil || h[0].ChangedByName != "Sarah Hughes (family)" {
			t.Errorf("trail = %+v, %v, want Sarah's change first", h[0], err)
		}

		// The registry team ends the relationship: access ends with it.
		if _, err := f.reg.SaveRelationshipField(ctx, f.staff, registry.SaveField{ID: f.motherRel, Field: registry.FieldEndDate,
			Date: registry.DateInput{Day: "10", Month: "3", Year: "2026"}}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := f.fam.Patients(ctx, f.sarah); len(ps) != 0 {
			t.Errorf("after the relationship ended: %+v, want none", ps)
		}
		if _, err := f.fam.SavePatientField(ctx, f.sarah, registry.SaveField{ID: f.amy.ID, Field: registry.FieldFirstName, Value: "Amy"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("editing after the relationship ended = %v, want not found", err)
		}
	})
}

func TestFamilyAddsAndDeletesAPatient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		var fe registry.FieldErrors
		if _, err := f.fam.AddPatient(ctx, f.sarah, "rett", registry.PatientInput{FirstName: "Cat"}, registry.RelationshipInput{Type: "mother"}); !errors.As(err, &fe) {
			t.Fatalf("a patient without a date of birth = %v, want field errors", err)
		}
		if ps, _ := f.fam.Patients(ctx, f.sarah); len(ps) != 1 {
			t.Errorf("a refused patient left something: %+v", ps)
		}
		p, err := f.fam.AddPatient(ctx, f.sarah, "rett", registry.PatientInput{FirstName: "Cat", Surname: "Hughes", Sex: "2",
			DateOfBirth: registry.DateInput{Day: "1", Month: "1", Year: "2019"}}, registry.RelationshipInput{Type: "mother", LegalAuthority: true})
		if err != nil {
			t.Fatal(err)
		}
		if ps, _ := f.fam.Patients(ctx, f.sarah); len(ps) != 2 {
			t.Errorf("after adding Cat: %+v, want two", ps)
		}
		if err := f.fam.DeletePatient(ctx, f.sarah, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		if ps, _ := f.fam.Patients(ctx, f.sarah); len(ps) != 1 {
			t.Errorf("after deleting Cat: %+v, want Amy only", ps)
		}
		got, err := s.GetRegistryPatient(ctx, p.ID)
		if err != nil || got.DeletedAt == nil {
			t.Errorf("Cat = %+v, %v, want soft-deleted", got, err)
		}
		h, _ := f.reg.History(ctx, f.staff, p.ID, 0)
		if len(h) == 0 || h[0].ChangedByFamily == nil || *h[0].ChangedByFamily != f.sarah.ID {
			t.Errorf("the deletion's trail = %+v, want Sarah's", h)
		}
	})
}

var joinRE = regexp.MustCompile(`/family/join/([A-Za-z0-9_-]+)`)

func TestInvitedCarerJoinsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		var fe registry.FieldErrors
		if err := f.fam.Invite(ctx, f.sarah, f.amy.ID, family.InviteInput{Email: "not an email", Type: "clinician"}); !errors.As(err, &fe) || len(fe) != 2 {
			t.Errorf("a bad invitation = %v, want two field errors", err)
		}
		if err := f.fam.Invite(ctx, f.sarah, f.other.ID, family.InviteInput{Email: "gran@example.org", Type: "carer"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("inviting to someone else's patient = %v, want not found", err)
		}
		if err := f.fam.Invite(ctx, f.sarah, f.amy.ID, family.InviteInput{Email: "Gran@Example.org", Type: "carer"}); err != nil {
			t.Fatal(err)
		}
		ms, err := s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "gran@example.org", PageLimit: 5})
		if err != nil || len(ms) != 1 {
			t.Fatalf("invitation emails = %+v, %v", ms, err)
		}
		m := joinRE.FindStringSubmatch(ms[0].BodyText)
		if m == nil {
			t.Fatalf("no link in:\n%s", ms[0].BodyText)
		}
		inv, err := f.fam.GetInvitation(ctx, m[1])
		if err != nil || inv.PatientFirstName != "Amy" || inv.InviterName != "Sarah Hughes" {
			t.Errorf("GetInvitation = %+v, %v", inv, err)
		}
		if _, err := f.fam.GetInvitation(ctx, m[1]+"x"); !errors.Is(err, family.ErrBadInvitation) {
			t.Errorf("a tampered invitation = %v", err)
		}
		if _, err := f.fam.Accept(ctx, m[1], registry.ContactInput{FirstName: ""}); !errors.As(err, &fe) {
			t.Errorf("accepting without a name = %v, want field errors", err)
		}
		gran, err := f.fam.Accept(ctx, m[1], registry.ContactInput{FirstName: "Ann", Surname: "Jones", Phone: "07700 900123"})
		if err != nil || gran.Email != "gran@example.org" || gran.FirstName != "Ann" {
			t.Fatalf("Accept = %+v, %v", gran, err)
		}
		if ps, _ := f.fam.Patients(ctx, gran); len(ps) != 1 || ps[0].ID != f.amy.ID || ps[0].RelationshipType != "carer" {
			t.Errorf("Ann's patients = %+v, want Amy as carer", ps)
		}
		if _, err := f.fam.Accept(ctx, m[1], registry.ContactInput{FirstName: "Ann", Surname: "Jones"}); !errors.Is(err, family.ErrBadInvitation) {
			t.Errorf("the invitation again = %v, want ErrBadInvitation", err)
		}
		h, _ := f.reg.History(ctx, f.staff, 0, gran.ContactID)
		if len(h) == 0 || h[len(h)-1].ChangedByFamily == nil || *h[len(h)-1].ChangedByFamily != f.sarah.ID {
			t.Errorf("Ann's contact trail = %+v, want made on Sarah's invitation", h)
		}

		// An invitation expires.
		if err := f.fam.Invite(ctx, f.sarah, f.amy.ID, family.InviteInput{Email: "dad@example.org", Type: "father"}); err != nil {
			t.Fatal(err)
		}
		ms, _ = s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "dad@example.org", PageLimit: 5})
		f.now = f.now.Add(73 * time.Hour)
		if _, err := f.fam.Accept(ctx, joinRE.FindStringSubmatch(ms[0].BodyText)[1], registry.ContactInput{FirstName: "Tom", Surname: "Hughes"}); !errors.Is(err, family.ErrBadInvitation) {
			t.Errorf("an expired invitation = %v, want ErrBadInvitation", err)
		}
	})
}

// The registry's purge removes a deleted contact for good: its family
// account, sessions, sign-ins and invitations go with it (foreign keys
// cascade), and the trail rows it wrote lose its name, not the purge.
func TestPurgedContactTakesItsAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		if _, err := f.fam.SavePatientField(ctx, f.sarah, registry.SaveField{ID: f.amy.ID, Field: registry.FieldFirstName, Value: "Amelia"}); err != nil {
			t.Fatal(err)
		}
		if err := f.fam.Invite(ctx, f.sarah, f.amy.ID, family.InviteInput{Email: "gran@example.org", Type: "carer"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateFamilySession(ctx, store.CreateFamilySessionParams{ID: "h", AccountID: f.sarah.ID, TwoFactorOk: true,
			CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour), Ip: "192.0.2.1", UserAgent: "t"}); err != nil {
			t.Fatal(err)
		}
		if err := f.reg.DeleteContact(ctx, f.staff, f.sarah.ContactID, ""); err != nil {
			t.Fatal(err)
		}
		if ps, _ := f.fam.Patients(ctx, f.sarah); len(ps) != 0 {
			t.Errorf("a deleted contact's account still reaches %+v", ps)
		}
		if _, err := registry.PurgeDeleted(ctx, s, f.now.Add(31*24*time.Hour)); err != nil {
			t.Fatalf("purge: %v", err)
		}
		if _, err := s.GetFamilyAccount(ctx, f.sarah.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the account after the purge: %v, want gone", err)
		}
		if _, err := s.GetFamilySession(ctx, "h"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the session after the purge: %v, want gone", err)
		}
		h, err := f.reg.History(ctx, f.staff, f.amy.ID, 0)
		if err != nil || len(h) == 0 || h[0].ChangedByName != "" {
			t.Errorf("Amy's trail after the purge = %+v, %v, want the change kept without a name", h, err)
		}
	})
}

// A merge of the family's contact into another moves the account with the
// relationships: the family goes on seeing its patient.
func TestMergedContactKeepsItsAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		dup, err := f.reg.AddContact(ctx, f.staff, "rett", registry.ContactInput{FirstName: "Sarah", Surname: "Hughes", Phone: "07700 900123"}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		away, err := s.GetRegistryContact(ctx, f.sarah.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.reg.MergeContacts(ctx, f.staff, dup.ID, away.ID, dup.Version, away.Version, ""); err != nil {
			t.Fatal(err)
		}
		a, err := s.GetFamilyAccount(ctx, f.sarah.ID)
		if err != nil || a.ContactID != dup.ID {
			t.Fatalf("the account after the merge = %+v, %v, want on the kept contact", a, err)
		}
		if ps, err := f.fam.Patients(ctx, a); err != nil || len(ps) != 1 || ps[0].ID != f.amy.ID {
			t.Errorf("patients after the merge = %+v, %v, want Amy", ps, err)
		}
	})
}
