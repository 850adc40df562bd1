package forms

// Investigations is spec §2.10, the "Tests" step. "Declined" is an answer
// of its own (decisions.md, quirk 10), not a sentinel date: while it is
// ticked the performed or reported date is not asked, and ticking it
// clears that date.
var Investigations = &Form{
	ID: "investigations", Title: "Tests", Section: "investigations",
	Questions: []*Question{
		yesNo("eeg_indicated", "Has a first EEG been requested?", "An electroencephalogram",
			when(date("eeg_request_date", "Date the EEG was requested",
				DateRule{Earliest: SinceBirth, NotAfter: "eeg_performed_date"}), "true"),
			when(confirm("eeg_declined", "The child or family declined the EEG", "Tick if the EEG will not be done because it was declined",
				unless(date("eeg_performed_date", "Date the EEG was done", DateRule{NotBefore: "eeg_request_date"}), "true"),
			), "true"),
		),
		yesNo("twelve_lead_ecg_status", "Has a 12-lead ECG been done?", "An electrocardiogram"),
		yesNo("ct_head_scan_status", "Has a CT head scan been done?", ""),
		yesNo("mri_indicated", "Has a brain MRI been achieved?", "",
			when(date("mri_brain_requested_date", "Date the MRI was requested",
				DateRule{Earliest: SinceBirth, NotAfter: "mri_brain_reported_date"}), "true"),
			when(confirm("mri_brain_declined", "The child or family declined the MRI", "Tick if the MRI will not be done because it was declined",
				unless(date("mri_brain_reported_date", "Date the MRI was reported", DateRule{NotBefore: "mri_brain_requested_date"}), "true"),
			), "true"),
		),
	},
}
