// Package kpi scores one child's audit record against the 21 stored
// Epilepsy12 measures (12 headline KPIs and 9 sub-measures of KPI 9A/9B).
//
// The rules are the national audit's, followed exactly, odd parts included
// (spec §6, decisions.md "Follow exactly"), because hospitals compare their
// results with the national figures. docs/kpi.md lists each rule and each
// deliberate oddity. Scoring is a pure function of the record: no clock, no
// I/O, safe for concurrent use.
package kpi

import "fmt"

// RulesVersion identifies the rule set that produced a Result. It is stored
// with every result so that a later rule change can find what to recompute.
// Format: the Epilepsy12 source commit the rules follow, then clinaudit's own
// revision of them.
const RulesVersion = "e12-f229c158.r1"

// Measure is one of the 21 stored measures. Its stable identifier (ID,
// and its JSON form) is the Epilepsy12 KPI field name; the integer order is
// the spec's order and is for iteration only, never stored.
type Measure int

// The 21 measures, in the order of spec §2.15.
const (
	PaediatricianWithExpertiseInEpilepsies       Measure = iota // KPI 1
	EpilepsySpecialistNurse                                     // KPI 2
	TertiaryInput                                               // KPI 3a
	EpilepsySurgeryReferral                                     // KPI 3b
	ECG                                                         // KPI 4
	MRI                                                         // KPI 5
	AssessmentOfMentalHealthIssues                              // KPI 6
	MentalHealthSupport                                         // KPI 7
	SodiumValproate                                             // KPI 8
	ComprehensiveCarePlanningAgreement                          // KPI 9A
	PatientHeldIndividualisedEpilepsyDocument                   // KPI 9Ai
	PatientCarerParentAgreementToTheCarePlanning                // KPI 9Aii
	CarePlanningHasBeenUpdatedWhenNecessary                     // KPI 9Aiii
	ComprehensiveCarePlanningContent                            // KPI 9B
	ParentalProlongedSeizuresCarePlan                           // KPI 9Bi
	WaterSafety                                                 // KPI 9Bii
	FirstAid                                                    // KPI 9Biii
	GeneralParticipationAndRisk                                 // KPI 9Biv
	ServiceContactDetails                                       // KPI 9Bv
	SUDEP                                                       // KPI 9Bvi
	SchoolIndividualHealthcarePlan                              // KPI 10

	// NumMeasures is the number of stored measures (21).
	NumMeasures int = iota
)

// MeasureInfo describes a measure for people: its number in the audit, its
// title and whether it is one of the 12 headline KPIs (the others are
// sub-measures of Parent).
type MeasureInfo struct {
	Measure  Measure
	ID       string // the Epilepsy12 field name, e.g. "paediatrician_with_expertise_in_epilepsies"
	Number   string // "1", "3a", "9Aii", ...
	Title    string
	Headline bool
	// Group is the headline measure this one belongs to: itself for a
	// headline measure, 9A or 9B for their sub-measures.
	Group Measure
}

// Titles: the audit's KPI titles for headline measures (spec §6), the
// reference-data display names for sub-measures.
var measureInfo = [NumMeasures]MeasureInfo{
	{PaediatricianWithExpertiseInEpilepsies, "paediatrician_with_expertise_in_epilepsies", "1", "Paediatrician with expertise in Epilepsy within 2 weeks", true, PaediatricianWithExpertiseInEpilepsies},
	{EpilepsySpecialistNurse, "epilepsy_specialist_nurse", "2", "Access to Epilepsy Specialist Nurse", true, EpilepsySpecialistNurse},
	{TertiaryInput, "tertiary_input", "3a", "Tertiary Input", true, TertiaryInput},
	{EpilepsySurgeryReferral, "epilepsy_surgery_referral", "3b", "Epilepsy Surgery Referral", true, EpilepsySurgeryReferral},
	{ECG, "ecg", "4", "ECG", true, ECG},
	{MRI, "mri", "5", "MRI within 6 weeks", true, MRI},
	{AssessmentOfMentalHealthIssues, "assessment_of_mental_health_issues", "6", "Assessment of Mental Health Issues", true, AssessmentOfMentalHealthIssues},
	{MentalHealthSupport, "mental_health_support", "7", "Mental Health Support", true, MentalHealthSupport},
	{SodiumValproate, "sodium_valproate", "8", "Medication and Reproduction Risks", true, SodiumValproate},
	{ComprehensiveCarePlanningAgreement, "comprehensive_care_planning_agreement", "9A", "Care Planning Agreement", true, ComprehensiveCarePlanningAgreement},
	{PatientHeldIndividualisedEpilepsyDocument, "patient_held_individualised_epilepsy_document", "9Ai", "Patient-held individualised epilepsy document", false, ComprehensiveCarePlanningAgreement},
	{PatientCarerParentAgreementToTheCarePlanning, "patient_carer_parent_agreement_to_the_care_planning", "9Aii", "Patient/Carer agreement to the care planning", false, ComprehensiveCarePlanningAgreement},
	{CarePlanningHasBeenUpdatedWhenNecessary, "care_planning_has_been_updated_when_necessary", "9Aiii", "Care planning has been updated when necessary", false, ComprehensiveCarePlanningAgreement},
	{ComprehensiveCarePlanningContent, "comprehensive_care_planning_content", "9B", "Care Planning Components", true, ComprehensiveCarePlanningContent},
	{ParentalProlongedSeizuresCarePlan, "parental_prolonged_seizures_care_plan", "9Bi", "Parental prolonged seizures care plan", false, ComprehensiveCarePlanningContent},
	{WaterSafety, "water_safety", "9Bii", "Water safety", false, ComprehensiveCarePlanningContent},
	{FirstAid, "first_aid", "9Biii", "First aid", false, ComprehensiveCarePlanningContent},
	{GeneralParticipationAndRisk, "general_participation_and_risk", "9Biv", "General participation and risk", false, ComprehensiveCarePlanningContent},
	{ServiceContactDetails, "service_contact_details", "9Bv", "Service contact details", false, ComprehensiveCarePlanningContent},
	{SUDEP, "sudep", "9Bvi", "SUDEP (sudden unexplained death in epilepsy)", false, ComprehensiveCarePlanningContent},
	{SchoolIndividualHealthcarePlan, "school_individual_healthcare_plan", "10", "School Individual Health Care Plan", true, SchoolIndividualHealthcarePlan},
}

// Measures returns the 21 measures in the spec's order.
func Measures() []MeasureInfo {
	out := make([]MeasureInfo, NumMeasures)
	copy(out, measureInfo[:])
	return out
}

// Info describes m.
func (m Measure) Info() MeasureInfo {
	if !m.valid() {
		return MeasureInfo{Measure: m, ID: m.String()}
	}
	return measureInfo[m]
}

// ID is the stable identifier: the Epilepsy12 KPI field name.
func (m Measure) ID() string { return m.Info().ID }

// Title is the measure's human title.
func (m Measure) Title() string { return m.Info().Title }

// Headline reports whether m is one of the 12 headline KPIs.
func (m Measure) Headline() bool { return m.Info().Headline }

func (m Measure) String() string {
	if !m.valid() {
		return fmt.Sprintf("kpi.Measure(%d)", int(m))
	}
	return measureInfo[m].ID
}

func (m Measure) valid() bool { return m >= 0 && int(m) < NumMeasures }

// MeasureByID finds a measure by its stable identifier.
func MeasureByID(id string) (Measure, bool) {
	for _, info := range measureInfo {
		if info.ID == id {
			return info.Measure, true
		}
	}
	return 0, false
}

// MarshalText writes the stable identifier.
func (m Measure) MarshalText() ([]byte, error) {
	if !m.valid() {
		return nil, fmt.Errorf("kpi: no measure %d", int(m))
	}
	return []byte(measureInfo[m].ID), nil
}

// UnmarshalText reads a stable identifier.
func (m *Measure) UnmarshalText(b []byte) error {
	found, ok := MeasureByID(string(b))
	if !ok {
		return fmt.Errorf("kpi: unknown measure %q", b)
	}
	*m = found
	return nil
}
