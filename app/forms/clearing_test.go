package forms

import (
	"slices"
	"testing"
)

func ep(field string) Key             { return key("episodes", 1, field) }
func ma(field string) Key             { return key("multiaxial_diagnosis", 0, field) }
func inv(field string) Key            { return key("investigations", 0, field) }
func ms(field string) Key             { return key("assessment", 0, field) }
func site(field string) Key           { return key("sites", 0, field) }
func mg(field string) Key             { return key("management", 0, field) }
func med(row int64, field string) Key { return key("antiepilepsy_medicines", row, field) }

var (
	yes = Literal("true")
	no  = Literal("false")
)

// laterality is the answer of the Laterality question, saved at its key.
func laterality(side string) step { return step{ep("focal_onset_left"), quote(side)} }

var lateralityKeys = []Key{ep("focal_onset_left"), ep("focal_onset_right"), ep("focal_onset_laterality_unknown")}

// referralSteps makes a referral with its date, centre, and input.
func referralSteps(who, centreField string) []step {
	steps := []step{{ms(who + "_referral_made"), yes}, {ms(who + "_referral_date"), day(5)}}
	if centreField != "" {
		steps = append(steps, step{site(centreField), quote("RGT01")})
	}
	return append(steps, step{ms(who + "_input_achieved"), yes}, step{ms(who + "_input_date"), day(9)})
}

var carePlanKeys = func() []Key {
	var out []Key
	for _, f := range carePlanFieldNames {
		out = append(out, mg(f))
	}
	return out
}()

var carePlanFieldNames = []string{
	"individualised_care_plan_date",
	"individualised_care_plan_has_parent_carer_child_agreement",
	"individualised_care_plan_includes_service_contact_details",
	"individualised_care_plan_include_first_aid",
	"individualised_care_plan_parental_prolonged_seizure_care",
	"individualised_care_plan_includes_general_participation_risk",
	"individualised_care_plan_addresses_water_safety",
	"individualised_care_plan_addresses_sudep",
	"individualised_care_plan_includes_ehcp",
	"has_individualised_care_plan_been_updated_in_the_last_year",
}

func carePlanSteps() []step {
	steps := []step{{mg("individualised_care_plan_in_place"), yes}, {mg("individualised_care_plan_date"), day(3)}}
	for _, f := range carePlanFieldNames[1:] {
		steps = append(steps, step{mg(f), yes})
	}
	return steps
}

func join(groups ...[]step) []step { return slices.Concat(groups...) }

type clearCase struct {
	name    string
	form    *Form
	sex     int
	prep    func(rec *Record) // rows to add (ids from 1), other changes
	setup   []step
	last    step
	cleared []Key           // removed by the last save, listed as Cleared
	kept    []Key           // still answered after it
	set     map[Key]Literal // answers after it
	removed []int64         // rows removed by it
	noTouch []Key           // not changed by it at all
}

func episodeRow(rec *Record)  { addRow(rec, "episodes", nil) }
func maintenance(rec *Record) { addMedicine(rec, false) }

var clearCases = []clearCase{
	// §2.7 status and onset.
	{name: "status NE clears the onset type and every focal answer", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")},
			{ep("focal_onset_tonic"), yes}, {ep("focal_onset_temporal"), yes}, laterality("right")},
		last:    step{ep("epilepsy_or_nonepilepsy_status"), quote("NE")},
		cleared: append([]Key{ep("epileptic_seizure_onset_type"), ep("focal_onset_tonic"), ep("focal_onset_temporal")}, lateralityKeys...)},
	{name: "status NE clears the generalised onset", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("GO")},
			{ep("epileptic_generalised_onset"), quote("MyC")}},
		last:    step{ep("epilepsy_or_nonepilepsy_status"), quote("NE")},
		cleared: []Key{ep("epileptic_seizure_onset_type"), ep("epileptic_generalised_onset")}},
	{name: "status E clears every non-epileptic answer", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_unknown_onset"), quote("BAr")},
			{ep("nonepileptic_seizure_type"), quote("SAS")}, {ep("nonepileptic_seizure_syncope"), quote("a")}},
		last:    step{ep("epilepsy_or_nonepilepsy_status"), quote("E")},
		cleared: []Key{ep("nonepileptic_seizure_unknown_onset"), ep("nonepileptic_seizure_type"), ep("nonepileptic_seizure_syncope")}},
	{name: "status U clears the epileptic answers", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")},
			{ep("focal_onset_gelastic"), yes}, laterality("laterality_unknown")},
		last:    step{ep("epilepsy_or_nonepilepsy_status"), quote("U")},
		cleared: append([]Key{ep("epileptic_seizure_onset_type"), ep("focal_onset_gelastic")}, lateralityKeys...)},
	{name: "status U clears the non-epileptic answers", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_unknown_onset"), quote("Oth")},
			{ep("nonepileptic_seizure_type"), quote("Oth")}, {ep("nonepileptic_seizure_other"), quote("Shivering")}},
		last:    step{ep("epilepsy_or_nonepilepsy_status"), quote("U")},
		cleared: []Key{ep("nonepileptic_seizure_unknown_onset"), ep("nonepileptic_seizure_type"), ep("nonepileptic_seizure_other")}},
	{name: "onset GO clears every focal answer", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")},
			{ep("focal_onset_myoclonic"), yes}, {ep("focal_onset_occipital"), yes}, laterality("left")},
		last:    step{ep("epileptic_seizure_onset_type"), quote("GO")},
		cleared: append([]Key{ep("focal_onset_myoclonic"), ep("focal_onset_occipital")}, lateralityKeys...),
		kept:    []Key{ep("epilepsy_or_nonepilepsy_status")}},
	{name: "onset FO clears the generalised onset", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("GO")},
			{ep("epileptic_generalised_onset"), quote("TCl")}},
		last:    step{ep("epileptic_seizure_onset_type"), quote("FO")},
		cleared: []Key{ep("epileptic_generalised_onset")}},
	{name: "onset UO clears the focal answers", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")},
			{ep("focal_onset_automatisms"), yes}, laterality("right")},
		last:    step{ep("epileptic_seizure_onset_type"), quote("UO")},
		cleared: append([]Key{ep("focal_onset_automatisms")}, lateralityKeys...)},
	{name: "onset UC clears the generalised onset", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("GO")},
			{ep("epileptic_generalised_onset"), quote("Oth")}},
		last:    step{ep("epileptic_seizure_onset_type"), quote("UC")},
		cleared: []Key{ep("epileptic_generalised_onset")}},
	{name: "another non-epileptic type clears the subtype", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_type"), quote("SAS")},
			{ep("nonepileptic_seizure_syncope"), quote("j")}},
		last:    step{ep("nonepileptic_seizure_type"), quote("BPP")},
		cleared: []Key{ep("nonepileptic_seizure_syncope")}},
	{name: "a typed non-epileptic episode clears the other text", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_type"), quote("Oth")},
			{ep("nonepileptic_seizure_other"), quote("Shivering")}},
		last:    step{ep("nonepileptic_seizure_type"), quote("ME")},
		cleared: []Key{ep("nonepileptic_seizure_other")}},
	{name: "laterality: choosing right sets the other two false", form: MultiaxialDiagnosis, prep: episodeRow,
		setup: []step{{ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")}, laterality("left")},
		last:  laterality("right"),
		set:   map[Key]Literal{ep("focal_onset_left"): no, ep("focal_onset_right"): yes, ep("focal_onset_laterality_unknown"): no}},
	{name: "a description picks out its keywords", form: MultiaxialDiagnosis, prep: episodeRow,
		last: step{ep("description"), quote("Sudden APHASIA, then deja vu.")},
		set:  map[Key]Literal{ep("description_keywords"): lit([]string{"aphasia", "deja vu"})}},

	// §2.6.
	{name: "syndrome_present false deletes the syndrome rows", form: MultiaxialDiagnosis,
		prep: func(rec *Record) {
			addRow(rec, "syndromes", nil)
			addRow(rec, "syndromes", nil)
			addRow(rec, "episodes", nil)
		},
		setup: []step{{ma("syndrome_present"), yes}, {key("syndromes", 1, "syndrome_name"), quote("Dravet syndrome")},
			{key("episodes", 3, "episode_definition"), quote("a")}},
		last:    step{ma("syndrome_present"), no},
		removed: []int64{1, 2},
		kept:    []Key{key("episodes", 3, "episode_definition")}},
	{name: "epilepsy_cause_known false clears the cause and its categories", form: MultiaxialDiagnosis,
		setup:   []step{{ma("epilepsy_cause_known"), yes}, {ma("epilepsy_cause"), quote("Tuberous sclerosis")}, {ma("epilepsy_cause_categories"), lit([]string{"Gen", "Str"})}},
		last:    step{ma("epilepsy_cause_known"), no},
		cleared: []Key{ma("epilepsy_cause"), ma("epilepsy_cause_categories")}},
	{name: "relevant_impairments false deletes the comorbidity rows", form: MultiaxialDiagnosis,
		prep: func(rec *Record) { addRow(rec, "comorbidities", nil) },
		setup: []step{{ma("relevant_impairments_behavioural_educational"), yes},
			{key("comorbidities", 1, "comorbidityentity"), quote("Cerebral palsy")}, {key("comorbidities", 1, "comorbidity_diagnosis_date"), day(1)}},
		last:    step{ma("relevant_impairments_behavioural_educational"), no},
		removed: []int64{1}},
	{name: "no global developmental delay clears its severity", form: MultiaxialDiagnosis,
		setup:   []step{{ma("global_developmental_delay_or_learning_difficulties"), yes}, {ma("global_developmental_delay_or_learning_difficulties_severity"), quote("mild")}},
		last:    step{ma("global_developmental_delay_or_learning_difficulties"), no},
		cleared: []Key{ma("global_developmental_delay_or_learning_difficulties_severity")}},
	{name: "mental_health_issue_identified false clears the issues", form: MultiaxialDiagnosis,
		setup:   []step{{ma("mental_health_issue_identified"), yes}, {ma("mental_health_issues"), lit([]string{"AxD"})}},
		last:    step{ma("mental_health_issue_identified"), no},
		cleared: []Key{ma("mental_health_issues")}},
	{name: "mental_health_issue_identified not answered clears the issues", form: MultiaxialDiagnosis,
		setup:   []step{{ma("mental_health_issue_identified"), yes}, {ma("mental_health_issues"), lit([]string{"SHm", "Oth"})}},
		last:    step{ma("mental_health_issue_identified"), nil},
		cleared: []Key{ma("mental_health_issues")}},

	// §2.10.
	{name: "eeg_indicated false clears the EEG dates", form: Investigations,
		setup:   []step{{inv("eeg_indicated"), yes}, {inv("eeg_request_date"), day(2)}, {inv("eeg_performed_date"), day(4)}},
		last:    step{inv("eeg_indicated"), no},
		cleared: []Key{inv("eeg_request_date"), inv("eeg_performed_date")}},
	{name: "eeg_indicated false clears declined", form: Investigations,
		setup:   []step{{inv("eeg_indicated"), yes}, {inv("eeg_request_date"), day(2)}, {inv("eeg_declined"), yes}},
		last:    step{inv("eeg_indicated"), no},
		cleared: []Key{inv("eeg_request_date"), inv("eeg_declined")}},
	{name: "a declined EEG clears its performed date", form: Investigations,
		setup:   []step{{inv("eeg_indicated"), yes}, {inv("eeg_request_date"), day(2)}, {inv("eeg_performed_date"), day(4)}},
		last:    step{inv("eeg_declined"), yes},
		cleared: []Key{inv("eeg_performed_date")}, kept: []Key{inv("eeg_request_date")}},
	{name: "mri_indicated false clears the MRI dates", form: Investigations,
		setup:   []step{{inv("mri_indicated"), yes}, {inv("mri_brain_requested_date"), day(2)}, {inv("mri_brain_reported_date"), day(30)}},
		last:    step{inv("mri_indicated"), no},
		cleared: []Key{inv("mri_brain_requested_date"), inv("mri_brain_reported_date")}},
	{name: "a declined MRI clears its reported date", form: Investigations,
		setup:   []step{{inv("mri_indicated"), yes}, {inv("mri_brain_requested_date"), day(2)}, {inv("mri_brain_reported_date"), day(30)}},
		last:    step{inv("mri_brain_declined"), yes},
		cleared: []Key{inv("mri_brain_reported_date")}, kept: []Key{inv("mri_brain_requested_date")}},

	// §2.11.
	{name: "no consultant paediatrician referral clears its date, input and centre", form: Assessment,
		setup: referralSteps("consultant_paediatrician", "site_is_general_paediatric_centre"),
		last:  step{ms("consultant_paediatrician_referral_made"), no},
		cleared: []Key{ms("consultant_paediatrician_referral_date"), ms("consultant_paediatrician_input_achieved"),
			ms("consultant_paediatrician_input_date"), site("site_is_general_paediatric_centre")}},
	{name: "no paediatric neurologist referral clears its date, input and centre", form: Assessment,
		setup: join(referralSteps("consultant_paediatrician", "site_is_general_paediatric_centre"),
			referralSteps("paediatric_neurologist", "site_is_paediatric_neurology_centre")),
		last: step{ms("paediatric_neurologist_referral_made"), no},
		cleared: []Key{ms("paediatric_neurologist_referral_date"), ms("paediatric_neurologist_input_achieved"),
			ms("paediatric_neurologist_input_date"), site("site_is_paediatric_neurology_centre")},
		kept: []Key{site("site_is_general_paediatric_centre"), ms("consultant_paediatrician_input_date")}},
	{name: "no epilepsy surgery referral clears its dates and centre", form: Assessment,
		setup: []step{{ms("childrens_epilepsy_surgical_service_referral_made"), yes}, {ms("childrens_epilepsy_surgical_service_referral_date"), day(5)},
			{site("site_is_childrens_epilepsy_surgery_centre"), quote("RGT01")}, {ms("childrens_epilepsy_surgical_service_input_date"), day(40)}},
		last: step{ms("childrens_epilepsy_surgical_service_referral_made"), no},
		cleared: []Key{ms("childrens_epilepsy_surgical_service_referral_date"), ms("childrens_epilepsy_surgical_service_input_date"),
			site("site_is_childrens_epilepsy_surgery_centre")}},
	{name: "no epilepsy specialist nurse referral clears its date and input", form: Assessment,
		setup: referralSteps("epilepsy_specialist_nurse", ""),
		last:  step{ms("epilepsy_specialist_nurse_referral_made"), no},
		cleared: []Key{ms("epilepsy_specialist_nurse_referral_date"), ms("epilepsy_specialist_nurse_input_achieved"),
			ms("epilepsy_specialist_nurse_input_date")}},
	{name: "consultant paediatrician input not achieved clears the input date", form: Assessment,
		setup: referralSteps("consultant_paediatrician", "site_is_general_paediatric_centre"),
		last:  step{ms("consultant_paediatrician_input_achieved"), no}, cleared: []Key{ms("consultant_paediatrician_input_date")},
		kept: []Key{ms("consultant_paediatrician_referral_date"), site("site_is_general_paediatric_centre")}},
	{name: "paediatric neurologist input not achieved clears the input date", form: Assessment,
		setup: referralSteps("paediatric_neurologist", "site_is_paediatric_neurology_centre"),
		last:  step{ms("paediatric_neurologist_input_achieved"), no}, cleared: []Key{ms("paediatric_neurologist_input_date")}},
	{name: "nurse input not achieved clears the input date", form: Assessment,
		setup: referralSteps("epilepsy_specialist_nurse", ""),
		last:  step{ms("epilepsy_specialist_nurse_input_achieved"), no}, cleared: []Key{ms("epilepsy_specialist_nurse_input_date")}},

	// §2.12–2.13.
	{name: "has_an_aed_been_given false deletes the maintenance medicines only", form: Management,
		setup: []step{{mg("has_an_aed_been_given"), yes}, {mg("has_rescue_medication_been_prescribed"), yes},
			adding(func(rec *Record) { addMedicine(rec, false); addMedicine(rec, true); addMedicine(rec, false) }),
			{med(1, "medicine_name"), quote("Lamotrigine")}, {med(2, "medicine_name"), quote("Buccal midazolam")}},
		last: step{mg("has_an_aed_been_given"), no}, removed: []int64{1, 3},
		kept: []Key{med(2, "medicine_name"), med(2, "is_rescue_medicine")}},
	{name: "has_rescue_medication_been_prescribed false deletes the rescue medicines only", form: Management,
		setup: []step{{mg("has_an_aed_been_given"), yes}, {mg("has_rescue_medication_been_prescribed"), yes},
			adding(func(rec *Record) { addMedicine(rec, false); addMedicine(rec, true) }),
			{med(1, "medicine_name"), quote("Lamotrigine")}, {med(2, "medicine_name"), quote("Buccal midazolam")}},
		last: step{mg("has_rescue_medication_been_prescribed"), no}, removed: []int64{2},
		kept: []Key{med(1, "medicine_name"), med(1, "is_rescue_medicine")}},
	{name: "no care planning clears every care plan answer", form: Management,
		setup: carePlanSteps(), last: step{mg("individualised_care_plan_in_place"), no}, cleared: carePlanKeys},
	{name: "sodium valproate for a girl of 13 needs a pregnancy prevention programme", form: Management, sex: girl, prep: maintenance,
		setup: []step{{mg("has_an_aed_been_given"), yes}},
		last:  step{med(1, "medicine_name"), quote("Sodium valproate")},
		set:   map[Key]Literal{med(1, "is_a_pregnancy_prevention_programme_needed"): yes}},
	{name: "sodium valproate for a boy does not", form: Management, sex: boy, prep: maintenance,
		setup: []step{{mg("has_an_aed_been_given"), yes}},
		last:  step{med(1, "medicine_name"), quote("Sodium valproate")},
		set:   map[Key]Literal{med(1, "is_a_pregnancy_prevention_programme_needed"): no}},
	{name: "sodium valproate for a girl of 11 does not", form: Management, sex: girl,
		prep: func(rec *Record) {
			young := today.AddYears(-12).AddDays(1) // 12 tomorrow
			rec.DateOfBirth = &young
			maintenance(rec)
		},
		setup: []step{{mg("has_an_aed_been_given"), yes}},
		last:  step{med(1, "medicine_name"), quote("Sodium valproate")},
		set:   map[Key]Literal{med(1, "is_a_pregnancy_prevention_programme_needed"): no}},
	{name: "changing the medicine resets the valproate questions", form: Management, sex: girl, prep: maintenance,
		setup: []step{{mg("has_an_aed_been_given"), yes}, {med(1, "medicine_name"), quote("Sodium valproate")},
			{med(1, "is_a_pregnancy_prevention_programme_in_place"), yes},
			{med(1, "has_a_valproate_annual_risk_acknowledgement_form_been_completed"), no}},
		last: step{med(1, "medicine_name"), quote("Lamotrigine")},
		cleared: []Key{med(1, "is_a_pregnancy_prevention_programme_in_place"),
			med(1, "has_a_valproate_annual_risk_acknowledgement_form_been_completed")},
		set: map[Key]Literal{med(1, "is_a_pregnancy_prevention_programme_needed"): no}},
	{name: "choosing sodium valproate again resets the valproate questions", form: Management, sex: girl, prep: maintenance,
		setup: []step{{mg("has_an_aed_been_given"), yes}, {med(1, "medicine_name"), quote("Sodium valproate")},
			{med(1, "is_a_pregnancy_prevention_programme_in_place"), yes}},
		last:    step{med(1, "medicine_name"), quote("Sodium valproate")},
		cleared: []Key{med(1, "is_a_pregnancy_prevention_programme_in_place")},
		set:     map[Key]Literal{med(1, "is_a_pregnancy_prevention_programme_needed"): yes}},
	{name: "a rescue medicine gets no pregnancy prevention answer", form: Management, sex: girl,
		prep:    func(rec *Record) { addMedicine(rec, true) },
		setup:   []step{{mg("has_rescue_medication_been_prescribed"), yes}},
		last:    step{med(1, "medicine_name"), quote("Buccal midazolam")},
		noTouch: []Key{med(1, "is_a_pregnancy_prevention_programme_needed")}},
}

func TestClearingRules(t *testing.T) {
	for _, tc := range clearCases {
		t.Run(tc.name, func(t *testing.T) {
			sex := tc.sex
			if sex == 0 {
				sex = girl
			}
			rec := newRecord(sex)
			if tc.prep != nil {
				tc.prep(rec)
			}
			apply(t, tc.form, rec, tc.setup...)
			for _, k := range tc.cleared {
				if rec.Get(k) == nil {
					t.Fatalf("setup did not answer %s", k)
				}
			}
			var removedRows []Row
			for _, id := range tc.removed {
				if r := rec.Row(id); r != nil {
					removedRows = append(removedRows, *r)
				}
			}
			eff := apply(t, tc.form, rec, tc.last)

			if c, ok := changeOf(eff, tc.last.k); ok && c.Cleared {
				t.Errorf("the saved answer %s is listed as Cleared", tc.last.k)
			}
			for _, k := range tc.cleared {
				if v := rec.Get(k); v != nil {
					t.Errorf("%s is still %s", k, v)
				}
				c, ok := changeOf(eff, k)
				if !ok || !c.Cleared || c.New != nil || c.Old == nil {
					t.Errorf("effect for %s = %+v (found %v), want Cleared with the old value", k, c, ok)
				}
			}
			for _, k := range tc.kept {
				if rec.Get(k) == nil {
					t.Errorf("%s was removed", k)
				}
			}
			for k, want := range tc.set {
				if got := rec.Get(k); !jsonEqual(got, want) {
					t.Errorf("%s = %s, want %s", k, got, want)
				}
			}
			for _, k := range tc.noTouch {
				if _, ok := changeOf(eff, k); ok || rec.Get(k) != nil {
					t.Errorf("%s was touched: %+v", k, eff.Changes)
				}
			}
			var gotIDs []int64
			for _, r := range eff.RemovedRows {
				gotIDs = append(gotIDs, r.ID)
			}
			if !slices.Equal(gotIDs, tc.removed) {
				t.Errorf("removed rows %v, want %v", gotIDs, tc.removed)
			}
			for i, r := range removedRows {
				if i < len(eff.RemovedRows) && !sameRecord(&Record{Rows: []Row{r}}, &Record{Rows: eff.RemovedRows[i : i+1]}) {
					t.Errorf("removed row %d is reported as %+v, was %+v", r.ID, eff.RemovedRows[i], r)
				}
				if rec.Row(r.ID) != nil {
					t.Errorf("row %d is still there", r.ID)
				}
			}
			// Whatever the rules did, the record is still a valid document.
			if _, err := rec.Child(nil, nil); err != nil {
				t.Errorf("the record no longer decodes: %v", err)
			}
		})
	}
}
