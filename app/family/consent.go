package family

import (
	"context"

	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// Consent in the private area: what has been agreed for each patient, a
// new consent (or re-consent to a newer version), a withdrawal, and the
// subject access download. app/registry does the work (famA's part of
// issue 17); this package checks first that the patient is the family's.

// PatientConsent is a patient's consent in force and the registry's
// current consent text, for the consent page.
type PatientConsent struct {
	registry.Consent
	Current store.ConsentVersion
}

// Consent is one of the account's patients' consent. Errors:
// apperr.ErrNotFound, the store's.
func (s *Service) Consent(ctx context.Context, a store.FamilyAccount, patientID int64) (PatientConsent, error) {
	if _, err := s.authorised(ctx, a, patientID); err != nil {
		return PatientConsent{}, err
	}
	c, err := registry.ConsentOf(ctx, s.Store, patientID)
	if err != nil {
		return PatientConsent{}, err
	}
	reg, err := s.Registry.Get(ctx, registry.ForFamily(a.ID).Actor, registry.Slugs()[0])
	if err != nil {
		return PatientConsent{}, err
	}
	cur, err := registry.CurrentConsentVersion(ctx, s.Store, reg.ID, reg.Definition, s.now())
	return PatientConsent{Consent: c, Current: cur}, err
}

// GiveConsent records consent, by the account's contact, to the current
// version. Errors: apperr.ErrNotFound, apperr.ErrForbidden, the store's.
func (s *Service) GiveConsent(ctx context.Context, a store.FamilyAccount, patientID int64, ans registry.ConsentAnswers, requestID string) error {
	if _, err := s.authorised(ctx, a, patientID); err != nil {
		return err
	}
	return s.Registry.FamilyConsentAs(ctx, registry.ForFamily(a.ID), a.ContactID, patientID, ans, requestID)
}

// Withdraw withdraws part of a patient's consent (a registry.Part*
// value): recorded, contact stops at once, and the registry's withdrawal
// policy applies. Errors: apperr.ErrNotFound, apperr.ErrForbidden,
// apperr Invalid (no such part), the store's.
func (s *Service) Withdraw(ctx context.Context, a store.FamilyAccount, patientID int64, part, requestID string) error {
	if _, err := s.authorised(ctx, a, patientID); err != nil {
		return err
	}
	return s.Registry.FamilyWithdrawAs(ctx, registry.ForFamily(a.ID), a.ContactID, patientID, part, requestID)
}

// SubjectAccess is everything the registry holds about the account's
// contact and the patients they act for (registry.CollectSubjectAccess),
// its production recorded in their trail.
func (s *Service) SubjectAccess(ctx context.Context, a store.FamilyAccount, requestID string) (registry.SubjectAccess, error) {
	return s.Registry.SubjectAccess(ctx, registry.ForFamily(a.ID), a.ContactID, requestID)
}
