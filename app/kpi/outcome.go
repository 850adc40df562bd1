package kpi

import "fmt"

// Outcome is a measure's result for one child. The zero value is NotScored,
// so a measure nobody computed never reads as a pass or a fail.
type Outcome uint8

const (
	// NotScored is the spec's NULL: not enough answers yet ("Data
	// Incomplete"). It counts as "incomplete" in aggregation.
	NotScored Outcome = iota
	// Pass: the child met the measure ("Achieved").
	Pass
	// Fail: the child was eligible and did not meet it ("Not achieved").
	Fail
	// Ineligible: the measure does not apply to this child ("Not applicable").
	Ineligible
)

var outcomeNames = [...]string{
	NotScored:  "not_scored",
	Pass:       "pass",
	Fail:       "fail",
	Ineligible: "ineligible",
}

// String is the JSON form: "pass", "fail", "ineligible" or "not_scored".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("kpi.Outcome(%d)", uint8(o))
}

// MarshalText writes the JSON form.
func (o Outcome) MarshalText() ([]byte, error) {
	if int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("kpi: invalid outcome %d", uint8(o))
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText reads the JSON form.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, name := range outcomeNames {
		if name == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("kpi: unknown outcome %q (want pass, fail, ineligible or not_scored)", b)
}

// StoredScore is Epilepsy12's integer for the outcome (KPI_SCORE): 1 pass,
// 0 fail, 2 ineligible; ok is false for NotScored, which is stored as NULL.
func (o Outcome) StoredScore() (score int, ok bool) {
	switch o {
	case Pass:
		return 1, true
	case Fail:
		return 0, true
	case Ineligible:
		return 2, true
	}
	return 0, false
}

// OutcomeFromStored converts Epilepsy12's stored integer back; nil is
// NotScored.
func OutcomeFromStored(score *int) (Outcome, error) {
	if score == nil {
		return NotScored, nil
	}
	switch *score {
	case 1:
		return Pass, nil
	case 0:
		return Fail, nil
	case 2:
		return Ineligible, nil
	}
	return NotScored, fmt.Errorf("kpi: stored score %d is not 0, 1, 2 or NULL", *score)
}
