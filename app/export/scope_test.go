package export

import "testing"

func TestCovers(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tt := range []struct {
		now     string
		written *string
		want    bool
	}{
		{"", s(""), true},        // national, national file
		{"", s("RGT"), true},     // national reaches every trust
		{"", nil, true},          // national, file from before the reach was kept
		{"RGT", s("RGT"), true},  // same trust
		{"RGT", s("RM3"), false}, // moved to another trust
		{"RGT", s(""), false},    // a national file, owner now in a trust
		{"7A4", s("RGT"), false}, // a health board is not a trust
		{"RGT", nil, false},      // unknown reach: only national may have it
		{"rgt", s("RGT"), false}, // codes are compared exactly
	} {
		if got := covers(tt.now, tt.written); got != tt.want {
			w := "<nil>"
			if tt.written != nil {
				w = *tt.written
			}
			t.Errorf("covers(%q, %q) = %v, want %v", tt.now, w, got, tt.want)
		}
	}
}
