package refdata

import (
	"strings"
	"testing"
)

func TestEveryFileParses(t *testing.T) {
	for _, st := range steps {
		rows, err := readRows(st.file)
		if err != nil {
			t.Fatalf("%s: %v", st.file, err)
		}
		if len(rows) == 0 {
			t.Errorf("%s: no rows", st.file)
		}
	}
}

func TestRowValues(t *testing.T) {
	r := row{idx: map[string]int{"s": 0, "b": 1, "f": 2, "n": 3}, rec: []string{"  padded ", "true", "52.17", ""}, line: 2}
	if r.s("s") != "padded" {
		t.Errorf("s = %q: lookup values are trimmed", r.s("s"))
	}
	if !r.b("b") || r.f("f") == nil || *r.f("f") != 52.17 || r.ns("n") != nil {
		t.Error("typed values wrong")
	}
	if r.err != nil {
		t.Fatalf("unexpected error %v", r.err)
	}
	for _, bad := range []struct{ col, val, want string }{
		{"b", "yes", "not true or false"},
		{"f", "north", "not a number"},
		{"missing", "", `no column "missing"`},
	} {
		r := row{idx: map[string]int{"b": 0, "f": 0}, rec: []string{bad.val}, line: 7}
		switch bad.col {
		case "b":
			r.b("b")
		case "f":
			r.f("f")
		default:
			r.s(bad.col)
		}
		if r.err == nil || !strings.Contains(r.err.Error(), bad.want) {
			t.Errorf("%s=%q: err %v, want %q", bad.col, bad.val, r.err, bad.want)
		}
	}
}

func TestChecksumIsStable(t *testing.T) {
	if a, b := Checksum(), Checksum(); a != b || len(a) != 64 {
		t.Errorf("checksum %q then %q", a, b)
	}
}

// SNOMED CT-derived lists are licensed content and must not be embedded.
func TestNoSNOMEDContentEmbedded(t *testing.T) {
	for _, name := range []string{"epilepsy_causes.csv", "epilepsy_causes_supplementary.csv", "comorbidities_ui_whitelist.csv"} {
		if _, err := files.Open(name); err == nil {
			t.Errorf("%s is embedded", name)
		}
	}
	b, _ := files.ReadFile("medicines.csv")
	if strings.Contains(string(b), "snomed") {
		t.Error("medicines.csv carries SNOMED concept ids")
	}
}
