package kpi

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Result is one child's scores under RulesVersion, with the reason for each.
type Result struct {
	RulesVersion string                   `json:"rules_version"`
	Scores       Scores                   `json:"scores"`
	Explanations [NumMeasures]Explanation `json:"explanations"`
}

// Outcome is m's outcome.
func (r Result) Outcome(m Measure) Outcome { return r.Scores[m] }

// Explanation is why m has its outcome.
func (r Result) Explanation(m Measure) Explanation { return r.Explanations[m] }

// Explanation says which rule decided a measure and which answers it read.
type Explanation struct {
	Measure Measure `json:"measure"`
	Outcome Outcome `json:"outcome"`
	// Rule is a short stable name for the deciding rule, e.g.
	// "consultant_within_14_days" or "form_missing"; docs/kpi.md lists them.
	Rule string `json:"rule"`
	// Reason is the decision in plain English, with the dates and ages used.
	Reason string `json:"reason"`
	// Fields are the document paths of the answers read on the way to the
	// decision (audit.KnownField accepts each), so a UI can link to the
	// question that would change the outcome. Rows are "episodes[2].x" when
	// one row decided, "episodes[].x" when all rows were searched.
	Fields []string `json:"fields"`
}

// Scores holds one Outcome per measure, indexed by Measure. Its JSON is a
// flat object in the spec's order:
//
//	{"paediatrician_with_expertise_in_epilepsies": "pass", "epilepsy_specialist_nurse": "not_scored", ...}
type Scores [NumMeasures]Outcome

// MarshalJSON writes every measure, in order.
func (s Scores) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for m, o := range s {
		if m > 0 {
			b.WriteByte(',')
		}
		text, err := o.MarshalText()
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:%q", measureInfo[m].ID, text)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the flat object. Unknown measures are an error; a
// measure left out is NotScored, as a NULL column would be.
func (s *Scores) UnmarshalJSON(b []byte) error {
	var byID map[string]Outcome
	if err := json.Unmarshal(b, &byID); err != nil {
		return err
	}
	*s = Scores{}
	for id, o := range byID {
		m, ok := MeasureByID(id)
		if !ok {
			return fmt.Errorf("kpi: unknown measure %q", id)
		}
		s[m] = o
	}
	return nil
}
