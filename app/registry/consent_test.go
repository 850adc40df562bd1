package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/jobargs"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// family adds a patient, her mother (with authority) and an aunt
// (without), and records consent to everything by the mother.
func family(t *testing.T, o onboarding, first string) (patient, mother, aunt int64) {
	t.Helper()
	ctx := context.Background()
	in := joinForm("", first).Patient
	in.NHSNumber = ""
	p, err := o.svc.AddPatient(ctx, manager, "rett", in, true, "")
	if err != nil {
		t.Fatal(err)
	}
	contact := func(name, email string, authority bool) int64 {
		c, err := o.svc.AddContact(ctx, manager, "rett", registry.ContactInput{FirstName: name, Surname: "Hughes", Email: email, MayContact: true}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Link(ctx, manager, p.ID, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: authority, MayAct: authority}, ""); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	mother, aunt = contact("Jo", strings.ToLower(first)+".mum@example.org", true), contact("Ann", "", false)
	if err := o.svc.FamilyConsent(ctx, mother, p.ID, registry.ConsentAnswers{TakePart: true, ResearchContact: true, ShareDeidentified: true}, ""); err != nil {
		t.Fatal(err)
	}
	return p.ID, mother, aunt
}

func TestConsentVersionsAndReconsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		p, mother, aunt := family(t, o, "Isla")
		if err := o.svc.FamilyConsent(ctx, aunt, p, registry.ConsentAnswers{TakePart: true}, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an aunt without authority consented: %v", err)
		}
		c, err := registry.ConsentOf(ctx, s, p)
		if err != nil || c.VersionNumber != 1 || c.NeedsReconsent || !c.MayContact(registry.PartResearchContact) {
			t.Fatalf("consent = %+v, %v", c, err)
		}
		vs, _ := o.svc.ConsentVersions(ctx, access.Actor{Role: access.RegistryViewer}, "rett")
		if _, err := o.svc.PublishConsent(ctx, access.Me{Actor: access.Actor{Role: access.RegistryViewer}}, "rett", "New words", ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer published: %v", err)
		}
		var fe registry.FieldErrors
		if _, err := o.svc.PublishConsent(ctx, manager, "rett", vs[0].Text, ""); !errors.As(err, &fe) {
			t.Errorf("publishing the same text: %v", err)
		}
		v2, err := o.svc.PublishConsent(ctx, manager, "rett", "We now also ask about sharing with overseas researchers.", "")
		if err != nil || v2.Version != 2 {
			t.Fatalf("publish = %+v, %v", v2, err)
		}
		if vs, _ := o.svc.ConsentVersions(ctx, manager.Actor, "rett"); len(vs) != 2 || vs[1].Text == v2.Text {
			t.Errorf("versions after publishing = %+v; the old one must stay", vs)
		}
		if c, _ := registry.ConsentOf(ctx, s, p); !c.NeedsReconsent || c.CurrentVersion != 2 {
			t.Errorf("after a new version, consent = %+v, want re-consent needed", c)
		}
		w := &registry.ReconsentWorker{Store: s, BaseURL: "https://registry.example"}
		if err := w.Work(ctx, &river.Job[jobargs.RegistryReconsentArgs]{Args: jobargs.RegistryReconsentArgs{RegistryID: v2.RegistryID, Version: 2}}); err != nil {
			t.Fatal(err)
		}
		if m := lastMail(t, s, "isla.mum@example.org"); !strings.Contains(m.Subject, "updated its consent form") || !strings.Contains(m.BodyText, "/family/sign-in") {
			t.Errorf("the re-consent email: %s\n%s", m.Subject, m.BodyText)
		}
		if err := o.svc.FamilyConsent(ctx, mother, p, registry.ConsentAnswers{TakePart: true, ResearchContact: true}, "r"); err != nil {
			t.Fatal(err)
		}
		if c, _ := registry.ConsentOf(ctx, s, p); c.NeedsReconsent || c.VersionNumber != 2 || c.ShareDeidentified {
			t.Errorf("after re-consent = %+v", c)
		}
		_ = mother
	})
}

func TestWithdrawalPolicies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		today := registry.DateInput{Day: "10", Month: "3", Year: "2026"}

		// A part: research contact only. Registry contact goes on.
		p, mother, _ := family(t, o, "Isla")
		if err := o.svc.FamilyWithdraw(ctx, mother, p, registry.PartResearchContact, ""); err != nil {
			t.Fatal(err)
		}
		c, _ := registry.ConsentOf(ctx, s, p)
		if c.MayContact(registry.PartResearchContact) || !c.MayContact(registry.PartTakePart) || c.Kind != "withdrawal" || c.WithdrawnHow != "online" {
			t.Errorf("after withdrawing research contact: %+v", c)
		}

		// Keep (the default): the record stays, contact stops.
		var fe registry.FieldErrors
		if err := o.svc.Withdraw(ctx, manager, p, registry.WithdrawalInput{Part: registry.PartTakePart}, ""); !errors.As(err, &fe) || len(fe) < 3 {
			t.Errorf("a withdrawal with nothing said: %v", err)
		}
		if err := o.svc.Withdraw(ctx, manager, p, registry.WithdrawalInput{Part: registry.PartTakePart, ReceivedOn: today, By: "Jo Hughes", How: "post"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := o.svc.FamilyWithdraw(ctx, mother, p, registry.PartTakePart, ""); !errors.As(err, &fe) {
			t.Errorf("withdrawn twice: %v", err)
		}
		pat, _ := o.svc.GetPatient(ctx, manager.Actor, p)
		ct, _ := o.svc.GetContact(ctx, manager.Actor, mother)
		if pat.FirstName != "Isla" || ct.MayContact {
			t.Errorf("keep: patient %q, mother may contact %v; want kept and no contact", pat.FirstName, ct.MayContact)
		}

		// De-identify.
		if err := o.svc.SaveSettings(ctx, manager, "rett", registry.SettingsInput{VerificationHours: "24", WithdrawalPolicy: registry.PolicyDeidentify,
			DeleteAfterDays: "30", FamilySecondFactor: "optional"}, ""); err != nil {
			t.Fatal(err)
		}
		q, _, _ := family(t, o, "Maya")
		if err := o.svc.Withdraw(ctx, manager, q, registry.WithdrawalInput{Part: registry.PartTakePart, ReceivedOn: today, By: "Jo Hughes", How: "phone"}, ""); err != nil {
			t.Fatal(err)
		}
		pat, _ = o.svc.GetPatient(ctx, manager.Actor, q)
		if pat.FirstName != "Withdrawn" || pat.Surname != pat.RegistryRef || pat.DateOfBirth.String() != "2015-01-01" || len(pat.Links) != 2 || pat.Links[0].EndDate == nil {
			t.Errorf("de-identified patient = %+v", pat)
		}
		hist, _ := o.svc.History(ctx, manager, q, 0)
		for _, h := range hist {
			if (h.OldValue != nil && *h.OldValue == "Maya") || (h.NewValue != nil && *h.NewValue == "Maya") {
				t.Errorf("the trail still holds the name: %+v", h)
			}
		}

		// Delete after a period.
		if err := o.svc.SaveSettings(ctx, manager, "rett", registry.SettingsInput{VerificationHours: "24", WithdrawalPolicy: registry.PolicyDelete,
			DeleteAfterDays: "10", FamilySecondFactor: "optional"}, ""); err != nil {
			t.Fatal(err)
		}
		r, mum, _ := family(t, o, "Ava")
		if err := o.svc.FamilyWithdraw(ctx, mum, r, registry.PartTakePart, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := registry.PurgeOnboarding(ctx, s, o.clock.Add(10*24*time.Hour-time.Second)); err != nil || n != 0 {
			t.Errorf("before the period: %d, %v", n, err)
		}
		if n, err := registry.PurgeOnboarding(ctx, s, o.clock.Add(10*24*time.Hour)); err != nil || n != 1 {
			t.Errorf("at the period's end: %d deleted, %v; want Ava", n, err)
		}
		if pat, _ := o.svc.GetPatient(ctx, manager.Actor, r); pat.DeletedAt == nil {
			t.Error("Ava was not deleted")
		}
		if err := o.svc.SaveSettings(ctx, manager, "rett", registry.SettingsInput{VerificationHours: "0", WithdrawalPolicy: "burn",
			DeleteAfterDays: "x", FamilySecondFactor: "optional"}, ""); !errors.As(err, &fe) || len(fe) != 3 {
			t.Errorf("bad settings: %v", err)
		}
	})
}

func TestSubjectAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		p, mother, aunt := family(t, o, "Isla")
		if _, err := o.svc.SubjectAccess(ctx, access.Me{Actor: access.Actor{Role: access.RegistryViewer}}, mother, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer produced a subject access: %v", err)
		}
		sa, err := o.svc.SubjectAccess(ctx, manager, mother, "")
		if err != nil {
			t.Fatal(err)
		}
		if sa.Contact.Email != "isla.mum@example.org" || len(sa.Patients) != 1 || sa.Patients[0].FirstName != "Isla" ||
			len(sa.Patients[0].Consents) != 1 || len(sa.Patients[0].Relationships) != 1 || sa.Patients[0].Relationships[0].Contact != "you" {
			t.Errorf("subject access = %+v", sa)
		}
		b, _ := json.Marshal(sa)
		if strings.Contains(string(b), "Ann") || strings.Contains(string(b), "hash") {
			t.Errorf("the document names the aunt or holds hashes: %s", b)
		}
		// The aunt has no authority: her document has no patient.
		if sa, err := registry.CollectSubjectAccess(ctx, s, aunt, *o.clock); err != nil || len(sa.Patients) != 0 {
			t.Errorf("the aunt's document = %+v, %v", sa, err)
		}
		hist, _ := o.svc.History(ctx, manager, 0, mother)
		if len(hist) == 0 || hist[0].Field != "subject_access" {
			t.Errorf("the contact's trail does not record the request: %+v", hist)
		}
		_ = p
	})
}
