package kpi

import (
	"fmt"
	"strings"

	"clinaudit/app/audit"
)

// KPI 1 and 2: specialist input within 2 weeks, and nurse input within the
// first year (the Milestones form). KPI 3a and 3b are in tertiary.go.

const (
	consultantPrefix  = "assessment.consultant_paediatrician_"
	neurologistPrefix = "assessment.paediatric_neurologist_"
	nursePrefix       = "assessment.epilepsy_specialist_nurse_"

	fieldCESSCriteria     = "assessment.childrens_epilepsy_surgical_service_referral_criteria_met"
	fieldCESSReferralDate = "assessment.childrens_epilepsy_surgical_service_referral_date"
	fieldNeurologistInput = neurologistPrefix + "input_date"
)

// maxDaysToSpecialistInput is KPI 1's "within 2 weeks" of referral: 14 days
// passes, 15 fails.
const maxDaysToSpecialistInput = 14

// pathway is one route to KPI 1: a consultant paediatrician with expertise
// in epilepsies, or a paediatric neurologist.
type pathway struct {
	who           string
	prefix        string
	referralMade  *bool
	referralDate  *audit.Date
	inputAchieved *bool
	inputDate     *audit.Date
	passRule      string
}

// scorePaediatricianWithExpertise is KPI 1 (spec §6): input within 14 days
// of referral on either pathway. There is no ineligible state.
func scorePaediatricianWithExpertise(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, assessmentForm); !ok {
		return ex
	}
	a := s.c.Assessment
	pathways := [2]pathway{
		{"a consultant paediatrician", consultantPrefix, a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate,
			a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate, "consultant_within_14_days"},
		{"a paediatric neurologist", neurologistPrefix, a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate,
			a.PaediatricNeurologistInputAchieved, a.PaediatricNeurologistInputDate, "neurologist_within_14_days"},
	}
	var failures []string
	// Steps 2-3: either pathway with both dates decides by the dates alone;
	// referral_made and input_achieved are not consulted (spec §6, KPI 1).
	for _, p := range pathways {
		e.read(p.prefix+"referral_date", p.prefix+"input_date")
		if p.referralDate == nil || p.inputDate == nil {
			continue
		}
		days := audit.DaysBetween(*p.referralDate, *p.inputDate)
		if days <= maxDaysToSpecialistInput {
			return e.pass(p.passRule, fmt.Sprintf("Seen by %s %d days after referral (%s to %s); %d days or fewer passes.",
				p.who, days, p.referralDate, p.inputDate, maxDaysToSpecialistInput))
		}
		failures = append(failures, fmt.Sprintf("%s saw the child %d days after referral", p.who, days))
	}
	// Steps 4-5: a pathway without both dates fails only on an explicit no.
	for _, p := range pathways {
		if p.referralDate != nil && p.inputDate != nil {
			continue
		}
		e.read(p.prefix+"referral_made", p.prefix+"input_achieved")
		switch {
		case isFalse(p.referralMade):
			failures = append(failures, "no referral to "+p.who)
		case isFalse(p.inputAchieved):
			failures = append(failures, "no input from "+p.who)
		}
	}
	if len(failures) > 0 {
		return e.fail("not_within_14_days", fmt.Sprintf("No specialist input within %d days of referral: %s.",
			maxDaysToSpecialistInput, strings.Join(failures, "; ")))
	}
	return e.notScored("awaiting_dates", "Not scored yet: needs the referral and input dates for a consultant paediatrician or a paediatric neurologist, or an answer that there was no referral or no input.")
}

// scoreEpilepsySpecialistNurse is KPI 2 (spec §6): epilepsy specialist nurse
// input on or before FPA + 1 year. There is no ineligible state.
func scoreEpilepsySpecialistNurse(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, assessmentForm); !ok {
		return ex
	}
	a := s.c.Assessment
	made, achieved, input := a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseInputAchieved, a.EpilepsySpecialistNurseInputDate
	e.read(nursePrefix + "referral_made")
	if isFalse(made) {
		return e.fail("nurse_not_referred", "No referral to an epilepsy specialist nurse.")
	}
	if made == nil {
		return e.notScored("referral_unanswered", "Not scored yet: whether the child was referred to an epilepsy specialist nurse is not answered.")
	}
	e.read(nursePrefix+"referral_date", nursePrefix+"input_achieved", nursePrefix+"input_date")
	switch {
	case a.EpilepsySpecialistNurseReferralDate == nil:
		return e.notScored("referral_date_missing", "Not scored yet: the date of referral to the epilepsy specialist nurse is missing.")
	case isTrue(achieved) && input == nil:
		return e.notScored("input_date_missing", "Not scored yet: nurse input is recorded as achieved but its date is missing.")
	case achieved == nil && input == nil:
		return e.notScored("input_unanswered", "Not scored yet: whether the epilepsy specialist nurse saw the child is not answered.")
	}
	if input != nil {
		e.read(fieldFPA)
		if s.withinFirstYear(*input) {
			return e.pass("nurse_within_first_year", fmt.Sprintf("Epilepsy specialist nurse input on %s, within the first year of care (on or before %s).", input, s.firstYearEnd))
		}
		return e.fail("nurse_after_first_year", fmt.Sprintf("Epilepsy specialist nurse input on %s, after the first year of care ended on %s.", input, s.firstYearEnd))
	}
	// Here achieved is false: the remaining case of the spec's step 4.
	return e.fail("nurse_input_not_achieved", "The epilepsy specialist nurse did not see the child.")
}
