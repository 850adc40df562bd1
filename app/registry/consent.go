package registry

import (
	"context"
	"errors"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
	"clinaudit/app/textinput"
)

// Consent (issue 17, docs/registry.md "Consent versions" and "Withdrawal
// policy"). The consent text is versioned: publishing makes a new version
// and keeps the old. A patient's consent is a list of statements, never
// changed: who gave it, when, to which version, and what was agreed; the
// latest is in force. A withdrawal is a statement too.

// Causes and entities of the trail for onboarding and consent.
const (
	CauseOnboarding = "onboarding"
	CauseConsent    = "consent"
	CauseWithdrawal = "withdrawal"
	CauseFamily     = "family" // a family member, from the families' private area

	EntitySubmission     = "submission"
	EntityConsent        = "consent"
	EntityConsentVersion = "consent_version"
	EntitySettings       = "settings"
)

// Parts of consent, as the trail and withdrawals name them.
const (
	PartTakePart          = "take_part"
	PartResearchContact   = "research_contact"
	PartShareDeidentified = "share_deidentified"
)

// ConsentParts are the parts in the order pages show them.
var ConsentParts = []Choice{
	{PartTakePart, "Take part in the registry (their details and condition are held by the registry team)"},
	{PartResearchContact, "Be contacted about research studies they may be able to join"},
	{PartShareDeidentified, "Share their information, without names or NHS numbers, with approved researchers"},
}

// ConsentAnswers are what was agreed.
type ConsentAnswers struct {
	TakePart, ResearchContact, ShareDeidentified bool
}

// Consent is a patient's consent in force, and what it means now.
type Consent struct {
	store.PatientConsent
	// Recorded is false for a patient with no consent on record (added
	// by staff before consent was recorded).
	Recorded bool
	// CurrentVersion is the registry's latest version; NeedsReconsent is
	// true when the patient takes part under an older one.
	CurrentVersion int64
	NeedsReconsent bool
}

// consentIn is statement c (recorded false: none on record) against the
// registry's current version: the one rule for what a consent means now,
// for a patient's page and for the reports' counts alike.
func consentIn(c store.PatientConsent, recorded bool, currentVersion int64) Consent {
	return Consent{PatientConsent: c, Recorded: recorded, CurrentVersion: currentVersion,
		NeedsReconsent: recorded && c.TakePart && c.VersionNumber < currentVersion}
}

// Withdrawn reports whether the patient no longer takes part.
func (c Consent) Withdrawn() bool { return c.Recorded && !c.TakePart }

// ConsentState is what a patient's consent in force means now.
type ConsentState int

// The states, in the order the reports show them.
const (
	ConsentCurrent        ConsentState = iota // takes part under the current version
	ConsentNeedsReconsent                     // takes part under an older version
	ConsentWithdrawn
	ConsentNone // no consent on record
)

// State is the consent's state now.
func (c Consent) State() ConsentState {
	switch {
	case !c.Recorded:
		return ConsentNone
	case c.Withdrawn():
		return ConsentWithdrawn
	case c.NeedsReconsent:
		return ConsentNeedsReconsent
	}
	return ConsentCurrent
}

// MayContact says whether the registry may contact the patient's family
// for a purpose: "registry" (news, re-consent) needs the patient to take
// part; "research" needs research contact too. No consent recorded: only
// registry contact (staff record consent on the first occasion).
func (c Consent) MayContact(purpose string) bool {
	if !c.Recorded {
		return purpose != PartResearchContact
	}
	if purpose == PartResearchContact {
		return c.TakePart && c.ResearchContact
	}
	return c.TakePart
}

// CurrentConsentVersion returns the registry's consent text in force,
// publishing the definition's text as version 1 if none was ever
// published. It asks no one's permission: the public onboarding form
// shows it.
func CurrentConsentVersion(ctx context.Context, q store.Queries, registryID int64, def Definition, now time.Time) (store.ConsentVersion, error) {
	v, err := q.GetCurrentConsentVersion(ctx, registryID)
	if !errors.Is(err, store.ErrNotFound) {
		return v, err
	}
	id, err := q.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: registryID, Version: 1, Text: def.ConsentText, PublishedAt: now})
	if errors.Is(err, store.ErrConflict) { // published at the same moment by another request
		return q.GetCurrentConsentVersion(ctx, registryID)
	}
	if err != nil {
		return v, err
	}
	return q.GetConsentVersion(ctx, id)
}

// ConsentVersions lists a registry's consent versions, newest first.
// Errors: apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) ConsentVersions(ctx context.Context, a access.Actor, slug string) ([]store.ConsentVersion, error) {
	reg, err := s.loadFor(ctx, a, access.ViewRegistry, slug)
	if err != nil {
		return nil, err
	}
	if _, err := CurrentConsentVersion(ctx, s.Store, reg.ID, reg.Definition, s.now()); err != nil {
		return nil, err
	}
	return s.Store.ListConsentVersions(ctx, reg.ID)
}

// MaxConsentText bounds a consent text.
const MaxConsentText = 20000

// FieldConsentText is the publish form's field.
const FieldConsentText = "text"

// PublishConsent publishes text as the registry's next consent version.
// Every patient taking part under an older version then needs to consent
// again: they are asked on their next visit to the families' area, and
// their contacts by email (the registry_reconsent job, queued in the same
// transaction). Errors: FieldErrors, apperr.ErrForbidden, the store's.
func (s *Service) PublishConsent(ctx context.Context, me access.Me, slug, text, requestID string) (store.ConsentVersion, error) {
	var c checker
	text = c.text(FieldConsentText, "Consent text", text, MaxConsentText, true, textinput.MultiLine)
	if len(c.errs) > 0 {
		return store.ConsentVersion{}, c.errs
	}
	return editing(ctx, s, me, func(tx store.Tx) (store.ConsentVersion, error) {
		reg, err := load(ctx, tx, slug)
		if err != nil {
			return store.ConsentVersion{}, err
		}
		cur, err := CurrentConsentVersion(ctx, tx, reg.ID, reg.Definition, s.now())
		if err != nil {
			return cur, err
		}
		if strings.TrimSpace(cur.Text) == text {
			return cur, FieldErrors{{Field: FieldConsentText, Message: "The text is the same as version " + itoa64(cur.Version) + ": change it to publish a new version"}}
		}
		id, err := tx.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg.ID, Version: cur.Version + 1, Text: text,
			PublishedAt: s.now(), PublishedBy: byOf(me)})
		if errors.Is(err, store.ErrConflict) {
			return cur, errStale
		}
		if err != nil {
			return cur, err
		}
		v, err := tx.GetConsentVersion(ctx, id)
		if err != nil {
			return v, err
		}
		if err := s.trail(ctx, tx, reg.ID, me, CauseConsent, requestID, change{entity: EntityConsentVersion, id: id, field: "version",
			old: val(itoa64(cur.Version)), new: val(itoa64(v.Version)), version: 1, note: "published"}); err != nil {
			return v, err
		}
		return v, tx.InsertJob(ctx, jobargs.RegistryReconsentArgs{RegistryID: reg.ID, Version: v.Version}, nil)
	})
}

// ConsentOf is a patient's consent in force, with no permission asked:
// for the families' area (which checks the family's relationship) and
// this package.
func ConsentOf(ctx context.Context, q store.Queries, patientID int64) (Consent, error) {
	p, reg, err := anyPatient(ctx, q, patientID)
	if err != nil {
		return Consent{}, err
	}
	cur, err := CurrentConsentVersion(ctx, q, p.RegistryID, reg.Definition, time.Now().UTC().Truncate(time.Second))
	if err != nil {
		return Consent{}, err
	}
	c, err := q.GetCurrentPatientConsent(ctx, patientID)
	if errors.Is(err, store.ErrNotFound) {
		return consentIn(c, false, cur.Version), nil
	}
	if err != nil {
		return Consent{}, err
	}
	return consentIn(c, true, cur.Version), nil
}

// PatientConsent returns a patient's consent in force and its history,
// newest first, for staff. Errors: apperr.ErrForbidden, apperr.ErrNotFound,
// the store's.
func (s *Service) PatientConsent(ctx context.Context, a access.Actor, patientID int64) (Consent, []store.PatientConsent, error) {
	if err := authorize(a, access.ViewRegistryIDs); err != nil { // who gave it, who asked to withdraw: names
		return Consent{}, nil, err
	}
	c, err := ConsentOf(ctx, s.Store, patientID)
	if err != nil {
		return c, nil, err
	}
	hist, err := s.Store.ListPatientConsents(ctx, patientID)
	return c, hist, err
}

// mayConsentFor checks that contact holds a current relationship with
// legal authority or leave to act for the patient: who may consent.
func mayConsentFor(ctx context.Context, q store.Queries, contactID, patientID int64) error {
	links, err := q.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: patientID})
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.ContactID == contactID && l.EndDate == nil && (l.LegalAuthority || l.MayAct) {
			return nil
		}
	}
	return apperr.ErrForbidden
}

// consentChanges are the trail rows of a statement: each part that changed.
func consentChanges(before Consent, id, patientID int64, after ConsentAnswers, contact *int64) []change {
	var old ConsentAnswers
	if before.Recorded {
		old = ConsentAnswers{before.TakePart, before.ResearchContact, before.ShareDeidentified}
	}
	row := func(part string, o, n bool) change {
		var ov *string
		if before.Recorded {
			ov = boolVal(o)
		}
		return change{entity: EntityConsent, id: id, patient: &patientID, contact: contact, field: part, old: ov, new: boolVal(n), version: 1}
	}
	return []change{row(PartTakePart, old.TakePart, after.TakePart), row(PartResearchContact, old.ResearchContact, after.ResearchContact),
		row(PartShareDeidentified, old.ShareDeidentified, after.ShareDeidentified)}
}

// giveConsent records a statement given to the current version (or
// versionID when not 0: the one an onboarding form showed) in tx.
func (s *Service) giveConsent(ctx context.Context, tx store.Tx, me access.Me, cause string, patientID int64, contactID *int64, versionID int64, ans ConsentAnswers, requestID string) error {
	p, reg, err := livePatient(ctx, tx, patientID)
	if err != nil {
		return err
	}
	before, err := ConsentOf(ctx, tx, patientID)
	if err != nil {
		return err
	}
	if versionID == 0 {
		v, err := CurrentConsentVersion(ctx, tx, reg.ID, reg.Definition, s.now())
		if err != nil {
			return err
		}
		versionID = v.ID
	}
	if !ans.TakePart {
		ans = ConsentAnswers{} // not taking part agrees to nothing else
	}
	id, err := tx.InsertPatientConsent(ctx, store.InsertPatientConsentParams{PatientID: p.ID, ContactID: contactID, VersionID: versionID,
		Kind: "given", TakePart: ans.TakePart, ResearchContact: ans.ResearchContact, ShareDeidentified: ans.ShareDeidentified,
		GivenAt: s.now(), RecordedBy: byOf(me)})
	if err != nil {
		return err
	}
	cs := consentChanges(before, id, p.ID, ans, contactID)
	cs[0].note = "consent given"
	return s.trail(ctx, tx, reg.ID, me, cause, requestID, cs...)
}

// RecordConsent records, for staff, consent given on a form received
// (by contactID; 0: the patient's own word) to the current version.
// Errors: apperr.ErrForbidden (also: contact without authority for the
// patient), apperr.ErrNotFound, the store's.
func (s *Service) RecordConsent(ctx context.Context, me access.Me, patientID, contactID int64, ans ConsentAnswers, requestID string) error {
	return s.edit(ctx, me, func(tx store.Tx) error {
		var by *int64
		if contactID != 0 {
			if err := mayConsentFor(ctx, tx, contactID, patientID); err != nil {
				return err
			}
			by = &contactID
		}
		return s.giveConsent(ctx, tx, me, CauseConsent, patientID, by, 0, ans, requestID)
	})
}

// FamilyConsent records consent (or re-consent) given by a family member
// in the families' area, to the current version. The caller has signed
// the contact in; this checks that they may consent for the patient.
// Errors: apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) FamilyConsent(ctx context.Context, contactID, patientID int64, ans ConsentAnswers, requestID string) error {
	return s.FamilyConsentAs(ctx, access.Me{}, contactID, patientID, ans, requestID)
}

// FamilyConsentAs is FamilyConsent made by me: a signed-in family account
// (ForFamily), which the trail then names as the author.
func (s *Service) FamilyConsentAs(ctx context.Context, me access.Me, contactID, patientID int64, ans ConsentAnswers, requestID string) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := mayConsentFor(ctx, tx, contactID, patientID); err != nil {
			return err
		}
		return s.giveConsent(ctx, tx, me, CauseFamily, patientID, &contactID, 0, ans, requestID)
	})
}
