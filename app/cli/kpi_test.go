package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
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

// kpi recalculate and kpi aggregate queue the jobs the pages queue: a
// recalculation row with no one named as asking and its kpi_recalculate
// job; a kpi_aggregate job of the cohort named, or of every current one
// (cohort 0).
func TestKPIRecalculateAndAggregateCommands(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.DatabaseURL(t, e)
		code, out, errOut := run(t, "kpi", "recalculate", "--database-url", dbURL)
		if code != 0 || !strings.Contains(out, "queued recalculation 1 ") {
			t.Fatalf("kpi recalculate: exit %d, %q, %s", code, out, errOut)
		}
		db := openURL(t, dbURL)
		var requestedBy sql.NullInt64
		var rules string
		if err := db.QueryRow("SELECT requested_by, rules_version FROM kpi_recalculations WHERE id = 1").Scan(&requestedBy, &rules); err != nil {
			t.Fatal(err)
		}
		if requestedBy.Valid || rules != kpi.RulesVersion {
			t.Errorf("recalculation: requested_by %v, rules %q; want none, %q", requestedBy, rules, kpi.RulesVersion)
		}
		jobArgs := func(kind string) []string {
			t.Helper()
			args := "args::text"
			if e == store.SQLite {
				args = "json(args)" // riversqlite keeps them as JSONB
			}
			rows, err := db.Query("SELECT "+args+" FROM river_job WHERE kind = $1 AND state IN ('available', 'scheduled') ORDER BY id", kind)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var a []byte
				if err := rows.Scan(&a); err != nil {
					t.Fatal(err)
				}
				out = append(out, strings.ReplaceAll(string(a), " ", ""))
			}
			return out
		}
		if got := jobArgs("kpi_recalculate"); len(got) != 1 || got[0] != `{"recalculation_id":1}` {
			t.Errorf("kpi_recalculate jobs: %q", got)
		}

		if code, out, errOut := run(t, "kpi", "aggregate", "--database-url", dbURL); code != 0 || !strings.Contains(out, "every current cohort") {
			t.Fatalf("kpi aggregate: exit %d, %q, %s", code, out, errOut)
		}
		if code, out, errOut := run(t, "kpi", "aggregate", "6", "--database-url", dbURL); code != 0 || !strings.Contains(out, "cohort 6") {
			t.Fatalf("kpi aggregate 6: exit %d, %q, %s", code, out, errOut)
		}
		if got := jobArgs("kpi_aggregate"); len(got) != 2 || got[0] != `{}` || got[1] != `{"cohort":6}` {
			t.Errorf("kpi_aggregate jobs: %q", got)
		}
	})
}

func TestKPICommandUsage(t *testing.T) {
	db := storetest.DatabaseURL(t, store.SQLite)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"kpi"}, "usage: clinaudit kpi score"},
		{[]string{"kpi", "rescore"}, "clinaudit kpi recalculate"},
		{[]string{"kpi", "aggregate", "three"}, `cohort "three": a cohort number`},
		{[]string{"kpi", "aggregate", "2"}, `cohort "2": a cohort number, from 4`},
		{[]string{"kpi", "aggregate", "6", "7"}, "clinaudit kpi aggregate [COHORT]"},
		{[]string{"kpi", "recalculate", "--explain"}, "--explain is for `clinaudit kpi score`"},
	} {
		code, _, errOut := run(t, append(tc.args, "--database-url", db)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
