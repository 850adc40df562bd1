package schema

import (
	"io/fs"
	"slices"
	"testing"
)

// Both dialects must have the same migrations, by name and so by version.
func TestDialectsHaveTheSameMigrations(t *testing.T) {
	pg, _ := fs.Glob(FS, "postgres/*.sql")
	lite, _ := fs.Glob(FS, "sqlite/*.sql")
	if len(pg) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i := range pg {
		pg[i] = pg[i][len("postgres/"):]
	}
	for i := range lite {
		lite[i] = lite[i][len("sqlite/"):]
	}
	if !slices.Equal(pg, lite) {
		t.Errorf("postgres %v\nsqlite   %v", pg, lite)
	}
}
