package progress

// The field lists the table tests are written with: what the spec (§5.1)
// says each episode, non-epileptic type and care plan asks for. Progress
// reads them off the forms' question tree; these are the tests' own copy.

// episodeBase are the five answers every episode owes.
var episodeBase = []string{
	"seizure_onset_date",
	"seizure_onset_date_confidence",
	"episode_definition",
	"has_description_of_the_episode_or_episodes_been_gathered",
	"epilepsy_or_nonepilepsy_status",
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

// carePlanFields are the ten answers a care plan asks for, in order.
var carePlanFields = []struct{ name string }{
	{"individualised_care_plan_date"},
	{"individualised_care_plan_has_parent_carer_child_agreement"},
	{"individualised_care_plan_includes_service_contact_details"},
	{"individualised_care_plan_include_first_aid"},
	{"individualised_care_plan_parental_prolonged_seizure_care"},
	{"individualised_care_plan_includes_general_participation_risk"},
	{"individualised_care_plan_addresses_water_safety"},
	{"individualised_care_plan_addresses_sudep"},
	{"individualised_care_plan_includes_ehcp"},
	{"has_individualised_care_plan_been_updated_in_the_last_year"},
}
