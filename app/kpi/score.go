package kpi

import (
	"fmt"
	"slices"

	"clinaudit/app/audit"
)

// measureRules scores each measure, in Measure order.
var measureRules = [NumMeasures]func(*scorer, *explainer) Explanation{
	PaediatricianWithExpertiseInEpilepsies: scorePaediatricianWithExpertise,
	EpilepsySpecialistNurse:                scoreEpilepsySpecialistNurse,
	TertiaryInput:                          scoreTertiaryInput,
	EpilepsySurgeryReferral:                scoreEpilepsySurgeryReferral,
	ECG:                                    scoreECG,
	MRI:                                    scoreMRI,
	AssessmentOfMentalHealthIssues:         scoreAssessmentOfMentalHealthIssues,
	MentalHealthSupport:                    scoreMentalHealthSupport,
	SodiumValproate:                        scoreSodiumValproate,
	ComprehensiveCarePlanningAgreement:     scoreCarePlanningAgreement,
	PatientHeldIndividualisedEpilepsyDocument:    scorePatientHeldDocument,
	PatientCarerParentAgreementToTheCarePlanning: scoreCarePlanComponent,
	CarePlanningHasBeenUpdatedWhenNecessary:      scoreCarePlanComponent,
	ComprehensiveCarePlanningContent:             scoreCarePlanningContent,
	ParentalProlongedSeizuresCarePlan:            scoreProlongedSeizuresCarePlan,
	WaterSafety:                                  scoreCarePlanComponent,
	FirstAid:                                     scoreCarePlanComponent,
	GeneralParticipationAndRisk:                  scoreCarePlanComponent,
	ServiceContactDetails:                        scoreCarePlanComponent,
	SUDEP:                                        scoreCarePlanComponent,
	SchoolIndividualHealthcarePlan:               scoreSchoolIndividualHealthcarePlan,
}

// Score computes all 21 measures for one child.
//
// A child who is not registered (no first paediatric assessment date, or
// eligibility not confirmed) scores NotScored everywhere. Epilepsy12 leaves
// such a child at 0 (fail) from the moment the KPI row is created (quirk 5);
// clinaudit deliberately does not (decisions.md), and such children are
// never aggregated either way.
func Score(c *audit.Child) Result {
	r := Result{RulesVersion: RulesVersion}
	s, notRegistered := newScorer(c)
	for m := range Measure(NumMeasures) {
		e := &explainer{measure: m}
		var ex Explanation
		if notRegistered {
			ex = e.notRegistered()
		} else {
			ex = measureRules[m](s, e)
		}
		r.Scores[m] = ex.Outcome
		r.Explanations[m] = ex
	}
	return r
}

// scorer holds one child's record and the facts every rule shares.
type scorer struct {
	c            *audit.Child
	fpa          audit.Date // first paediatric assessment
	firstYearEnd audit.Date // FPA + 1 calendar year: the last day of the first year
	hasAge       bool       // false when the date of birth is missing
	ageDays      int
	age          float64 // age at FPA in years
}

func newScorer(c *audit.Child) (s *scorer, notRegistered bool) {
	if c == nil || c.Registration == nil || c.Registration.FirstPaediatricAssessmentDate == nil ||
		!isTrue(c.Registration.EligibilityCriteriaMet) {
		return nil, true
	}
	s = &scorer{c: c, fpa: *c.Registration.FirstPaediatricAssessmentDate}
	// "Within the first year" is on or before FPA + 1 calendar year, with
	// 29 February + 1 year = 28 February (relativedelta), spec §6.0.
	s.firstYearEnd = s.fpa.AddYears(1)
	if c.Case != nil && c.Case.DateOfBirth != nil {
		s.hasAge = true
		s.ageDays = audit.DaysBetween(*c.Case.DateOfBirth, s.fpa)
		// Quirk 7, followed on purpose: whole days ÷ 365.25, never floored,
		// so a child assessed on their 5th birthday with one leap day in
		// between is 4.9993 and "under 5".
		s.age = float64(s.ageDays) / 365.25
	}
	return s, false
}

func (s *scorer) ageText() string {
	return fmt.Sprintf("aged %.4g years at first paediatric assessment (%d days ÷ 365.25)", s.age, s.ageDays)
}

const (
	fieldFPA         = "registration.first_paediatric_assessment_date"
	fieldEligibility = "registration.eligibility_criteria_met"
	fieldDateOfBirth = "case.date_of_birth"
)

// explainer collects the answers a rule reads and builds its Explanation.
type explainer struct {
	measure Measure
	fields  []string
}

// read records the document paths of answers the rule looked at.
func (e *explainer) read(paths ...string) {
	for _, p := range paths {
		if !slices.Contains(e.fields, p) {
			e.fields = append(e.fields, p)
		}
	}
}

func (e *explainer) decide(o Outcome, rule, reason string) Explanation {
	return Explanation{Measure: e.measure, Outcome: o, Rule: rule, Reason: reason, Fields: e.fields}
}

func (e *explainer) pass(rule, reason string) Explanation { return e.decide(Pass, rule, reason) }
func (e *explainer) fail(rule, reason string) Explanation { return e.decide(Fail, rule, reason) }
func (e *explainer) ineligible(rule, reason string) Explanation {
	return e.decide(Ineligible, rule, reason)
}
func (e *explainer) notScored(rule, reason string) Explanation {
	return e.decide(NotScored, rule, reason)
}

func (e *explainer) notRegistered() Explanation {
	e.read(fieldFPA, fieldEligibility)
	return e.notScored("not_registered", "Not scored until the child is registered: the first paediatric assessment date is set and eligibility is confirmed.")
}

// ageUnknown is the outcome of an age-based rule without a date of birth.
// (Epilepsy12 cannot get here: the case form requires the date, and its
// scoring would stop with an error.)
func (e *explainer) ageUnknown() Explanation {
	e.read(fieldDateOfBirth)
	return e.notScored("date_of_birth_missing", "Not scored: the date of birth is missing, so the age at first paediatric assessment is unknown.")
}

// reason is a rule's code and its sentence, for one outcome.
type reason struct{ rule, text string }

// byAnswer is the last step of many rules: the yes/no answer at field
// decides, not scored while it is unanswered.
func (e *explainer) byAnswer(field string, v *bool, unanswered, yes, no reason) Explanation {
	e.read(field)
	switch {
	case v == nil:
		return e.notScored(unanswered.rule, unanswered.text)
	case *v:
		return e.pass(yes.rule, yes.text)
	}
	return e.fail(no.rule, no.text)
}

// oldEnough is the age criterion of a measure for children of min years or
// more at first assessment. It returns ok=false, and the explanation to
// return, when the age is unknown or below min (rule and under name the
// outcome, e.g. "under_5" and "Under 5").
func (e *explainer) oldEnough(s *scorer, min float64, rule, under string) (Explanation, bool) {
	if !s.hasAge {
		return e.ageUnknown(), false
	}
	e.read(fieldDateOfBirth, fieldFPA)
	if s.age < min {
		return e.ineligible(rule, fmt.Sprintf("%s: %s.", under, s.ageText())), false
	}
	return Explanation{}, true
}

// form is one audit form whose record a measure needs.
type form struct {
	section string // the document section, e.g. "investigations"
	title   string // the form's title in the UI
	present func(*audit.Child) bool
}

var (
	assessmentForm      = form{"assessment", "Milestones", func(c *audit.Child) bool { return c.Assessment != nil }}
	epilepsyContextForm = form{"epilepsy_context", "Epilepsy context", func(c *audit.Child) bool { return c.EpilepsyContext != nil }}
	multiaxialForm      = form{"multiaxial_diagnosis", "Multiaxial diagnosis", func(c *audit.Child) bool { return c.MultiaxialDiagnosis != nil }}
	investigationsForm  = form{"investigations", "Tests", func(c *audit.Child) bool { return c.Investigations != nil }}
	managementForm      = form{"management", "Treatment and care planning", func(c *audit.Child) bool { return c.Management != nil }}
)

// requireForms is spec §6.0's "missing form record → not scored". It
// returns ok=false, and the explanation to return, when a form is missing.
func (e *explainer) requireForms(c *audit.Child, forms ...form) (Explanation, bool) {
	for _, f := range forms {
		if !f.present(c) {
			e.read(f.section)
			return e.notScored("form_missing", fmt.Sprintf("Not scored: the %s form has not been started.", f.title)), false
		}
	}
	return Explanation{}, true
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }

// answer renders a yes/no answer for reasons.
func answer(b *bool) string {
	switch {
	case b == nil:
		return "not answered"
	case *b:
		return "yes"
	}
	return "no"
}

// withinFirstYear reports whether d is on or before FPA + 1 year.
func (s *scorer) withinFirstYear(d audit.Date) bool { return d.OnOrBefore(s.firstYearEnd) }
