package progress

import (
	"testing"

	"clinaudit/app/audit"
)

func regChild(r audit.Registration) *audit.Child { return &audit.Child{Registration: &r} }

// TestRegistration is §5.1 "Registration": the date, the confirmation and a
// lead site.
func TestRegistration(t *testing.T) {
	fpa, elig := "registration.first_paediatric_assessment_date", "registration.eligibility_criteria_met"
	runForm(t, Registration, []row{
		{name: "no record", child: &audit.Child{}, expected: 2, status: NotStarted, missing: []string{fpa, elig}},
		{name: "empty record", child: regChild(audit.Registration{}), expected: 2, status: NotStarted, missing: []string{fpa, elig}},
		{name: "date only", child: regChild(audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12")}),
			expected: 2, answered: 1, status: InProgress, missing: []string{elig}},
		{name: "confirmation only", child: regChild(audit.Registration{EligibilityCriteriaMet: yes()}),
			expected: 2, answered: 1, status: InProgress, missing: []string{fpa}},
		{name: "both", child: regChild(audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12"), EligibilityCriteriaMet: yes()}),
			expected: 2, answered: 2, status: Completed, missing: []string{}},
		// Deliberate difference: Epilepsy12 counts any non-NULL value, but
		// has no way to answer false. False means "not eligible", and the
		// registration must not read as complete.
		{name: "eligibility false is not a confirmation", child: regChild(audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12"), EligibilityCriteriaMet: no()}),
			expected: 2, answered: 1, status: InProgress, missing: []string{elig}},
		{name: "eligibility false alone starts the form", child: regChild(audit.Registration{EligibilityCriteriaMet: no()}),
			expected: 2, answered: 0, status: InProgress, missing: []string{fpa, elig}},
		// The lead site is expected only while it is missing; Epilepsy12
		// always expects it (3) and counts it when present.
		{name: "no lead site, both answered", child: regChild(audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12"), EligibilityCriteriaMet: yes()}),
			sites: &Sites{}, expected: 3, answered: 2, status: InProgress, missing: []string{PathLeadSite}},
		{name: "no lead site, nothing answered", child: regChild(audit.Registration{}),
			sites: &Sites{}, expected: 3, status: NotStarted, missing: []string{fpa, elig, PathLeadSite}},
		{name: "lead site given explicitly", child: regChild(audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12"), EligibilityCriteriaMet: yes()}),
			sites: &Sites{Lead: true}, expected: 2, answered: 2, status: Completed},
		// Derived from the date, never answered (§5 "Fields excluded").
		{name: "derived fields only", child: regChild(audit.Registration{Cohort: num(6), CompletedFirstYearOfCareDate: day("2024-06-12"), AuditSubmissionDate: day("2025-01-14")}),
			expected: 2, status: NotStarted},
	})
}

// fieldSetter names one field of a flat form and sets it.
type fieldSetter struct {
	name string
	set  func(*audit.Child)
}

// flatFormRows builds the rows for a form whose expected answers are just
// its fields: nothing, each field alone, all of them.
func flatFormRows(prefix string, fields []fieldSetter, empty func() *audit.Child) []row {
	var names []string
	for _, f := range fields {
		names = append(names, prefix+f.name)
	}
	n := len(fields)
	rows := []row{
		{name: "no record", child: &audit.Child{}, expected: n, status: NotStarted, missing: names},
		{name: "empty record", child: empty(), expected: n, status: NotStarted, missing: names},
	}
	all := empty()
	for i, f := range fields {
		c := empty()
		f.set(c)
		f.set(all)
		rows = append(rows, row{name: "only " + f.name, child: c, expected: n, answered: 1, status: InProgress, missing: without(names, i)})
		// All but this one.
		rest := empty()
		for j, g := range fields {
			if j != i {
				g.set(rest)
			}
		}
		rows = append(rows, row{name: "all but " + f.name, child: rest, expected: n, answered: n - 1, status: InProgress, missing: []string{names[i]}})
	}
	rows = append(rows, row{name: "all", child: all, expected: n, answered: n, status: Completed, missing: []string{}})
	return rows
}

// TestFirstPaediatricAssessment is §5.1: the six fields of §2.4, each one
// counting, "no" counting as an answer.
func TestFirstPaediatricAssessment(t *testing.T) {
	f := func(c *audit.Child) *audit.FirstPaediatricAssessment { return c.FirstPaediatricAssessment }
	fields := []fieldSetter{
		{"first_paediatric_assessment_in_acute_or_nonacute_setting", func(c *audit.Child) { f(c).FirstPaediatricAssessmentInAcuteOrNonacuteSetting = num(3) }},
		{"has_number_of_episodes_since_the_first_been_documented", func(c *audit.Child) { f(c).HasNumberOfEpisodesSinceTheFirstBeenDocumented = no() }},
		{"general_examination_performed", func(c *audit.Child) { f(c).GeneralExaminationPerformed = no() }},
		{"neurological_examination_performed", func(c *audit.Child) { f(c).NeurologicalExaminationPerformed = yes() }},
		{"developmental_learning_or_schooling_problems", func(c *audit.Child) { f(c).DevelopmentalLearningOrSchoolingProblems = no() }},
		{"behavioural_or_emotional_problems", func(c *audit.Child) { f(c).BehaviouralOrEmotionalProblems = no() }},
	}
	runForm(t, FirstPaediatricAssessment, flatFormRows("first_paediatric_assessment.", fields, func() *audit.Child {
		return &audit.Child{FirstPaediatricAssessment: &audit.FirstPaediatricAssessment{}}
	}))
}

// TestEpilepsyContext is §5.1: the eight fields of §2.5; "U" (uncertain)
// and false are answers.
func TestEpilepsyContext(t *testing.T) {
	e := func(c *audit.Child) *audit.EpilepsyContext { return c.EpilepsyContext }
	fields := []fieldSetter{
		{"previous_febrile_seizure", func(c *audit.Child) { e(c).PreviousFebrileSeizure = str("U") }},
		{"previous_acute_symptomatic_seizure", func(c *audit.Child) { e(c).PreviousAcuteSymptomaticSeizure = str("N") }},
		{"is_there_a_family_history_of_epilepsy", func(c *audit.Child) { e(c).IsThereAFamilyHistoryOfEpilepsy = str("Y") }},
		{"previous_neonatal_seizures", func(c *audit.Child) { e(c).PreviousNeonatalSeizures = str("N") }},
		{"diagnosis_of_epilepsy_withdrawn", func(c *audit.Child) { e(c).DiagnosisOfEpilepsyWithdrawn = no() }},
		{"were_any_of_the_epileptic_seizures_convulsive", func(c *audit.Child) { e(c).WereAnyOfTheEpilepticSeizuresConvulsive = yes() }},
		{"experienced_prolonged_generalized_convulsive_seizures", func(c *audit.Child) { e(c).ExperiencedProlongedGeneralizedConvulsiveSeizures = str("U") }},
		{"experienced_prolonged_focal_seizures", func(c *audit.Child) { e(c).ExperiencedProlongedFocalSeizures = str("N") }},
	}
	runForm(t, EpilepsyContext, flatFormRows("epilepsy_context.", fields, func() *audit.Child {
		return &audit.Child{EpilepsyContext: &audit.EpilepsyContext{}}
	}))
}

// TestInvestigations is §5.1 "Tests": four base questions, and two dates
// for each of the EEG and MRI once requested/achieved.
func TestInvestigations(t *testing.T) {
	const p = "investigations."
	base := func(v audit.Investigations) *audit.Child {
		if v.EEGIndicated == nil {
			v.EEGIndicated = no()
		}
		if v.MRIIndicated == nil {
			v.MRIIndicated = no()
		}
		v.TwelveLeadECGStatus, v.CTHeadScanStatus = yes(), no()
		return &audit.Child{Investigations: &v}
	}
	baseNames := prefixed(p, "eeg_indicated", "twelve_lead_ecg_status", "ct_head_scan_status", "mri_indicated")
	runForm(t, Investigations, []row{
		{name: "empty", child: &audit.Child{Investigations: &audit.Investigations{}}, expected: 4, status: NotStarted, missing: baseNames},
		{name: "base all answered no", child: base(audit.Investigations{}), expected: 4, answered: 4, status: Completed},

		{name: "EEG requested: both dates expected", child: base(audit.Investigations{EEGIndicated: yes()}),
			expected: 6, answered: 4, status: InProgress, missing: prefixed(p, "eeg_request_date", "eeg_performed_date")},
		{name: "EEG requested, requested date only", child: base(audit.Investigations{EEGIndicated: yes(), EEGRequestDate: day("2023-06-12")}),
			expected: 6, answered: 5, status: InProgress, missing: prefixed(p, "eeg_performed_date")},
		{name: "EEG requested and performed", child: base(audit.Investigations{EEGIndicated: yes(), EEGRequestDate: day("2023-06-12"), EEGPerformedDate: day("2023-07-03")}),
			expected: 6, answered: 6, status: Completed},
		// "Declined" answers the performed date, where Epilepsy12 stored
		// the sentinel 1915-04-15 (quirk 10, data-format.md).
		{name: "EEG requested and declined", child: base(audit.Investigations{EEGIndicated: yes(), EEGRequestDate: day("2023-06-12"), EEGDeclined: yes()}),
			expected: 6, answered: 6, status: Completed},
		{name: "EEG declined false is no answer", child: base(audit.Investigations{EEGIndicated: yes(), EEGRequestDate: day("2023-06-12"), EEGDeclined: no()}),
			expected: 6, answered: 5, status: InProgress, missing: prefixed(p, "eeg_performed_date")},
		{name: "EEG not requested: dates left over are extra", child: base(audit.Investigations{EEGIndicated: no(), EEGRequestDate: day("2023-06-12")}),
			expected: 4, answered: 4, status: Completed},

		{name: "MRI achieved: both dates expected", child: base(audit.Investigations{MRIIndicated: yes()}),
			expected: 6, answered: 4, status: InProgress, missing: prefixed(p, "mri_brain_requested_date", "mri_brain_reported_date")},
		{name: "MRI reported date only", child: base(audit.Investigations{MRIIndicated: yes(), MRIBrainReportedDate: day("2023-07-01")}),
			expected: 6, answered: 5, status: InProgress, missing: prefixed(p, "mri_brain_requested_date")},
		{name: "MRI requested and reported", child: base(audit.Investigations{MRIIndicated: yes(), MRIBrainRequestedDate: day("2023-06-12"), MRIBrainReportedDate: day("2023-07-01")}),
			expected: 6, answered: 6, status: Completed},
		// Epilepsy12 never saves the MRI sentinel, so a declined MRI can
		// never complete its form there (quirk 10). Here it does.
		{name: "MRI requested and declined", child: base(audit.Investigations{MRIIndicated: yes(), MRIBrainRequestedDate: day("2023-06-12"), MRIBrainDeclined: yes()}),
			expected: 6, answered: 6, status: Completed},
		{name: "MRI not achieved: dates left over are extra", child: base(audit.Investigations{MRIIndicated: no(), MRIBrainRequestedDate: day("2023-06-12")}),
			expected: 4, answered: 4, status: Completed},

		{name: "both on", child: base(audit.Investigations{EEGIndicated: yes(), MRIIndicated: yes()}),
			expected: 8, answered: 4, status: InProgress},
	})
}

// TestFlatFormsCountEveryField guards the field lists against a field
// being dropped: every field of the two flat forms appears in the gaps of
// an empty record.
func TestFlatFormsCountEveryField(t *testing.T) {
	for _, tc := range []struct {
		f      Form
		fields int
	}{{FirstPaediatricAssessment, 6}, {EpilepsyContext, 8}} {
		p := Options{Today: fixedToday}.ForForm(&audit.Child{}, tc.f)
		seen := map[string]bool{}
		for _, g := range p.Missing {
			seen[g.Path] = true
		}
		if len(seen) != tc.fields {
			t.Errorf("%v: %d distinct fields expected, want %d", tc.f, len(seen), tc.fields)
		}
		for path := range seen {
			if !audit.KnownField(path) {
				t.Errorf("%v: %s is not a field", tc.f, path)
			}
		}
	}
}
