package forms

// yesNo is a three-state yes/no question.
func yesNo(field, label, hint string, followUps ...*Question) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: YesNo, FollowUps: followUps}
}

// when shows q only while the question above has one of the answers.
func when(q *Question, answers ...string) *Question {
	q.ShowWhen = answers
	return q
}

func radios(field, label, hint string, choices []Choice) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: Radios, Choices: choices}
}

func date(field, label string, rule DateRule) *Question {
	return &Question{Field: field, Label: label, Hint: "For example, 15 3 2024", Kind: Date, Date: &rule}
}

// FirstPaediatricAssessment is spec §2.4.
var FirstPaediatricAssessment = &Form{
	ID: "first_paediatric_assessment", Title: "First paediatric assessment", Section: "first_paediatric_assessment",
	Questions: []*Question{
		{Field: "first_paediatric_assessment_in_acute_or_nonacute_setting", Kind: Radios, IntCodes: true,
			Label: "Was the first paediatric assessment in an acute or non-acute setting?", Choices: list("CHRONICITY")},
		yesNo("has_number_of_episodes_since_the_first_been_documented", "Has the number of episodes since the first been documented?", ""),
		yesNo("general_examination_performed", "Was a general examination performed?", ""),
		yesNo("neurological_examination_performed", "Was a neurological examination performed?", ""),
		yesNo("developmental_learning_or_schooling_problems", "Are there developmental, learning or schooling problems?", ""),
		yesNo("behavioural_or_emotional_problems", "Are there behavioural or emotional problems?", ""),
	},
}

// EpilepsyContext is spec §2.5.
var EpilepsyContext = &Form{
	ID: "epilepsy_context", Title: "Epilepsy context", Section: "epilepsy_context",
	Questions: []*Question{
		radios("previous_febrile_seizure", "Has the child had a previous febrile seizure?", "", list("OPT_OUT_UNCERTAIN")),
		radios("previous_acute_symptomatic_seizure", "Has the child had a previous acute symptomatic seizure?", "", list("OPT_OUT_UNCERTAIN")),
		radios("is_there_a_family_history_of_epilepsy", "Is there a family history of epilepsy?", "", list("OPT_OUT_UNCERTAIN")),
		radios("previous_neonatal_seizures", "Has the child had previous neonatal seizures?", "", list("OPT_OUT_UNCERTAIN")),
		yesNo("diagnosis_of_epilepsy_withdrawn", "In the first year after the first assessment, has a diagnosis of epilepsy been withdrawn?", ""),
		yesNo("were_any_of_the_epileptic_seizures_convulsive", "Were any of the epileptic seizures convulsive?", ""),
		radios("experienced_prolonged_generalized_convulsive_seizures", "Has the child had prolonged generalised convulsive seizures?",
			"Lasting more than 5 minutes", list("OPT_OUT_UNCERTAIN")),
		radios("experienced_prolonged_focal_seizures", "Has the child had prolonged focal seizures?", "Lasting more than 5 minutes", list("OPT_OUT_UNCERTAIN")),
	},
}
