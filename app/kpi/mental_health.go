package kpi

import (
	"fmt"

	"clinaudit/app/audit"
)

// KPI 6, 7 and 8: mental health, and medication and reproduction risks.

const (
	fieldMentalHealthScreen     = "multiaxial_diagnosis.mental_health_screen"
	fieldMentalHealthIdentified = "multiaxial_diagnosis.mental_health_issue_identified"
	fieldMentalHealthSupport    = "management.has_support_for_mental_health_support"
	fieldSex                    = "case.sex"
	fieldAEDGiven               = "management.has_an_aed_been_given"
)

// Age thresholds, compared with the days ÷ 365.25 age (quirk 7). KPI 6's
// help text says "over 5"; the rule is ≥ 5.0.
const (
	mentalHealthMinAge = 5.0
	valproateMinAge    = 12.0
)

// scoreAssessmentOfMentalHealthIssues is KPI 6 (spec §6).
func scoreAssessmentOfMentalHealthIssues(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, multiaxialForm); !ok {
		return ex
	}
	if ex, ok := e.oldEnough(s, mentalHealthMinAge, "under_5", "Under 5"); !ok {
		return ex
	}
	return e.byAnswer(fieldMentalHealthScreen, s.c.MultiaxialDiagnosis.MentalHealthScreen,
		reason{"screen_unanswered", "Not scored yet: whether a mental health concern was sought is not answered."},
		reason{"screened", "Mental health concerns were asked about."},
		reason{"not_screened", "Mental health concerns were not asked about."})
}

// scoreMentalHealthSupport is KPI 7 (spec §6). There is no age criterion,
// and has_been_referred_for_mental_health_support is not used.
func scoreMentalHealthSupport(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, multiaxialForm, managementForm); !ok {
		return ex
	}
	identified := s.c.MultiaxialDiagnosis.MentalHealthIssueIdentified
	e.read(fieldMentalHealthIdentified)
	if identified == nil {
		return e.notScored("issue_unanswered", "Not scored yet: whether a mental health issue was identified is not answered.")
	}
	if !*identified {
		return e.ineligible("no_issue_identified", "No mental health issue was identified.")
	}
	return e.byAnswer(fieldMentalHealthSupport, s.c.Management.HasSupportForMentalHealthSupport,
		reason{"support_unanswered", "Not scored yet: a mental health issue was identified, but whether there is support for it is not answered."},
		reason{"support_in_place", "A mental health issue was identified and support is in place."},
		reason{"no_support", "A mental health issue was identified and there is no support for it."})
}

// scoreSodiumValproate is KPI 8 (spec §6). The age is the age at first
// assessment, although the UI's "programme needed" flag uses age today; that
// flag, and the medicine's start and stop dates, are not read.
func scoreSodiumValproate(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	if ex, ok := e.oldEnough(s, valproateMinAge, "under_12", "Under 12"); !ok {
		return ex
	}
	e.read(fieldSex)
	if sex := s.c.Case.Sex; sex == nil || *sex != audit.SexFemale {
		return e.ineligible("not_female", "The measure is for girls and young women; sex is not recorded as female.")
	}
	e.read(fieldAEDGiven)
	if s.c.Management.HasAnAEDBeenGiven == nil {
		return e.notScored("aed_unanswered", "Not scored yet: whether an anti-seizure medicine was given is not answered.")
	}
	e.read("antiepilepsy_medicines[].medicine_name")
	row := firstValproate(s.c.AntiEpilepsyMedicines)
	if row < 0 {
		return e.ineligible("no_valproate", "Not on sodium valproate.")
	}
	// Only the first valproate row counts, rescue or not, as in the audit.
	v := &s.c.AntiEpilepsyMedicines[row]
	prefix := fmt.Sprintf("antiepilepsy_medicines[%d].", row)
	e.read(prefix+"is_a_pregnancy_prevention_programme_in_place", prefix+"has_a_valproate_annual_risk_acknowledgement_form_been_completed")
	ppp, form := v.IsAPregnancyPreventionProgrammeInPlace, v.HasAValproateAnnualRiskAcknowledgementFormBeenCompleted
	if ppp == nil || form == nil {
		return e.notScored("valproate_risk_unanswered", "Not scored yet: on sodium valproate, but the pregnancy prevention programme and annual risk acknowledgement questions are not both answered.")
	}
	if *ppp || *form {
		return e.pass("valproate_risk_addressed", fmt.Sprintf("On sodium valproate: pregnancy prevention programme in place %s, annual risk acknowledgement form completed %s.", answer(ppp), answer(form)))
	}
	return e.fail("valproate_risk_not_addressed", "On sodium valproate with neither a pregnancy prevention programme in place nor an annual risk acknowledgement form completed.")
}

// firstValproate is the index of the first sodium valproate row, or -1.
func firstValproate(rows []audit.AntiEpilepsyMedicine) int {
	for i := range rows {
		if n := rows[i].MedicineName; n != nil && *n == audit.MedicineSodiumValproate {
			return i
		}
	}
	return -1
}
