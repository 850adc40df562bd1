package audit

// MultiaxialDiagnosis is the "Multiaxial diagnosis" step (§2.6). Its rows
// (episodes, syndromes, comorbidities) are the top-level arrays of Child.
type MultiaxialDiagnosis struct {
	SyndromePresent    *bool `json:"syndrome_present,omitempty"`
	EpilepsyCauseKnown *bool `json:"epilepsy_cause_known,omitempty"`

	// The main cause, by its term in the cause list (SNOMED-derived, loaded
	// by the operator). Not scored.
	EpilepsyCause           *string  `json:"epilepsy_cause,omitempty"`
	EpilepsyCauseCategories []string `json:"epilepsy_cause_categories,omitempty"` // EPILEPSY_CAUSES codes

	RelevantImpairmentsBehaviouralEducational              *bool    `json:"relevant_impairments_behavioural_educational,omitempty"`
	GlobalDevelopmentalDelayOrLearningDifficulties         *bool    `json:"global_developmental_delay_or_learning_difficulties,omitempty"`
	GlobalDevelopmentalDelayOrLearningDifficultiesSeverity *string  `json:"global_developmental_delay_or_learning_difficulties_severity,omitempty"` // SEVERITY
	AutisticSpectrumDisorder                               *bool    `json:"autistic_spectrum_disorder,omitempty"`
	MentalHealthScreen                                     *bool    `json:"mental_health_screen,omitempty"`           // KPI 6
	MentalHealthIssueIdentified                            *bool    `json:"mental_health_issue_identified,omitempty"` // KPI 7
	MentalHealthIssues                                     []string `json:"mental_health_issues,omitempty"`           // NEUROPSYCHIATRIC codes
}

// Episode is one seizure episode (§2.7). The cached progress numbers
// (expected_score, calculated_score) are derived and not part of the record.
type Episode struct {
	SeizureOnsetDate                                 *Date    `json:"seizure_onset_date,omitempty"`
	SeizureOnsetDateConfidence                       *string  `json:"seizure_onset_date_confidence,omitempty"` // DATE_ACCURACY
	EpisodeDefinition                                *string  `json:"episode_definition,omitempty"`            // EPISODE_DEFINITION
	HasDescriptionOfTheEpisodeOrEpisodesBeenGathered *bool    `json:"has_description_of_the_episode_or_episodes_been_gathered,omitempty"`
	Description                                      *string  `json:"description,omitempty"` // free text, at most 2000 characters
	DescriptionKeywords                              []string `json:"description_keywords,omitempty"`
	EpilepsyOrNonepilepsyStatus                      *string  `json:"epilepsy_or_nonepilepsy_status,omitempty"` // EPILEPSY_DIAGNOSIS_STATUS
	EpilepticSeizureOnsetType                        *string  `json:"epileptic_seizure_onset_type,omitempty"`   // EPILEPSY_SEIZURE_TYPE
	EpilepticGeneralisedOnset                        *string  `json:"epileptic_generalised_onset,omitempty"`    // GENERALISED_SEIZURE_TYPE

	// Focal onset: motor.
	FocalOnsetAtonic                      *bool `json:"focal_onset_atonic,omitempty"`
	FocalOnsetClonic                      *bool `json:"focal_onset_clonic,omitempty"`
	FocalOnsetEpilepticSpasms             *bool `json:"focal_onset_epileptic_spasms,omitempty"`
	FocalOnsetHyperkinetic                *bool `json:"focal_onset_hyperkinetic,omitempty"`
	FocalOnsetMyoclonic                   *bool `json:"focal_onset_myoclonic,omitempty"` // KPI 3a
	FocalOnsetTonic                       *bool `json:"focal_onset_tonic,omitempty"`
	FocalOnsetFocalToBilateralTonicClonic *bool `json:"focal_onset_focal_to_bilateral_tonic_clonic,omitempty"`
	FocalOnsetAutomatisms                 *bool `json:"focal_onset_automatisms,omitempty"`
	// Focal onset: non-motor.
	FocalOnsetImpairedAwareness *bool `json:"focal_onset_impaired_awareness,omitempty"`
	FocalOnsetGelastic          *bool `json:"focal_onset_gelastic,omitempty"`
	FocalOnsetAutonomic         *bool `json:"focal_onset_autonomic,omitempty"`
	FocalOnsetBehaviouralArrest *bool `json:"focal_onset_behavioural_arrest,omitempty"`
	FocalOnsetCognitive         *bool `json:"focal_onset_cognitive,omitempty"`
	FocalOnsetEmotional         *bool `json:"focal_onset_emotional,omitempty"`
	FocalOnsetSensory           *bool `json:"focal_onset_sensory,omitempty"`
	// Focal onset: EEG.
	FocalOnsetCentrotemporal *bool `json:"focal_onset_centrotemporal,omitempty"`
	FocalOnsetTemporal       *bool `json:"focal_onset_temporal,omitempty"`
	FocalOnsetFrontal        *bool `json:"focal_onset_frontal,omitempty"`
	FocalOnsetParietal       *bool `json:"focal_onset_parietal,omitempty"`
	FocalOnsetOccipital      *bool `json:"focal_onset_occipital,omitempty"`
	// Focal onset: laterality (a radio in the UI: at most one is true).
	FocalOnsetLeft              *bool `json:"focal_onset_left,omitempty"`
	FocalOnsetRight             *bool `json:"focal_onset_right,omitempty"`
	FocalOnsetLateralityUnknown *bool `json:"focal_onset_laterality_unknown,omitempty"`

	NonepilepticSeizureUnknownOnset *string `json:"nonepileptic_seizure_unknown_onset,omitempty"` // NON_EPILEPSY_SEIZURE_ONSET
	NonepilepticSeizureType         *string `json:"nonepileptic_seizure_type,omitempty"`          // NON_EPILEPSY_SEIZURE_TYPE
	// One subtype per non-epileptic type (see NONEPILEPSY_SUBTYPE_FIELD).
	NonepilepticSeizureSyncope       *string `json:"nonepileptic_seizure_syncope,omitempty"`       // SAS: NON_EPILEPTIC_SYNCOPES
	NonepilepticSeizureBehavioural   *string `json:"nonepileptic_seizure_behavioural,omitempty"`   // BPP: NON_EPILEPSY_BEHAVIOURAL_ARREST_SYMPTOMS
	NonepilepticSeizureSleep         *string `json:"nonepileptic_seizure_sleep,omitempty"`         // SRC: NON_EPILEPSY_SLEEP_RELATED_SYMPTOMS
	NonepilepticSeizureParoxysmal    *string `json:"nonepileptic_seizure_paroxysmal,omitempty"`    // PMD: NON_EPILEPSY_PAROXYSMS
	NonepilepticSeizureMigraine      *string `json:"nonepileptic_seizure_migraine,omitempty"`      // MAD: MIGRAINES
	NonepilepticSeizureMiscellaneous *string `json:"nonepileptic_seizure_miscellaneous,omitempty"` // ME: EPIS_MISC
	NonepilepticSeizureOther         *string `json:"nonepileptic_seizure_other,omitempty"`         // Oth: free text, at most 250 characters
}

// Syndrome is one diagnosed electroclinical syndrome (§2.8).
type Syndrome struct {
	// One of the 40 ILAE 2022 names of SyndromeNames, matched exactly (one
	// has an EN DASH, and KPI 5 matches by exact string).
	SyndromeName          *string `json:"syndrome_name,omitempty"`
	SyndromeDiagnosisDate *Date   `json:"syndrome_diagnosis_date,omitempty"`
}

// Comorbidity is one comorbidity (§2.9).
type Comorbidity struct {
	ComorbidityDiagnosisDate *Date `json:"comorbidity_diagnosis_date,omitempty"`
	// The comorbidity by its preferred term in the comorbidity list
	// (SNOMED-derived, loaded by the operator).
	Comorbidityentity *string `json:"comorbidityentity,omitempty"`
}
