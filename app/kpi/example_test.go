package kpi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"clinaudit/app/audit"
	"clinaudit/app/kpi"
)

// docExample returns the JSON block after "<!-- example:<name> -->" in
// docs/data-format.md.
func docExample(t testing.TB, name string) []byte {
	t.Helper()
	md, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "<!-- example:"+name+" -->\n```json\n")
	if !ok {
		t.Fatalf("docs/data-format.md has no example %q", name)
	}
	block, _, _ := strings.Cut(rest, "```")
	return []byte(block)
}

// TestDocumentedExampleScores holds docs/data-format.md to its word: the
// example child scores exactly as the document says.
func TestDocumentedExampleScores(t *testing.T) {
	c, err := audit.Decode(bytes.NewReader(docExample(t, "child")))
	if err != nil {
		t.Fatal(err)
	}
	var want kpi.Scores
	if err := json.Unmarshal(docExample(t, "scores"), &want); err != nil {
		t.Fatal(err)
	}
	if got := kpi.Score(c).Scores; got != want {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("the documented example scores\n%s", g)
	}
}

func ExampleScore() {
	doc := `{
	  "case": {"sex": 2, "date_of_birth": "2016-02-29"},
	  "registration": {"first_paediatric_assessment_date": "2024-02-29", "eligibility_criteria_met": true},
	  "assessment": {
	    "epilepsy_specialist_nurse_referral_made": true,
	    "epilepsy_specialist_nurse_referral_date": "2024-03-01",
	    "epilepsy_specialist_nurse_input_achieved": true,
	    "epilepsy_specialist_nurse_input_date": "2025-03-01"
	  },
	  "investigations": {"mri_indicated": true, "mri_brain_requested_date": "2024-03-01", "mri_brain_reported_date": "2024-04-12"},
	  "multiaxial_diagnosis": {}
	}`
	child, err := audit.Decode(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	result := kpi.Score(child)
	for _, m := range []kpi.Measure{kpi.EpilepsySpecialistNurse, kpi.MRI, kpi.SchoolIndividualHealthcarePlan} {
		ex := result.Explanation(m)
		fmt.Printf("%s: %s (%s)\n  %s\n  read: %s\n", m, ex.Outcome, ex.Rule, ex.Reason, strings.Join(ex.Fields, ", "))
	}
	// Output:
	// epilepsy_specialist_nurse: fail (nurse_after_first_year)
	//   Epilepsy specialist nurse input on 2025-03-01, after the first year of care ended on 2025-02-28.
	//   read: assessment.epilepsy_specialist_nurse_referral_made, assessment.epilepsy_specialist_nurse_referral_date, assessment.epilepsy_specialist_nurse_input_achieved, assessment.epilepsy_specialist_nurse_input_date, registration.first_paediatric_assessment_date
	// mri: pass (mri_within_6_weeks)
	//   MRI requested 2024-03-01 and reported 2024-04-12: 42 days apart, within 42.
	//   read: syndromes[].syndrome_name, investigations.mri_indicated, investigations.mri_brain_requested_date, investigations.mri_brain_reported_date
	// school_individual_healthcare_plan: not_scored (form_missing)
	//   Not scored: the Treatment and care planning form has not been started.
	//   read: management
}
