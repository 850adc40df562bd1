package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
	"clinaudit/app/textinput"
)

// The review queue (docs/registry.md "Review queue"): registry managers
// decide verified submissions. A submission is all identifiers, so the
// queue needs edit_registry (a registry viewer does not see it).

// SubmissionPage is one page of a status's submissions.
type SubmissionPage struct {
	Status      string
	Submissions []store.OnboardingSubmission
	Total       int64
	Page, Pages int
}

// ListSubmissions returns a page of the submissions in status (verified:
// the review queue), oldest first. Errors: apperr.ErrForbidden,
// apperr.ErrNotFound, apperr Invalid (no such status), the store's.
func (s *Service) ListSubmissions(ctx context.Context, a access.Actor, slug, status string, page int) (SubmissionPage, error) {
	reg, err := s.loadFor(ctx, a, access.EditRegistry, slug)
	if err != nil {
		return SubmissionPage{}, err
	}
	if status == "" {
		status = StatusVerified
	}
	if !has(SubmissionStatuses, status) {
		return SubmissionPage{}, apperr.Errorf(apperr.Invalid, "No submissions are %q", status)
	}
	rows, total, pages, err := pageOfRows(&page, func() (int64, error) {
		return s.Store.CountOnboardingSubmissions(ctx, store.CountOnboardingSubmissionsParams{RegistryID: reg.ID, Status: status})
	}, func(offset int64) ([]store.OnboardingSubmission, error) {
		return s.Store.ListOnboardingSubmissions(ctx, store.ListOnboardingSubmissionsParams{RegistryID: reg.ID, Status: status,
			PageLimit: PageSize, PageOffset: offset})
	})
	return SubmissionPage{Status: status, Submissions: rows, Total: total, Page: page, Pages: pages}, err
}

// SubmissionStatuses are the statuses the queue's tabs show.
var SubmissionStatuses = []Choice{{StatusVerified, "To review"}, {StatusPending, "Email not verified"},
	{StatusApproved, "Approved"}, {StatusMatched, "Matched"}, {StatusRejected, "Rejected"}}

// SubmissionDetail is a submission as its review page shows it: the
// possible duplicates among patients and contacts (as the core's checks
// find them), and its trail.
type SubmissionDetail struct {
	Submission     store.OnboardingSubmission
	ConsentVersion int64
	Patients       []Match
	Contacts       []Match
	Trail          []store.RegistryChange
}

// GetSubmission returns one submission for review. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) GetSubmission(ctx context.Context, a access.Actor, id int64) (SubmissionDetail, error) {
	if err := authorize(a, access.EditRegistry); err != nil {
		return SubmissionDetail{}, err
	}
	sub, err := s.Store.GetOnboardingSubmission(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return SubmissionDetail{}, apperr.ErrNotFound
	}
	if err != nil {
		return SubmissionDetail{}, err
	}
	out := SubmissionDetail{Submission: sub}
	v, err := s.Store.GetConsentVersion(ctx, sub.ConsentVersionID)
	if err != nil {
		return out, err
	}
	out.ConsentVersion = v.Version
	if out.Patients, err = patientMatches(ctx, s.Store, sub.RegistryID, 0, patientRowOf(sub)); err != nil {
		return out, err
	}
	if out.Contacts, err = contactDuplicates(ctx, s.Store, sub.RegistryID, 0, contactRowOf(sub)); err != nil {
		return out, err
	}
	out.Trail, err = s.Store.ListRegistryEntityChanges(ctx, store.ListRegistryEntityChangesParams{RegistryID: sub.RegistryID,
		Entity: EntitySubmission, EntityID: id, PageLimit: 100})
	return out, err
}

func patientRowOf(sub store.OnboardingSubmission) patientRow {
	return patientRow{first: sub.PatientFirstName, surname: sub.PatientSurname, dob: sub.PatientDateOfBirth, sex: sub.PatientSex,
		nhs: sub.PatientNhsNumber, postc: sub.PatientPostcode}
}

func contactRowOf(sub store.OnboardingSubmission) contactRow {
	return contactRow{first: sub.FirstName, surname: sub.Surname, email: sub.Email, phone: sub.Phone, address: sub.Address,
		postc: sub.Postcode, language: sub.PreferredLanguage, channel: sub.PreferredChannel, mayContact: true}
}

// Decisions on a submission.
const (
	DecideApprove = "approve" // a new patient and contact
	DecideMatch   = "match"   // an existing patient, contact, or both
	DecideReject  = "reject"
)

// Decision is what a registry manager decided. For DecideMatch, PatientID
// and/or ContactID name the existing records (0: create that side from the
// submission); Reason is required for DecideReject.
type Decision struct {
	Action               string
	PatientID, ContactID int64
	Reason               string
}

// Decision form fields.
const (
	FieldReason    = "reason"
	FieldPatientID = "patient_id"
	FieldContactID = "contact_id"
)

// MaxReason bounds a rejection's reason.
const MaxReason = 2000

// Decide decides a verified submission, all in one transaction: approve
// adds the patient and the contact and links them; match uses the
// existing patient and/or contact named, adding what is missing and the
// link if there is none; both record the consent given on the form (to
// the version it showed) and email the person an invitation to sign in to
// the families' area. Reject emails them the reason. The decision is in
// the trail. Errors: FieldErrors (the patient cannot be added: its NHS
// number is taken, match it instead; no reason), apperr.ErrForbidden,
// apperr.ErrNotFound, apperr Conflict (decided already, or not verified),
// the store's.
func (s *Service) Decide(ctx context.Context, me access.Me, id int64, d Decision, requestID string) error {
	var c checker
	reason := c.text(FieldReason, "Reason", d.Reason, MaxReason, d.Action == DecideReject, textinput.MultiLine)
	switch d.Action {
	case DecideApprove:
		d.PatientID, d.ContactID = 0, 0
	case DecideMatch:
		if d.PatientID == 0 && d.ContactID == 0 {
			c.add(FieldPatientID, "Select the patient or the contact this submission is")
		}
	case DecideReject:
	default:
		return apperr.Errorf(apperr.Invalid, "No decision is called %q", d.Action)
	}
	if len(c.errs) > 0 {
		return c.errs
	}
	return s.edit(ctx, me, func(tx store.Tx) error {
		sub, err := tx.GetOnboardingSubmission(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if sub.Status != StatusVerified {
			return apperr.New(apperr.Conflict, "This submission is "+Label(SubmissionStatuses, sub.Status)+": there is nothing to decide")
		}
		reg, err := registryOf(ctx, tx, sub.RegistryID)
		if err != nil {
			return err
		}
		status := map[string]string{DecideApprove: StatusApproved, DecideMatch: StatusMatched, DecideReject: StatusRejected}[d.Action]
		var patient, contact *int64
		if d.Action != DecideReject {
			p, c, err := s.admit(ctx, tx, me, reg, sub, d, requestID)
			if err != nil {
				return err
			}
			patient, contact = &p, &c
		}
		n, err := tx.DecideOnboardingSubmission(ctx, store.DecideOnboardingSubmissionParams{ID: id, Status: status, DecidedAt: ptrTime(s.now()),
			DecidedBy: byOf(me), DecisionReason: reason, PatientID: patient, ContactID: contact})
		if err != nil {
			return err
		}
		if n == 0 {
			return errStale
		}
		if err := s.trail(ctx, tx, reg.ID, me, CauseOnboarding, requestID, change{entity: EntitySubmission, id: id, patient: patient,
			contact: contact, field: "status", old: val(StatusVerified), new: val(status), version: 2, note: reason}); err != nil {
			return err
		}
		msg := inviteEmail(reg, sub, s.link(FamilySignInPath))
		if d.Action == DecideReject {
			msg = rejectEmail(reg, sub, reason)
		}
		_, err = outbox.Enqueue(ctx, tx, msg, s.now())
		return err
	})
}

// admit makes the patient, the contact and their link for an approval or
// a match in tx, through the core's own functions (so its checks and
// trail), and records the consent. It returns the patient and contact.
func (s *Service) admit(ctx context.Context, tx store.Tx, me access.Me, reg Registry, sub store.OnboardingSubmission, d Decision, requestID string) (int64, int64, error) {
	inner := &Service{Store: txStore{Tx: tx, outer: outer{s.Store}}, Now: s.Now}
	pid, cid := d.PatientID, d.ContactID
	if pid != 0 {
		if p, _, err := livePatient(ctx, tx, pid); err != nil || p.RegistryID != reg.ID {
			return 0, 0, FieldErrors{{Field: FieldPatientID, Message: "Select a patient of this registry that is not deleted"}}
		}
	} else {
		p, err := inner.AddPatient(ctx, me, reg.Slug, PatientInput{FirstName: sub.PatientFirstName, Surname: sub.PatientSurname,
			DateOfBirth: DateInputOf(&sub.PatientDateOfBirth), Sex: itoa64(sub.PatientSex), NHSNumber: deref(sub.PatientNhsNumber),
			Postcode: sub.PatientPostcode}, true, CauseOnboarding)
		if err != nil {
			return 0, 0, err
		}
		pid = p.ID
	}
	if cid != 0 {
		if c, err := liveContact(ctx, tx, cid); err != nil || c.RegistryID != reg.ID {
			return 0, 0, FieldErrors{{Field: FieldContactID, Message: "Select a contact of this registry that is not deleted"}}
		}
	} else {
		c, err := inner.AddContact(ctx, me, reg.Slug, ContactInput{FirstName: sub.FirstName, Surname: sub.Surname, Email: sub.Email,
			Phone: sub.Phone, Address: sub.Address, Postcode: sub.Postcode, PreferredLanguage: sub.PreferredLanguage,
			PreferredChannel: sub.PreferredChannel, MayContact: true}, true, CauseOnboarding)
		if err != nil {
			return 0, 0, err
		}
		cid = c.ID
	}
	links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: pid})
	if err != nil {
		return 0, 0, err
	}
	linked := false
	for _, l := range links {
		linked = linked || (l.ContactID == cid && l.EndDate == nil)
	}
	if !linked {
		if _, err := inner.Link(ctx, me, pid, cid, RelationshipInput{Type: sub.Relationship, LegalAuthority: sub.LegalAuthority,
			MayAct: sub.LegalAuthority, IsPrimary: len(links) == 0}, CauseOnboarding); err != nil {
			return 0, 0, err
		}
	}
	err = s.giveConsent(ctx, tx, me, CauseOnboarding, pid, &cid, sub.ConsentVersionID,
		ConsentAnswers{sub.TakePart, sub.ResearchContact, sub.ShareDeidentified}, requestID)
	return pid, cid, err
}

func inviteEmail(reg Registry, sub store.OnboardingSubmission, signIn string) outbox.Message {
	return outbox.Message{To: sub.Email, Subject: "Welcome to the " + reg.Name, Text: fmt.Sprintf(
		"Dear %s,\n\nThe registry team has checked what you sent, and %s is now in the %s.\n\n"+
			"You can see and update their details, and what you have agreed to, in the families' area. "+
			"Sign in with this email address (no password: we email you a link and a code each time):\n%s\n\n"+
			"You can change your mind about any part of your consent at any time there, or by writing to the registry team.\n",
		sub.FirstName, sub.PatientFirstName, reg.Name, signIn)}
}

func rejectEmail(reg Registry, sub store.OnboardingSubmission, reason string) outbox.Message {
	return outbox.Message{To: sub.Email, Subject: "Your request to join the " + reg.Name, Text: fmt.Sprintf(
		"Dear %s,\n\nThe registry team has checked your request to join the %s, and cannot add %s.\n\nThe reason:\n%s\n\n"+
			"If you think this is a mistake, reply to the registry team. What you sent will be deleted in 30 days.\n",
		sub.FirstName, reg.Name, sub.PatientFirstName, strings.TrimSpace(reason))}
}
