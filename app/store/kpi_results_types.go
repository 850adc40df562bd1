package store

import "time"

// KPI result types; they mirror the sqlc rows and params field for field
// (see types.go).

type UpsertKPIResultParams struct {
	ChildID                                      int64
	RulesVersion                                 string
	DataVersion                                  int64
	ComputedAt                                   time.Time
	PaediatricianWithExpertiseInEpilepsies       *int64
	EpilepsySpecialistNurse                      *int64
	TertiaryInput                                *int64
	EpilepsySurgeryReferral                      *int64
	Ecg                                          *int64
	Mri                                          *int64
	AssessmentOfMentalHealthIssues               *int64
	MentalHealthSupport                          *int64
	SodiumValproate                              *int64
	ComprehensiveCarePlanningAgreement           *int64
	PatientHeldIndividualisedEpilepsyDocument    *int64
	PatientCarerParentAgreementToTheCarePlanning *int64
	CarePlanningHasBeenUpdatedWhenNecessary      *int64
	ComprehensiveCarePlanningContent             *int64
	ParentalProlongedSeizuresCarePlan            *int64
	WaterSafety                                  *int64
	FirstAid                                     *int64
	GeneralParticipationAndRisk                  *int64
	ServiceContactDetails                        *int64
	Sudep                                        *int64
	SchoolIndividualHealthcarePlan               *int64
}

type KpiResult struct {
	ChildID                                      int64
	RulesVersion                                 string
	DataVersion                                  int64
	ComputedAt                                   time.Time
	PaediatricianWithExpertiseInEpilepsies       *int64
	EpilepsySpecialistNurse                      *int64
	TertiaryInput                                *int64
	EpilepsySurgeryReferral                      *int64
	Ecg                                          *int64
	Mri                                          *int64
	AssessmentOfMentalHealthIssues               *int64
	MentalHealthSupport                          *int64
	SodiumValproate                              *int64
	ComprehensiveCarePlanningAgreement           *int64
	PatientHeldIndividualisedEpilepsyDocument    *int64
	PatientCarerParentAgreementToTheCarePlanning *int64
	CarePlanningHasBeenUpdatedWhenNecessary      *int64
	ComprehensiveCarePlanningContent             *int64
	ParentalProlongedSeizuresCarePlan            *int64
	WaterSafety                                  *int64
	FirstAid                                     *int64
	GeneralParticipationAndRisk                  *int64
	ServiceContactDetails                        *int64
	Sudep                                        *int64
	SchoolIndividualHealthcarePlan               *int64
}
