package forms

// referral asks whether a referral to a specialist was made and, if it was,
// when, to which centre (centreField "" for none), whether the child has
// been seen and when (§2.11). Answering "no" clears the date, the centre
// and the input answers; "not seen" clears the input date.
func referral(who, label, hint string, earliest Anchor, centreField, centreLabel, centreHint, seenLabel string) *Question {
	made, date1, achieved, date2 := who+"_referral_made", who+"_referral_date", who+"_input_achieved", who+"_input_date"
	followUps := []*Question{
		when(date(date1, "Date of referral to the "+label, DateRule{Earliest: earliest, NotAfter: date2}), "true"),
	}
	if centreField != "" {
		followUps = append(followUps, when(centre(centreField, centreLabel, centreHint), "true"))
	}
	followUps = append(followUps, when(yesNo(achieved, seenLabel, "",
		when(date(date2, "Date the child was first seen by the "+label, DateRule{NotBefore: date1}), "true"),
	), "true"))
	return yesNo(made, "Has the child been referred to "+article(label)+" "+label+"?", hint, followUps...)
}

func article(noun string) string {
	switch noun[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}

// Assessment is spec §2.11, the "Milestones" step: referrals to, and input
// from, each kind of specialist. The centres are stored in the child's
// site records ("sites"), not in the form record.
var Assessment = &Form{
	ID: "assessment", Title: "Milestones", Section: "assessment",
	Questions: []*Question{
		yesNo("childrens_epilepsy_surgical_service_referral_criteria_met",
			"Does the child meet any of the criteria for referral to a children's epilepsy surgery service?",
			"For example, early-onset epilepsy with seizures that start on one side or in one area, or focal epilepsy that has not responded to 2 suitable medicines"),

		referral("consultant_paediatrician", "consultant paediatrician", "A consultant paediatrician with expertise in epilepsy", SinceBirth,
			"site_is_general_paediatric_centre", "Which centre is the consultant paediatrician at?", "The centre providing the child's general paediatric care",
			"Has the consultant paediatrician seen the child?"),

		referral("paediatric_neurologist", "paediatric neurologist", "", SinceFirstAssessment,
			"site_is_paediatric_neurology_centre", "Which centre is the paediatric neurologist at?", "The centre providing the child's paediatric neurology care",
			"Has the paediatric neurologist seen the child?"),

		yesNo("childrens_epilepsy_surgical_service_referral_made", "Has the child been referred to a children's epilepsy surgery service?", "",
			when(date("childrens_epilepsy_surgical_service_referral_date", "Date of referral to the children's epilepsy surgery service",
				DateRule{Earliest: SinceFirstAssessment, NotAfter: "childrens_epilepsy_surgical_service_input_date"}), "true"),
			when(centre("site_is_childrens_epilepsy_surgery_centre", "Which children's epilepsy surgery centre was the child referred to?", ""), "true"),
			when(optional(date("childrens_epilepsy_surgical_service_input_date", "Date the child was first seen by the children's epilepsy surgery service",
				DateRule{NotBefore: "childrens_epilepsy_surgical_service_referral_date"})), "true"),
		),

		referral("epilepsy_specialist_nurse", "epilepsy specialist nurse", "", SinceBirth, "", "", "",
			"Has the epilepsy specialist nurse seen the child?"),
	},
}
