package kpi

import (
	"fmt"
	"strings"

	"clinaudit/app/audit"
)

// KPI 9A, 9B (and their sub-measures) and 10: the individualised care plan.

const (
	carePlanPrefix         = "management.individualised_care_plan_"
	fieldCarePlanInPlace   = carePlanPrefix + "in_place"
	fieldCarePlanAgreement = carePlanPrefix + "has_parent_carer_child_agreement"
	fieldCarePlanUpdated   = "management.has_individualised_care_plan_been_updated_in_the_last_year"
	fieldProlongedSeizures = carePlanPrefix + "parental_prolonged_seizure_care"
	fieldFirstAid          = carePlanPrefix + "include_first_aid"
	fieldWaterSafety       = carePlanPrefix + "addresses_water_safety"
	fieldContactDetails    = carePlanPrefix + "includes_service_contact_details"
	fieldParticipationRisk = carePlanPrefix + "includes_general_participation_risk"
	fieldSUDEP             = carePlanPrefix + "addresses_sudep"
	fieldSchoolPlan        = carePlanPrefix + "includes_ehcp"
	fieldRescueMedication  = "management.has_rescue_medication_been_prescribed"
)

// schoolPlanMinAge is KPI 10's threshold. The audit's documentation says 4
// years; its code uses 5, and so do we (quirk 8).
const schoolPlanMinAge = 5.0

// scoreCarePlanningAgreement is KPI 9A (spec §6). Never ineligible.
func scoreCarePlanningAgreement(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	m := s.c.Management
	e.read(fieldCarePlanInPlace)
	if ex, decided := carePlanMissing(e, m.IndividualisedCarePlanInPlace); decided {
		return ex
	}
	e.read(fieldCarePlanUpdated, fieldCarePlanAgreement)
	updated, agreed := m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear, m.IndividualisedCarePlanHasParentCarerChildAgreement
	if updated == nil || agreed == nil {
		return e.notScored("agreement_or_update_unanswered", "Not scored yet: a care plan is in place, but whether it was agreed with the family and updated in the last year are not both answered.")
	}
	if *updated && *agreed {
		return e.pass("agreed_and_updated", "A care plan is in place, agreed with the child and family, and updated in the last year.")
	}
	return e.fail("not_agreed_or_not_updated", fmt.Sprintf("A care plan is in place, but agreed with the family: %s; updated in the last year: %s.", answer(agreed), answer(updated)))
}

// carePlanMissing decides the two cases every headline care-plan measure
// starts with: plan_in_place unanswered (not scored) or no (fail).
func carePlanMissing(e *explainer, inPlace *bool) (Explanation, bool) {
	switch {
	case inPlace == nil:
		return e.notScored("care_plan_unanswered", "Not scored yet: whether care planning has started is not answered."), true
	case !*inPlace:
		return e.fail("no_care_plan", "No individualised care plan is in place."), true
	}
	return Explanation{}, false
}

// scorePatientHeldDocument is KPI 9Ai: the care plan is in place.
func scorePatientHeldDocument(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	e.read(fieldCarePlanInPlace)
	if ex, decided := carePlanMissing(e, s.c.Management.IndividualisedCarePlanInPlace); decided {
		return ex
	}
	return e.pass("care_plan_in_place", "An individualised care plan is in place.")
}

// scoreCarePlanComponent scores 9Aii, 9Aiii and 9Bii-9Bvi, each by the one
// answer carePlanComponents names: no plan fails first; otherwise that
// answer decides. Note that an unanswered plan_in_place does not stop it: a
// NULL plan with the component answered yes passes, as in the audit.
func scoreCarePlanComponent(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	c := carePlanComponents[e.measure]
	e.read(fieldCarePlanInPlace)
	if isFalse(s.c.Management.IndividualisedCarePlanInPlace) {
		return e.fail("no_care_plan", "No individualised care plan is in place.")
	}
	e.read(c.field)
	switch got := c.answer(s.c.Management); {
	case got == nil:
		return e.notScored("unanswered", fmt.Sprintf("Not scored yet: whether the care plan %s is not answered.", c.what))
	case *got:
		return e.pass("included", fmt.Sprintf("The care plan %s.", c.what))
	}
	return e.fail("not_included", fmt.Sprintf("The care plan does not say it %s.", c.what))
}

// carePlanComponent is the answer that decides one care plan measure, and
// what a yes says of the plan.
type carePlanComponent struct {
	field  string
	what   string
	answer func(*audit.Management) *bool
}

// carePlanComponents are the measures scoreCarePlanComponent scores.
var carePlanComponents = map[Measure]carePlanComponent{
	PatientCarerParentAgreementToTheCarePlanning: { // 9Aii
		fieldCarePlanAgreement, "was agreed with the child, parents or carers",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanHasParentCarerChildAgreement }},
	CarePlanningHasBeenUpdatedWhenNecessary: { // 9Aiii
		fieldCarePlanUpdated, "was updated in the last year",
		func(m *audit.Management) *bool { return m.HasIndividualisedCarePlanBeenUpdatedInTheLastYear }},
	WaterSafety: { // 9Bii
		fieldWaterSafety, "addresses water safety",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanAddressesWaterSafety }},
	FirstAid: { // 9Biii
		fieldFirstAid, "includes first aid",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanIncludeFirstAid }},
	GeneralParticipationAndRisk: { // 9Biv
		fieldParticipationRisk, "covers general participation and risk",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanIncludesGeneralParticipationRisk }},
	// 9Bv. The audit's docstrings of 9Bv and 9Bvi are swapped; its field
	// mapping, followed here, is right.
	ServiceContactDetails: {
		fieldContactDetails, "includes service contact details",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanIncludesServiceContactDetails }},
	SUDEP: { // 9Bvi
		fieldSUDEP, "addresses SUDEP",
		func(m *audit.Management) *bool { return m.IndividualisedCarePlanAddressesSUDEP }},
}

// scoreCarePlanningContent is KPI 9B (spec §6). All seven answers must be
// given, even the prolonged-seizure plan when no rescue medicine was
// prescribed, although it cannot then change the outcome.
func scoreCarePlanningContent(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	m := s.c.Management
	e.read(fieldCarePlanInPlace)
	if ex, decided := carePlanMissing(e, m.IndividualisedCarePlanInPlace); decided {
		return ex
	}
	parts := []struct {
		field  string
		what   string
		answer *bool
	}{
		{fieldRescueMedication, "rescue medication prescribed", m.HasRescueMedicationBeenPrescribed},
		{fieldProlongedSeizures, "parental prolonged seizure care", m.IndividualisedCarePlanParentalProlongedSeizureCare},
		{fieldFirstAid, "first aid", m.IndividualisedCarePlanIncludeFirstAid},
		{fieldWaterSafety, "water safety", m.IndividualisedCarePlanAddressesWaterSafety},
		{fieldContactDetails, "service contact details", m.IndividualisedCarePlanIncludesServiceContactDetails},
		{fieldParticipationRisk, "general participation and risk", m.IndividualisedCarePlanIncludesGeneralParticipationRisk},
		{fieldSUDEP, "SUDEP", m.IndividualisedCarePlanAddressesSUDEP},
	}
	var unanswered, missing []string
	for _, p := range parts {
		e.read(p.field)
		if p.answer == nil {
			unanswered = append(unanswered, p.what)
		}
	}
	if len(unanswered) > 0 {
		return e.notScored("components_unanswered", "Not scored yet: unanswered care plan questions: "+strings.Join(unanswered, ", ")+".")
	}
	for _, p := range parts[2:] { // the five components every plan needs
		if !*p.answer {
			missing = append(missing, p.what)
		}
	}
	rescue, prolonged := *m.HasRescueMedicationBeenPrescribed, *m.IndividualisedCarePlanParentalProlongedSeizureCare
	if rescue && !prolonged {
		missing = append(missing, "parental prolonged seizure care (rescue medication is prescribed)")
	}
	if len(missing) > 0 {
		return e.fail("components_missing", "The care plan lacks: "+strings.Join(missing, ", ")+".")
	}
	if !rescue {
		return e.pass("all_components", "The care plan covers first aid, water safety, service contact details, participation and risk, and SUDEP; no rescue medication, so a prolonged-seizure plan is not needed.")
	}
	return e.pass("all_components", "The care plan covers first aid, water safety, service contact details, participation and risk, SUDEP, and parental care of prolonged seizures.")
}

// scoreProlongedSeizuresCarePlan is KPI 9Bi (spec §6).
func scoreProlongedSeizuresCarePlan(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	m := s.c.Management
	e.read(fieldCarePlanInPlace)
	if isFalse(m.IndividualisedCarePlanInPlace) {
		return e.fail("no_care_plan", "No individualised care plan is in place.")
	}
	e.read(fieldRescueMedication, fieldProlongedSeizures)
	rescue, prolonged := m.HasRescueMedicationBeenPrescribed, m.IndividualisedCarePlanParentalProlongedSeizureCare
	switch {
	case rescue == nil || prolonged == nil:
		return e.notScored("unanswered", "Not scored yet: whether rescue medication was prescribed and whether the plan covers parental care of prolonged seizures are not both answered.")
	case !*rescue:
		return e.ineligible("no_rescue_medication", "No rescue medication is prescribed.")
	case *prolonged:
		return e.pass("included", "Rescue medication is prescribed and the care plan covers parental care of prolonged seizures.")
	}
	return e.fail("not_included", "Rescue medication is prescribed but the care plan does not cover parental care of prolonged seizures.")
}

// scoreSchoolIndividualHealthcarePlan is KPI 10 (spec §6).
func scoreSchoolIndividualHealthcarePlan(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, managementForm); !ok {
		return ex
	}
	if ex, ok := e.oldEnough(s, schoolPlanMinAge, "under_5", "Under 5"); !ok {
		return ex
	}
	m := s.c.Management
	e.read(fieldCarePlanInPlace)
	if isFalse(m.IndividualisedCarePlanInPlace) {
		return e.fail("no_care_plan", "No individualised care plan is in place.")
	}
	return e.byAnswer(fieldSchoolPlan, m.IndividualisedCarePlanIncludesEHCP,
		reason{"unanswered", "Not scored yet: whether the care plan includes a school individual health care plan is not answered."},
		reason{"included", "The care plan includes a school individual health care plan."},
		reason{"not_included", "The care plan does not include a school individual health care plan."})
}
