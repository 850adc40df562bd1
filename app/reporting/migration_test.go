package reporting

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite schema/postgres/00035_reporting.sql from Views")

const migrationFile = "../../schema/postgres/00035_reporting.sql"

// The PostgreSQL views are the rendering of Views: one definition of the
// masking for the schema and for reporting-copy.
func TestMigrationIsViews(t *testing.T) {
	want := PostgresMigration()
	if *update {
		if err := os.WriteFile(migrationFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(migrationFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s differs from app/reporting's Views: run go test ./app/reporting -run Migration -update", migrationFile)
	}
}
