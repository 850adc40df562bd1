package registry

import (
	"context"
	"errors"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// Subject access (docs/registry.md "Subject access"): everything the
// registry holds about a contact and the patients they act for, as one
// document the staff page renders as HTML and downloads as JSON, and the
// families' area can give a family member.
//
// What is in it: the contact's record and its history; each patient the
// contact has a current relationship with legal authority or leave to act
// for, with findings, the contact's own relationship, consent statements
// and the patient's history; and the contact's onboarding submissions.
// What is not: other contacts (another parent's details are theirs, not
// the requester's), which staff made each change, and the verification
// hashes.

// SubjectAccess is the document.
type SubjectAccess struct {
	RegistryName string             `json:"registry"`
	GeneratedAt  time.Time          `json:"generated_at"`
	Contact      ContactRecord      `json:"contact"`
	History      []TrailRecord      `json:"contact_history"`
	Patients     []SubjectPatient   `json:"patients"`
	Submissions  []SubmissionRecord `json:"onboarding_submissions"`
}

// SubjectPatient is a patient the contact acts for.
type SubjectPatient struct {
	RegistryRef string `json:"registry_id"`
	PatientRecord
	Consents []ConsentRecord `json:"consents"`
	History  []TrailRecord   `json:"history"`
}

// ConsentRecord is one consent statement.
type ConsentRecord struct {
	Kind               string     `json:"kind"`
	Version            int64      `json:"version"`
	TakePart           bool       `json:"take_part"`
	ResearchContact    bool       `json:"research_contact"`
	ShareDeidentified  bool       `json:"share_deidentified"`
	At                 time.Time  `json:"at"`
	GivenBy            string     `json:"given_by,omitempty"`
	WithdrawalReceived *time.Time `json:"withdrawal_received,omitempty"`
	WithdrawnBy        string     `json:"withdrawn_by,omitempty"`
	WithdrawnHow       string     `json:"withdrawn_how,omitempty"`
}

// TrailRecord is one change of a record.
type TrailRecord struct {
	At       time.Time `json:"at"`
	Entity   string    `json:"entity"`
	Field    string    `json:"field"`
	OldValue *string   `json:"old_value"`
	NewValue *string   `json:"new_value"`
	Cause    string    `json:"cause"`
	Note     string    `json:"note,omitempty"`
}

// SubmissionRecord is an onboarding submission, without its hashes.
type SubmissionRecord struct {
	Status             string     `json:"status"`
	CreatedAt          time.Time  `json:"created_at"`
	VerifiedAt         *time.Time `json:"verified_at,omitempty"`
	DecidedAt          *time.Time `json:"decided_at,omitempty"`
	DecisionReason     string     `json:"decision_reason,omitempty"`
	FirstName          string     `json:"first_name"`
	Surname            string     `json:"surname"`
	Email              string     `json:"email"`
	Phone              string     `json:"phone,omitempty"`
	Address            string     `json:"address,omitempty"`
	Postcode           string     `json:"postcode,omitempty"`
	Relationship       string     `json:"relationship"`
	PatientFirstName   string     `json:"patient_first_name"`
	PatientSurname     string     `json:"patient_surname"`
	PatientDateOfBirth string     `json:"patient_date_of_birth"`
	PatientNHSNumber   string     `json:"patient_nhs_number,omitempty"`
	TakePart           bool       `json:"take_part"`
	ResearchContact    bool       `json:"research_contact"`
	ShareDeidentified  bool       `json:"share_deidentified"`
}

// youKey names the requester in their patients' relationships.
const youKey = "you"

// CollectSubjectAccess gathers the document for a contact, asking no
// one's permission: staff (SubjectAccess) and the families' area (for
// the signed-in contact themselves) decide who may have it. Errors:
// apperr.ErrNotFound (no such contact, or deleted), the store's.
func CollectSubjectAccess(ctx context.Context, q store.Queries, contactID int64, now time.Time) (SubjectAccess, error) {
	c, err := liveContact(ctx, q, contactID)
	if err != nil {
		return SubjectAccess{}, err
	}
	reg, err := registryOf(ctx, q, c.RegistryID)
	if err != nil {
		return SubjectAccess{}, err
	}
	out := SubjectAccess{RegistryName: reg.Name, GeneratedAt: now.UTC(), Contact: ContactRecord{Kind: KindContact, Key: youKey,
		FirstName: c.FirstName, Surname: c.Surname, Email: c.Email, Phone: c.Phone, Address: c.Address, Postcode: c.Postcode,
		PreferredLanguage: c.PreferredLanguage, PreferredChannel: c.PreferredChannel, MayContact: c.MayContact, Notes: c.Notes}}
	hist, err := q.ListRegistryChanges(ctx, store.ListRegistryChangesParams{ContactID: contactID, PageLimit: 10000})
	if err != nil {
		return out, err
	}
	out.History = trailRecords(hist, EntityContact, EntityRelationship)
	links, err := q.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: contactID})
	if err != nil {
		return out, err
	}
	keys := map[int64]string{contactID: youKey}
	for _, l := range links {
		if l.EndDate != nil || !(l.LegalAuthority || l.MayAct) {
			continue
		}
		p, _, err := livePatient(ctx, q, l.PatientID)
		if errors.Is(err, apperr.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		r, err := patientRecord(ctx, q, p.ID, keys)
		if err != nil {
			return out, err
		}
		sp := SubjectPatient{RegistryRef: p.RegistryRef, PatientRecord: r}
		cs, err := q.ListPatientConsents(ctx, p.ID)
		if err != nil {
			return out, err
		}
		for _, c := range cs {
			sp.Consents = append(sp.Consents, ConsentRecord{Kind: c.Kind, Version: c.VersionNumber, TakePart: c.TakePart,
				ResearchContact: c.ResearchContact, ShareDeidentified: c.ShareDeidentified, At: c.GivenAt, GivenBy: c.ContactName,
				WithdrawalReceived: c.WithdrawnAt, WithdrawnBy: c.WithdrawnBy, WithdrawnHow: c.WithdrawnHow})
		}
		ph, err := q.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: p.ID, PageLimit: 10000})
		if err != nil {
			return out, err
		}
		sp.History = trailRecords(ph, EntityPatient, EntityFinding, EntityConsent)
		out.Patients = append(out.Patients, sp)
	}
	if c.Email != "" {
		subs, err := q.ListOnboardingForEmail(ctx, store.ListOnboardingForEmailParams{RegistryID: reg.ID, Email: c.Email})
		if err != nil {
			return out, err
		}
		for _, sub := range subs {
			out.Submissions = append(out.Submissions, SubmissionRecord{Status: sub.Status, CreatedAt: sub.CreatedAt, VerifiedAt: sub.VerifiedAt,
				DecidedAt: sub.DecidedAt, DecisionReason: sub.DecisionReason, FirstName: sub.FirstName, Surname: sub.Surname,
				Email: sub.Email, Phone: sub.Phone, Address: sub.Address, Postcode: sub.Postcode, Relationship: sub.Relationship,
				PatientFirstName: sub.PatientFirstName, PatientSurname: sub.PatientSurname,
				PatientDateOfBirth: sub.PatientDateOfBirth.String(), PatientNHSNumber: deref(sub.PatientNhsNumber),
				TakePart: sub.TakePart, ResearchContact: sub.ResearchContact, ShareDeidentified: sub.ShareDeidentified})
		}
	}
	return out, nil
}

func trailRecords(cs []store.RegistryChange, entities ...string) []TrailRecord {
	out := []TrailRecord{}
	for _, c := range cs {
		if !slicesContains(entities, c.Entity) {
			continue
		}
		out = append(out, TrailRecord{At: c.ChangedAt, Entity: c.Entity, Field: c.Field, OldValue: c.OldValue, NewValue: c.NewValue,
			Cause: c.Cause, Note: c.Note})
	}
	return out
}

// SubjectAccess produces the document for staff answering a request
// received by post or otherwise, and records in the contact's trail that
// it was produced. Errors: apperr.ErrForbidden, apperr.ErrNotFound, the
// store's.
func (s *Service) SubjectAccess(ctx context.Context, me access.Me, contactID int64, requestID string) (SubjectAccess, error) {
	if err := authorize(me.Actor, access.ViewRegistryIDs); err != nil {
		return SubjectAccess{}, err
	}
	return editing(ctx, s, me, func(tx store.Tx) (SubjectAccess, error) {
		sa, err := CollectSubjectAccess(ctx, tx, contactID, s.now())
		if err != nil {
			return sa, err
		}
		c, err := tx.GetRegistryContact(ctx, contactID)
		if err != nil {
			return sa, err
		}
		return sa, s.trail(ctx, tx, c.RegistryID, me, CauseForm, requestID, change{entity: EntityContact, id: contactID, contact: &contactID,
			field: "subject_access", new: val("produced"), version: c.Version, note: "subject access request answered"})
	})
}
