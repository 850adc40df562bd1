package registry_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/registry/verification"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var manager = access.Me{ID: 0, Actor: access.Actor{Role: access.RegistryManager}}

func joinForm(email, childFirst string) registry.OnboardingInput {
	return registry.OnboardingInput{
		Person:       registry.ContactInput{FirstName: "Jo", Surname: "Hughes", Email: email, PreferredChannel: "email"},
		Relationship: "mother", LegalAuthority: true,
		Patient: registry.PatientInput{FirstName: childFirst, Surname: "Hughes", Sex: "2", NHSNumber: "943 476 5919",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}},
		Consent: registry.ConsentAnswers{TakePart: true, ResearchContact: true},
	}
}

func TestCheckOnboarding(t *testing.T) {
	def := registry.Definitions[registry.DemoSlug]
	today := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		change func(*registry.OnboardingInput)
		field  string // "" for no error
	}{
		{"complete", func(*registry.OnboardingInput) {}, ""},
		{"no email", func(in *registry.OnboardingInput) { in.Person.Email = "" }, registry.FieldEmail},
		{"bad email", func(in *registry.OnboardingInput) { in.Person.Email = "jo@" }, registry.FieldEmail},
		{"no name", func(in *registry.OnboardingInput) { in.Person.FirstName = " " }, registry.FieldFirstName},
		{"no relationship", func(in *registry.OnboardingInput) { in.Relationship = "" }, registry.FieldRelationship},
		{"clinician", func(in *registry.OnboardingInput) { in.Relationship = "clinician" }, registry.FieldRelationship},
		{"bad NHS number", func(in *registry.OnboardingInput) { in.Patient.NHSNumber = "1234567890" }, "patient_nhs_number"},
		{"born in the future", func(in *registry.OnboardingInput) { in.Patient.DateOfBirth.Year = "2027" }, "patient_date_of_birth"},
		{"no patient sex", func(in *registry.OnboardingInput) { in.Patient.Sex = "" }, "patient_sex"},
		{"not taking part", func(in *registry.OnboardingInput) { in.Consent.TakePart = false }, registry.FieldConsent},
		{"letters but no address", func(in *registry.OnboardingInput) { in.Person.PreferredChannel = "letter" }, registry.FieldPreferredChannel},
	} {
		in := joinForm("jo@example.org", "Isla")
		c.change(&in)
		_, errs := registry.CheckOnboarding(def, in, today)
		switch {
		case c.field == "" && len(errs) > 0:
			t.Errorf("%s: %v", c.name, errs)
		case c.field != "" && errs.For(c.field) == "":
			t.Errorf("%s: no message for %s in %v", c.name, c.field, errs)
		}
	}
}

// onboarding is a registry service on s with a clock the test moves.
type onboarding struct {
	svc   *registry.Service
	s     store.Store
	clock *time.Time
}

func newOnboarding(t *testing.T, s store.Store) onboarding {
	t.Helper()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	o := onboarding{s: s, clock: &now}
	o.svc = &registry.Service{Store: s, Now: func() time.Time { return *o.clock }, BaseURL: "https://registry.example"}
	if err := registry.Install(context.Background(), s, now); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return o
}

var (
	linkRe = regexp.MustCompile(`https://registry\.example/registries/rett/verify/([A-Za-z0-9_-]+)`)
	codeRe = regexp.MustCompile(`type this code: (\d{6})`)
)

// mail returns the newest email to addr, failing when there is none.
func lastMail(t *testing.T, s store.Store, addr string) store.Email {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no email to %s (%v)", addr, err)
	}
	return ms[0]
}

func submit(t *testing.T, o onboarding, in registry.OnboardingInput) (token, code string) {
	t.Helper()
	if err := o.svc.Submit(context.Background(), registry.DemoSlug, in); err != nil {
		t.Fatal(err)
	}
	m := lastMail(t, o.s, in.Person.Email)
	lm, cm := linkRe.FindStringSubmatch(m.BodyText), codeRe.FindStringSubmatch(m.BodyText)
	if lm == nil || cm == nil {
		t.Fatalf("the email has no link or code:\n%s", m.BodyText)
	}
	return lm[1], cm[1]
}

func TestOnboardingVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		token, _ := submit(t, o, joinForm("jo@example.org", "Isla"))
		tampered := []byte(token)
		tampered[0] ^= 2
		if err := o.svc.VerifyLink(ctx, "rett", string(tampered)); !errors.Is(err, verification.ErrInvalid) {
			t.Errorf("tampered link: %v", err)
		}
		if err := o.svc.VerifyLink(ctx, "rett", token); err != nil {
			t.Fatalf("link: %v", err)
		}
		if err := o.svc.VerifyLink(ctx, "rett", token); !errors.Is(err, verification.ErrUsed) {
			t.Errorf("reused link: %v", err)
		}

		// Expired: the link at 24 hours, the code too.
		token2, code2 := submit(t, o, joinForm("kim@example.org", "Maya"))
		*o.clock = o.clock.Add(24 * time.Hour)
		if err := o.svc.VerifyLink(ctx, "rett", token2); !errors.Is(err, verification.ErrExpired) {
			t.Errorf("expired link: %v", err)
		}
		if err := o.svc.VerifyCode(ctx, "rett", "kim@example.org", code2); !errors.Is(err, verification.ErrInvalid) {
			t.Errorf("expired code: %v", err)
		}

		// The code: wrong five times, then even the right one fails.
		_, code3 := submit(t, o, joinForm("lee@example.org", "Ava"))
		wrong := "000000"
		if code3 == wrong {
			wrong = "000001"
		}
		for range verification.MaxCodeFailures {
			if err := o.svc.VerifyCode(ctx, "rett", "lee@example.org", wrong); !errors.Is(err, verification.ErrInvalid) {
				t.Fatalf("wrong code: %v", err)
			}
		}
		if err := o.svc.VerifyCode(ctx, "rett", "lee@example.org", code3); !errors.Is(err, verification.ErrInvalid) {
			t.Errorf("right code after %d wrong ones: %v", verification.MaxCodeFailures, err)
		}
		_, code4 := submit(t, o, joinForm("max@example.org", "Eve"))
		if err := o.svc.VerifyCode(ctx, "rett", "unknown@example.org", code4); !errors.Is(err, verification.ErrInvalid) {
			t.Errorf("code for another email: %v", err)
		}
		if err := o.svc.VerifyCode(ctx, "rett", " MAX@example.org ", code4[:3]+" "+code4[3:]); err != nil {
			t.Errorf("right code: %v", err)
		}
		if err := o.svc.VerifyCode(ctx, "rett", "max@example.org", code4); !errors.Is(err, verification.ErrInvalid) {
			t.Errorf("reused code: %v", err)
		}
		q, err := o.svc.ListSubmissions(ctx, manager.Actor, "rett", registry.StatusVerified, 1)
		if err != nil || q.Total != 2 {
			t.Fatalf("queue = %d, %v; want Isla's and Eve's", q.Total, err)
		}
		if _, err := o.svc.ListSubmissions(ctx, access.Actor{Role: access.RegistryViewer}, "rett", "", 1); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer read the queue: %v", err)
		}

		// Purge: unverified ones go after 7 days (Maya's, made a day
		// before Ava's); verified ones stay for review.
		n, err := registry.PurgeOnboarding(ctx, s, o.clock.Add(7*24*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("purge 8 days after Maya's, 7 after Ava's = %d, %v; want Maya's", n, err)
		}
		if n, err := registry.PurgeOnboarding(ctx, s, o.clock.Add(7*24*time.Hour+time.Second)); err != nil || n != 1 {
			t.Errorf("purge just over 7 days after Ava's = %d, %v; want hers", n, err)
		}
		if q, _ := o.svc.ListSubmissions(ctx, manager.Actor, "rett", registry.StatusVerified, 1); q.Total != 2 {
			t.Errorf("after the purge, %d verified, want 2", q.Total)
		}
	})
}

// Enumeration: a form naming a patient and email already in the registry
// gets the same answer, stores the same kind of row and sends the same
// email as one naming nobody; only staff see the match.
func TestOnboardingSameForKnownAndUnknown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		p, err := o.svc.AddPatient(ctx, manager, "rett", joinForm("", "Isla").Patient, true, "")
		if err != nil {
			t.Fatal(err)
		}
		c, err := o.svc.AddContact(ctx, manager, "rett", registry.ContactInput{FirstName: "Jo", Surname: "Hughes", Email: "jo@example.org", MayContact: true}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		known, unknown := joinForm("jo@example.org", "Isla"), joinForm("new@example.org", "Isla")
		unknown.Patient.NHSNumber = "401 023 2137"
		submit(t, o, known)
		submit(t, o, unknown)
		a, b := lastMail(t, s, "jo@example.org"), lastMail(t, s, "new@example.org")
		strip := func(m store.Email) string {
			return codeRe.ReplaceAllString(linkRe.ReplaceAllString(m.BodyText, "LINK"), "CODE")
		}
		if a.Subject != b.Subject || strip(a) != strip(b) {
			t.Errorf("the emails differ:\n%s\n---\n%s", strip(a), strip(b))
		}
		q, err := o.svc.ListSubmissions(ctx, manager.Actor, "rett", registry.StatusPending, 1)
		if err != nil || q.Total != 2 {
			t.Fatalf("pending = %d, %v", q.Total, err)
		}
		d, err := o.svc.GetSubmission(ctx, manager.Actor, q.Submissions[0].ID)
		if err != nil || len(d.Patients) != 1 || d.Patients[0].ID != p.ID || d.Patients[0].Reason != registry.ReasonSameNHSNumber ||
			len(d.Contacts) != 1 || d.Contacts[0].ID != c.ID {
			t.Errorf("staff's duplicates = %+v, %v", d, err)
		}
	})
}

func TestOnboardingDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		verified := func(email, first string) int64 {
			_, code := submit(t, o, joinForm(email, first))
			if err := o.svc.VerifyCode(ctx, "rett", email, code); err != nil {
				t.Fatal(err)
			}
			q, _ := o.svc.ListSubmissions(ctx, manager.Actor, "rett", registry.StatusVerified, 1)
			return q.Submissions[len(q.Submissions)-1].ID
		}
		isla := verified("jo@example.org", "Isla")
		if err := o.svc.Decide(ctx, access.Me{Actor: access.Actor{Role: access.RegistryViewer}}, isla, registry.Decision{Action: registry.DecideApprove}, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer approved: %v", err)
		}
		if err := o.svc.Decide(ctx, manager, isla, registry.Decision{Action: registry.DecideApprove}, "r1"); err != nil {
			t.Fatal(err)
		}
		if err := o.svc.Decide(ctx, manager, isla, registry.Decision{Action: registry.DecideApprove}, ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("approved twice: %v", err)
		}
		d, err := o.svc.GetSubmission(ctx, manager.Actor, isla)
		if err != nil || d.Submission.Status != registry.StatusApproved || d.Submission.PatientID == nil || len(d.Trail) != 2 {
			t.Fatalf("after approval: %+v, %v", d, err)
		}
		pid, cid := *d.Submission.PatientID, *d.Submission.ContactID
		pat, err := o.svc.GetPatient(ctx, manager.Actor, pid)
		if err != nil || pat.FirstName != "Isla" || len(pat.Links) != 1 || pat.Links[0].ContactID != cid || !pat.Links[0].LegalAuthority {
			t.Fatalf("the approved patient = %+v, %v", pat, err)
		}
		cons, err := registry.ConsentOf(ctx, s, pid)
		if err != nil || !cons.Recorded || !cons.TakePart || !cons.ResearchContact || cons.ShareDeidentified || cons.ContactID == nil || *cons.ContactID != cid {
			t.Errorf("consent after approval = %+v, %v", cons, err)
		}
		if m := lastMail(t, s, "jo@example.org"); !strings.Contains(m.BodyText, "https://registry.example/family/sign-in") {
			t.Errorf("the invitation:\n%s", m.BodyText)
		}
		hist, _ := o.svc.History(ctx, manager, pid, 0)
		causes := map[string]bool{}
		for _, h := range hist {
			causes[h.Cause] = true
		}
		if !causes[registry.CauseOnboarding] {
			t.Errorf("the patient's trail has no onboarding rows: %+v", hist)
		}

		// A second child of the same mother: matched to her contact.
		maya := verified("jo@example.org", "Maya")
		if err := o.svc.Decide(ctx, manager, maya, registry.Decision{Action: registry.DecideMatch}, ""); err == nil {
			t.Error("a match naming nothing was accepted")
		}
		// Maya's NHS number is Isla's on the form: approval is refused.
		var fe registry.FieldErrors
		if err := o.svc.Decide(ctx, manager, maya, registry.Decision{Action: registry.DecideApprove}, ""); !errors.As(err, &fe) || fe.For(registry.FieldNHSNumber) == "" {
			t.Errorf("approving a taken NHS number: %v", err)
		}
		if err := o.svc.Decide(ctx, manager, maya, registry.Decision{Action: registry.DecideMatch, PatientID: pid, ContactID: cid}, ""); err != nil {
			t.Fatal(err)
		}
		if pat, _ := o.svc.GetPatient(ctx, manager.Actor, pid); len(pat.Links) != 1 {
			t.Errorf("a match linked again: %d links", len(pat.Links))
		}

		// Rejection needs a reason, and emails it.
		ava := verified("ann@example.org", "Ava")
		if err := o.svc.Decide(ctx, manager, ava, registry.Decision{Action: registry.DecideReject}, ""); !errors.As(err, &fe) || fe.For(registry.FieldReason) == "" {
			t.Errorf("reject without a reason: %v", err)
		}
		if err := o.svc.Decide(ctx, manager, ava, registry.Decision{Action: registry.DecideReject, Reason: "Ava does not have Rett syndrome."}, ""); err != nil {
			t.Fatal(err)
		}
		if m := lastMail(t, s, "ann@example.org"); !strings.Contains(m.BodyText, "Ava does not have Rett syndrome.") {
			t.Errorf("the rejection:\n%s", m.BodyText)
		}
		d, _ = o.svc.GetSubmission(ctx, manager.Actor, ava)
		if len(d.Trail) != 2 || d.Trail[0].Note != "Ava does not have Rett syndrome." || *d.Trail[0].NewValue != registry.StatusRejected {
			t.Errorf("the rejection's trail = %+v", d.Trail)
		}
	})
}
