package forms

// The test helpers complete_test.go uses. It is an external test (package
// forms_test) because it asks progress whether a filled questionnaire is
// complete, and progress imports forms: a test in package forms cannot
// import it.
var (
	Today       = today
	Yes, No     = yes, no
	Quote       = quote
	Answers     = answers
	Fill        = fill
	AddMedicine = addMedicine
	AddRow      = addRow
	NewRecord   = newRecord
	List        = list
)

const Boy, Girl = boy, girl

type Pick = pick
