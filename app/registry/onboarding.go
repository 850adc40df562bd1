package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/outbox"
	"clinaudit/app/registry/verification"
	"clinaudit/app/store"
)

// Onboarding (issue 17, docs/registry.md "Onboarding"): a family fills in
// the registry's public form, proves they read the email they gave (a link
// or a typed code), and a registry manager decides. Nothing a stranger can
// do here tells them who is in the registry: a submission is stored and
// emailed the same way whatever its email or patient, and duplicates are
// looked for only by staff, at review.

// Submission statuses.
const (
	StatusPending  = "pending"  // waiting for the email to be verified
	StatusVerified = "verified" // in the review queue
	StatusApproved = "approved"
	StatusRejected = "rejected"
	StatusMatched  = "matched"
)

// UnverifiedKept is how long a submission never verified is kept;
// DecidedKept how long a decided one is (the trail keeps the decision).
const (
	UnverifiedKept = 7 * day
	DecidedKept    = 30 * day
)

// OnboardingRelationships are what a family member joining may be to the
// patient (clinicians are linked by staff).
var OnboardingRelationships = func() []Choice {
	var out []Choice
	for _, c := range RelationshipTypes {
		if c.Code != "clinician" {
			out = append(out, c)
		}
	}
	return out
}()

// Onboarding form fields not shared with the contact and patient forms.
// The patient's fields are the patient form's with PatientPrefix.
const (
	FieldRelationship = "relationship"
	PatientPrefix     = "patient_"
	FieldConsent      = "consent"
)

// OnboardingInput is the onboarding form as typed.
type OnboardingInput struct {
	// The person filling it in: a contact's fields (email required).
	Person ContactInput
	// What they are to the patient: a code of OnboardingRelationships, and
	// whether they hold parental responsibility or other legal authority.
	Relationship   string
	LegalAuthority bool
	// The patient: names, date of birth and sex required; NHS number and
	// postcode optional.
	Patient PatientInput
	Consent ConsentAnswers
}

// onboardingRow is a checked submission.
type onboardingRow struct {
	person  contactRow
	patient patientRow
}

// CheckOnboarding applies the registry's rules to the form: the contact's
// and the patient's (through the same checks as staff's pages), the
// relationship, an email to verify, and agreement to take part.
func CheckOnboarding(def Definition, in OnboardingInput, today time.Time) (onboardingRow, FieldErrors) {
	var out onboardingRow
	person := in.Person
	person.MayContact, person.Notes = true, ""
	var errs FieldErrors
	out.person, errs = checkContact(person)
	if strings.TrimSpace(in.Person.Email) == "" {
		errs = append(errs, FieldErrors{{Field: FieldEmail, Message: "Enter your email address, so that we can check it is yours"}}...)
	}
	var c checker
	c.choice(FieldRelationship, "relationship to the patient", OnboardingRelationships, in.Relationship, true)
	errs = append(errs, c.errs...)
	p := PatientInput{FirstName: in.Patient.FirstName, Surname: in.Patient.Surname, DateOfBirth: in.Patient.DateOfBirth,
		Sex: in.Patient.Sex, NHSNumber: in.Patient.NHSNumber, Postcode: in.Patient.Postcode}
	var perrs FieldErrors
	out.patient, perrs = checkPatient(def, p, today)
	for _, e := range perrs {
		e.Field = PatientPrefix + e.Field
		errs = append(errs, e)
	}
	if !in.Consent.TakePart {
		errs = append(errs, FieldErrors{{Field: FieldConsent, Message: "To join the registry, agree to take part"}}...)
	}
	return out, errs
}

// link is an absolute link for emails.
func (s *Service) link(path string) string { return strings.TrimRight(s.BaseURL, "/") + path }

// Submit stores a submission of the onboarding form and emails its
// verification link and code, in one transaction. It does the same work
// whatever the email or patient (known or not), so neither its answer nor
// its timing says who is in the registry. Errors: FieldErrors,
// apperr.ErrNotFound (no such registry), the store's.
func (s *Service) Submit(ctx context.Context, slug string, in OnboardingInput) error {
	_, err := s.SubmitForm(ctx, slug, in)
	return err
}

// SubmitForm is Submit, answering the submission's reference (see
// SubmissionRef), which the API returns.
func (s *Service) SubmitForm(ctx context.Context, slug string, in OnboardingInput) (ref string, err error) {
	return ref, s.Store.InTx(ctx, func(tx store.Tx) error {
		reg, err := load(ctx, tx, slug)
		if err != nil {
			return err
		}
		row, errs := CheckOnboarding(reg.Definition, in, s.today())
		if len(errs) > 0 {
			return errs
		}
		now := s.now()
		v, err := CurrentConsentVersion(ctx, tx, reg.ID, reg.Definition, now)
		if err != nil {
			return err
		}
		set, err := SettingsOf(ctx, tx, reg.ID)
		if err != nil {
			return err
		}
		is, err := verification.Issue(row.person.email, now, set.VerificationTTL)
		if err != nil {
			return err
		}
		ans := in.Consent
		if _, err := tx.InsertOnboardingSubmission(ctx, store.InsertOnboardingSubmissionParams{RegistryID: reg.ID, Email: row.person.email,
			FirstName: row.person.first, Surname: row.person.surname, Phone: row.person.phone, Address: row.person.address,
			Postcode: row.person.postc, PreferredLanguage: row.person.language, PreferredChannel: row.person.channel,
			Relationship: in.Relationship, LegalAuthority: in.LegalAuthority, PatientFirstName: row.patient.first,
			PatientSurname: row.patient.surname, PatientDateOfBirth: row.patient.dob, PatientSex: row.patient.sex,
			PatientNhsNumber: row.patient.nhs, PatientPostcode: row.patient.postc, ConsentVersionID: v.ID,
			TakePart: ans.TakePart, ResearchContact: ans.ResearchContact, ShareDeidentified: ans.ShareDeidentified,
			TokenHash: is.TokenHash, CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt, CreatedAt: now}); err != nil {
			return err
		}
		ref = is.TokenHash
		_, err = outbox.Enqueue(ctx, tx, verifyEmail(reg, row.person.email, row.person.first,
			s.link(VerifyPath(reg.Slug)+"/"+is.Token), s.link(VerifyPath(reg.Slug)), is.Code, is.ExpiresAt), now)
		return err
	})
}

// JoinForm is what the public onboarding form shows: the registry and
// its consent text in force. It asks no one's permission. Errors:
// apperr.ErrNotFound (no such registry), the store's.
func (s *Service) JoinForm(ctx context.Context, slug string) (Registry, store.ConsentVersion, error) {
	reg, err := load(ctx, s.Store, slug)
	if err != nil {
		return reg, store.ConsentVersion{}, err
	}
	v, err := CurrentConsentVersion(ctx, s.Store, reg.ID, reg.Definition, s.now())
	return reg, v, err
}

// Today is the registry's date now (London), as its checks use it.
func (s *Service) Today() time.Time { return s.today() }

// JoinPath is the registry's public onboarding page; VerifyPath where its
// emails' links and the typed code go.
func JoinPath(slug string) string   { return "/registries/" + slug + "/join" }
func VerifyPath(slug string) string { return "/registries/" + slug + "/verify" }

// FamilySignInPath is the families' sign-in page, which invitations link to.
const FamilySignInPath = "/family/sign-in"

func stored(sub store.OnboardingSubmission) verification.Stored {
	return verification.Stored{TokenHash: sub.TokenHash, CodeHash: sub.CodeHash, ExpiresAt: sub.ExpiresAt,
		Verified: sub.Status != StatusPending, CodeFailures: sub.CodeFailures}
}

// VerifyLink verifies a submission by its email's link. Errors:
// verification.ErrInvalid (no such link, or another registry's),
// ErrExpired, ErrUsed; the store's.
func (s *Service) VerifyLink(ctx context.Context, slug, token string) error {
	reg, err := load(ctx, s.Store, slug)
	if err != nil {
		return err
	}
	sub, err := s.Store.GetOnboardingByToken(ctx, verification.TokenHash(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && sub.RegistryID != reg.ID) {
		return verification.ErrInvalid
	}
	if err != nil {
		return err
	}
	if err := verification.CheckToken(stored(sub), token, s.now()); err != nil {
		return err
	}
	return s.markVerified(ctx, reg, sub, "link")
}

// VerifyCode verifies the newest matching submission of email by its
// typed code. Every failure is verification.ErrInvalid, whatever the
// reason (no submission, expired, wrong, too many tries), so it tells
// nothing about an email; each wrong code counts against the email's
// pending submissions. Errors: verification.ErrInvalid, the store's.
func (s *Service) VerifyCode(ctx context.Context, slug, email, code string) error {
	reg, err := load(ctx, s.Store, slug)
	if err != nil {
		return err
	}
	email, _ = NormaliseEmail(email)
	now := s.now()
	subs, err := s.Store.ListPendingOnboardingForEmail(ctx, store.ListPendingOnboardingForEmailParams{RegistryID: reg.ID, Email: email, Now: now})
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		// The same work as a wrong code for a real submission: the hashing,
		// and the failure count's statement, on no row. How long the answer
		// takes does not tell whether the email sent a form.
		_ = verification.CheckCode(verification.Stored{CodeHash: dummyCodeHash, ExpiresAt: now}, email, code, now)
		_, err := s.Store.CountOnboardingCodeFailure(ctx, 0)
		if err != nil {
			return err
		}
		return verification.ErrInvalid
	}
	for _, sub := range subs {
		if verification.CheckCode(stored(sub), email, code, now) == nil {
			if err := s.markVerified(ctx, reg, sub, "code"); errors.Is(err, verification.ErrUsed) {
				return verification.ErrInvalid
			} else {
				return err
			}
		}
	}
	for _, sub := range subs {
		if _, err := s.Store.CountOnboardingCodeFailure(ctx, sub.ID); err != nil {
			return err
		}
	}
	return verification.ErrInvalid
}

// dummyCodeHash stands in for a stored code when an email has none.
var dummyCodeHash = verification.CodeHash("", "000000")

func (s *Service) markVerified(ctx context.Context, reg Registry, sub store.OnboardingSubmission, how string) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		n, err := tx.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: sub.ID, VerifiedAt: ptrTime(s.now())})
		if err != nil {
			return err
		}
		if n == 0 {
			return verification.ErrUsed // verified between the read and now, or expired that second
		}
		return s.trail(ctx, tx, reg.ID, access.Me{}, CauseOnboarding, "", change{entity: EntitySubmission, id: sub.ID,
			field: "status", old: val(StatusPending), new: val(StatusVerified), version: 1, note: "email verified by " + how})
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

func verifyEmail(reg Registry, to, first, link, codePage, code string, expires time.Time) outbox.Message {
	return outbox.Message{To: to, Subject: "Confirm your email address for the " + reg.Name, Text: fmt.Sprintf(
		"Dear %s,\n\nThank you for asking to join the %s.\n\nConfirm your email address with this link:\n%s\n\n"+
			"Or, on another device, go to %s and type this code: %s\n\n"+
			"The link and the code work once and stop working at %s. After that, fill in the form again.\n\n"+
			"Once you have confirmed your email address, the registry team will check what you sent and email you.\n\n"+
			"If you did not ask to join, you can ignore this email: nothing more will happen, and what was sent is deleted after 7 days.\n",
		first, reg.Name, link, codePage, code, when(expires))}
}

// when is a time as emails say it.
func when(t time.Time) string { return t.In(london).Format("15:04 on Monday 2 January 2006") }

// PurgeOnboarding removes submissions never verified, made more than
// UnverifiedKept before now, and those decided more than DecidedKept
// before; then deletes withdrawn patients whose time has come
// (DeleteWithdrawnDue). It returns how many rows went.
func PurgeOnboarding(ctx context.Context, st store.Store, now time.Time) (int64, error) {
	now = now.UTC()
	n, err := st.PurgeUnverifiedOnboarding(ctx, now.Add(-UnverifiedKept))
	if err != nil {
		return n, err
	}
	decided := now.Add(-DecidedKept)
	k, err := st.PurgeDecidedOnboarding(ctx, &decided)
	n += k
	if err != nil {
		return n, err
	}
	k, err = DeleteWithdrawnDue(ctx, st, now)
	return n + k, err
}
