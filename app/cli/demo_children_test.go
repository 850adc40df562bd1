package cli

import (
	"context"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/storetest"
)

// seed-demo adds the demo's children once, and --children N adds N more.
func TestSeedDemoChildren(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dbURL := storetest.EmptyDatabaseURL(t, e)
			code, out, errOut := run(t, "seed-demo", "--database-url", dbURL)
			if code != 0 || !strings.Contains(out, "demo data: 300 synthetic children") {
				t.Fatalf("seed-demo: %d %q %q", code, out, errOut)
			}
			code, out, errOut = run(t, "seed-demo", "--children", "250", "--database-url", dbURL)
			if code != 0 || strings.Contains(out, "synthetic children (999") || !strings.Contains(out, "added 250 synthetic children") {
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
			if n != 550 || test != n || weighted < n/2 {
				t.Errorf("%d children, %d with test numbers, %d at the demo organisations", n, test, weighted)
			}
		})
	}
}

func TestChildrenFlagIsForSeedDemo(t *testing.T) {
	code, _, errOut := run(t, "serve", "--children", "5", "--database-url", "sqlite:"+t.TempDir()+"/x.db")
	if code != 2 || !strings.Contains(errOut, "--children is for `clinaudit seed-demo`") {
		t.Errorf("serve --children: %d %q", code, errOut)
	}
}
