package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

func plan(inPlace *bool) func(*audit.Child) {
	return func(c *audit.Child) { c.Management.IndividualisedCarePlanInPlace = inPlace }
}

func agreement(agreed, updated *bool) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Management.IndividualisedCarePlanHasParentCarerChildAgreement = agreed
		c.Management.HasIndividualisedCarePlanBeenUpdatedInTheLastYear = updated
	}
}

func TestKPI9ACarePlanningAgreement(t *testing.T) {
	runMeasure(t, ComprehensiveCarePlanningAgreement, []scoreCase{
		{"plan unanswered is not scored", agreement(yes(), yes()), NotScored, "care_plan_unanswered"},
		{"no plan fails", all(plan(no()), agreement(yes(), yes())), Fail, "no_care_plan"},
		{"plan, update unanswered, is not scored", all(plan(yes()), agreement(yes(), nil)), NotScored, "agreement_or_update_unanswered"},
		{"plan, agreement unanswered, is not scored", all(plan(yes()), agreement(nil, yes())), NotScored, "agreement_or_update_unanswered"},
		{"agreed and updated passes", all(plan(yes()), agreement(yes(), yes())), Pass, "agreed_and_updated"},
		{"agreed, not updated, fails", all(plan(yes()), agreement(yes(), no())), Fail, "not_agreed_or_not_updated"},
		{"updated, not agreed, fails", all(plan(yes()), agreement(no(), yes())), Fail, "not_agreed_or_not_updated"},
	})
}

func TestKPI9AiPatientHeldDocument(t *testing.T) {
	runMeasure(t, PatientHeldIndividualisedEpilepsyDocument, []scoreCase{
		{"plan unanswered is not scored", nil, NotScored, "care_plan_unanswered"},
		{"plan in place passes", plan(yes()), Pass, "care_plan_in_place"},
		{"no plan fails", plan(no()), Fail, "no_care_plan"},
	})
}

// componentCases are the cases every single-answer care plan sub-measure
// (9Aii, 9Aiii, 9Bii to 9Bvi) shares; set answers that measure's question.
func componentCases(set func(*bool) func(*audit.Child)) []scoreCase {
	return []scoreCase{
		{"no plan fails even with the answer yes", all(plan(no()), set(yes())), Fail, "no_care_plan"},
		{"plan, answer unanswered, is not scored", plan(yes()), NotScored, "unanswered"},
		{"plan and yes passes", all(plan(yes()), set(yes())), Pass, "included"},
		{"plan and no fails", all(plan(yes()), set(no())), Fail, "not_included"},
		{"plan unanswered and yes passes, as in the audit", set(yes()), Pass, "included"},
		{"plan unanswered and no fails", set(no()), Fail, "not_included"},
		{"nothing answered is not scored", nil, NotScored, "unanswered"},
	}
}

func TestKPI9CarePlanComponents(t *testing.T) {
	m := func(c *audit.Child) *audit.Management { return c.Management }
	components := []struct {
		measure Measure
		field   func(*audit.Management) **bool
	}{
		{PatientCarerParentAgreementToTheCarePlanning, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanHasParentCarerChildAgreement }},
		{CarePlanningHasBeenUpdatedWhenNecessary, func(m *audit.Management) **bool { return &m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear }},
		{WaterSafety, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanAddressesWaterSafety }},
		{FirstAid, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludeFirstAid }},
		{GeneralParticipationAndRisk, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludesGeneralParticipationRisk }},
		{ServiceContactDetails, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludesServiceContactDetails }},
		{SUDEP, func(m *audit.Management) **bool { return &m.IndividualisedCarePlanAddressesSUDEP }},
	}
	for _, comp := range components {
		t.Run(comp.measure.Info().Number+"_"+comp.measure.ID(), func(t *testing.T) {
			runMeasure(t, comp.measure, componentCases(func(v *bool) func(*audit.Child) {
				return func(c *audit.Child) { *comp.field(m(c)) = v }
			}))
		})
	}
}

// fullPlan answers every 9B question yes, with rescue medication.
func fullPlan(c *audit.Child) {
	mg := c.Management
	mg.IndividualisedCarePlanInPlace = yes()
	mg.HasRescueMedicationBeenPrescribed = yes()
	mg.IndividualisedCarePlanParentalProlongedSeizureCare = yes()
	mg.IndividualisedCarePlanIncludeFirstAid = yes()
	mg.IndividualisedCarePlanAddressesWaterSafety = yes()
	mg.IndividualisedCarePlanIncludesServiceContactDetails = yes()
	mg.IndividualisedCarePlanIncludesGeneralParticipationRisk = yes()
	mg.IndividualisedCarePlanAddressesSUDEP = yes()
}

func TestKPI9BCarePlanningContent(t *testing.T) {
	set := func(edit func(*audit.Management)) func(*audit.Child) {
		return func(c *audit.Child) { fullPlan(c); edit(c.Management) }
	}
	cases := []scoreCase{
		{"plan unanswered is not scored", set(func(m *audit.Management) { m.IndividualisedCarePlanInPlace = nil }), NotScored, "care_plan_unanswered"},
		{"no plan fails", set(func(m *audit.Management) { m.IndividualisedCarePlanInPlace = no() }), Fail, "no_care_plan"},
		{"everything, with rescue medication and a prolonged-seizure plan, passes", fullPlan, Pass, "all_components"},
		{"rescue medication without a prolonged-seizure plan fails", set(func(m *audit.Management) {
			m.IndividualisedCarePlanParentalProlongedSeizureCare = no()
		}), Fail, "components_missing"},
		{"no rescue medication: a prolonged-seizure plan of no still passes", set(func(m *audit.Management) {
			m.HasRescueMedicationBeenPrescribed = no()
			m.IndividualisedCarePlanParentalProlongedSeizureCare = no()
		}), Pass, "all_components"},
		{"no rescue medication: the prolonged-seizure answer is still required", set(func(m *audit.Management) {
			m.HasRescueMedicationBeenPrescribed = no()
			m.IndividualisedCarePlanParentalProlongedSeizureCare = nil
		}), NotScored, "components_unanswered"},
	}
	for _, f := range []struct {
		name  string
		field func(*audit.Management) **bool
	}{
		{"rescue medication", func(m *audit.Management) **bool { return &m.HasRescueMedicationBeenPrescribed }},
		{"prolonged seizure care", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanParentalProlongedSeizureCare }},
		{"first aid", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludeFirstAid }},
		{"water safety", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanAddressesWaterSafety }},
		{"service contact details", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludesServiceContactDetails }},
		{"participation and risk", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanIncludesGeneralParticipationRisk }},
		{"SUDEP", func(m *audit.Management) **bool { return &m.IndividualisedCarePlanAddressesSUDEP }},
	} {
		cases = append(cases, scoreCase{f.name + " unanswered is not scored",
			set(func(m *audit.Management) { *f.field(m) = nil }), NotScored, "components_unanswered"})
		if f.name != "rescue medication" && f.name != "prolonged seizure care" {
			cases = append(cases, scoreCase{"without " + f.name + " fails",
				set(func(m *audit.Management) { *f.field(m) = no() }), Fail, "components_missing"})
		}
	}
	runMeasure(t, ComprehensiveCarePlanningContent, cases)
}

func TestKPI9BiProlongedSeizuresCarePlan(t *testing.T) {
	rescue := func(prescribed, prolonged *bool) func(*audit.Child) {
		return func(c *audit.Child) {
			c.Management.HasRescueMedicationBeenPrescribed = prescribed
			c.Management.IndividualisedCarePlanParentalProlongedSeizureCare = prolonged
		}
	}
	runMeasure(t, ParentalProlongedSeizuresCarePlan, []scoreCase{
		{"no plan fails first, even without rescue medication", all(plan(no()), rescue(no(), nil)), Fail, "no_care_plan"},
		{"rescue unanswered is not scored", all(plan(yes()), rescue(nil, yes())), NotScored, "unanswered"},
		{"prolonged plan unanswered is not scored", all(plan(yes()), rescue(yes(), nil)), NotScored, "unanswered"},
		{"prolonged plan unanswered is not scored even without rescue medication", all(plan(yes()), rescue(no(), nil)), NotScored, "unanswered"},
		{"no rescue medication is ineligible", all(plan(yes()), rescue(no(), no())), Ineligible, "no_rescue_medication"},
		{"rescue medication with a prolonged plan passes", all(plan(yes()), rescue(yes(), yes())), Pass, "included"},
		{"rescue medication without a prolonged plan fails", all(plan(yes()), rescue(yes(), no())), Fail, "not_included"},
		{"plan unanswered does not stop it", rescue(yes(), yes()), Pass, "included"},
	})
}

func TestKPI10SchoolIndividualHealthcarePlan(t *testing.T) {
	school := func(v *bool) func(*audit.Child) {
		return func(c *audit.Child) { c.Management.IndividualisedCarePlanIncludesEHCP = v }
	}
	runMeasure(t, SchoolIndividualHealthcarePlan, []scoreCase{
		{"school plan passes", all(plan(yes()), school(yes())), Pass, "included"},
		{"no school plan fails", all(plan(yes()), school(no())), Fail, "not_included"},
		{"school plan unanswered is not scored", plan(yes()), NotScored, "unanswered"},
		{"no care plan fails", all(plan(no()), school(yes())), Fail, "no_care_plan"},
		{"care plan unanswered with a school plan passes", school(yes()), Pass, "included"},
		{"aged 4.5 is ineligible: the threshold is 5, not the documented 4", all(fourAndAHalf, plan(yes()), school(yes())), Ineligible, "under_5"},
		{"on the 5th birthday with one leap day (4.9993) is ineligible", all(fifthBirthdayOneLeapDay, plan(no())), Ineligible, "under_5"},
		{"5th birthday + 1 day (5.0021) is eligible", all(fiveAndADay, plan(no())), Fail, "no_care_plan"},
		{"born 29 Feb, assessed 28 Feb five years on, is under 5", all(leapChildFiveOn28Feb, plan(yes()), school(yes())), Ineligible, "under_5"},
		{"born 29 Feb, assessed 1 March five years on, is 5", all(leapChildFiveOn1March, plan(yes()), school(yes())), Pass, "included"},
	})
}
