package progress

import "clinaudit/app/audit"

// The registration's rules, and progress's own rule for the valproate
// questions. The other six forms' expected answers are read off the forms'
// question tree (derive.go); registration is not one of those forms (it is
// the child's registration page), so its three answers are listed here.
// Section numbers are those of shared/spec/epilepsy12.md.

func given[T any](p *T) bool { return p != nil }

func isTrue(p *bool) bool { return p != nil && *p }

func is(p *string, code string) bool { return p != nil && *p == code }

// orZero returns *p, or a zero T when p is nil: a missing form record
// counts as a record with nothing answered.
func orZero[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}

// registration is §5.1 "Registration": the first paediatric assessment
// date and the eligibility confirmation, and a lead site.
//
// Differences from Epilepsy12, both deliberate (docs/progress.md):
//   - Eligibility counts only when confirmed (true). Epilepsy12 counts any
//     non-NULL value, but offers no way to answer false; a false here means
//     the child is not eligible, and such a registration must not read as
//     complete.
//   - The lead site is expected only while it is missing. Epilepsy12 always
//     expects it (3) and counts it once it exists; clinaudit creates every
//     child with a lead organisation, so counting it would only make an
//     untouched form look started (1 of 3). Completion is the same either
//     way: complete iff date, confirmation and lead site are all there.
func registration(l *checklist, c *audit.Child, s Sites) bool {
	r := orZero(c.Registration)
	l.want("registration.first_paediatric_assessment_date", "", given(r.FirstPaediatricAssessmentDate))
	l.want("registration.eligibility_criteria_met", "", isTrue(r.EligibilityCriteriaMet))
	if !s.Lead {
		l.want(PathLeadSite, "", false)
	}
	// cohort and the two derived dates are computed from the date, not
	// answered (§5 "Fields excluded per form").
	return recordOf(c.Registration).anyGiven([]string{"cohort", "completed_first_year_of_care_date", "audit_submission_date"})
}

// valproateQuestionsAsked is §5.1's condition for the two pregnancy
// prevention questions of a maintenance medicine row: the medicine is
// sodium valproate, the child is female, is 12 or over in whole years
// today (not at first assessment: quirk 7), and the row says the programme
// is needed.
func valproateQuestionsAsked(c *audit.Child, med *audit.AntiEpilepsyMedicine, today audit.Date) bool {
	if !is(med.MedicineName, audit.MedicineSodiumValproate) || !isTrue(med.IsAPregnancyPreventionProgrammeNeeded) {
		return false
	}
	k := c.Case
	if k == nil || k.Sex == nil || *k.Sex != audit.SexFemale || k.DateOfBirth == nil {
		return false
	}
	// Whole years as dateutil's relativedelta counts them: the 12th
	// birthday of a child born on 29 February falls on 28 February in a
	// year without one.
	return k.DateOfBirth.AddYears(12).OnOrBefore(today)
}
