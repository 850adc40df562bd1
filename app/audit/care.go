package audit

// Investigations is the "Tests" step (§2.10).
//
// "Declined" is an answer here, not a sentinel date: Epilepsy12 writes
// 1915-04-15 into eeg_performed_date (and tries to for the MRI, quirk 10);
// clinaudit records EEGDeclined / MRIBrainDeclined instead (decisions.md), and
// a document carrying the sentinel date is rejected.
type Investigations struct {
	EEGIndicated     *bool `json:"eeg_indicated,omitempty"`
	EEGRequestDate   *Date `json:"eeg_request_date,omitempty"`
	EEGPerformedDate *Date `json:"eeg_performed_date,omitempty"`
	// True when the EEG was declined; eeg_performed_date is then empty.
	EEGDeclined *bool `json:"eeg_declined,omitempty"`

	TwelveLeadECGStatus *bool `json:"twelve_lead_ecg_status,omitempty"` // KPI 4
	CTHeadScanStatus    *bool `json:"ct_head_scan_status,omitempty"`

	MRIIndicated          *bool `json:"mri_indicated,omitempty"` // KPI 5
	MRIBrainRequestedDate *Date `json:"mri_brain_requested_date,omitempty"`
	MRIBrainReportedDate  *Date `json:"mri_brain_reported_date,omitempty"`
	// True when the MRI was declined; mri_brain_reported_date is then empty.
	MRIBrainDeclined *bool `json:"mri_brain_declined,omitempty"`
}

// Assessment is the "Milestones" step (§2.11): referrals to, and input from,
// each kind of specialist. The centres chosen for each role are Site rows
// in Epilepsy12 (§2.2); the document carries them in Sites.
type Assessment struct {
	ChildrensEpilepsySurgicalServiceReferralCriteriaMet *bool `json:"childrens_epilepsy_surgical_service_referral_criteria_met,omitempty"`

	ConsultantPaediatricianReferralMade  *bool `json:"consultant_paediatrician_referral_made,omitempty"`
	ConsultantPaediatricianReferralDate  *Date `json:"consultant_paediatrician_referral_date,omitempty"`
	ConsultantPaediatricianInputAchieved *bool `json:"consultant_paediatrician_input_achieved,omitempty"`
	ConsultantPaediatricianInputDate     *Date `json:"consultant_paediatrician_input_date,omitempty"`

	PaediatricNeurologistReferralMade  *bool `json:"paediatric_neurologist_referral_made,omitempty"`
	PaediatricNeurologistReferralDate  *Date `json:"paediatric_neurologist_referral_date,omitempty"`
	PaediatricNeurologistInputAchieved *bool `json:"paediatric_neurologist_input_achieved,omitempty"`
	PaediatricNeurologistInputDate     *Date `json:"paediatric_neurologist_input_date,omitempty"`

	ChildrensEpilepsySurgicalServiceReferralMade *bool `json:"childrens_epilepsy_surgical_service_referral_made,omitempty"`
	ChildrensEpilepsySurgicalServiceReferralDate *Date `json:"childrens_epilepsy_surgical_service_referral_date,omitempty"`
	ChildrensEpilepsySurgicalServiceInputDate    *Date `json:"childrens_epilepsy_surgical_service_input_date,omitempty"` // not scored

	EpilepsySpecialistNurseReferralMade  *bool `json:"epilepsy_specialist_nurse_referral_made,omitempty"`
	EpilepsySpecialistNurseReferralDate  *Date `json:"epilepsy_specialist_nurse_referral_date,omitempty"`
	EpilepsySpecialistNurseInputAchieved *bool `json:"epilepsy_specialist_nurse_input_achieved,omitempty"`
	EpilepsySpecialistNurseInputDate     *Date `json:"epilepsy_specialist_nurse_input_date,omitempty"`
}

// Management is the "Treatment and care planning" step (§2.12). Its
// medicines are Child.AntiEpilepsyMedicines.
type Management struct {
	HasAnAEDBeenGiven                 *bool `json:"has_an_aed_been_given,omitempty"`
	HasRescueMedicationBeenPrescribed *bool `json:"has_rescue_medication_been_prescribed,omitempty"`

	IndividualisedCarePlanInPlace                          *bool `json:"individualised_care_plan_in_place,omitempty"`
	IndividualisedCarePlanDate                             *Date `json:"individualised_care_plan_date,omitempty"`
	IndividualisedCarePlanHasParentCarerChildAgreement     *bool `json:"individualised_care_plan_has_parent_carer_child_agreement,omitempty"`
	IndividualisedCarePlanIncludesServiceContactDetails    *bool `json:"individualised_care_plan_includes_service_contact_details,omitempty"`
	IndividualisedCarePlanIncludeFirstAid                  *bool `json:"individualised_care_plan_include_first_aid,omitempty"`
	IndividualisedCarePlanParentalProlongedSeizureCare     *bool `json:"individualised_care_plan_parental_prolonged_seizure_care,omitempty"`
	IndividualisedCarePlanIncludesGeneralParticipationRisk *bool `json:"individualised_care_plan_includes_general_participation_risk,omitempty"`
	IndividualisedCarePlanAddressesWaterSafety             *bool `json:"individualised_care_plan_addresses_water_safety,omitempty"`
	IndividualisedCarePlanAddressesSUDEP                   *bool `json:"individualised_care_plan_addresses_sudep,omitempty"`
	// Labelled "A School Individual Health Care Plan" (KPI 10).
	IndividualisedCarePlanIncludesEHCP                *bool `json:"individualised_care_plan_includes_ehcp,omitempty"`
	HasIndividualisedCarePlanBeenUpdatedInTheLastYear *bool `json:"has_individualised_care_plan_been_updated_in_the_last_year,omitempty"`

	HasBeenReferredForMentalHealthSupport *bool `json:"has_been_referred_for_mental_health_support,omitempty"`
	HasSupportForMentalHealthSupport      *bool `json:"has_support_for_mental_health_support,omitempty"` // KPI 7
}

// AntiEpilepsyMedicine is one medicine row of the management form (§2.13).
type AntiEpilepsyMedicine struct {
	// A name from Medicines, in the list that matches IsRescueMedicine
	// ("Other" is in both lists). Null while the row has no medicine chosen.
	MedicineName *string `json:"medicine_name,omitempty"`
	// Which list the row belongs to. Required: it is set by the form the row
	// was added from, never left unanswered.
	IsRescueMedicine *bool `json:"is_rescue_medicine,omitempty"`

	AntiepilepsyMedicineStartDate     *Date `json:"antiepilepsy_medicine_start_date,omitempty"`
	AntiepilepsyMedicineStopDate      *Date `json:"antiepilepsy_medicine_stop_date,omitempty"`
	AntiepilepsyMedicineRiskDiscussed *bool `json:"antiepilepsy_medicine_risk_discussed,omitempty"`

	// Set by the application when the medicine is chosen (valproate, female,
	// 12 or over today); carried here so the record is complete. Not scored.
	IsAPregnancyPreventionProgrammeNeeded                   *bool `json:"is_a_pregnancy_prevention_programme_needed,omitempty"`
	IsAPregnancyPreventionProgrammeInPlace                  *bool `json:"is_a_pregnancy_prevention_programme_in_place,omitempty"`                    // KPI 8
	HasAValproateAnnualRiskAcknowledgementFormBeenCompleted *bool `json:"has_a_valproate_annual_risk_acknowledgement_form_been_completed,omitempty"` // KPI 8
}

// Sites are the centres chosen on the Milestones form for each role (the
// site role flags of spec §2.2), by ODS code. The lead site is the child's
// lead organisation, not part of the document. Progress counts each centre
// chosen (§5.1 Milestones); no KPI reads them.
type Sites struct {
	GeneralPaediatricCentre        *string `json:"site_is_general_paediatric_centre,omitempty"`
	PaediatricNeurologyCentre      *string `json:"site_is_paediatric_neurology_centre,omitempty"`
	ChildrensEpilepsySurgeryCentre *string `json:"site_is_childrens_epilepsy_surgery_centre,omitempty"`
}
