package kpi

import (
	"fmt"
	"strings"

	"clinaudit/app/audit"
)

// KPI 3a and 3b: tertiary input and epilepsy surgery referral.

// Eligibility thresholds of KPI 3a (spec §6). The age one is inclusive
// ("≤ 3") although the audit's own description says "less than 3" (quirk 8).
const (
	tertiaryMaxAge             = 3.0
	tertiaryMyoclonicBelowAge  = 4.0
	tertiaryMinMaintenanceAEMs = 3
)

// scoreTertiaryInput is KPI 3a (spec §6). Once its three forms exist it is
// never "not scored": an eligible child with nothing filled in fails
// (quirk 6, followed on purpose).
func scoreTertiaryInput(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm, assessmentForm, multiaxialForm); !ok {
		return ex
	}
	if !s.hasAge {
		return e.ageUnknown()
	}
	a := s.c.Assessment
	e.read(fieldDateOfBirth, fieldFPA)
	var criteria []string
	if s.age <= tertiaryMaxAge {
		criteria = append(criteria, s.ageText()+", which is 3 or under")
	}
	e.read("episodes[].epilepsy_or_nonepilepsy_status", "episodes[].epileptic_generalised_onset", "episodes[].focal_onset_myoclonic")
	if s.age < tertiaryMyoclonicBelowAge && hasMyoclonicEpilepticEpisode(s.c.Episodes) {
		criteria = append(criteria, "an epileptic myoclonic seizure before the age of 4")
	}
	e.read("antiepilepsy_medicines[].is_rescue_medicine", "antiepilepsy_medicines[].antiepilepsy_medicine_start_date")
	aems := maintenanceMedicinesStartedInFirstYear(s)
	if aems >= tertiaryMinMaintenanceAEMs {
		criteria = append(criteria, fmt.Sprintf("%d maintenance medicines started in the first year", aems))
	}
	e.read(fieldCESSCriteria)
	if isTrue(a.ChildrensEpilepsySurgicalServiceReferralCriteriaMet) {
		criteria = append(criteria, "epilepsy surgery referral criteria met")
	}
	if len(criteria) == 0 {
		return e.ineligible("no_tertiary_criteria", fmt.Sprintf(
			"None of the criteria for tertiary input apply: %s (over 3); no epileptic myoclonic seizure before 4; %d maintenance medicines started in the first year (fewer than 3); epilepsy surgery criteria %s.",
			s.ageText(), aems, answer(a.ChildrensEpilepsySurgicalServiceReferralCriteriaMet)))
	}
	eligible := "Eligible (" + strings.Join(criteria, "; ") + ")"
	// The referral_made and input_achieved answers are ignored: only dates count.
	e.read(fieldCESSReferralDate, fieldNeurologistInput)
	if d := a.ChildrensEpilepsySurgicalServiceReferralDate; d != nil && s.withinFirstYear(*d) {
		return e.pass("cess_referral_within_first_year", fmt.Sprintf("%s and referred to epilepsy surgery on %s, within the first year (on or before %s).", eligible, d, s.firstYearEnd))
	}
	if d := a.PaediatricNeurologistInputDate; d != nil && s.withinFirstYear(*d) {
		return e.pass("neurologist_input_within_first_year", fmt.Sprintf("%s and seen by a paediatric neurologist on %s, within the first year (on or before %s).", eligible, d, s.firstYearEnd))
	}
	return e.fail("no_tertiary_input_in_first_year", fmt.Sprintf("%s, but there is no epilepsy surgery referral date or paediatric neurologist input date on or before %s.", eligible, s.firstYearEnd))
}

// hasMyoclonicEpilepticEpisode: an epileptic episode with generalised
// myoclonic onset or a focal myoclonic feature.
func hasMyoclonicEpilepticEpisode(episodes []audit.Episode) bool {
	for i := range episodes {
		ep := &episodes[i]
		if ep.EpilepsyOrNonepilepsyStatus == nil || *ep.EpilepsyOrNonepilepsyStatus != audit.StatusEpileptic {
			continue
		}
		if (ep.EpilepticGeneralisedOnset != nil && *ep.EpilepticGeneralisedOnset == audit.GeneralisedOnsetMyoclonic) || isTrue(ep.FocalOnsetMyoclonic) {
			return true
		}
	}
	return false
}

// maintenanceMedicinesStartedInFirstYear counts non-rescue medicine rows
// started strictly before FPA + 1 year (the source compares with "<" here,
// unlike the inclusive windows elsewhere). Rows with no start date, or not
// marked as non-rescue, do not count; stop dates are ignored.
func maintenanceMedicinesStartedInFirstYear(s *scorer) int {
	n := 0
	for i := range s.c.AntiEpilepsyMedicines {
		m := &s.c.AntiEpilepsyMedicines[i]
		if isFalse(m.IsRescueMedicine) && m.AntiepilepsyMedicineStartDate != nil && m.AntiepilepsyMedicineStartDate.Before(s.firstYearEnd) {
			n++
		}
	}
	return n
}

// scoreEpilepsySurgeryReferral is KPI 3b (spec §6). Input from a paediatric
// neurologist within the first year passes on its own, without any surgery
// referral: surprising, but it is the audit's rule. Age plays no part.
func scoreEpilepsySurgeryReferral(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, assessmentForm); !ok {
		return ex
	}
	a := s.c.Assessment
	e.read(fieldCESSCriteria)
	criteria := a.ChildrensEpilepsySurgicalServiceReferralCriteriaMet
	if criteria == nil {
		return e.notScored("cess_criteria_unanswered", "Not scored yet: whether the epilepsy surgery referral criteria are met is not answered.")
	}
	if !*criteria {
		return e.ineligible("cess_criteria_not_met", "The epilepsy surgery referral criteria are not met.")
	}
	e.read(fieldNeurologistInput, fieldCESSReferralDate)
	neuro, cess := a.PaediatricNeurologistInputDate, a.ChildrensEpilepsySurgicalServiceReferralDate
	if neuro == nil && cess == nil {
		return e.notScored("awaiting_referral_or_input", "Not scored yet: criteria met, but there is neither an epilepsy surgery referral date nor a paediatric neurologist input date.")
	}
	e.read(fieldFPA)
	if neuro != nil && s.withinFirstYear(*neuro) {
		return e.pass("neurologist_input_within_first_year", fmt.Sprintf("Criteria met and seen by a paediatric neurologist on %s, within the first year (on or before %s); this counts even without a surgery referral.", neuro, s.firstYearEnd))
	}
	if cess != nil && s.withinFirstYear(*cess) {
		return e.pass("cess_referral_within_first_year", fmt.Sprintf("Criteria met and referred to epilepsy surgery on %s, within the first year (on or before %s).", cess, s.firstYearEnd))
	}
	return e.fail("after_first_year", fmt.Sprintf("Criteria met, but neither an epilepsy surgery referral nor paediatric neurologist input is dated on or before %s.", s.firstYearEnd))
}
