package forms

// medicines is the list of maintenance (rescue false) or rescue medicines
// (§2.13). Which list a row is in is fixed when the row is added
// (is_rescue_medicine, the RowFilter).
func medicines(rescue bool) *Question {
	name := choose("medicine_name", "Which medicine?", "", medicineChoices(rescue))
	name.OncePerChild = true
	if !rescue {
		// §2.13: set when the medicine is chosen (sodium valproate, a girl,
		// 12 or over today), and the two questions asked when it is true.
		name.FollowUps = []*Question{when(&Question{
			Field: "is_a_pregnancy_prevention_programme_needed", Kind: Derived,
			Label: "Is a pregnancy prevention programme needed?",
			Hint:  "Worked out for you: it is needed for sodium valproate when the child is a girl aged 12 or over",
			FollowUps: []*Question{
				when(yesNo("is_a_pregnancy_prevention_programme_in_place", "Is a pregnancy prevention programme in place?", ""), "true"),
				when(yesNo("has_a_valproate_annual_risk_acknowledgement_form_been_completed",
					"Has the annual risk acknowledgement form for valproate been completed?", ""), "true"),
			},
		}, "*")}
	}
	q := rows("antiepilepsy_medicines", "medicine", "Anti-seizure medicines", "Add each medicine given", name,
		date("antiepilepsy_medicine_start_date", "Date the medicine was started",
			DateRule{Earliest: SinceFirstAssessment, NotAfter: "antiepilepsy_medicine_stop_date"}),
		optional(date("antiepilepsy_medicine_stop_date", "Date the medicine was stopped",
			DateRule{NotBefore: "antiepilepsy_medicine_start_date"})),
		yesNo("antiepilepsy_medicine_risk_discussed", "Have the risks and benefits of the medicine been discussed with the child or family?", ""),
	)
	q.RowFilter = &RowFilter{Field: "is_rescue_medicine", Value: boolText(rescue)}
	if rescue {
		q.Label, q.Hint = "Rescue medicines", "Add each rescue medicine prescribed"
	}
	return q
}

// carePlan asks about one part of the individualised care plan.
func carePlan(field, label string) *Question { return when(yesNo(field, label, ""), "true") }

// Management is spec §2.12–2.13, the "Treatment and care planning" step.
var Management = &Form{
	ID: "management", Title: "Treatment and care planning", Section: "management",
	Questions: []*Question{
		yesNo("has_an_aed_been_given", "Has the child been given an anti-seizure medicine?",
			"A regular medicine to prevent seizures, not a rescue medicine",
			when(medicines(false), "true")),

		yesNo("has_rescue_medication_been_prescribed", "Has a rescue medicine been prescribed?",
			"A medicine to stop a prolonged seizure, such as buccal midazolam",
			when(medicines(true), "true")),

		yesNo("individualised_care_plan_in_place", "Has individualised care planning started?", "",
			when(date("individualised_care_plan_date", "Date care planning started", DateRule{Earliest: SinceFirstAssessment}), "true"),
			carePlan("individualised_care_plan_has_parent_carer_child_agreement", "Have the child and their parents or carers agreed to the care plan?"),
			carePlan("individualised_care_plan_includes_service_contact_details", "Does the care plan include contact details for the epilepsy service?"),
			carePlan("individualised_care_plan_include_first_aid", "Does the care plan include seizure first aid?"),
			carePlan("individualised_care_plan_parental_prolonged_seizure_care", "Does the care plan tell parents or carers what to do if a seizure is prolonged?"),
			carePlan("individualised_care_plan_includes_general_participation_risk", "Does the care plan cover taking part in everyday activities, and the risks?"),
			carePlan("individualised_care_plan_addresses_water_safety", "Does the care plan cover water safety?"),
			carePlan("individualised_care_plan_addresses_sudep", "Does the care plan cover sudden unexpected death in epilepsy (SUDEP)?"),
			carePlan("individualised_care_plan_includes_ehcp", "Is there a school individual health care plan?"),
			carePlan("has_individualised_care_plan_been_updated_in_the_last_year", "Has the care plan been updated in the last year?"),
		),

		yesNo("has_been_referred_for_mental_health_support", "Has the child been referred for mental health support?", ""),
		yesNo("has_support_for_mental_health_support", "Is the child getting support for their mental health?", ""),
	},
}
