package progress

import (
	"testing"

	"clinaudit/app/audit"
)

// mgBase has the five base questions answered "no".
func mgBase(edit func(*audit.Management), meds ...audit.AntiEpilepsyMedicine) *audit.Child {
	m := audit.Management{
		HasAnAEDBeenGiven:                     no(),
		HasRescueMedicationBeenPrescribed:     no(),
		IndividualisedCarePlanInPlace:         no(),
		HasBeenReferredForMentalHealthSupport: no(),
		HasSupportForMentalHealthSupport:      no(),
	}
	if edit != nil {
		edit(&m)
	}
	return &audit.Child{Management: &m, AntiEpilepsyMedicines: meds}
}

func aed(m *audit.Management)    { m.HasAnAEDBeenGiven = yes() }
func rescue(m *audit.Management) { m.HasRescueMedicationBeenPrescribed = yes() }

// med is a complete medicine row.
func med(name string, isRescue bool) audit.AntiEpilepsyMedicine {
	r := isRescue
	return audit.AntiEpilepsyMedicine{
		MedicineName: str(name), IsRescueMedicine: &r,
		AntiepilepsyMedicineStartDate: day("2023-07-14"), AntiepilepsyMedicineRiskDiscussed: yes(),
	}
}

var newMedicineGaps = prefixed("antiepilepsy_medicines[].", "medicine_name", "antiepilepsy_medicine_start_date", "antiepilepsy_medicine_risk_discussed")

// TestManagement is §5.1 "Treatment and care planning": medicine lists
// and the care plan.
func TestManagement(t *testing.T) {
	const p = "management."
	m0 := func(names ...string) []string { return prefixed("antiepilepsy_medicines[0].", names...) }
	noStart := med("Levetiracetam", false)
	noStart.AntiepilepsyMedicineStartDate = nil
	noList := med("Levetiracetam", false)
	noList.IsRescueMedicine = nil
	stopped := med("Levetiracetam", false)
	stopped.AntiepilepsyMedicineStopDate = day("2024-01-01")

	runForm(t, Management, []row{
		{name: "empty", child: &audit.Child{Management: &audit.Management{}}, expected: 5, status: NotStarted,
			missing: prefixed(p, "has_an_aed_been_given", "has_rescue_medication_been_prescribed", "individualised_care_plan_in_place",
				"has_been_referred_for_mental_health_support", "has_support_for_mental_health_support")},
		{name: "base all no", child: mgBase(nil), expected: 5, answered: 5, status: Completed},

		// Maintenance medicines: +3 per row, or +3 for a first row.
		{name: "AED given, none added", child: mgBase(aed), expected: 8, answered: 5, status: InProgress, missing: newMedicineGaps},
		{name: "AED given, one complete", child: mgBase(aed, med("Levetiracetam", false)), expected: 8, answered: 8, status: Completed},
		{name: "AED given, two rows, one without a start date", child: mgBase(aed, noStart, med("Lamotrigine", false)),
			expected: 11, answered: 10, status: InProgress, missing: m0("antiepilepsy_medicine_start_date")},
		{name: "AED given, blank row", child: mgBase(aed, audit.AntiEpilepsyMedicine{IsRescueMedicine: no()}),
			expected: 8, answered: 5, status: InProgress, missing: m0("medicine_name", "antiepilepsy_medicine_start_date", "antiepilepsy_medicine_risk_discussed")},
		{name: "stop date is never expected", child: mgBase(aed, stopped), expected: 8, answered: 8, status: Completed},
		{name: "AED given, only a rescue row: a maintenance row is owed", child: mgBase(aed, med("Buccal midazolam", true)),
			expected: 8, answered: 5, status: InProgress, missing: newMedicineGaps},
		{name: "no AED: rows left over are extra", child: mgBase(nil, med("Levetiracetam", false), med("Buccal midazolam", true)),
			expected: 5, answered: 5, status: Completed},
		{name: "row in neither list", child: mgBase(aed, noList), expected: 8, answered: 5, status: InProgress, missing: newMedicineGaps},

		// Rescue medicines: the same, in their own list.
		{name: "rescue given, none added", child: mgBase(rescue), expected: 8, answered: 5, status: InProgress, missing: newMedicineGaps},
		{name: "rescue given, maintenance row does not count", child: mgBase(rescue, med("Levetiracetam", false)),
			expected: 8, answered: 5, status: InProgress, missing: newMedicineGaps},
		{name: "rescue given, one complete", child: mgBase(rescue, med("Buccal midazolam", true)), expected: 8, answered: 8, status: Completed},
		{name: "both given, none added", child: mgBase(func(m *audit.Management) { aed(m); rescue(m) }),
			expected: 11, answered: 5, status: InProgress, missing: concat(newMedicineGaps, newMedicineGaps)},
		{name: "both given, both added", child: mgBase(func(m *audit.Management) { aed(m); rescue(m) }, med("Buccal midazolam", true), med("Levetiracetam", false)),
			expected: 11, answered: 11, status: Completed},

		// Care plan: +10.
		{name: "care plan in place, nothing more", child: mgBase(func(m *audit.Management) { m.IndividualisedCarePlanInPlace = yes() }),
			expected: 15, answered: 5, status: InProgress, missing: prefixed(p, carePlanNames()...)},
		{name: "care plan complete", child: mgBase(func(m *audit.Management) { m.IndividualisedCarePlanInPlace = yes(); fillCarePlan(m) }),
			expected: 15, answered: 15, status: Completed},
		{name: "no care plan: its answers are extra", child: mgBase(fillCarePlan), expected: 5, answered: 5, status: Completed},

		{name: "care plan date alone starts the form", child: &audit.Child{Management: &audit.Management{IndividualisedCarePlanDate: day("2023-07-14")}},
			expected: 5, status: InProgress},
		{name: "medicine row with only its list starts nothing", child: &audit.Child{Management: &audit.Management{}, AntiEpilepsyMedicines: []audit.AntiEpilepsyMedicine{{IsRescueMedicine: no(), IsAPregnancyPreventionProgrammeNeeded: no()}}},
			expected: 5, status: NotStarted},
		{name: "medicine row with a name starts the form", child: &audit.Child{Management: &audit.Management{}, AntiEpilepsyMedicines: []audit.AntiEpilepsyMedicine{{IsRescueMedicine: no(), MedicineName: str("Levetiracetam")}}},
			expected: 5, status: InProgress},
	})
}

// TestCarePlanFields: each of the ten care-plan answers counts on its own.
func TestCarePlanFields(t *testing.T) {
	names := carePlanNames()
	if len(names) != 10 {
		t.Fatalf("%d care plan fields, want 10", len(names))
	}
	for i, name := range names {
		c := mgBase(func(m *audit.Management) { m.IndividualisedCarePlanInPlace = yes(); fillCarePlan(m) })
		clearCarePlanField(c.Management, i)
		got := Options{Today: fixedToday}.ForForm(c, Management)
		if got.Answered != 14 || len(got.Missing) != 1 || got.Missing[0].Path != "management."+name {
			t.Errorf("without %s: %d of %d, missing %v", name, got.Answered, got.Expected, paths(got.Missing))
		}
		if got.Missing[0].Because != "management.individualised_care_plan_in_place" {
			t.Errorf("%s: because %q", name, got.Missing[0].Because)
		}
	}
}

func carePlanNames() []string {
	var out []string
	for _, f := range carePlanFields {
		out = append(out, f.name)
	}
	return out
}

func fillCarePlan(m *audit.Management) {
	m.IndividualisedCarePlanDate = day("2023-07-14")
	m.IndividualisedCarePlanHasParentCarerChildAgreement = yes()
	m.IndividualisedCarePlanIncludesServiceContactDetails = no()
	m.IndividualisedCarePlanIncludeFirstAid = yes()
	m.IndividualisedCarePlanParentalProlongedSeizureCare = no()
	m.IndividualisedCarePlanIncludesGeneralParticipationRisk = yes()
	m.IndividualisedCarePlanAddressesWaterSafety = yes()
	m.IndividualisedCarePlanAddressesSUDEP = yes()
	m.IndividualisedCarePlanIncludesEHCP = no()
	m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear = yes()
}

// clearCarePlanField clears the i-th field of carePlanFields' order.
func clearCarePlanField(m *audit.Management, i int) {
	switch i {
	case 0:
		m.IndividualisedCarePlanDate = nil
	case 1:
		m.IndividualisedCarePlanHasParentCarerChildAgreement = nil
	case 2:
		m.IndividualisedCarePlanIncludesServiceContactDetails = nil
	case 3:
		m.IndividualisedCarePlanIncludeFirstAid = nil
	case 4:
		m.IndividualisedCarePlanParentalProlongedSeizureCare = nil
	case 5:
		m.IndividualisedCarePlanIncludesGeneralParticipationRisk = nil
	case 6:
		m.IndividualisedCarePlanAddressesWaterSafety = nil
	case 7:
		m.IndividualisedCarePlanAddressesSUDEP = nil
	case 8:
		m.IndividualisedCarePlanIncludesEHCP = nil
	case 9:
		m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear = nil
	}
}

// TestValproateQuestions is §5.1's +2 for a maintenance sodium valproate
// row: female, 12 or over in whole years today, programme needed. Each
// condition is turned off in turn.
func TestValproateQuestions(t *testing.T) {
	const r = "antiepilepsy_medicines[0]."
	valproate := func(edit ...func(*audit.AntiEpilepsyMedicine)) audit.AntiEpilepsyMedicine {
		v := med(audit.MedicineSodiumValproate, false)
		v.IsAPregnancyPreventionProgrammeNeeded = yes()
		for _, f := range edit {
			f(&v)
		}
		return v
	}
	answered := func(v *audit.AntiEpilepsyMedicine) {
		v.IsAPregnancyPreventionProgrammeInPlace, v.HasAValproateAnnualRiskAcknowledgementFormBeenCompleted = yes(), no()
	}
	girl := func(dob string, v audit.AntiEpilepsyMedicine) *audit.Child {
		c := mgBase(aed, v)
		c.Case = &audit.Case{Sex: num(audit.SexFemale), DateOfBirth: day(dob)}
		return c
	}
	asked := []string{r + "is_a_pregnancy_prevention_programme_in_place", r + "has_a_valproate_annual_risk_acknowledgement_form_been_completed"}
	// fixedToday is 2025-06-01: a girl born 2013-06-01 turns 12 today.
	runForm(t, Management, []row{
		{name: "all conditions: two more questions", child: girl("2010-01-01", valproate()), expected: 10, answered: 8, status: InProgress, missing: asked},
		{name: "all conditions, answered", child: girl("2010-01-01", valproate(answered)), expected: 10, answered: 10, status: Completed},
		{name: "12 today", child: girl("2013-06-01", valproate()), expected: 10, answered: 8, status: InProgress, missing: asked},
		{name: "12 tomorrow", child: girl("2013-06-02", valproate()), expected: 8, answered: 8, status: Completed},
		// relativedelta: a child born on 29 February is 12 on 28 February.
		{name: "born 29 Feb 2012: not 12 on 28 Feb 2024", child: girl("2012-02-29", valproate()), today: audit.MustParseDate("2024-02-28"),
			expected: 8, answered: 8, status: Completed},
		{name: "born 29 Feb 2088: 12 on 28 Feb 2100, not a leap year", child: girl("2088-02-29", valproate()), today: audit.MustParseDate("2100-02-28"),
			expected: 10, answered: 8, status: InProgress},
		{name: "born 29 Feb 2088: not 12 on 27 Feb 2100", child: girl("2088-02-29", valproate()), today: audit.MustParseDate("2100-02-27"),
			expected: 8, answered: 8, status: Completed},
		{name: "born 29 Feb 2000, 12th birthday 29 Feb 2012", child: girl("2000-02-29", valproate()), today: audit.MustParseDate("2012-02-28"),
			expected: 8, answered: 8, status: Completed},
		{name: "age is today's, not at first assessment", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) {
			c.Registration = &audit.Registration{FirstPaediatricAssessmentDate: day("2021-01-01")} // 11 then
		}), expected: 10, answered: 8, status: InProgress},
		{name: "boy", child: with(girl("2010-01-01", valproate(answered)), func(c *audit.Child) { c.Case.Sex = num(audit.SexMale) }),
			expected: 8, answered: 8, status: Completed},
		{name: "sex not known", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) { c.Case.Sex = nil }),
			expected: 8, answered: 8, status: Completed},
		{name: "no date of birth", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) { c.Case.DateOfBirth = nil }),
			expected: 8, answered: 8, status: Completed},
		{name: "no case", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) { c.Case = nil }),
			expected: 8, answered: 8, status: Completed},
		{name: "programme not needed", child: girl("2010-01-01", valproate(func(v *audit.AntiEpilepsyMedicine) { v.IsAPregnancyPreventionProgrammeNeeded = no() })),
			expected: 8, answered: 8, status: Completed},
		{name: "programme need not recorded", child: girl("2010-01-01", valproate(func(v *audit.AntiEpilepsyMedicine) { v.IsAPregnancyPreventionProgrammeNeeded = nil })),
			expected: 8, answered: 8, status: Completed},
		{name: "another medicine", child: girl("2010-01-01", valproate(func(v *audit.AntiEpilepsyMedicine) { v.MedicineName = str("Levetiracetam") })),
			expected: 8, answered: 8, status: Completed},
		// Valproate is not a rescue medicine; a rescue row never asks.
		{name: "valproate in the rescue list", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) {
			c.Management = &audit.Management{HasAnAEDBeenGiven: no(), HasRescueMedicationBeenPrescribed: yes(), IndividualisedCarePlanInPlace: no(),
				HasBeenReferredForMentalHealthSupport: no(), HasSupportForMentalHealthSupport: no()}
			c.AntiEpilepsyMedicines[0].IsRescueMedicine = yes()
		}), expected: 8, answered: 8, status: Completed},
		{name: "two valproate-like rows each ask", child: with(girl("2010-01-01", valproate()), func(c *audit.Child) {
			c.AntiEpilepsyMedicines = append(c.AntiEpilepsyMedicines, valproate(answered))
		}), expected: 5 + 5 + 5, answered: 13, status: InProgress, missing: asked},
	})
}
