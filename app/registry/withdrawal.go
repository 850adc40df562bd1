package registry

import (
	"context"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
	"clinaudit/app/textinput"
)

// Withdrawal (docs/registry.md "Withdrawal policy"): a family withdraws
// one part of consent (research contact, sharing de-identified data) or
// the patient from the registry entirely (take part). It is recorded as a
// consent statement at once, which stops the contact it covers at once;
// a withdrawal from the registry also stops every contact about the
// patient (a contact linked to no other patient who takes part is marked
// "may not contact") and applies the registry's withdrawal policy.

// WithdrawalInput is a withdrawal as staff record it.
type WithdrawalInput struct {
	Part       string    // a Part* value; PartTakePart withdraws entirely
	ReceivedOn DateInput // when the registry received it
	By         string    // who asked, as they gave their name
	How        string    // a code of WithdrawalMethods
}

// Withdrawal form fields.
const (
	FieldPart       = "part"
	FieldReceivedOn = "received_on"
	FieldWithdrawBy = "withdrawn_by"
	FieldHow        = "how"
)

// Withdraw records a withdrawal received by staff. Errors: FieldErrors,
// apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) Withdraw(ctx context.Context, me access.Me, patientID int64, in WithdrawalInput, requestID string) error {
	var c checker
	part := c.choice(FieldPart, "what is withdrawn", ConsentParts, in.Part, true)
	received := c.date(FieldReceivedOn, "Date received", in.ReceivedOn, true)
	if received != nil && received.After(s.today()) {
		c.add(FieldReceivedOn, "Date received must be today or in the past")
	}
	by := c.text(FieldWithdrawBy, "Who asked", in.By, MaxNameLength*2, true, textinput.SingleLine)
	how := c.choice(FieldHow, "how it was received", WithdrawalMethods, in.How, true)
	if len(c.errs) > 0 {
		return c.errs
	}
	at := time.Date(received.Year(), received.Month(), received.Day(), 12, 0, 0, 0, time.UTC)
	if now := s.now(); at.After(now) {
		at = now
	}
	return s.edit(ctx, me, func(tx store.Tx) error {
		return s.withdraw(ctx, tx, me, CauseWithdrawal, patientID, nil, part, by, how, at, requestID)
	})
}

// FamilyWithdraw records a withdrawal made by a family member in the
// families' area, of part (a Part* value) for a patient they may consent
// for. Errors: apperr.ErrForbidden, apperr.ErrNotFound, apperr Invalid (no
// such part), the store's.
func (s *Service) FamilyWithdraw(ctx context.Context, contactID, patientID int64, part string, requestID string) error {
	return s.FamilyWithdrawAs(ctx, access.Me{}, contactID, patientID, part, requestID)
}

// FamilyWithdrawAs is FamilyWithdraw made by me: a signed-in family
// account (ForFamily), which the trail then names as the author.
func (s *Service) FamilyWithdrawAs(ctx context.Context, me access.Me, contactID, patientID int64, part string, requestID string) error {
	if !has(ConsentParts, part) {
		return apperr.Errorf(apperr.Invalid, "No part of consent is called %q", part)
	}
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := mayConsentFor(ctx, tx, contactID, patientID); err != nil {
			return err
		}
		c, err := tx.GetRegistryContact(ctx, contactID)
		if err != nil {
			return err
		}
		return s.withdraw(ctx, tx, me, CauseFamily, patientID, &contactID, part, c.FirstName+" "+c.Surname, "online", s.now(), requestID)
	})
}

func (s *Service) withdraw(ctx context.Context, tx store.Tx, me access.Me, cause string, patientID int64, contactID *int64, part, by, how string, at time.Time, requestID string) error {
	p, reg, err := livePatient(ctx, tx, patientID)
	if err != nil {
		return err
	}
	before, err := ConsentOf(ctx, tx, patientID)
	if err != nil {
		return err
	}
	if part == PartTakePart && before.Withdrawn() {
		return FieldErrors{{Field: FieldPart, Message: "This patient has already been withdrawn from the registry"}}
	}
	ans := ConsentAnswers{TakePart: true, ResearchContact: true, ShareDeidentified: true}
	versionID := int64(0)
	if before.Recorded {
		ans = ConsentAnswers{before.TakePart, before.ResearchContact, before.ShareDeidentified}
		versionID = before.VersionID
	} else {
		v, err := CurrentConsentVersion(ctx, tx, reg.ID, reg.Definition, s.now())
		if err != nil {
			return err
		}
		versionID = v.ID
	}
	switch part {
	case PartTakePart:
		ans = ConsentAnswers{}
	case PartResearchContact:
		ans.ResearchContact = false
	case PartShareDeidentified:
		ans.ShareDeidentified = false
	}
	settings, err := SettingsOf(ctx, tx, reg.ID)
	if err != nil {
		return err
	}
	var due *time.Time
	if part == PartTakePart && settings.WithdrawalPolicy == PolicyDelete {
		d := s.now().Add(settings.DeleteAfter)
		due = &d
	}
	id, err := tx.InsertPatientConsent(ctx, store.InsertPatientConsentParams{PatientID: p.ID, ContactID: contactID, VersionID: versionID,
		Kind: "withdrawal", TakePart: ans.TakePart, ResearchContact: ans.ResearchContact, ShareDeidentified: ans.ShareDeidentified,
		GivenAt: s.now(), RecordedBy: byOf(me), WithdrawnAt: &at, WithdrawnBy: by, WithdrawnHow: how, DeleteDueAt: due})
	if err != nil {
		return err
	}
	cs := consentChanges(before, id, p.ID, ans, contactID)
	cs[0].note = "withdrawal of " + strings.ReplaceAll(part, "_", " ") + " received " + at.Format("2 January 2006") + " (" + Label(WithdrawalMethods, how) + ")"
	if err := s.trail(ctx, tx, reg.ID, me, cause, requestID, cs...); err != nil {
		return err
	}
	if part != PartTakePart {
		return nil
	}
	if err := s.stopContact(ctx, tx, me, cause, p.ID, requestID); err != nil {
		return err
	}
	switch settings.WithdrawalPolicy {
	case PolicyDeidentify:
		return s.deidentify(ctx, tx, me, cause, p, requestID)
	case PolicyDelete:
		if settings.DeleteAfter == 0 {
			return s.deleteWithdrawn(ctx, tx, p.ID)
		}
	}
	return nil
}

// stopContact marks "may not contact" each current contact of a patient
// who is linked to no other patient still taking part.
func (s *Service) stopContact(ctx context.Context, tx store.Tx, me access.Me, cause string, patientID int64, requestID string) error {
	links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: patientID})
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.EndDate != nil {
			continue
		}
		others, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: l.ContactID})
		if err != nil {
			return err
		}
		still := false
		for _, o := range others {
			if o.PatientID == patientID || o.EndDate != nil {
				continue
			}
			c, err := ConsentOf(ctx, tx, o.PatientID)
			if err != nil {
				return err
			}
			if c.MayContact(PartTakePart) {
				still = true
			}
		}
		if still {
			continue
		}
		c, err := liveContact(ctx, tx, l.ContactID)
		if err != nil || !c.MayContact {
			continue // deleted, or already not to be contacted
		}
		next := c
		next.MayContact, next.Version = false, c.Version+1
		n, err := tx.UpdateRegistryContact(ctx, contactUpdate(next, c.Version, s, me))
		if err != nil {
			return err
		}
		if n == 0 {
			return errStale
		}
		ch := fieldChange(contactChanges(c, next), FieldMayContact)
		ch.note = "withdrawal"
		if err := s.trail(ctx, tx, c.RegistryID, me, cause, requestID, ch); err != nil {
			return err
		}
	}
	return nil
}

// deidentify removes a withdrawn patient's identifiers at once: names
// become "Withdrawn" and the registry ID, the NHS number, postcode and
// notes go, the date of birth keeps its year only (1 January), and the
// relationships end. The patient's trail goes too, since it holds the old
// values; one row says what was done.
func (s *Service) deidentify(ctx context.Context, tx store.Tx, me access.Me, cause string, p store.RegistryPatient, requestID string) error {
	links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: p.ID})
	if err != nil {
		return err
	}
	today := store.NewDate(s.today())
	for _, l := range links {
		if l.EndDate == nil {
			if err := s.endLink(ctx, tx, me, p.RegistryID, l, today, cause, requestID); err != nil {
				return err
			}
		}
		if err := s.reviewIfAlone(ctx, tx, me, l.ContactID); err != nil {
			return err
		}
	}
	dob := store.Date{Year: p.DateOfBirth.Year, Month: time.January, Day: 1}
	n, err := tx.UpdateRegistryPatient(ctx, store.UpdateRegistryPatientParams{FirstName: "Withdrawn", Surname: p.RegistryRef,
		DateOfBirth: dob, Sex: p.Sex, NHSNumber: nil, Postcode: "", DiagnosisDate: p.DiagnosisDate,
		DiagnosisConfirmation: p.DiagnosisConfirmation, ClinicalStatus: p.ClinicalStatus, DateOfDeath: p.DateOfDeath,
		Notes: "", UpdatedAt: s.now(), UpdatedBy: byOf(me), ID: p.ID, Version: p.Version})
	if err != nil {
		return err
	}
	if n == 0 {
		return errStale
	}
	if err := tx.DeleteRegistryPatientChanges(ctx, &p.ID); err != nil {
		return err
	}
	return s.trail(ctx, tx, p.RegistryID, me, cause, requestID, change{entity: EntityPatient, id: p.ID, patient: &p.ID,
		field: "deidentified", new: val("yes"), version: p.Version + 1, note: "withdrawn from the registry: identifiers removed"})
}

// withdrawalActor deletes withdrawn patients when their time comes: the
// registry's own job, not a person.
var withdrawalActor = access.Me{Actor: access.Actor{Role: access.RegistryManager}}

// deleteWithdrawn soft-deletes a withdrawn patient in tx, as staff would.
func (s *Service) deleteWithdrawn(ctx context.Context, tx store.Tx, patientID int64) error {
	inner := &Service{Store: txStore{Tx: tx, outer: outer{s.Store}}, Now: s.Now}
	return inner.DeletePatient(ctx, withdrawalActor, patientID, "")
}

// DeleteWithdrawnDue deletes (soft, then purged 30 days later) the
// patients withdrawn under the "delete" policy whose period ended by now,
// and returns how many.
func DeleteWithdrawnDue(ctx context.Context, st store.Store, now time.Time) (int64, error) {
	s := &Service{Store: st, Now: func() time.Time { return now }}
	var n int64
	for {
		due, err := st.ListConsentDeletionsDue(ctx, store.ListConsentDeletionsDueParams{Now: &now, PageLimit: purgeBatch})
		if err != nil || len(due) == 0 {
			return n, err
		}
		for _, id := range due {
			if err := st.InTx(ctx, func(tx store.Tx) error { return s.deleteWithdrawn(ctx, tx, id) }); err != nil {
				return n, err
			}
			n++
		}
	}
}

// number reads a whole number from min to max.
func (c *checker) number(field, what, v string, min, max int64) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < min || n > max {
		c.add(field, "Enter "+what+", a whole number from "+itoa64(min)+" to "+itoa64(max))
	}
	return n
}
