package cli

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/children"
	"clinaudit/app/config"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/storetest"
)

// seed-demo adds the demo's children once, some of them with filled audits
// (fewer than the demo's 150 here: imported through the forms, they are
// slow under -race), scored and aggregated; and --children N adds N more.
func TestSeedDemoChildren(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		dbURL := storetest.EmptyDatabaseURL(t, e)
		const audits = 12
		started := time.Now()
		code, out, errOut := run(t, "seed-demo", "--demo-audits", strconv.Itoa(audits), "--database-url", dbURL)
		if code != 0 || !strings.Contains(out, "demo data: 300 synthetic children") {
			t.Fatalf("seed-demo: %d %q %q", code, out, errOut)
		}
		t.Logf("seed-demo with %d children with audits: %s", audits, time.Since(started).Round(time.Millisecond))
		today := (&children.Service{Now: time.Now}).Today()
		cohorts := demoAuditCohorts(today)
		m := regexp.MustCompile(fmt.Sprintf(`demo data: %d children with filled audits \((\d+) complete\) at 7A4H1, RGT01, RM332, RM335, cohorts %d and %d, scored and aggregated in `,
			audits, cohorts[0].cohort, cohorts[1].cohort)).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("seed-demo does not say it added %d children with audits in cohorts %d and %d:\n%s", audits, cohorts[0].cohort, cohorts[1].cohort, out)
		}
		complete, _ := strconv.Atoi(m[1])
		if complete != 7 { // ⌊8 × 0.7⌋ + ⌊4 × 0.7⌋
			t.Errorf("%d complete audits, want 7", complete)
		}
		checkDemoAudits(t, dbURL, cohorts, complete)

		code, out, errOut = run(t, "seed-demo", "--children", "250", "--database-url", dbURL)
		if code != 0 || strings.Contains(out, "synthetic children (999") || strings.Contains(out, "filled audits") || !strings.Contains(out, "added 250 synthetic children") {
			t.Fatalf("seed-demo --children 250: %d %q %q", code, out, errOut)
		}
		if e != store.SQLite {
			return
		}
		s, err := litestore.Open(strings.TrimPrefix(dbURL, "sqlite:"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var n, test, weighted int
		row := s.DB().QueryRowContext(context.Background(), `SELECT count(*),
			sum(nhs_number LIKE '999%' OR nhs_number IS NULL),
			sum(lead_organisation_id IN (SELECT id FROM organisations WHERE ods_code IN ('RM332', 'RM335', 'RGT01', '7A4H1')))
			FROM children`)
		if err := row.Scan(&n, &test, &weighted); err != nil {
			t.Fatal(err)
		}
		if n != 550+audits || test != n || weighted < n/2 {
			t.Errorf("%d children, %d with test numbers, %d at the demo organisations", n, test, weighted)
		}
	})
}

// checkDemoAudits reads the figures the demo's seeding aggregated: both
// cohorts have a run; the complete audits are the ones seed-demo counted,
// and every one of them in the dashboards' default cohort, whose first
// year of care is over, counts in the KPIs, at the national level and
// summed over the demo organisations.
func checkDemoAudits(t *testing.T, dbURL string, cohorts []demoCohort, complete int) {
	t.Helper()
	ctx := context.Background()
	s, err := openStore(ctx, &config.Config{DatabaseURL: dbURL}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := 0
	for i, c := range cohorts {
		run, err := aggregate.Current(ctx, s, c.cohort)
		if err != nil {
			t.Fatalf("cohort %d: %v", c.cohort, err)
		}
		var orgs aggregate.Figures
		for _, w := range demoAuditOrganisations {
			o, err := s.GetOrganisationByODS(ctx, w.ods)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := aggregate.ForOrganisation(ctx, s, c.cohort, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := rep.Level(aggregate.Organisation)
			orgs.Complete += f.Complete
			orgs.Counted += f.Counted
		}
		nation, _, ok, err := aggregate.ForEntity(ctx, s, c.cohort, aggregate.National, "national")
		if err != nil || !ok {
			t.Fatalf("cohort %d, national: %v %v", c.cohort, ok, err)
		}
		t.Logf("cohort %d (run %d children counted): national %d registered, %d complete, %d counted; demo organisations %d complete, %d counted",
			c.cohort, run.Children, nation.Registered, nation.Complete, nation.Counted, orgs.Complete, orgs.Counted)
		if nation.Complete != orgs.Complete {
			t.Errorf("cohort %d: %d complete audits nationally, %d at the demo organisations", c.cohort, nation.Complete, orgs.Complete)
		}
		if i == 0 && (nation.Counted != nation.Complete || nation.Counted == 0 || orgs.Counted != nation.Counted) {
			t.Errorf("cohort %d, the dashboards' default: %d complete, %d counted nationally, %d at the demo organisations; want every complete audit counted",
				c.cohort, nation.Complete, nation.Counted, orgs.Counted)
		}
		got += int(nation.Complete)
	}
	if got != complete {
		t.Errorf("%d complete audits in the figures, seed-demo said %d", got, complete)
	}
}

func TestChildrenFlagIsForSeedDemo(t *testing.T) {
	code, _, errOut := run(t, "serve", "--children", "5", "--database-url", "sqlite:"+t.TempDir()+"/x.db")
	if code != 2 || !strings.Contains(errOut, "--children is for `clinaudit seed-demo`") {
		t.Errorf("serve --children: %d %q", code, errOut)
	}
	for _, args := range [][]string{{"serve", "--demo-audits", "5"}, {"migrate", "status", "--demo-audits", "5"}, {"seed-demo", "--demo-audits", "-1"}} {
		code, _, errOut := run(t, append(args, "--database-url", "sqlite:"+t.TempDir()+"/x.db")...)
		if code != 2 || !strings.Contains(errOut, "--demo-audits is a number of children for `clinaudit serve --demo` and `clinaudit seed-demo`") {
			t.Errorf("%s: %d %q", strings.Join(args, " "), code, errOut)
		}
	}
}
