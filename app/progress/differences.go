package progress

import "clinaudit/app/audit"

// A difference is one place where progress deliberately counts a question
// otherwise than the form shows it (docs/progress.md, "Where progress
// differs from the forms"). Everywhere else a form's expected answers are
// its shown questions, read as rules.go says. TestProgressFollowsTheForms
// walks every form and checks that progress and the form agree on every
// question except as this table says, and that every entry is needed.
type difference struct {
	// Question is the question's path, with empty brackets for a row's
	// question ("episodes[].nonepileptic_seizure_type") and "section[]" for
	// a list of rows.
	Question string
	Effect   effect
	// Field and Value (a JSON literal) are OwedRow's condition: the list
	// owes a further row while none of its rows has Value at Field.
	Field, Value string
	// Except are the answers (JSON literals) for which OwesFollowUp owes
	// nothing.
	Except []string
	// When is AlsoWhen's condition on row i of the question's list.
	When func(c *audit.Child, i int, today audit.Date) bool
	// Why says where the rule comes from.
	Why string
}

// effect is what a difference does to its question.
type effect int

const (
	// OwedRow: while the list has rows and none of them has Value at
	// Field, one more (blank) row is owed, because of Field.
	OwedRow effect = iota + 1
	// OwesFollowUp: while the question's answer shows no expected
	// follow-up, one answer more is owed, reported at the question itself;
	// except for the answers in Except.
	OwesFollowUp
	// AnsweredWhenHidden: the question is expected whenever the tick box
	// above it is shown, and that box's hiding answer (its ShowUnless)
	// answers it; its Because is the question above the box.
	AnsweredWhenHidden
	// AlsoWhen: the question's follow-ups are expected only when When
	// holds as well.
	AlsoWhen
	// ListedLast: the question and its follow-ups are listed after the
	// rest of their block (their row, or the form's question they hang
	// under).
	ListedLast
)

func (e effect) String() string {
	switch e {
	case OwedRow:
		return "owed row"
	case OwesFollowUp:
		return "owes a follow-up"
	case AnsweredWhenHidden:
		return "answered when hidden"
	case AlsoWhen:
		return "also when"
	case ListedLast:
		return "listed last"
	}
	return "?"
}

// differences is the table. Keep it short: every entry is a rule of the
// national audit that the form's visibility does not express.
var differences = []difference{
	{Question: "episodes[]", Effect: OwedRow, Field: "epilepsy_or_nonepilepsy_status", Value: `"E"`,
		Why: "§5.1: while no episode is epileptic, an epileptic episode is still owed (+5)"},
	{Question: "episodes[].nonepileptic_seizure_type", Effect: OwesFollowUp, Except: []string{`"Oth"`},
		Why: "§5.1: a non-epileptic episode owes +3 (onset, type, subtype) before the type is chosen; type \"Oth\" owes +2"},
	{Question: "investigations.eeg_performed_date", Effect: AnsweredWhenHidden,
		Why: "decisions.md quirk 10: a declined EEG answers its date"},
	{Question: "investigations.mri_brain_reported_date", Effect: AnsweredWhenHidden,
		Why: "decisions.md quirk 10: a declined MRI answers its date"},
	{Question: "antiepilepsy_medicines[].is_a_pregnancy_prevention_programme_needed", Effect: AlsoWhen, When: valproateToday,
		Why: "§5.1, quirk 7: the valproate questions count for sodium valproate, a girl 12 or over today, not as of the last save"},
	{Question: "antiepilepsy_medicines[].is_a_pregnancy_prevention_programme_needed", Effect: ListedLast,
		Why: "Epilepsy12 lists the valproate questions after the row's own"},
	{Question: "sites.site_is_general_paediatric_centre", Effect: ListedLast,
		Why: "Epilepsy12 lists the centre after the referral's other answers"},
	{Question: "sites.site_is_paediatric_neurology_centre", Effect: ListedLast,
		Why: "Epilepsy12 lists the centre after the referral's other answers"},
}

// valproateToday is AlsoWhen's condition for the valproate questions of
// medicine row i: valproateQuestionsAsked, less the programme-needed
// answer, which the form's tree already requires.
func valproateToday(c *audit.Child, i int, today audit.Date) bool {
	if i < 0 || i >= len(c.AntiEpilepsyMedicines) {
		return false
	}
	return valproateQuestionsAsked(c, &c.AntiEpilepsyMedicines[i], today)
}
