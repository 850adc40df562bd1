package answers

import (
	"context"
	"errors"

	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/validity"
)

// ScoreChild scores a child's KPIs from their stored record, as of today,
// and stores the result (ScoreChildJob with no job).
func (s *Service) ScoreChild(ctx context.Context, childID int64) error {
	return s.ScoreChildJob(ctx, childID, nil)
}

// ScoreChildJob scores a child and stores the result with the version of
// the child it scored, and then calls done (the kpi_score job marking
// itself completed), all in one transaction that first takes the child's
// lock. Every write to a child takes that lock too (it updates the child's
// row), so no write can fall between the read and the job's completion:
// one that came before is scored, one that comes after finds the job
// completed and the child no longer queued, and queues another (package
// scorequeue).
func (s *Service) ScoreChildJob(ctx context.Context, childID int64, done func(context.Context, store.Tx) error) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		finish := func() error {
			if done == nil {
				return nil
			}
			return done(ctx, tx)
		}
		if _, err := tx.LockChildForScoring(ctx, childID); errors.Is(err, store.ErrNotFound) {
			return finish() // deleted or purged since: nothing to score
		} else if err != nil {
			return err
		}
		l, err := s.LoadForSystem(ctx, tx, childID)
		if err != nil {
			return err
		}
		if l.Child.OptedOutAt != nil {
			// Opted out (spec 11.2): no result.
			if err := tx.DeleteKPIResult(ctx, childID); err != nil {
				return err
			}
			return finish()
		}
		r := kpi.Score(l.Audit)
		p := store.UpsertKPIResultParams{ChildID: childID, RulesVersion: r.RulesVersion, DataVersion: l.Child.Version,
			ComputedAt: s.Children.Now().UTC(), AuditComplete: &l.Progress.Complete, ValidUntil: validUntil(l.Child, s.today())}
		setOutcomes(&p, r.Scores)
		if _, err := tx.UpsertKPIResult(ctx, p); err != nil {
			return err
		}
		// The case list's progress column, for the same version; none
		// before registration (the audit has not started).
		if l.Child.RegisteredAt != nil {
			if err := tx.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{ID: childID, Version: l.Child.Version,
				AuditProgress: int64(l.Progress.Percent)}); err != nil {
				return err
			}
		}
		return finish()
	})
}

// validUntil is the date the child's result could next change with no
// write to the child (package validity), nil when none is ahead.
func validUntil(c store.Child, today audit.Date) *store.Date {
	in := validity.Child{DateOfBirth: clone(c.DateOfBirth), Sex: intOf(c.Sex), FirstAssessment: clone(c.FirstPaediatricAssessmentDate)}
	if c.Cohort != nil {
		n := cohort.Cohort(*c.Cohort)
		in.Cohort = &n
	}
	return validity.Until(in, today)
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

// reconcileBatch is how many stale children one read of the
// reconciliation lists.
const reconcileBatch = 500

// Reconcile rescores every child whose stored result is stale as of today
// (store.ListStaleKPIChildren: missing, of an older version of the child or
// of the rules, of unknown completeness, past its valid_until, or an
// opted-out child's), one child at a time as the kpi_score job does, and
// says how many it rescored. The kpi_reconcile job runs it.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	today := store.NewDate(s.Children.Today())
	n := 0
	var after int64
	for {
		ids, err := s.Store.ListStaleKPIChildren(ctx, store.ListStaleKPIChildrenParams{AfterID: after,
			RulesVersion: kpi.RulesVersion, Today: &today, MaxRows: reconcileBatch})
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			if err := s.ScoreChild(ctx, id); err != nil {
				return n, err
			}
			n++
		}
		after = ids[len(ids)-1]
	}
}

// StaleShownMax is the most stale children the recalculation page counts
// exactly.
const StaleShownMax = 1000

// CountStale counts the children whose stored results are stale today, as
// Reconcile finds them, stopping at max.
func (s *Service) CountStale(ctx context.Context, max int) (int, error) {
	today := store.NewDate(s.Children.Today())
	ids, err := s.Store.ListStaleKPIChildren(ctx, store.ListStaleKPIChildrenParams{RulesVersion: kpi.RulesVersion, Today: &today,
		MaxRows: int64(max)})
	return len(ids), err
}

// Fresh reports whether the child's stored result is what scoring their
// record l today gives: the same version of the child and of the rules,
// the same scores and completeness, and valid today. The performance page
// says "Up to date" only then.
func (s *Service) Fresh(l *Loaded, r store.KpiResult) bool {
	today := store.NewDate(s.Children.Today())
	return r.DataVersion == l.Child.Version && r.RulesVersion == kpi.RulesVersion &&
		StoredScores(r) == kpi.Score(l.Audit).Scores && r.AuditComplete != nil && *r.AuditComplete == l.Progress.Complete &&
		(r.ValidUntil == nil || today.Time().Before(r.ValidUntil.Time()))
}
