package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/internal/testwait"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/synth"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// genNow is the clock of the generated-children test: 10 June 2025, noon
// in London (cohorts 7 and 8 open).
var genNow = time.Date(2025, time.June, 10, 11, 0, 0, 0, time.UTC)

// A few hundred generated children, as other systems might send them,
// are imported through the forms; River works the KPI jobs the import
// queued, one a child, and each stored result is kpi.Score of the line
// imported. The export is the children as the forms made them; imported
// into a fresh database and exported again, it is the same, byte for byte.
func TestImportGeneratedChildren(t *testing.T) {
	// The halves in parallel, as eachEngine's: SQLite's works the CPU,
	// PostgreSQL's mostly waits on round trips to the server.
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		clock := func() time.Time { return genNow }
		g := newDocGen(2025, audit.DateOf(genNow.In(london)))
		const n = 240
		var made, sent []*audit.Child
		var file strings.Builder
		for range n {
			c := g.Next().Child
			made, sent = append(made, c), append(sent, g.Variant(c))
			file.WriteString(line(t, sent[len(sent)-1]) + "\n")
		}
		o, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		scorer := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: clock}}
		workers := river.NewWorkers()
		river.AddWorker(workers, &answers.ScoreWorker{Service: scorer})
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 16, PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}

		started := time.Now()
		var report bytes.Buffer
		res, err := importChildren(ctx, s, o, "generated.jsonl", strings.NewReader(file.String()), &report, clock)
		if err != nil || res.Imported != n || res.Rejected != 0 || report.Len() > 0 {
			t.Fatalf("imported %d, rejected %d of %d, err %v:\n%s", res.Imported, res.Rejected, n, err, report.String())
		}
		t.Logf("%s: imported %d children in %s", s.Engine(), n, time.Since(started).Round(time.Millisecond))
		if queued := kpiJobs(t, s, rivertype.JobStateAvailable); len(queued) != n {
			t.Fatalf("%d kpi_score jobs queued for %d children", len(queued), n)
		}

		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		testwait.Eventually(t, 90*time.Second, "every kpi_score job to complete", func() (string, bool) {
			done := len(kpiJobs(t, s, rivertype.JobStateCompleted))
			return fmt.Sprintf("%d of %d completed", done, n), done >= n
		})
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.StopJobs(stop); err != nil {
			t.Fatal(err)
		}
		seen := map[kpi.Outcome]int{}
		for i, id := range res.IDs {
			want := kpi.Score(sent[i])
			r, err := s.GetKPIResult(ctx, id)
			if err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			for m, got := range storedOutcomes(r) {
				o := want.Outcome(kpi.Measure(m))
				seen[o]++
				if got != o {
					t.Errorf("line %d, %s: stored %s, kpi.Score of the line says %s", i+1, kpi.Measure(m), got, o)
				}
			}
		}
		t.Logf("outcomes: %v", seen)
		for _, o := range []kpi.Outcome{kpi.Pass, kpi.Fail, kpi.Ineligible, kpi.NotScored} {
			if seen[o] < n/20 {
				t.Errorf("only %d %s outcomes: the generated children are too alike (%v)", seen[o], o, seen)
			}
		}

		// The export is the children as the forms made them (with the
		// derived registration dates), in NHS number order.
		var first bytes.Buffer
		if count, err := exportChildren(ctx, s, o.ID, 0, &first); err != nil || count != n {
			t.Fatalf("exported %d of %d: %v", count, n, err)
		}
		exported := map[string]string{}
		lines := strings.Split(strings.TrimSuffix(first.String(), "\n"), "\n")
		for i, l := range lines {
			c, err := audit.Decode(strings.NewReader(l))
			if err != nil {
				t.Fatalf("export line %d does not decode: %v", i+1, err)
			}
			exported[*c.Case.NHSNumber] = l
			if i > 0 && *c.Case.NHSNumber < nhsOf(t, lines[i-1]) {
				t.Errorf("export line %d is out of NHS number order", i+1)
			}
		}
		for i, c := range made {
			if want, got := line(t, withDerivedRegistration(c)), exported[*c.Case.NHSNumber]; got != want {
				t.Errorf("line %d exports as\n%s\nmade as\n%s", i+1, got, want)
			}
		}

		fresh := storetest.Open(t, s.Engine())
		if err := fresh.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		fo, err := fresh.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		again, err := importChildren(ctx, fresh, fo, "export.jsonl", bytes.NewReader(first.Bytes()), &report, clock)
		if err != nil || again.Imported != n || report.Len() > 0 {
			t.Fatalf("re-import: %d imported, %v\n%s", again.Imported, err, report.String())
		}
		var second bytes.Buffer
		if _, err := exportChildren(ctx, fresh, 0, 0, &second); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Error("export → import → export differs from the first export")
		}

		// --cohort narrows the export to one cohort's children.
		c8 := 0
		for _, c := range made {
			if c.Registration != nil {
				if n, _ := cohort.ForDate(c.Registration.FirstPaediatricAssessmentDate.Time()); n == 8 {
					c8++
				}
			}
		}
		var only bytes.Buffer
		if count, err := exportChildren(ctx, fresh, fo.ID, 8, &only); err != nil || count != c8 || c8 == 0 || !strings.Contains(only.String(), `"cohort":8`) {
			t.Errorf("--cohort 8 exported %d, want %d: %v", count, c8, err)
		}
	})
}

// A file with good and bad lines, through the command line: every bad
// line is reported with its number and the field at fault, the good ones
// are imported, the summary counts both, and the exit status is 1. The
// export then round-trips through a second database.
func TestImportExportCommands(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.DatabaseURL(t, e)
		now := time.Now()
		today := audit.DateOf(now.In(london))
		g := newDocGen(12, today)
		good := []string{line(t, g.Next().Child), line(t, g.Next().Child), line(t, g.Next().Child)}
		dup := good[0]
		lateBad := g.Next().Child
		for lateBad.Registration == nil {
			lateBad = g.Next().Child
		}
		future := today.AddDays(3)
		lateBad.Management.IndividualisedCarePlanInPlace = ptrTo(true)
		lateBad.Management.IndividualisedCarePlanDate = &future
		file := strings.Join([]string{
			good[0],
			`{"case": {"first_name": "Half`,
			`{"case": {"favourite_colour": "blue"}}`,
			good[1],
			`{"case": {"sex": "boy"}}`,
			`{"case": {"date_of_birth": "2023-02-30"}}`,
			dup,
			line(t, lateBad),
			"",
			good[2],
		}, "\n") + "\n"
		path := filepath.Join(t.TempDir(), "children.jsonl")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, "import", path, "--org", "rgt01", "--database-url", dbURL)
		if code != 1 || out != "imported 3, rejected 6\n" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
		}
		for _, want := range []string{
			path + ":2: malformed JSON at column ",
			path + ":3: case.favourite_colour: unknown field",
			path + ":5: case.sex: expected a whole number or null, got \"boy\"",
			path + ":6: case.date_of_birth: \"2023-02-30\" is not a real date",
			path + ":7: case.nhs_number: This NHS number is already registered in the audit",
			path + ":8: management.individualised_care_plan_date: Date care planning started must be today or in the past",
		} {
			if !strings.Contains(errOut, want+"\n") && !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		if strings.Contains(errOut, ":1:") || strings.Contains(errOut, ":4:") || strings.Contains(errOut, ":10:") {
			t.Errorf("a good line was reported:\n%s", errOut)
		}

		// Standard input, and a clean file: exit 0.
		code, out, errOut = runWithStdin(t, line(t, g.Next().Child)+"\n", "import", "-", "--org", "RGT01", "--database-url", dbURL)
		if code != 0 || out != "imported 1, rejected 0\n" || errOut != "" {
			t.Errorf("stdin: exit %d, %q, %q", code, out, errOut)
		}

		code, exported, errOut := run(t, "export", "--format", "jsonl", "--org", "RGT01", "--database-url", dbURL)
		if code != 0 || strings.Count(exported, "\n") != 4 || errOut != "exported 4 children\n" {
			t.Fatalf("export: exit %d, %d lines, stderr %q", code, strings.Count(exported, "\n"), errOut)
		}
		other := storetest.DatabaseURL(t, e)
		if code, out, errOut := runWithStdin(t, exported, "import", "-", "--org", "RGT01", "--database-url", other); code != 0 || out != "imported 4, rejected 0\n" {
			t.Fatalf("import of the export: exit %d, %q, %q", code, out, errOut)
		}
		if _, again, _ := run(t, "export", "--database-url", other); again != exported {
			t.Errorf("export → import → export differs:\n%s\n%s", exported, again)
		}
	})
}

func TestImportExportUsage(t *testing.T) {
	db := storetest.DatabaseURL(t, store.SQLite)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"import without --org", []string{"import", "x.jsonl", "--database-url", db}, 2, "usage: clinaudit import"},
		{"import without a file", []string{"import", "--org", "RGT01", "--database-url", db}, 2, "usage: clinaudit import"},
		{"import of a missing file", []string{"import", filepath.Join(t.TempDir(), "none.jsonl"), "--org", "RGT01", "--database-url", db}, 1, "no such file"},
		{"import at an unknown organisation", []string{"import", "-", "--org", "XX999", "--database-url", db}, 2, `no organisation has the ODS code "XX999"`},
		{"export as CSV", []string{"export", "--format", "csv", "--database-url", db}, 2, "jsonl is the only format"},
		{"export of cohort 2", []string{"export", "--cohort", "2", "--database-url", db}, 2, "cohorts start at 4"},
		{"export with an argument", []string{"export", "all", "--database-url", db}, 2, `unexpected argument "all"`},
		{"--cohort for serve", []string{"serve", "--cohort", "8", "--database-url", db}, 2, "are for `clinaudit export`"},
		{"--org for serve", []string{"serve", "--org", "RGT01", "--database-url", db}, 2, "are for `clinaudit user`"},
		{"--email for import", []string{"import", "-", "--org", "RGT01", "--email", "a@b.c", "--database-url", db}, 2, "are for `clinaudit user`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runWithStdin(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.err)
			}
		})
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "import FILE.jsonl|- --org ODS") || !strings.Contains(out, "export [--format jsonl]") {
		t.Errorf("help does not list import and export:\n%s", out)
	}
}

// storedOutcomes reads a kpi_results row back as outcomes, in measure
// order: 1 pass, 0 fail, 2 ineligible, NULL not scored.
func storedOutcomes(r store.KpiResult) []kpi.Outcome {
	cols := []*int64{r.PaediatricianWithExpertiseInEpilepsies, r.EpilepsySpecialistNurse, r.TertiaryInput, r.EpilepsySurgeryReferral,
		r.Ecg, r.Mri, r.AssessmentOfMentalHealthIssues, r.MentalHealthSupport, r.SodiumValproate, r.ComprehensiveCarePlanningAgreement,
		r.PatientHeldIndividualisedEpilepsyDocument, r.PatientCarerParentAgreementToTheCarePlanning, r.CarePlanningHasBeenUpdatedWhenNecessary,
		r.ComprehensiveCarePlanningContent, r.ParentalProlongedSeizuresCarePlan, r.WaterSafety, r.FirstAid, r.GeneralParticipationAndRisk,
		r.ServiceContactDetails, r.Sudep, r.SchoolIndividualHealthcarePlan}
	out := make([]kpi.Outcome, len(cols))
	for i, c := range cols {
		switch {
		case c == nil:
			out[i] = kpi.NotScored
		case *c == 1:
			out[i] = kpi.Pass
		case *c == 0:
			out[i] = kpi.Fail
		case *c == 2:
			out[i] = kpi.Ineligible
		default:
			out[i] = kpi.Outcome(100 + *c) // no such code: never equal
		}
	}
	return out
}

// kpiJobs lists the kpi_score jobs in a state.
func kpiJobs(t *testing.T, s store.Store, state rivertype.JobState) []*rivertype.JobRow {
	t.Helper()
	res, err := s.ListJobs(context.Background(), river.NewJobListParams().Kinds("kpi_score").States(state).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

// withDerivedRegistration is a made document as export writes it: with the
// registration's derived dates.
func withDerivedRegistration(c *audit.Child) *audit.Child {
	c = synth.Clone(c)
	if r := c.Registration; r != nil {
		n, _ := cohort.ForDate(r.FirstPaediatricAssessmentDate.Time())
		number, year := int(n), r.FirstPaediatricAssessmentDate.AddYears(1)
		deadline := audit.DateOf(n.SubmissionDeadline())
		r.Cohort, r.CompletedFirstYearOfCareDate, r.AuditSubmissionDate = &number, &year, &deadline
	}
	return c
}

func nhsOf(t *testing.T, l string) string {
	t.Helper()
	var c struct {
		Case struct {
			NHSNumber string `json:"nhs_number"`
		} `json:"case"`
	}
	if err := json.Unmarshal([]byte(l), &c); err != nil {
		t.Fatal(err)
	}
	return c.Case.NHSNumber
}

func ptrTo[T any](v T) *T { return &v }

// A line with a control character in a free-text field is refused and
// reported naming the field, and the lines around it are imported, the
// same on both engines (PostgreSQL used to fail the whole import on a NUL,
// SQLite stored it).
func TestImportRefusesControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Now()
		g := newDocGen(14, audit.DateOf(now.In(london)))
		nul := g.Next().Child
		if nul.Case == nil || nul.Case.FirstName == nil {
			t.Fatal("generated child without a first name")
		}
		nul.Case.FirstName = ptrTo("Ava\x00")
		esc := g.Next().Child
		for len(esc.Episodes) == 0 || esc.Episodes[0].Description == nil {
			esc = g.Next().Child
		}
		esc.Episodes[0].Description = ptrTo("Shook\x1b[2J, then slept")
		file := strings.Join([]string{line(t, g.Next().Child), line(t, nul), line(t, g.Next().Child), line(t, esc), line(t, g.Next().Child)}, "\n")
		o, err := s.GetOrganisationByODS(ctx, "RGT01")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil { // the KPI jobs are queued, not worked
			t.Fatal(err)
		}
		var report strings.Builder
		res, err := importChildren(ctx, s, o, "f.jsonl", strings.NewReader(file), &report, time.Now)
		if err != nil || res.Imported != 3 || res.Rejected != 2 {
			t.Fatalf("imported %d, rejected %d, err %v:\n%s", res.Imported, res.Rejected, err, report.String())
		}
		for _, want := range []string{
			"f.jsonl:2: case.first_name: First name must not include control characters",
			"].description: Description of the episode must not include control characters",
		} {
			if !strings.Contains(report.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, report.String())
			}
		}
		if strings.Contains(report.String(), "\x00") || strings.Contains(report.String(), "\x1b") {
			t.Errorf("report repeats the control character: %q", report.String())
		}
	})
}
