// Package audit is the domain model of one child's Epilepsy12 audit record:
// the case (demographics), the registration, the seven audit forms and their
// repeated rows, as the JSON document described in docs/data-format.md.
//
// Conventions, shared by every type here:
//   - JSON field names are exactly the Epilepsy12 field names of the spec (§2).
//   - Every answer is a pointer (or a slice): nil means "not answered", which
//     is the spec's NULL. false and "not answered" are different answers, and
//     the KPI rules depend on the difference.
//   - A nil form (for example Child.Investigations == nil) means the form's
//     record does not exist, which is not the same as an empty form: several
//     KPIs are "not scored" without the record but "fail" with an empty one
//     (spec §6.0, quirk 6).
//   - Choices are the spec's codes ("E", "MyC", 2, ...); see codes.go.
//
// The package is plain data: no HTTP, no SQL, no imports outside the
// standard library.
package audit

// Child is one child's complete audit record.
type Child struct {
	Case                      *Case                      `json:"case,omitempty"`
	Registration              *Registration              `json:"registration,omitempty"`
	FirstPaediatricAssessment *FirstPaediatricAssessment `json:"first_paediatric_assessment,omitempty"`
	EpilepsyContext           *EpilepsyContext           `json:"epilepsy_context,omitempty"`
	MultiaxialDiagnosis       *MultiaxialDiagnosis       `json:"multiaxial_diagnosis,omitempty"`
	Investigations            *Investigations            `json:"investigations,omitempty"`
	Assessment                *Assessment                `json:"assessment,omitempty"`
	Management                *Management                `json:"management,omitempty"`
	// Sites are the centres chosen on the Milestones form; nil when none.
	Sites *Sites `json:"sites,omitempty"`

	// Rows of the multiaxial diagnosis form, in the order they were added.
	Episodes      []Episode     `json:"episodes,omitempty"`
	Syndromes     []Syndrome    `json:"syndromes,omitempty"`
	Comorbidities []Comorbidity `json:"comorbidities,omitempty"`

	// Rows of the management form, rescue and maintenance medicines together,
	// in the order they were added. Order matters: KPI 8 reads the first
	// sodium valproate row.
	AntiEpilepsyMedicines []AntiEpilepsyMedicine `json:"antiepilepsy_medicines,omitempty"`
}

// Case is the child's demographics (spec §2.1). Computed map points, the
// lock flags and the user stamps are server state, not part of the record.
type Case struct {
	NHSNumber             *string `json:"nhs_number,omitempty"`              // 10 digits; null for Jersey
	UniqueReferenceNumber *string `json:"unique_reference_number,omitempty"` // Jersey only
	FirstName             *string `json:"first_name,omitempty"`
	Surname               *string `json:"surname,omitempty"`
	Sex                   *int    `json:"sex,omitempty"` // SEX_TYPE
	DateOfBirth           *Date   `json:"date_of_birth,omitempty"`
	Postcode              *string `json:"postcode,omitempty"`
	Ethnicity             *string `json:"ethnicity,omitempty"` // ETHNICITIES

	// Computed from the postcode; 1 (most deprived) to 5.
	IndexOfMultipleDeprivationQuintile *int `json:"index_of_multiple_deprivation_quintile,omitempty"`
}

// Registration is the "Verification and registration" step (spec §2.3).
type Registration struct {
	FirstPaediatricAssessmentDate *Date `json:"first_paediatric_assessment_date,omitempty"`
	EligibilityCriteriaMet        *bool `json:"eligibility_criteria_met,omitempty"`

	// Derived from the first paediatric assessment date (§7). Optional in a
	// document; when present they must agree with that date. Scoring never
	// reads them: it derives the first year from the date itself.
	Cohort                       *int  `json:"cohort,omitempty"`
	CompletedFirstYearOfCareDate *Date `json:"completed_first_year_of_care_date,omitempty"`
	AuditSubmissionDate          *Date `json:"audit_submission_date,omitempty"`
}

// FirstPaediatricAssessment is the "First paediatric assessment" step (§2.4).
type FirstPaediatricAssessment struct {
	FirstPaediatricAssessmentInAcuteOrNonacuteSetting *int  `json:"first_paediatric_assessment_in_acute_or_nonacute_setting,omitempty"` // CHRONICITY
	HasNumberOfEpisodesSinceTheFirstBeenDocumented    *bool `json:"has_number_of_episodes_since_the_first_been_documented,omitempty"`
	GeneralExaminationPerformed                       *bool `json:"general_examination_performed,omitempty"`
	NeurologicalExaminationPerformed                  *bool `json:"neurological_examination_performed,omitempty"`
	DevelopmentalLearningOrSchoolingProblems          *bool `json:"developmental_learning_or_schooling_problems,omitempty"`
	BehaviouralOrEmotionalProblems                    *bool `json:"behavioural_or_emotional_problems,omitempty"`
}

// EpilepsyContext is the "Epilepsy context" step (§2.5). The string answers
// are OPT_OUT_UNCERTAIN codes: "Y", "N" or "U".
type EpilepsyContext struct {
	PreviousFebrileSeizure                            *string `json:"previous_febrile_seizure,omitempty"`
	PreviousAcuteSymptomaticSeizure                   *string `json:"previous_acute_symptomatic_seizure,omitempty"`
	IsThereAFamilyHistoryOfEpilepsy                   *string `json:"is_there_a_family_history_of_epilepsy,omitempty"`
	PreviousNeonatalSeizures                          *string `json:"previous_neonatal_seizures,omitempty"`
	DiagnosisOfEpilepsyWithdrawn                      *bool   `json:"diagnosis_of_epilepsy_withdrawn,omitempty"`
	WereAnyOfTheEpilepticSeizuresConvulsive           *bool   `json:"were_any_of_the_epileptic_seizures_convulsive,omitempty"` // KPI 4
	ExperiencedProlongedGeneralizedConvulsiveSeizures *string `json:"experienced_prolonged_generalized_convulsive_seizures,omitempty"`
	ExperiencedProlongedFocalSeizures                 *string `json:"experienced_prolonged_focal_seizures,omitempty"`
}
