package forms

// All lists the six audit forms a clinician answers after registration, in
// task-list order (registration itself is the child's registration page).
func All() []*Form {
	return []*Form{FirstPaediatricAssessment, EpilepsyContext, MultiaxialDiagnosis, Assessment, Investigations, Management}
}

// ByID returns the form with the progress.Form id, or nil.
func ByID(id string) *Form {
	for _, f := range All() {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// ForSection returns the form whose answers are stored in section.
func ForSection(section string) *Form {
	for _, f := range All() {
		for _, s := range f.Sections() {
			if s == section {
				return f
			}
		}
	}
	return nil
}
