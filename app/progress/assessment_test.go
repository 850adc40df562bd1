package progress

import (
	"testing"

	"clinaudit/app/audit"
)

// msBase has the five base questions answered "no".
func msBase(edit ...func(*audit.Assessment)) *audit.Child {
	a := audit.Assessment{
		ChildrensEpilepsySurgicalServiceReferralCriteriaMet: no(),
		ConsultantPaediatricianReferralMade:                 no(),
		PaediatricNeurologistReferralMade:                   no(),
		ChildrensEpilepsySurgicalServiceReferralMade:        no(),
		EpilepsySpecialistNurseReferralMade:                 no(),
	}
	for _, f := range edit {
		f(&a)
	}
	return &audit.Child{Assessment: &a}
}

// TestAssessment is §5.1 "Milestones": each referral made asks for its
// date, whether input was achieved (not the surgical service), the input
// date once achieved, and the centre (not the nurse).
func TestAssessment(t *testing.T) {
	const p = "assessment."
	d := day("2023-06-20")
	allSites := &Sites{Lead: true, GeneralPaediatricCentre: true, PaediatricNeurologyCentre: true, EpilepsySurgeryCentre: true}
	runForm(t, Assessment, []row{
		{name: "empty", child: &audit.Child{Assessment: &audit.Assessment{}}, expected: 5, status: NotStarted,
			missing: prefixed(p, "childrens_epilepsy_surgical_service_referral_criteria_met", "consultant_paediatrician_referral_made",
				"paediatric_neurologist_referral_made", "childrens_epilepsy_surgical_service_referral_made", "epilepsy_specialist_nurse_referral_made")},
		{name: "base all no", child: msBase(), expected: 5, answered: 5, status: Completed},

		// Consultant paediatrician: +3 (date, achieved, centre), +1 input date.
		{name: "paediatrician referred", child: msBase(func(a *audit.Assessment) { a.ConsultantPaediatricianReferralMade = yes() }),
			expected: 8, answered: 5, status: InProgress,
			missing: []string{p + "consultant_paediatrician_referral_date", p + "consultant_paediatrician_input_achieved", PathGeneralPaediatricCentre}},
		{name: "paediatrician referred, input not achieved, centre chosen", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved = yes(), d, no()
		}), sites: &Sites{Lead: true, GeneralPaediatricCentre: true}, expected: 8, answered: 8, status: Completed},
		{name: "paediatrician input achieved, no input date", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved = yes(), d, yes()
		}), sites: &Sites{Lead: true, GeneralPaediatricCentre: true}, expected: 9, answered: 8, status: InProgress,
			missing: []string{p + "consultant_paediatrician_input_date"}},
		{name: "paediatrician complete", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate = yes(), d, yes(), d
		}), sites: &Sites{Lead: true, GeneralPaediatricCentre: true}, expected: 9, answered: 9, status: Completed},
		{name: "paediatrician complete but no centre recorded (the default)", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate = yes(), d, yes(), d
		}), expected: 9, answered: 8, status: InProgress, missing: []string{PathGeneralPaediatricCentre}},
		{name: "paediatrician not referred: dates and centre left over are extra", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate = d, yes(), d
		}), sites: allSites, expected: 5, answered: 5, status: Completed},

		// Paediatric neurologist: the same shape, neurology centre.
		{name: "neurologist referred", child: msBase(func(a *audit.Assessment) { a.PaediatricNeurologistReferralMade = yes() }),
			expected: 8, answered: 5, status: InProgress,
			missing: []string{p + "paediatric_neurologist_referral_date", p + "paediatric_neurologist_input_achieved", PathPaediatricNeurologyCentre}},
		{name: "neurologist input achieved", child: msBase(func(a *audit.Assessment) {
			a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate, a.PaediatricNeurologistInputAchieved = yes(), d, yes()
		}), sites: &Sites{Lead: true, PaediatricNeurologyCentre: true}, expected: 9, answered: 8, status: InProgress,
			missing: []string{p + "paediatric_neurologist_input_date"}},
		{name: "neurologist complete", child: msBase(func(a *audit.Assessment) {
			a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate, a.PaediatricNeurologistInputAchieved, a.PaediatricNeurologistInputDate = yes(), d, yes(), d
		}), sites: &Sites{Lead: true, PaediatricNeurologyCentre: true}, expected: 9, answered: 9, status: Completed},
		{name: "neurologist referred, the general paediatric centre does not count", child: msBase(func(a *audit.Assessment) {
			a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate, a.PaediatricNeurologistInputAchieved = yes(), d, no()
		}), sites: &Sites{Lead: true, GeneralPaediatricCentre: true}, expected: 8, answered: 7, status: InProgress,
			missing: []string{PathPaediatricNeurologyCentre}},

		// Surgical service: +2 (date, centre); its input date is not scored.
		{name: "surgery referred", child: msBase(func(a *audit.Assessment) { a.ChildrensEpilepsySurgicalServiceReferralMade = yes() }),
			expected: 7, answered: 5, status: InProgress,
			missing: []string{p + "childrens_epilepsy_surgical_service_referral_date", PathEpilepsySurgeryCentre}},
		{name: "surgery complete", child: msBase(func(a *audit.Assessment) {
			a.ChildrensEpilepsySurgicalServiceReferralMade, a.ChildrensEpilepsySurgicalServiceReferralDate = yes(), d
		}), sites: &Sites{Lead: true, EpilepsySurgeryCentre: true}, expected: 7, answered: 7, status: Completed},
		{name: "surgery input date is never expected", child: msBase(func(a *audit.Assessment) {
			a.ChildrensEpilepsySurgicalServiceReferralMade, a.ChildrensEpilepsySurgicalServiceReferralDate, a.ChildrensEpilepsySurgicalServiceInputDate = yes(), d, d
		}), sites: &Sites{Lead: true, EpilepsySurgeryCentre: true}, expected: 7, answered: 7, status: Completed},

		// Nurse: +2 (date, achieved), +1 input date; no centre.
		{name: "nurse referred", child: msBase(func(a *audit.Assessment) { a.EpilepsySpecialistNurseReferralMade = yes() }),
			expected: 7, answered: 5, status: InProgress,
			missing: []string{p + "epilepsy_specialist_nurse_referral_date", p + "epilepsy_specialist_nurse_input_achieved"}},
		{name: "nurse input achieved", child: msBase(func(a *audit.Assessment) {
			a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseReferralDate, a.EpilepsySpecialistNurseInputAchieved = yes(), d, yes()
		}), expected: 8, answered: 7, status: InProgress, missing: []string{p + "epilepsy_specialist_nurse_input_date"}},
		{name: "nurse input not achieved: input date left over is extra", child: msBase(func(a *audit.Assessment) {
			a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseReferralDate, a.EpilepsySpecialistNurseInputAchieved, a.EpilepsySpecialistNurseInputDate = yes(), d, no(), d
		}), expected: 7, answered: 7, status: Completed},

		{name: "everything referred and achieved", child: msBase(func(a *audit.Assessment) {
			a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate, a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate = yes(), d, yes(), d
			a.PaediatricNeurologistReferralMade, a.PaediatricNeurologistReferralDate, a.PaediatricNeurologistInputAchieved, a.PaediatricNeurologistInputDate = yes(), d, yes(), d
			a.ChildrensEpilepsySurgicalServiceReferralMade, a.ChildrensEpilepsySurgicalServiceReferralDate = yes(), d
			a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseReferralDate, a.EpilepsySpecialistNurseInputAchieved, a.EpilepsySpecialistNurseInputDate = yes(), d, yes(), d
		}), sites: allSites, expected: 5 + 4 + 4 + 2 + 3, answered: 18, status: Completed},

		{name: "surgery input date alone starts the form", child: &audit.Child{Assessment: &audit.Assessment{ChildrensEpilepsySurgicalServiceInputDate: d}},
			expected: 5, status: InProgress},
	})
}
