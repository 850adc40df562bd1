package audit

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"clinaudit/app/cohort"
)

// declinedSentinel is the date Epilepsy12 stores for "declined" (quirk 10).
// clinaudit records declined explicitly, so the date is refused on input.
var declinedSentinel = Date{1915, 4, 15}

// Validate checks what the JSON types cannot: codes are in their lists,
// syndrome and medicine names exist, rows have their parent form, derived
// registration fields agree with the first paediatric assessment date, and
// "declined" is recorded as an answer rather than a sentinel date.
//
// It deliberately does not enforce the data-entry rules of spec §4.1 (date
// order, not in the future): the national audit scores whatever was stored,
// and so must the KPI engine.
func (c *Child) Validate() error {
	var v validator
	if c.Case != nil {
		v.checkCase(c.Case)
	}
	if c.Registration != nil {
		v.checkRegistration(c.Registration)
	}
	if f := c.FirstPaediatricAssessment; f != nil {
		v.intCode("first_paediatric_assessment.first_paediatric_assessment_in_acute_or_nonacute_setting", f.FirstPaediatricAssessmentInAcuteOrNonacuteSetting, chronicityCodes)
	}
	if e := c.EpilepsyContext; e != nil {
		v.checkEpilepsyContext(e)
	}
	if m := c.MultiaxialDiagnosis; m != nil {
		v.code("multiaxial_diagnosis.global_developmental_delay_or_learning_difficulties_severity", m.GlobalDevelopmentalDelayOrLearningDifficultiesSeverity, severityCodes)
		v.codeList("multiaxial_diagnosis.epilepsy_cause_categories", m.EpilepsyCauseCategories, causeCategoryCodes)
		v.codeList("multiaxial_diagnosis.mental_health_issues", m.MentalHealthIssues, neuropsychiatricCodes)
	}
	if i := c.Investigations; i != nil {
		v.checkDeclined("investigations.eeg_performed_date", i.EEGPerformedDate, "eeg_declined", i.EEGDeclined)
		v.checkDeclined("investigations.mri_brain_reported_date", i.MRIBrainReportedDate, "mri_brain_declined", i.MRIBrainDeclined)
	}
	for n, e := range c.Episodes {
		v.checkEpisode(fmt.Sprintf("episodes[%d]", n), &e)
	}
	for n, s := range c.Syndromes {
		if s.SyndromeName != nil && !slices.Contains(syndromeNames, *s.SyndromeName) {
			v.fail(fmt.Sprintf("syndromes[%d].syndrome_name", n), "%q is not in the syndrome list", *s.SyndromeName)
		}
	}
	for n, m := range c.AntiEpilepsyMedicines {
		v.checkMedicine(fmt.Sprintf("antiepilepsy_medicines[%d]", n), &m)
	}
	if s := c.Sites; s != nil {
		v.odsCode("sites.site_is_general_paediatric_centre", s.GeneralPaediatricCentre)
		v.odsCode("sites.site_is_paediatric_neurology_centre", s.PaediatricNeurologyCentre)
		v.odsCode("sites.site_is_childrens_epilepsy_surgery_centre", s.ChildrensEpilepsySurgeryCentre)
	}
	v.checkParents(c)
	return v.errs.orNil()
}

type validator struct{ errs Errors }

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Path: path, Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) code(path string, got *string, allowed []string) {
	if got != nil && !slices.Contains(allowed, *got) {
		v.fail(path, "%q is not one of %s", *got, strings.Join(allowed, ", "))
	}
}

func (v *validator) intCode(path string, got *int, allowed []int) {
	if got != nil && !slices.Contains(allowed, *got) {
		v.fail(path, "%d is not one of %s", *got, strings.Trim(fmt.Sprint(allowed), "[]"))
	}
}

// codeList checks a multi-choice answer: known codes, each at most once (the
// UI toggles a code in and out, so it can never appear twice).
func (v *validator) codeList(path string, got, allowed []string) {
	for i, s := range got {
		v.code(fmt.Sprintf("%s[%d]", path, i), &s, allowed)
		if slices.Contains(got[:i], s) {
			v.fail(fmt.Sprintf("%s[%d]", path, i), "%q appears more than once", s)
		}
	}
}

func (v *validator) maxChars(path string, got *string, limit int) {
	if got != nil && utf8.RuneCountInString(*got) > limit {
		v.fail(path, "is longer than %d characters", limit)
	}
}

func (v *validator) checkCase(c *Case) {
	if c.NHSNumber != nil && (len(*c.NHSNumber) != 10 || strings.Trim(*c.NHSNumber, "0123456789") != "") {
		v.fail("case.nhs_number", "%q is not 10 digits", *c.NHSNumber)
	}
	v.maxChars("case.unique_reference_number", c.UniqueReferenceNumber, 20)
	v.intCode("case.sex", c.Sex, sexCodes)
	v.code("case.ethnicity", c.Ethnicity, ethnicityCodes)
	v.intCode("case.index_of_multiple_deprivation_quintile", c.IndexOfMultipleDeprivationQuintile, []int{1, 2, 3, 4, 5})
}

func (v *validator) checkRegistration(r *Registration) {
	fpa := r.FirstPaediatricAssessmentDate
	if r.CompletedFirstYearOfCareDate != nil {
		if fpa == nil || !r.CompletedFirstYearOfCareDate.Equal(fpa.AddYears(1)) {
			v.fail("registration.completed_first_year_of_care_date", "must be first_paediatric_assessment_date + 1 year")
		}
	}
	// The cohort rule is app/cohort's; a date with no cohort matches none.
	var c cohort.Cohort
	hasCohort := false
	if fpa != nil {
		c, hasCohort = cohort.ForDate(fpa.Time())
	}
	if r.Cohort != nil && (!hasCohort || *r.Cohort != int(c)) {
		v.fail("registration.cohort", "%d is not the cohort of the first paediatric assessment date", *r.Cohort)
	}
	if r.AuditSubmissionDate != nil && (!hasCohort || !r.AuditSubmissionDate.Equal(DateOf(c.SubmissionDeadline()))) {
		v.fail("registration.audit_submission_date", "is not the submission date of the first paediatric assessment date's cohort")
	}
}

func (v *validator) checkEpilepsyContext(e *EpilepsyContext) {
	for _, f := range []struct {
		name string
		got  *string
	}{
		{"previous_febrile_seizure", e.PreviousFebrileSeizure},
		{"previous_acute_symptomatic_seizure", e.PreviousAcuteSymptomaticSeizure},
		{"is_there_a_family_history_of_epilepsy", e.IsThereAFamilyHistoryOfEpilepsy},
		{"previous_neonatal_seizures", e.PreviousNeonatalSeizures},
		{"experienced_prolonged_generalized_convulsive_seizures", e.ExperiencedProlongedGeneralizedConvulsiveSeizures},
		{"experienced_prolonged_focal_seizures", e.ExperiencedProlongedFocalSeizures},
	} {
		v.code("epilepsy_context."+f.name, f.got, optOutUncertainCodes)
	}
}

func (v *validator) checkEpisode(path string, e *Episode) {
	v.code(path+".seizure_onset_date_confidence", e.SeizureOnsetDateConfidence, dateAccuracyCodes)
	v.code(path+".episode_definition", e.EpisodeDefinition, episodeDefinitionCodes)
	v.maxChars(path+".description", e.Description, 2000)
	v.code(path+".epilepsy_or_nonepilepsy_status", e.EpilepsyOrNonepilepsyStatus, diagnosisStatusCodes)
	v.code(path+".epileptic_seizure_onset_type", e.EpilepticSeizureOnsetType, seizureOnsetTypeCodes)
	v.code(path+".epileptic_generalised_onset", e.EpilepticGeneralisedOnset, generalisedOnsetCodes)
	v.code(path+".nonepileptic_seizure_unknown_onset", e.NonepilepticSeizureUnknownOnset, nonEpilepsyOnsetCodes)
	v.code(path+".nonepileptic_seizure_type", e.NonepilepticSeizureType, nonEpilepsyTypeCodes)
	v.code(path+".nonepileptic_seizure_syncope", e.NonepilepticSeizureSyncope, syncopeCodes)
	v.code(path+".nonepileptic_seizure_behavioural", e.NonepilepticSeizureBehavioural, behaviouralCodes)
	v.code(path+".nonepileptic_seizure_sleep", e.NonepilepticSeizureSleep, sleepCodes)
	v.code(path+".nonepileptic_seizure_paroxysmal", e.NonepilepticSeizureParoxysmal, paroxysmalCodes)
	v.code(path+".nonepileptic_seizure_migraine", e.NonepilepticSeizureMigraine, migraineCodes)
	v.code(path+".nonepileptic_seizure_miscellaneous", e.NonepilepticSeizureMiscellaneous, miscellaneousCodes)
	v.maxChars(path+".nonepileptic_seizure_other", e.NonepilepticSeizureOther, 250)
}

func (v *validator) checkMedicine(path string, m *AntiEpilepsyMedicine) {
	if m.IsRescueMedicine == nil {
		v.fail(path+".is_rescue_medicine", "is required: true for a rescue medicine, false otherwise")
		return
	}
	if m.MedicineName == nil {
		return
	}
	want := Medicine{*m.MedicineName, *m.IsRescueMedicine}
	if !slices.Contains(medicines, want) {
		list := "maintenance"
		if want.IsRescue {
			list = "rescue"
		}
		v.fail(path+".medicine_name", "%q is not in the %s medicine list", want.Name, list)
	}
}

// checkDeclined refuses the sentinel date and a date given with "declined".
func (v *validator) checkDeclined(path string, date *Date, declinedField string, declined *bool) {
	if date == nil {
		return
	}
	if date.Equal(declinedSentinel) {
		v.fail(path, "1915-04-15 is Epilepsy12's \"declined\" marker; leave the date empty and set investigations.%s to true", declinedField)
		return
	}
	if declined != nil && *declined {
		v.fail(path, "must be empty when investigations.%s is true", declinedField)
	}
}

// checkParents refuses rows whose form record is missing: in Epilepsy12 a
// row cannot exist without its parent record.
func (v *validator) checkParents(c *Child) {
	if c.MultiaxialDiagnosis == nil {
		for _, rows := range []struct {
			name string
			n    int
		}{{"episodes", len(c.Episodes)}, {"syndromes", len(c.Syndromes)}, {"comorbidities", len(c.Comorbidities)}} {
			if rows.n > 0 {
				v.fail(rows.name, "rows need the multiaxial_diagnosis form, which is missing")
			}
		}
	}
	if c.Management == nil && len(c.AntiEpilepsyMedicines) > 0 {
		v.fail("antiepilepsy_medicines", "rows need the management form, which is missing")
	}
	if c.Assessment == nil && c.Sites != nil {
		v.fail("sites", "centres need the assessment form, which is missing")
	}
}

// odsCode checks the shape of an organisation's ODS code (which
// organisations exist is for the forms to check): 3 to 10 capital letters
// and digits, as the reference data spells them.
func (v *validator) odsCode(path string, got *string) {
	if got == nil {
		return
	}
	ok := len(*got) >= 3 && len(*got) <= 10
	for _, r := range *got {
		ok = ok && (r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}
	if !ok {
		v.fail(path, "%q is not an ODS code (3 to 10 capital letters and digits)", *got)
	}
}
