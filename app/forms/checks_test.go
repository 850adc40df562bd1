package forms

import (
	"strings"
	"testing"

	"clinaudit/app/datefield"
)

// on is a date as the messages write it.
func on(n int) string { return datefield.Format(fpa.AddDays(n).Time()) }

var (
	bornOn    = datefield.Format(dob.Time())
	assessed  = datefield.Format(fpa.Time())
	tomorrow  = lit(today.AddDays(1).String())
	dayBefore = lit(dob.AddDays(-1).String())
	fpaBefore = lit(fpa.AddDays(-1).String())
)

type checkCase struct {
	name  string
	form  *Form
	setup []step
	k     Key
	v     Literal
	want  string // a part of the message; "" when the answer is accepted
}

func syndromeRow(rec *Record) { addRow(rec, "syndromes", nil) }

var episodeAdded = adding(episodeRow)

var checkCases = []checkCase{
	// §4.1 rule 1: never in the future (today is allowed).
	{"seizure onset tomorrow", MultiaxialDiagnosis, []step{episodeAdded}, ep("seizure_onset_date"), tomorrow, "Date the episode started must be today or in the past"},
	{"seizure onset today", MultiaxialDiagnosis, []step{episodeAdded}, ep("seizure_onset_date"), lit(today.String()), ""},
	{"care plan tomorrow", Management, []step{{mg("individualised_care_plan_in_place"), yes}}, mg("individualised_care_plan_date"), tomorrow, "must be today or in the past"},
	{"EEG done tomorrow", Investigations, []step{{inv("eeg_indicated"), yes}}, inv("eeg_performed_date"), tomorrow, "Date the EEG was done must be today or in the past"},

	// §4.1 rule 2: not before the date of birth, or the first assessment.
	{"seizure onset before birth", MultiaxialDiagnosis, []step{episodeAdded}, ep("seizure_onset_date"), dayBefore, "must be the same as or after " + bornOn + " (the child's date of birth)"},
	{"seizure onset on the birthday", MultiaxialDiagnosis, []step{episodeAdded}, ep("seizure_onset_date"), lit(dob.String()), ""},
	{"syndrome before birth", MultiaxialDiagnosis, []step{{ma("syndrome_present"), yes}, adding(syndromeRow)},
		key("syndromes", 1, "syndrome_diagnosis_date"), dayBefore, "(the child's date of birth)"},
	{"comorbidity before birth", MultiaxialDiagnosis, []step{{ma("relevant_impairments_behavioural_educational"), yes}, adding(func(rec *Record) { addRow(rec, "comorbidities", nil) })},
		key("comorbidities", 1, "comorbidity_diagnosis_date"), dayBefore, "(the child's date of birth)"},
	{"EEG request before birth", Investigations, []step{{inv("eeg_indicated"), yes}}, inv("eeg_request_date"), dayBefore, "(the child's date of birth)"},
	{"MRI request before birth", Investigations, []step{{inv("mri_indicated"), yes}}, inv("mri_brain_requested_date"), dayBefore, "(the child's date of birth)"},
	{"paediatrician referral before birth", Assessment, []step{{ms("consultant_paediatrician_referral_made"), yes}},
		ms("consultant_paediatrician_referral_date"), dayBefore, "(the child's date of birth)"},
	{"paediatrician referral before the first assessment", Assessment, []step{{ms("consultant_paediatrician_referral_made"), yes}},
		ms("consultant_paediatrician_referral_date"), fpaBefore, ""},
	{"nurse referral before birth", Assessment, []step{{ms("epilepsy_specialist_nurse_referral_made"), yes}},
		ms("epilepsy_specialist_nurse_referral_date"), dayBefore, "(the child's date of birth)"},
	{"nurse referral before the first assessment", Assessment, []step{{ms("epilepsy_specialist_nurse_referral_made"), yes}},
		ms("epilepsy_specialist_nurse_referral_date"), fpaBefore, ""},
	{"neurologist referral before the first assessment", Assessment, []step{{ms("paediatric_neurologist_referral_made"), yes}},
		ms("paediatric_neurologist_referral_date"), fpaBefore, "must be the same as or after " + assessed + " (the first paediatric assessment)"},
	{"neurologist referral on the first assessment", Assessment, []step{{ms("paediatric_neurologist_referral_made"), yes}},
		ms("paediatric_neurologist_referral_date"), day(0), ""},
	{"surgery referral before the first assessment", Assessment, []step{{ms("childrens_epilepsy_surgical_service_referral_made"), yes}},
		ms("childrens_epilepsy_surgical_service_referral_date"), fpaBefore, "(the first paediatric assessment)"},
	{"medicine started before the first assessment", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance)},
		med(1, "antiepilepsy_medicine_start_date"), fpaBefore, "(the first paediatric assessment)"},
	{"rescue medicine started before the first assessment", Management, []step{{mg("has_rescue_medication_been_prescribed"), yes}, adding(func(rec *Record) { addMedicine(rec, true) })},
		med(1, "antiepilepsy_medicine_start_date"), fpaBefore, "(the first paediatric assessment)"},
	{"care plan before the first assessment", Management, []step{{mg("individualised_care_plan_in_place"), yes}},
		mg("individualised_care_plan_date"), fpaBefore, "Date care planning started must be the same as or after " + assessed},

	// §4.1 rules 3 and 4: the two dates of a pair in order, both ways.
	{"paediatrician referral after the input", Assessment,
		[]step{{ms("consultant_paediatrician_referral_made"), yes}, {ms("consultant_paediatrician_input_achieved"), yes}, {ms("consultant_paediatrician_input_date"), day(10)}},
		ms("consultant_paediatrician_referral_date"), day(11),
		"Date of referral to the consultant paediatrician must be the same as or before " + on(10) + " (the date the child was first seen by the consultant paediatrician)"},
	{"paediatrician input before the referral", Assessment,
		[]step{{ms("consultant_paediatrician_referral_made"), yes}, {ms("consultant_paediatrician_referral_date"), day(10)}, {ms("consultant_paediatrician_input_achieved"), yes}},
		ms("consultant_paediatrician_input_date"), day(9),
		"Date the child was first seen by the consultant paediatrician must be the same as or after " + on(10) + " (the date of referral to the consultant paediatrician)"},
	{"paediatrician input on the referral day", Assessment,
		[]step{{ms("consultant_paediatrician_referral_made"), yes}, {ms("consultant_paediatrician_referral_date"), day(10)}, {ms("consultant_paediatrician_input_achieved"), yes}},
		ms("consultant_paediatrician_input_date"), day(10), ""},
	{"neurologist referral after the input", Assessment,
		[]step{{ms("paediatric_neurologist_referral_made"), yes}, {ms("paediatric_neurologist_input_achieved"), yes}, {ms("paediatric_neurologist_input_date"), day(10)}},
		ms("paediatric_neurologist_referral_date"), day(12), "(the date the child was first seen by the paediatric neurologist)"},
	{"neurologist input before the referral", Assessment,
		[]step{{ms("paediatric_neurologist_referral_made"), yes}, {ms("paediatric_neurologist_referral_date"), day(10)}, {ms("paediatric_neurologist_input_achieved"), yes}},
		ms("paediatric_neurologist_input_date"), day(9), "(the date of referral to the paediatric neurologist)"},
	{"nurse referral after the input", Assessment,
		[]step{{ms("epilepsy_specialist_nurse_referral_made"), yes}, {ms("epilepsy_specialist_nurse_input_achieved"), yes}, {ms("epilepsy_specialist_nurse_input_date"), day(10)}},
		ms("epilepsy_specialist_nurse_referral_date"), day(12), "(the date the child was first seen by the epilepsy specialist nurse)"},
	{"nurse input before the referral", Assessment,
		[]step{{ms("epilepsy_specialist_nurse_referral_made"), yes}, {ms("epilepsy_specialist_nurse_referral_date"), day(10)}, {ms("epilepsy_specialist_nurse_input_achieved"), yes}},
		ms("epilepsy_specialist_nurse_input_date"), day(9), "(the date of referral to the epilepsy specialist nurse)"},
	{"surgery referral after the input", Assessment,
		[]step{{ms("childrens_epilepsy_surgical_service_referral_made"), yes}, {ms("childrens_epilepsy_surgical_service_input_date"), day(10)}},
		ms("childrens_epilepsy_surgical_service_referral_date"), day(12), "(the date the child was first seen by the children's epilepsy surgery service)"},
	{"surgery input before the referral", Assessment,
		[]step{{ms("childrens_epilepsy_surgical_service_referral_made"), yes}, {ms("childrens_epilepsy_surgical_service_referral_date"), day(10)}},
		ms("childrens_epilepsy_surgical_service_input_date"), day(9), "(the date of referral to the children's epilepsy surgery service)"},
	{"EEG requested after it was done", Investigations, []step{{inv("eeg_indicated"), yes}, {inv("eeg_performed_date"), day(10)}},
		inv("eeg_request_date"), day(11), "Date the EEG was requested must be the same as or before " + on(10) + " (the date the EEG was done)"},
	{"EEG done before it was requested", Investigations, []step{{inv("eeg_indicated"), yes}, {inv("eeg_request_date"), day(10)}},
		inv("eeg_performed_date"), day(9), "Date the EEG was done must be the same as or after " + on(10) + " (the date the EEG was requested)"},
	{"MRI requested after the report", Investigations, []step{{inv("mri_indicated"), yes}, {inv("mri_brain_reported_date"), day(10)}},
		inv("mri_brain_requested_date"), day(11), "(the date the MRI was reported)"},
	{"MRI reported before the request", Investigations, []step{{inv("mri_indicated"), yes}, {inv("mri_brain_requested_date"), day(10)}},
		inv("mri_brain_reported_date"), day(9), "(the date the MRI was requested)"},
	{"medicine started after it stopped", Management,
		[]step{{mg("has_an_aed_been_given"), yes}, adding(maintenance), {med(1, "antiepilepsy_medicine_stop_date"), day(10)}},
		med(1, "antiepilepsy_medicine_start_date"), day(11), "(the date the medicine was stopped)"},
	{"medicine stopped before it started", Management,
		[]step{{mg("has_an_aed_been_given"), yes}, adding(maintenance), {med(1, "antiepilepsy_medicine_start_date"), day(10)}},
		med(1, "antiepilepsy_medicine_stop_date"), day(9), "Date the medicine was stopped must be the same as or after " + on(10) + " (the date the medicine was started)"},
	{"not a real date", MultiaxialDiagnosis, []step{episodeAdded}, ep("seizure_onset_date"), quote("2024-04-31"), "must be a real date"},

	// Free text length.
	{"description of 2000 characters", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), quote(strings.Repeat("é", 2000)), ""},
	{"description of 2001 characters", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), quote(strings.Repeat("é", 2001)),
		"Description of the episode must be 2000 characters or fewer (it is 2001)"},
	{"other non-epileptic episode of 251 characters", MultiaxialDiagnosis,
		[]step{episodeAdded, {ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_type"), quote("Oth")}},
		ep("nonepileptic_seizure_other"), quote(strings.Repeat("x", 251)), "must be 250 characters or fewer"},
	{"cause of 251 characters", MultiaxialDiagnosis, []step{{ma("epilepsy_cause_known"), yes}},
		ma("epilepsy_cause"), quote(strings.Repeat("x", 251)), "must be 250 characters or fewer"},

	// Control characters (textinput): refused in every free-text answer,
	// as the web guard refuses them; a textarea keeps its line breaks and
	// tabs, a one-line answer may not have them.
	{"description with a NUL", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), quote("fell\x00 down"),
		"Description of the episode must not include control characters"},
	{"description with an escape", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), quote("\x1b[2J"),
		"must not include control characters"},
	{"description not UTF-8", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), Literal("\"a\xffb\""),
		"could not be read"},
	{"description over lines, with a tab", MultiaxialDiagnosis, []step{episodeAdded}, ep("description"), quote("first\r\nthen\tthis"), ""},
	{"cause with a line break", MultiaxialDiagnosis, []step{{ma("epilepsy_cause_known"), yes}},
		ma("epilepsy_cause"), quote("one\ntwo"), "Main cause of the epilepsy must not include control characters"},
	{"cause with a DEL", MultiaxialDiagnosis, []step{{ma("epilepsy_cause_known"), yes}},
		ma("epilepsy_cause"), quote("a\x7f"), "must not include control characters"},

	// Choices.
	{"unknown status", MultiaxialDiagnosis, []step{episodeAdded}, ep("epilepsy_or_nonepilepsy_status"), quote("X"), "Choose one of the options"},
	{"rescue medicine in the maintenance list", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance)},
		med(1, "medicine_name"), quote("Buccal midazolam"), "Choose one of the options"},
	{"unknown syndrome", MultiaxialDiagnosis, []step{{ma("syndrome_present"), yes}, adding(syndromeRow)},
		key("syndromes", 1, "syndrome_name"), quote("Dravet"), "Choose one of the options"},
	{"unknown cause category", MultiaxialDiagnosis, []step{{ma("epilepsy_cause_known"), yes}},
		ma("epilepsy_cause_categories"), lit([]string{"Gen", "Nope"}), "Choose from the options listed"},
	{"a cause category twice", MultiaxialDiagnosis, []step{{ma("epilepsy_cause_known"), yes}},
		ma("epilepsy_cause_categories"), lit([]string{"Gen", "Gen"}), "Choose from the options listed"},
	{"unknown keyword", MultiaxialDiagnosis, []step{episodeAdded}, ep("description_keywords"), lit([]string{"wobbly"}), "Choose from the options listed"},
	{"yes/no answered with a code", Investigations, nil, inv("eeg_indicated"), quote("Y"), "Answer yes or no"},
	{"a focal feature unticked as false", MultiaxialDiagnosis,
		[]step{episodeAdded, {ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")}},
		ep("focal_onset_tonic"), no, "Tick the box"},
	{"unknown laterality", MultiaxialDiagnosis,
		[]step{episodeAdded, {ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("FO")}},
		ep("focal_onset_right"), quote("middle"), "Choose left, right or unknown"},
	{"unknown centre", Assessment, []step{{ms("paediatric_neurologist_referral_made"), yes}},
		site("site_is_paediatric_neurology_centre"), quote("NOPE"), "Choose the centre from the list"},

	// Questions not asked.
	{"EEG date before the EEG question", Investigations, nil, inv("eeg_request_date"), day(1), ErrNotAsked.Error()},
	{"EEG date after no EEG", Investigations, []step{{inv("eeg_indicated"), no}}, inv("eeg_request_date"), day(1), ErrNotAsked.Error()},
	{"EEG date while declined", Investigations, []step{{inv("eeg_indicated"), yes}, {inv("eeg_declined"), yes}},
		inv("eeg_performed_date"), day(1), ErrNotAsked.Error()},
	{"MRI report while declined", Investigations, []step{{inv("mri_indicated"), yes}, {inv("mri_brain_declined"), yes}},
		inv("mri_brain_reported_date"), day(1), ErrNotAsked.Error()},
	{"focal feature of a generalised onset", MultiaxialDiagnosis,
		[]step{episodeAdded, {ep("epilepsy_or_nonepilepsy_status"), quote("E")}, {ep("epileptic_seizure_onset_type"), quote("GO")}},
		ep("focal_onset_tonic"), yes, ErrNotAsked.Error()},
	{"syncope subtype of a sleep condition", MultiaxialDiagnosis,
		[]step{episodeAdded, {ep("epilepsy_or_nonepilepsy_status"), quote("NE")}, {ep("nonepileptic_seizure_type"), quote("SRC")}},
		ep("nonepileptic_seizure_syncope"), quote("a"), ErrNotAsked.Error()},
	{"valproate question for a boy", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance), {med(1, "medicine_name"), quote("Lamotrigine")}},
		med(1, "is_a_pregnancy_prevention_programme_in_place"), yes, ErrNotAsked.Error()},
	{"the derived answer", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance), {med(1, "medicine_name"), quote("Sodium valproate")}},
		med(1, "is_a_pregnancy_prevention_programme_needed"), no, "set by the application"},
	{"a row that is gone", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance), {mg("has_an_aed_been_given"), no}},
		med(1, "medicine_name"), quote("Lamotrigine"), "This row has been removed"},
	{"a row that never was", Management, []step{{mg("has_an_aed_been_given"), yes}},
		med(7, "medicine_name"), quote("Lamotrigine"), "This row has been removed"},
	{"a row field that no list has", Management, []step{{mg("has_an_aed_been_given"), yes}, adding(maintenance)},
		med(1, "no_such_field"), yes, "no such question"},
	{"a field of another form", Management, nil, inv("eeg_indicated"), yes, "no such question"},
}

func TestChecks(t *testing.T) {
	for _, tc := range checkCases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecord(boy)
			apply(t, tc.form, rec, tc.setup...)
			if tc.want == "" {
				apply(t, tc.form, rec, step{tc.k, tc.v})
				return
			}
			fe := applyErr(t, tc.form, rec, tc.k, tc.v)
			if !strings.Contains(fe.Message, tc.want) {
				t.Errorf("message %q, want it to contain %q", fe.Message, tc.want)
			}
		})
	}
}
