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
	// AuditComplete: every form complete when scored (nil: not known;
	// an upsert with nil keeps the stored value).
	AuditComplete *bool // ValidUntil is the first date the result could change with no write
	// to the child (nil: none ahead); always replaced by an upsert.
	ValidUntil *Date
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
	// AuditComplete: every form complete when scored (nil: not known;
	// an upsert with nil keeps the stored value).
	AuditComplete *bool // ValidUntil is the first date the result could change with no write
	// to the child (nil: none ahead); always replaced by an upsert.
	ValidUntil *Date
}

type ListStaleKPIChildrenParams struct {
	AfterID      int64
	RulesVersion string
	Today        *Date
	MaxRows      int64
}
