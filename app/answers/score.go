package answers

import (
	"context"
	"errors"

	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// ScoreChild scores a child's KPIs from their stored record and stores the
// result with the version of the child it scored. When the child changed
// while it scored (a save the running job did not see), it scores again,
// up to a few times; the save's own job covers anything later.
func (s *Service) ScoreChild(ctx context.Context, childID int64) error {
	for range 3 {
		l, err := s.LoadForSystem(ctx, s.Store, childID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // deleted or purged since: nothing to score
		}
		if err != nil {
			return err
		}
		if l.Child.OptedOutAt != nil {
			// Opted out since the job was queued (spec 11.2): no result, not
			// even one this loop stored before it saw the opt-out.
			return s.Store.DeleteKPIResult(ctx, childID)
		}
		r := kpi.Score(l.Audit)
		p := store.UpsertKPIResultParams{ChildID: childID, RulesVersion: r.RulesVersion, DataVersion: l.Child.Version,
			ComputedAt: s.Children.Now().UTC(), AuditComplete: &l.Progress.Complete}
		setOutcomes(&p, r.Scores)
		if _, err := s.Store.UpsertKPIResult(ctx, p); err != nil {
			return err
		}
		// The case list's progress column, for the same version; none
		// before registration (the audit has not started).
		if l.Child.RegisteredAt != nil {
			if err := s.Store.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{ID: childID, Version: l.Child.Version,
				AuditProgress: int64(l.Progress.Percent)}); err != nil {
				return err
			}
		}
		now, err := s.Store.GetChild(ctx, childID)
		if err != nil || now.Version == l.Child.Version {
			return nil
		}
	}
	return nil
}

// outcomeCode is a measure's stored value as Epilepsy12 stores it: 1 pass,
// 0 fail, 2 ineligible, NULL not scored.
func outcomeCode(o kpi.Outcome) *int64 {
	var v int64
	switch o {
	case kpi.Pass:
		v = 1
	case kpi.Fail:
		v = 0
	case kpi.Ineligible:
		v = 2
	default:
		return nil
	}
	return &v
}

func setOutcomes(p *store.UpsertKPIResultParams, s kpi.Scores) {
	p.PaediatricianWithExpertiseInEpilepsies = outcomeCode(s[kpi.PaediatricianWithExpertiseInEpilepsies])
	p.EpilepsySpecialistNurse = outcomeCode(s[kpi.EpilepsySpecialistNurse])
	p.TertiaryInput = outcomeCode(s[kpi.TertiaryInput])
	p.EpilepsySurgeryReferral = outcomeCode(s[kpi.EpilepsySurgeryReferral])
	p.Ecg = outcomeCode(s[kpi.ECG])
	p.Mri = outcomeCode(s[kpi.MRI])
	p.AssessmentOfMentalHealthIssues = outcomeCode(s[kpi.AssessmentOfMentalHealthIssues])
	p.MentalHealthSupport = outcomeCode(s[kpi.MentalHealthSupport])
	p.SodiumValproate = outcomeCode(s[kpi.SodiumValproate])
	p.ComprehensiveCarePlanningAgreement = outcomeCode(s[kpi.ComprehensiveCarePlanningAgreement])
	p.PatientHeldIndividualisedEpilepsyDocument = outcomeCode(s[kpi.PatientHeldIndividualisedEpilepsyDocument])
	p.PatientCarerParentAgreementToTheCarePlanning = outcomeCode(s[kpi.PatientCarerParentAgreementToTheCarePlanning])
	p.CarePlanningHasBeenUpdatedWhenNecessary = outcomeCode(s[kpi.CarePlanningHasBeenUpdatedWhenNecessary])
	p.ComprehensiveCarePlanningContent = outcomeCode(s[kpi.ComprehensiveCarePlanningContent])
	p.ParentalProlongedSeizuresCarePlan = outcomeCode(s[kpi.ParentalProlongedSeizuresCarePlan])
	p.WaterSafety = outcomeCode(s[kpi.WaterSafety])
	p.FirstAid = outcomeCode(s[kpi.FirstAid])
	p.GeneralParticipationAndRisk = outcomeCode(s[kpi.GeneralParticipationAndRisk])
	p.ServiceContactDetails = outcomeCode(s[kpi.ServiceContactDetails])
	p.Sudep = outcomeCode(s[kpi.SUDEP])
	p.SchoolIndividualHealthcarePlan = outcomeCode(s[kpi.SchoolIndividualHealthcarePlan])
}

// StoredScores reads a stored result back into the engine's Scores.
func StoredScores(r store.KpiResult) kpi.Scores {
	var s kpi.Scores
	for m, v := range []*int64{r.PaediatricianWithExpertiseInEpilepsies, r.EpilepsySpecialistNurse, r.TertiaryInput,
		r.EpilepsySurgeryReferral, r.Ecg, r.Mri, r.AssessmentOfMentalHealthIssues, r.MentalHealthSupport, r.SodiumValproate,
		r.ComprehensiveCarePlanningAgreement, r.PatientHeldIndividualisedEpilepsyDocument,
		r.PatientCarerParentAgreementToTheCarePlanning, r.CarePlanningHasBeenUpdatedWhenNecessary,
		r.ComprehensiveCarePlanningContent, r.ParentalProlongedSeizuresCarePlan, r.WaterSafety, r.FirstAid,
		r.GeneralParticipationAndRisk, r.ServiceContactDetails, r.Sudep, r.SchoolIndividualHealthcarePlan} {
		var code *int
		if v != nil {
			n := int(*v)
			code = &n
		}
		// The column's CHECK constraint allows only 0, 1, 2 and NULL.
		s[m], _ = kpi.OutcomeFromStored(code)
	}
	return s
}
