package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"clinaudit/app/kpi"
)

// docExample returns the JSON block after "<!-- example:<name> -->" in
// docs/data-format.md, the same document the kpi package tests.
func docExample(t *testing.T, name string) string {
	t.Helper()
	md, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "<!-- example:"+name+" -->\n```json\n")
	if !ok {
		t.Fatalf("no example %q", name)
	}
	block, _, _ := strings.Cut(rest, "```")
	return block
}

func runWithStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestKPIScoreCommand(t *testing.T) {
	code, out, errOut := runWithStdin(t, docExample(t, "child"), "kpi", "score")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got, want kpi.Scores
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not the scores object: %v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(docExample(t, "scores")), &want); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("scores differ from the documented ones:\n%s", out)
	}
	var raw map[string]string
	_ = json.Unmarshal([]byte(out), &raw)
	if len(raw) != kpi.NumMeasures || raw["paediatrician_with_expertise_in_epilepsies"] == "" {
		t.Errorf("want %d measures by name, got %v", kpi.NumMeasures, raw)
	}

	code, out, _ = runWithStdin(t, docExample(t, "child"), "kpi", "score", "--explain")
	var res kpi.Result
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.RulesVersion == "" || res.Explanations[0].Reason == "" {
		t.Errorf("--explain: exit %d, %s", code, out)
	}
}

func TestKPIScoreBadInput(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"malformed JSON", `{"case": `, ""},
		{"unknown field", `{"case": {"favourite_colour": "blue"}}`, "favourite_colour"},
		{"impossible date", `{"case": {"date_of_birth": "2023-02-30"}}`, "case.date_of_birth"},
		{"wrong type", `{"registration": {"eligibility_criteria_met": "yes"}}`, "registration.eligibility_criteria_met"},
		{"a centre that is no ODS code", `{"assessment": {}, "sites": {"site_is_general_paediatric_centre": "rgt01"}}`, "sites.site_is_general_paediatric_centre"},
		{"an unknown centre role", `{"assessment": {}, "sites": {"site_is_lead": "RGT01"}}`, "sites.site_is_lead"},
		{"centres without the assessment form", `{"sites": {"site_is_general_paediatric_centre": "RGT01"}}`, "sites: centres need the assessment form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runWithStdin(t, tt.in, "kpi", "score")
			if code != 1 || out != "" || errOut == "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q (want it to name %q)", code, out, errOut, tt.want)
			}
		})
	}
	if code, _, errOut := runWithStdin(t, "", "kpi", "rescore"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Errorf("bad subcommand: %d %q", code, errOut)
	}
}
