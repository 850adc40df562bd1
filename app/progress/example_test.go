package progress_test

import (
	"bytes"
	"fmt"

	"clinaudit/app/audit"
	"clinaudit/app/progress"
)

func ExampleForForm() {
	// One episode, its status "uncertain": an epileptic episode is still
	// owed, so five answers of a new episode are missing.
	doc := `{
	  "multiaxial_diagnosis": {
	    "syndrome_present": false, "epilepsy_cause_known": false,
	    "relevant_impairments_behavioural_educational": false,
	    "global_developmental_delay_or_learning_difficulties": false,
	    "autistic_spectrum_disorder": false, "mental_health_screen": true,
	    "mental_health_issue_identified": false
	  },
	  "episodes": [{
	    "seizure_onset_date": "2023-04-02", "seizure_onset_date_confidence": "Exc",
	    "episode_definition": "a", "has_description_of_the_episode_or_episodes_been_gathered": true,
	    "epilepsy_or_nonepilepsy_status": "U"
	  }]
	}`
	child, err := audit.Decode(bytes.NewReader([]byte(doc)))
	if err != nil {
		panic(err)
	}
	p := progress.ForForm(child, progress.MultiaxialDiagnosis)
	fmt.Printf("%s: %d of %d answered, %s, %d%%\n", p.Form.Title(), p.Answered, p.Expected, p.Status, p.Percent())
	fmt.Println(p.Missing[0].Path, "because", p.Missing[0].Because)
	// Output:
	// Multiaxial diagnosis: 12 of 17 answered, Incomplete, 70%
	// episodes[].seizure_onset_date because episodes[].epilepsy_or_nonepilepsy_status
}

func ExampleOverall() {
	s := progress.Overall(&audit.Child{Registration: &audit.Registration{}})
	fmt.Printf("You have completed %d of %d sections (%d of %d answers, %d%%)\n", s.CompletedForms, s.TotalForms, s.Answered, s.Expected, s.Percent)
	for _, f := range s.Forms {
		fmt.Printf("%-30s %s\n", f.Form.Title(), f.Status)
	}
	// Output:
	// You have completed 0 of 7 sections (0 of 42 answers, 0%)
	// Verification and registration  Not started
	// First paediatric assessment    Not started
	// Epilepsy context               Not started
	// Multiaxial diagnosis           Not started
	// Milestones                     Not started
	// Tests                          Not started
	// Treatment and care planning    Not started
}
