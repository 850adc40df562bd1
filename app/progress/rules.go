package progress

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"clinaudit/app/audit"
)

// Each rule function below adds a form's expected answers to the checklist,
// in the order the form asks them, and reports whether anything at all has
// been answered on the form (expected or not), which decides NotStarted.
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
	return anyGiven(c.Registration, "cohort", "completed_first_year_of_care_date", "audit_submission_date")
}

// firstPaediatricAssessment is §5.1: all six fields of §2.4.
func firstPaediatricAssessment(l *checklist, c *audit.Child) bool {
	f := orZero(c.FirstPaediatricAssessment)
	const p = "first_paediatric_assessment."
	l.want(p+"first_paediatric_assessment_in_acute_or_nonacute_setting", "", given(f.FirstPaediatricAssessmentInAcuteOrNonacuteSetting))
	l.want(p+"has_number_of_episodes_since_the_first_been_documented", "", given(f.HasNumberOfEpisodesSinceTheFirstBeenDocumented))
	l.want(p+"general_examination_performed", "", given(f.GeneralExaminationPerformed))
	l.want(p+"neurological_examination_performed", "", given(f.NeurologicalExaminationPerformed))
	l.want(p+"developmental_learning_or_schooling_problems", "", given(f.DevelopmentalLearningOrSchoolingProblems))
	l.want(p+"behavioural_or_emotional_problems", "", given(f.BehaviouralOrEmotionalProblems))
	return anyGiven(c.FirstPaediatricAssessment)
}

// epilepsyContext is §5.1: all eight fields of §2.5.
func epilepsyContext(l *checklist, c *audit.Child) bool {
	e := orZero(c.EpilepsyContext)
	const p = "epilepsy_context."
	l.want(p+"previous_febrile_seizure", "", given(e.PreviousFebrileSeizure))
	l.want(p+"previous_acute_symptomatic_seizure", "", given(e.PreviousAcuteSymptomaticSeizure))
	l.want(p+"is_there_a_family_history_of_epilepsy", "", given(e.IsThereAFamilyHistoryOfEpilepsy))
	l.want(p+"previous_neonatal_seizures", "", given(e.PreviousNeonatalSeizures))
	l.want(p+"diagnosis_of_epilepsy_withdrawn", "", given(e.DiagnosisOfEpilepsyWithdrawn))
	l.want(p+"were_any_of_the_epileptic_seizures_convulsive", "", given(e.WereAnyOfTheEpilepticSeizuresConvulsive))
	l.want(p+"experienced_prolonged_generalized_convulsive_seizures", "", given(e.ExperiencedProlongedGeneralizedConvulsiveSeizures))
	l.want(p+"experienced_prolonged_focal_seizures", "", given(e.ExperiencedProlongedFocalSeizures))
	return anyGiven(c.EpilepsyContext)
}

// multiaxialDiagnosis is §5.1 "Multiaxial diagnosis", in the order of the
// form (DESSCRIBE): episodes, then syndromes, cause, impairments and
// comorbidities, developmental delay, autism, mental health.
func multiaxialDiagnosis(l *checklist, c *audit.Child) bool {
	m := orZero(c.MultiaxialDiagnosis)
	const p = "multiaxial_diagnosis."

	// Episodes. With none yet, one episode's five base answers are owed
	// (+5; not +10: see docs/progress.md). Otherwise each episode owes its
	// own, and while no episode is epileptic a further epileptic episode
	// is owed (+5).
	if len(c.Episodes) == 0 {
		newEpisode(l, "")
	} else {
		epileptic := false
		for i := range c.Episodes {
			if episode(l, i, &c.Episodes[i]) {
				epileptic = true
			}
		}
		if !epileptic {
			newEpisode(l, "episodes[].epilepsy_or_nonepilepsy_status")
		}
	}

	l.want(p+"syndrome_present", "", given(m.SyndromePresent))
	if isTrue(m.SyndromePresent) {
		const because = p + "syndrome_present"
		if len(c.Syndromes) == 0 {
			l.want("syndromes[].syndrome_name", because, false)
			l.want("syndromes[].syndrome_diagnosis_date", because, false)
		}
		for i, s := range c.Syndromes {
			r := fmt.Sprintf("syndromes[%d].", i)
			l.want(r+"syndrome_name", because, given(s.SyndromeName))
			l.want(r+"syndrome_diagnosis_date", because, given(s.SyndromeDiagnosisDate))
		}
	}

	l.want(p+"epilepsy_cause_known", "", given(m.EpilepsyCauseKnown))
	if isTrue(m.EpilepsyCauseKnown) {
		// The categories, not the cause itself (not scored, issue #1125).
		l.want(p+"epilepsy_cause_categories", p+"epilepsy_cause_known", len(m.EpilepsyCauseCategories) > 0)
	}

	l.want(p+"relevant_impairments_behavioural_educational", "", given(m.RelevantImpairmentsBehaviouralEducational))
	if isTrue(m.RelevantImpairmentsBehaviouralEducational) {
		const because = p + "relevant_impairments_behavioural_educational"
		if len(c.Comorbidities) == 0 {
			l.want("comorbidities[].comorbidityentity", because, false)
			l.want("comorbidities[].comorbidity_diagnosis_date", because, false)
		}
		for i, co := range c.Comorbidities {
			r := fmt.Sprintf("comorbidities[%d].", i)
			l.want(r+"comorbidityentity", because, given(co.Comorbidityentity))
			l.want(r+"comorbidity_diagnosis_date", because, given(co.ComorbidityDiagnosisDate))
		}
	}

	l.want(p+"global_developmental_delay_or_learning_difficulties", "", given(m.GlobalDevelopmentalDelayOrLearningDifficulties))
	if isTrue(m.GlobalDevelopmentalDelayOrLearningDifficulties) {
		l.want(p+"global_developmental_delay_or_learning_difficulties_severity", p+"global_developmental_delay_or_learning_difficulties", given(m.GlobalDevelopmentalDelayOrLearningDifficultiesSeverity))
	}

	l.want(p+"autistic_spectrum_disorder", "", given(m.AutisticSpectrumDisorder))
	l.want(p+"mental_health_screen", "", given(m.MentalHealthScreen))

	l.want(p+"mental_health_issue_identified", "", given(m.MentalHealthIssueIdentified))
	if isTrue(m.MentalHealthIssueIdentified) {
		l.want(p+"mental_health_issues", p+"mental_health_issue_identified", len(m.MentalHealthIssues) > 0)
	}

	if anyGiven(c.MultiaxialDiagnosis) {
		return true
	}
	for i := range c.Episodes {
		if anyGiven(&c.Episodes[i]) {
			return true
		}
	}
	for i := range c.Syndromes {
		if anyGiven(&c.Syndromes[i]) {
			return true
		}
	}
	for i := range c.Comorbidities {
		if anyGiven(&c.Comorbidities[i]) {
			return true
		}
	}
	return false
}

// episodeBase are the five answers every episode owes (§5.1).
var episodeBase = []string{
	"seizure_onset_date",
	"seizure_onset_date_confidence",
	"episode_definition",
	"has_description_of_the_episode_or_episodes_been_gathered",
	"epilepsy_or_nonepilepsy_status",
}

// newEpisode owes the five base answers of an episode not added yet.
func newEpisode(l *checklist, because string) {
	for _, f := range episodeBase {
		l.want("episodes[]."+f, because, false)
	}
}

// nonEpilepsySubtype names the subtype field each non-epileptic type asks
// for (§2.7). Type "Oth" asks for none.
var nonEpilepsySubtype = map[string]string{
	"SAS": "nonepileptic_seizure_syncope",
	"BPP": "nonepileptic_seizure_behavioural",
	"SRC": "nonepileptic_seizure_sleep",
	"PMD": "nonepileptic_seizure_paroxysmal",
	"MAD": "nonepileptic_seizure_migraine",
	"ME":  "nonepileptic_seizure_miscellaneous",
}

// nonEpilepsySubtypeValue returns the episode's answer to a subtype field.
func nonEpilepsySubtypeValue(e *audit.Episode, field string) *string {
	switch field {
	case "nonepileptic_seizure_syncope":
		return e.NonepilepticSeizureSyncope
	case "nonepileptic_seizure_behavioural":
		return e.NonepilepticSeizureBehavioural
	case "nonepileptic_seizure_sleep":
		return e.NonepilepticSeizureSleep
	case "nonepileptic_seizure_paroxysmal":
		return e.NonepilepticSeizureParoxysmal
	case "nonepileptic_seizure_migraine":
		return e.NonepilepticSeizureMigraine
	case "nonepileptic_seizure_miscellaneous":
		return e.NonepilepticSeizureMiscellaneous
	}
	return nil
}

// episode adds episode i's expected answers and reports whether its status
// is epileptic. The description and its keywords are not scored (§5, issue
// #1015), nor are the focal features other than laterality.
func episode(l *checklist, i int, e *audit.Episode) (epileptic bool) {
	p := fmt.Sprintf("episodes[%d].", i)
	l.want(p+"seizure_onset_date", "", given(e.SeizureOnsetDate))
	l.want(p+"seizure_onset_date_confidence", "", given(e.SeizureOnsetDateConfidence))
	l.want(p+"episode_definition", "", given(e.EpisodeDefinition))
	l.want(p+"has_description_of_the_episode_or_episodes_been_gathered", "", given(e.HasDescriptionOfTheEpisodeOrEpisodesBeenGathered))
	l.want(p+"epilepsy_or_nonepilepsy_status", "", given(e.EpilepsyOrNonepilepsyStatus))

	status := p + "epilepsy_or_nonepilepsy_status"
	switch {
	case is(e.EpilepsyOrNonepilepsyStatus, audit.StatusEpileptic):
		l.want(p+"epileptic_seizure_onset_type", status, given(e.EpilepticSeizureOnsetType))
		onset := p + "epileptic_seizure_onset_type"
		switch {
		case is(e.EpilepticSeizureOnsetType, "GO"):
			l.want(p+"epileptic_generalised_onset", onset, given(e.EpilepticGeneralisedOnset))
		case is(e.EpilepticSeizureOnsetType, "FO"):
			// Laterality is a radio of three booleans; only a true one
			// answers it. The gap points at its first option.
			lateral := isTrue(e.FocalOnsetLeft) || isTrue(e.FocalOnsetRight) || isTrue(e.FocalOnsetLateralityUnknown)
			l.want(p+"focal_onset_left", onset, lateral)
		}
		// "UO" and "UC" ask for nothing more.
		return true

	case is(e.EpilepsyOrNonepilepsyStatus, audit.StatusNonEpileptic):
		l.want(p+"nonepileptic_seizure_unknown_onset", status, given(e.NonepilepticSeizureUnknownOnset))
		l.want(p+"nonepileptic_seizure_type", status, given(e.NonepilepticSeizureType))
		if is(e.NonepilepticSeizureType, "Oth") {
			// +2, not 3: "other" has no subtype, and its free text is not
			// expected (it is the extra answer of quirk 9).
			return false
		}
		if e.NonepilepticSeizureType == nil {
			// The subtype is asked once the type is chosen.
			l.want(p+"nonepileptic_seizure_type", status, false)
			return false
		}
		field, ok := nonEpilepsySubtype[*e.NonepilepticSeizureType]
		if !ok {
			// Not a type Decode accepts; the type needs answering again.
			l.want(p+"nonepileptic_seizure_type", status, false)
			return false
		}
		l.want(p+field, p+"nonepileptic_seizure_type", given(nonEpilepsySubtypeValue(e, field)))
	}
	// Uncertain ("U") or no status yet: nothing more.
	return false
}

// assessment is §5.1 "Milestones". Each referral made asks for its date
// and (except the surgical service) whether input was achieved, and that
// date once it was; the paediatrician, neurologist and surgical service
// referrals also ask for the centre, which is a site record. The surgical
// service's input date is never expected (not scored).
func assessment(l *checklist, c *audit.Child, s Sites) bool {
	a := orZero(c.Assessment)
	const p = "assessment."
	l.want(p+"childrens_epilepsy_surgical_service_referral_criteria_met", "", given(a.ChildrensEpilepsySurgicalServiceReferralCriteriaMet))

	referral(l, "consultant_paediatrician", a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate,
		a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate, PathGeneralPaediatricCentre, s.GeneralPaediatricCentre)
	referral(l, "paediatric_neurologist", a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate,
		a.PaediatricNeurologistInputAchieved, a.PaediatricNeurologistInputDate, PathPaediatricNeurologyCentre, s.PaediatricNeurologyCentre)

	l.want(p+"childrens_epilepsy_surgical_service_referral_made", "", given(a.ChildrensEpilepsySurgicalServiceReferralMade))
	if isTrue(a.ChildrensEpilepsySurgicalServiceReferralMade) {
		const because = p + "childrens_epilepsy_surgical_service_referral_made"
		l.want(p+"childrens_epilepsy_surgical_service_referral_date", because, given(a.ChildrensEpilepsySurgicalServiceReferralDate))
		l.want(PathEpilepsySurgeryCentre, because, s.EpilepsySurgeryCentre)
	}

	referral(l, "epilepsy_specialist_nurse", a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseReferralDate,
		a.EpilepsySpecialistNurseInputAchieved, a.EpilepsySpecialistNurseInputDate, "", false)

	return anyGiven(c.Assessment)
}

// referral adds one specialist's referral questions. centrePath is "" for
// the nurse, who has no centre.
func referral(l *checklist, who string, made *bool, date *audit.Date, achieved *bool, inputDate *audit.Date, centrePath string, centre bool) {
	p := "assessment." + who + "_"
	l.want(p+"referral_made", "", given(made))
	if !isTrue(made) {
		return
	}
	l.want(p+"referral_date", p+"referral_made", given(date))
	l.want(p+"input_achieved", p+"referral_made", given(achieved))
	if isTrue(achieved) {
		l.want(p+"input_date", p+"input_achieved", given(inputDate))
	}
	if centrePath != "" {
		l.want(centrePath, p+"referral_made", centre)
	}
}

// investigations is §5.1 "Tests". A declined EEG or MRI answers its date
// (data-format.md: "declined" is an answer, not a sentinel date).
func investigations(l *checklist, c *audit.Child) bool {
	v := orZero(c.Investigations)
	const p = "investigations."
	l.want(p+"eeg_indicated", "", given(v.EEGIndicated))
	if isTrue(v.EEGIndicated) {
		l.want(p+"eeg_request_date", p+"eeg_indicated", given(v.EEGRequestDate))
		l.want(p+"eeg_performed_date", p+"eeg_indicated", given(v.EEGPerformedDate) || isTrue(v.EEGDeclined))
	}
	l.want(p+"twelve_lead_ecg_status", "", given(v.TwelveLeadECGStatus))
	l.want(p+"ct_head_scan_status", "", given(v.CTHeadScanStatus))
	l.want(p+"mri_indicated", "", given(v.MRIIndicated))
	if isTrue(v.MRIIndicated) {
		l.want(p+"mri_brain_requested_date", p+"mri_indicated", given(v.MRIBrainRequestedDate))
		l.want(p+"mri_brain_reported_date", p+"mri_indicated", given(v.MRIBrainReportedDate) || isTrue(v.MRIBrainDeclined))
	}
	return anyGiven(c.Investigations)
}

// carePlanFields are the ten answers a care plan asks for (§5.1).
var carePlanFields = []struct {
	name string
	get  func(*audit.Management) bool
}{
	{"individualised_care_plan_date", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanDate) }},
	{"individualised_care_plan_has_parent_carer_child_agreement", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanHasParentCarerChildAgreement) }},
	{"individualised_care_plan_includes_service_contact_details", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanIncludesServiceContactDetails) }},
	{"individualised_care_plan_include_first_aid", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanIncludeFirstAid) }},
	{"individualised_care_plan_parental_prolonged_seizure_care", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanParentalProlongedSeizureCare) }},
	{"individualised_care_plan_includes_general_participation_risk", func(m *audit.Management) bool {
		return given(m.IndividualisedCarePlanIncludesGeneralParticipationRisk)
	}},
	{"individualised_care_plan_addresses_water_safety", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanAddressesWaterSafety) }},
	{"individualised_care_plan_addresses_sudep", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanAddressesSUDEP) }},
	{"individualised_care_plan_includes_ehcp", func(m *audit.Management) bool { return given(m.IndividualisedCarePlanIncludesEHCP) }},
	{"has_individualised_care_plan_been_updated_in_the_last_year", func(m *audit.Management) bool {
		return given(m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear)
	}},
}

// management is §5.1 "Treatment and care planning".
func management(l *checklist, c *audit.Child, today audit.Date) bool {
	m := orZero(c.Management)
	const p = "management."

	l.want(p+"has_an_aed_been_given", "", given(m.HasAnAEDBeenGiven))
	if isTrue(m.HasAnAEDBeenGiven) {
		medicines(l, c, false, p+"has_an_aed_been_given", today)
	}
	l.want(p+"has_rescue_medication_been_prescribed", "", given(m.HasRescueMedicationBeenPrescribed))
	if isTrue(m.HasRescueMedicationBeenPrescribed) {
		medicines(l, c, true, p+"has_rescue_medication_been_prescribed", today)
	}

	l.want(p+"individualised_care_plan_in_place", "", given(m.IndividualisedCarePlanInPlace))
	if isTrue(m.IndividualisedCarePlanInPlace) {
		for _, f := range carePlanFields {
			l.want(p+f.name, p+"individualised_care_plan_in_place", f.get(m))
		}
	}

	l.want(p+"has_been_referred_for_mental_health_support", "", given(m.HasBeenReferredForMentalHealthSupport))
	l.want(p+"has_support_for_mental_health_support", "", given(m.HasSupportForMentalHealthSupport))

	if anyGiven(c.Management) {
		return true
	}
	for i := range c.AntiEpilepsyMedicines {
		// Which list a row is in, and whether the programme is needed, are
		// set by the application, not answered.
		if anyGiven(&c.AntiEpilepsyMedicines[i], "is_rescue_medicine", "is_a_pregnancy_prevention_programme_needed") {
			return true
		}
	}
	return false
}

// medicines adds the rows of one medicine list (rescue or not): three
// answers per row (medicine, start date, risk discussed), or three for a
// first row while the list is empty. The stop date is optional. A row
// without is_rescue_medicine is in neither list (as in Epilepsy12, whose
// lists filter on true and false).
func medicines(l *checklist, c *audit.Child, rescue bool, because string, today audit.Date) {
	rows := 0
	for i := range c.AntiEpilepsyMedicines {
		med := &c.AntiEpilepsyMedicines[i]
		if med.IsRescueMedicine == nil || *med.IsRescueMedicine != rescue {
			continue
		}
		rows++
		p := fmt.Sprintf("antiepilepsy_medicines[%d].", i)
		l.want(p+"medicine_name", because, given(med.MedicineName))
		l.want(p+"antiepilepsy_medicine_start_date", because, given(med.AntiepilepsyMedicineStartDate))
		l.want(p+"antiepilepsy_medicine_risk_discussed", because, given(med.AntiepilepsyMedicineRiskDiscussed))
		if !rescue && valproateQuestionsAsked(c, med, today) {
			needed := p + "is_a_pregnancy_prevention_programme_needed"
			l.want(p+"is_a_pregnancy_prevention_programme_in_place", needed, given(med.IsAPregnancyPreventionProgrammeInPlace))
			l.want(p+"has_a_valproate_annual_risk_acknowledgement_form_been_completed", needed, given(med.HasAValproateAnnualRiskAcknowledgementFormBeenCompleted))
		}
	}
	if rows == 0 {
		const p = "antiepilepsy_medicines[]."
		l.want(p+"medicine_name", because, false)
		l.want(p+"antiepilepsy_medicine_start_date", because, false)
		l.want(p+"antiepilepsy_medicine_risk_discussed", because, false)
	}
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

// anyGiven reports whether the record (a pointer to a form or row struct,
// possibly nil) holds any answer: a non-nil field or a non-empty list,
// other than the fields named in skip (by JSON name).
func anyGiven(record any, skip ...string) bool {
	v := reflect.ValueOf(record)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	v = v.Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if slices.Contains(skip, name) {
			continue
		}
		switch f := v.Field(i); f.Kind() {
		case reflect.Pointer:
			if !f.IsNil() {
				return true
			}
		case reflect.Slice:
			if f.Len() > 0 {
				return true
			}
		}
	}
	return false
}
