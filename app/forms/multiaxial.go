package forms

import (
	"strings"

	"clinaudit/app/refdata/data"
)

// Helpers shared by the forms of this package, besides yesNo, when, radios
// and date of simple_forms.go.

// confirm is a single checkbox: ticked stores true, unticked not answered.
func confirm(field, label, hint string, followUps ...*Question) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: Confirm, FollowUps: followUps}
}

// choose is one code from a long list, as a drop-down.
func choose(field, label, hint string, choices []Choice) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: Select, Choices: choices}
}

// checkboxes is a list of codes; "select all that apply".
func checkboxes(field, label, hint string, choices []Choice) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: Checkboxes, Choices: choices}
}

// text is free text of at most max characters, on one line or (area) many.
func text(field, label, hint string, max int, area bool) *Question {
	kind := Text
	if area {
		kind = TextArea
	}
	return &Question{Field: field, Label: label, Hint: hint, Kind: kind, MaxLen: max}
}

// optional marks q as one the clinician may leave unanswered.
func optional(q *Question) *Question {
	q.Optional = true
	return q
}

// unless hides q while the question above has one of the answers.
func unless(q *Question, answers ...string) *Question {
	q.ShowUnless = answers
	return q
}

// rows is the list of rows of a row section, each asked items.
func rows(section, noun, label, hint string, items ...*Question) *Question {
	return &Question{Field: section, Label: label, Hint: hint, Kind: Rows, RowSection: section, RowNoun: noun, RowItems: items}
}

// centre is the organisation chosen for a role, held in the child's sites.
func centre(field, label, hint string) *Question {
	return &Question{Field: field, Label: label, Hint: hint, Kind: Centre}
}

// focalOnsetGroups are the names of the focal-onset feature groups of
// FOCAL_ONSET_FIELDS, as the hint of each feature's checkbox: the page
// shows consecutive features with the same hint as one group.
var focalOnsetGroups = []struct{ group, name string }{
	{"motor", "Motor onset"},
	{"non_motor", "Non-motor onset"},
	{"eeg", "EEG findings"},
}

// focalOnsetFeatures are the 20 independent focal-onset checkboxes (§2.7),
// grouped motor, non-motor, EEG, each group in its display order, with
// the labels of choice_lists.csv in sentence case. Laterality is asked separately.
func focalOnsetFeatures() []*Question {
	features := data.ChoiceList("FOCAL_ONSET_FIELDS")
	var out []*Question
	for _, g := range focalOnsetGroups {
		for _, f := range features {
			if f.Group == g.group {
				// Sentence case: "Impaired Awareness" → "Impaired awareness".
				label := f.Label[:1] + strings.ToLower(f.Label[1:])
				out = append(out, when(confirm(f.Code, label, g.name), `"FO"`))
			}
		}
	}
	return out
}

// episodeItems are the questions of one episode (§2.7).
func episodeItems() []*Question {
	onsetType := radios("epileptic_seizure_onset_type", "How did the epileptic seizures start?", "", list("EPILEPSY_SEIZURE_TYPE"))
	onsetType.FollowUps = append([]*Question{
		when(radios("epileptic_generalised_onset", "What type of generalised onset seizure was it?", "", list("GENERALISED_SEIZURE_TYPE")), `"GO"`),
	}, focalOnsetFeatures()...)
	onsetType.FollowUps = append(onsetType.FollowUps,
		when(&Question{Field: "focal_onset_left", Kind: Laterality, Label: "Which side of the brain did the seizures start on?",
			Choices: []Choice{{"left", "Left"}, {"right", "Right"}, {"laterality_unknown", "Not known"}}}, `"FO"`))

	subtype := func(field, code, label, listName string) *Question {
		return when(radios(field, label, "", list(listName)), quoteString(code))
	}
	nonEpilepticType := radios("nonepileptic_seizure_type", "What type of non-epileptic episode was it?", "", list("NON_EPILEPSY_SEIZURE_TYPE"))
	nonEpilepticType.FollowUps = []*Question{
		subtype("nonepileptic_seizure_behavioural", "BPP", "Which behavioural, psychological or psychiatric event was it?", "NON_EPILEPSY_BEHAVIOURAL_ARREST_SYMPTOMS"),
		subtype("nonepileptic_seizure_migraine", "MAD", "Which migraine-associated disorder was it?", "MIGRAINES"),
		subtype("nonepileptic_seizure_miscellaneous", "ME", "Which miscellaneous event was it?", "EPIS_MISC"),
		subtype("nonepileptic_seizure_sleep", "SRC", "Which sleep-related condition was it?", "NON_EPILEPSY_SLEEP_RELATED_SYMPTOMS"),
		subtype("nonepileptic_seizure_syncope", "SAS", "Which type of syncope or anoxic seizure was it?", "NON_EPILEPTIC_SYNCOPES"),
		subtype("nonepileptic_seizure_paroxysmal", "PMD", "Which paroxysmal movement disorder was it?", "NON_EPILEPSY_PAROXYSMS"),
		when(optional(text("nonepileptic_seizure_other", "Other type of non-epileptic episode",
			"Describe it in up to 250 characters", 250, false)), `"Oth"`),
	}

	status := radios("epilepsy_or_nonepilepsy_status", "Was the episode epileptic?", "", list("EPILEPSY_DIAGNOSIS_STATUS"))
	status.FollowUps = []*Question{
		when(onsetType, `"E"`),
		when(radios("nonepileptic_seizure_unknown_onset", "What did the episode look like when it started?", "", list("NON_EPILEPSY_SEIZURE_ONSET")), `"NE"`),
		when(nonEpilepticType, `"NE"`),
	}

	return []*Question{
		date("seizure_onset_date", "Date the episode started", DateRule{Earliest: SinceBirth}),
		radios("seizure_onset_date_confidence", "How accurate is this date?", "", list("DATE_ACCURACY")),
		radios("episode_definition", "Which best describes the episode?", "", list("EPISODE_DEFINITION")),
		yesNo("has_description_of_the_episode_or_episodes_been_gathered", "Has a description of the episode or episodes been gathered?",
			"From the child, a parent or carer, or someone who saw it"),
		optional(text("description", "Description of the episode",
			"What happened before, during and after it, in up to 2,000 characters", 2000, true)),
		optional(checkboxes("description_keywords", "Which words describe the episode?",
			"These are ticked for you from the description. Untick any that do not apply, or tick others.", keywordChoices())),
		status,
	}
}

func quoteString(s string) string { return string(quote(s)) }

func keywordChoices() []Choice {
	out := make([]Choice, len(SemiologyKeywords))
	for i, k := range SemiologyKeywords {
		out[i] = Choice{k, k}
	}
	return out
}

// MultiaxialDiagnosis is spec §2.6–2.9 (DESSCRIBE): episodes, syndromes,
// cause, impairments and comorbidities, development, autism and mental
// health, in the order progress lists them (§5.1).
var MultiaxialDiagnosis = &Form{
	ID: "multiaxial_diagnosis", Title: "Multiaxial diagnosis", Section: "multiaxial_diagnosis",
	Questions: []*Question{
		rows("episodes", "episode", "Episodes",
			"Add each seizure episode, epileptic or not. At least one must be epileptic.", episodeItems()...),

		yesNo("syndrome_present", "Has an epilepsy syndrome been diagnosed?", "An electroclinical syndrome, as classified by the ILAE",
			when(rows("syndromes", "syndrome", "Syndromes", "Add each syndrome diagnosed",
				choose("syndrome_name", "Which syndrome?", "", syndromeChoices()),
				date("syndrome_diagnosis_date", "Date the syndrome was diagnosed", DateRule{Earliest: SinceBirth}),
			), "true")),

		yesNo("epilepsy_cause_known", "Is the cause of the epilepsy known?", "",
			when(optional(text("epilepsy_cause", "Main cause of the epilepsy", "In up to 250 characters", 250, false)), "true"),
			when(checkboxes("epilepsy_cause_categories", "What kind of cause is it?", "Select all that apply", list("EPILEPSY_CAUSES")), "true")),

		yesNo("relevant_impairments_behavioural_educational", "Does the child have any relevant behavioural, educational or other impairments?",
			"For example, attention deficit hyperactivity disorder or cerebral palsy. You will add each one.",
			when(rows("comorbidities", "comorbidity", "Impairments and other conditions", "Add each condition",
				// The comorbidity list is SNOMED CT content, not shipped in the
				// binary (decisions.md); the condition is written as its name.
				text("comorbidityentity", "Which condition?", "For example, cerebral palsy or attention deficit hyperactivity disorder", 250, false),
				date("comorbidity_diagnosis_date", "Date the condition was diagnosed", DateRule{Earliest: SinceBirth}),
			), "true")),

		yesNo("global_developmental_delay_or_learning_difficulties", "Does the child have global developmental delay or learning difficulties?", "",
			when(radios("global_developmental_delay_or_learning_difficulties_severity", "How severe is the delay or difficulty?", "", list("SEVERITY")), "true")),

		yesNo("autistic_spectrum_disorder", "Does the child have an autism spectrum disorder?", ""),

		yesNo("mental_health_screen", "Has the child been screened for mental health problems?", ""),

		yesNo("mental_health_issue_identified", "Has a mental health problem been identified?", "",
			when(checkboxes("mental_health_issues", "Which mental health problems?", "Select all that apply", list("NEUROPSYCHIATRIC")), "true")),
	},
}
