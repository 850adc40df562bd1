package kpi

import (
	"fmt"
	"slices"

	"clinaudit/app/audit"
)

// KPI 4 and 5: ECG and MRI (the Tests form).

const (
	fieldConvulsive   = "epilepsy_context.were_any_of_the_epileptic_seizures_convulsive"
	fieldECG          = "investigations.twelve_lead_ecg_status"
	fieldMRIIndicated = "investigations.mri_indicated"
	fieldMRIRequested = "investigations.mri_brain_requested_date"
	fieldMRIReported  = "investigations.mri_brain_reported_date"
)

// maxDaysRequestToMRI is KPI 5's "within 6 weeks": 42 days passes, 43 fails.
const maxDaysRequestToMRI = 42

// mriExcludedSyndromes are the syndromes that make a child ineligible for
// KPI 5, matched by exact name as the audit does (one has an EN DASH).
// syndromes.csv marks the same five with excludes_from_mri_kpi.
var mriExcludedSyndromes = []string{
	"Self-limited epilepsy with centrotemporal spikes",
	"Juvenile myoclonic epilepsy",
	"Juvenile absence epilepsy",
	"Childhood absence epilepsy",
	"Epilepsy with generalized tonic–clonic seizures alone",
}

// scoreECG is KPI 4 (spec §6). No date window is checked.
func scoreECG(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, epilepsyContextForm, investigationsForm); !ok {
		return ex
	}
	convulsive := s.c.EpilepsyContext.WereAnyOfTheEpilepticSeizuresConvulsive
	e.read(fieldConvulsive)
	if isFalse(convulsive) {
		return e.ineligible("not_convulsive", "No convulsive seizures, so an ECG is not required.")
	}
	if convulsive == nil {
		return e.notScored("convulsive_unanswered", "Not scored yet: whether any seizures were convulsive is not answered.")
	}
	return e.byAnswer(fieldECG, s.c.Investigations.TwelveLeadECGStatus,
		reason{"ecg_unanswered", "Not scored yet: convulsive seizures, but whether a 12-lead ECG was done is not answered."},
		reason{"ecg_done", "Convulsive seizures and a 12-lead ECG was done."},
		reason{"ecg_not_done", "Convulsive seizures but no 12-lead ECG."})
}

// scoreMRI is KPI 5 (spec §6). It never returns "not scored" once its forms
// exist: an unanswered Tests form fails (quirk 6, followed on purpose). Age
// plays no part, although the audit's docs mention under-2s (quirk 8).
// syndrome_present is not consulted: the syndrome rows decide.
func scoreMRI(s *scorer, e *explainer) Explanation {
	if ex, ok := e.requireForms(s.c, multiaxialForm, investigationsForm); !ok {
		return ex
	}
	e.read("syndromes[].syndrome_name")
	for i, syn := range s.c.Syndromes {
		if syn.SyndromeName != nil && slices.Contains(mriExcludedSyndromes, *syn.SyndromeName) {
			e.read(fmt.Sprintf("syndromes[%d].syndrome_name", i))
			return e.ineligible("excluded_syndrome", fmt.Sprintf("The syndrome %q is excluded from the MRI measure.", *syn.SyndromeName))
		}
	}
	inv := s.c.Investigations
	requested, reported := inv.MRIBrainRequestedDate, inv.MRIBrainReportedDate
	e.read(fieldMRIIndicated)
	if isTrue(inv.MRIIndicated) && (requested == nil || reported == nil) {
		e.read(fieldMRIRequested, fieldMRIReported)
		return e.fail("mri_dates_missing", "A brain MRI is recorded as achieved but its request or report date is missing; the audit scores this as a fail.")
	}
	if isFalse(inv.MRIIndicated) {
		return e.fail("mri_not_achieved", "No brain MRI was achieved.")
	}
	e.read(fieldMRIRequested, fieldMRIReported)
	if requested != nil && reported != nil {
		// The audit takes the absolute difference, so a report dated
		// before the request still counts by its distance.
		days := abs(audit.DaysBetween(*requested, *reported))
		if days <= maxDaysRequestToMRI {
			return e.pass("mri_within_6_weeks", fmt.Sprintf("MRI requested %s and reported %s: %d days apart, within %d.", requested, reported, days, maxDaysRequestToMRI))
		}
		return e.fail("mri_after_6_weeks", fmt.Sprintf("MRI requested %s and reported %s: %d days apart, more than %d.", requested, reported, days, maxDaysRequestToMRI))
	}
	return e.fail("mri_unanswered", "The MRI questions are not answered; this measure scores a fail, never \"not scored\", until they are.")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
