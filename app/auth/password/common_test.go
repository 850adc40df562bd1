package password

import (
	"strings"
	"testing"
)

func TestCommonListWellFormed(t *testing.T) {
	if n := CommonCount(); n < 1000 {
		t.Errorf("common list has %d entries, want at least 1000", n)
	}
	seen := map[string]int{}
	for i, line := range strings.Split(commonText, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if line != strings.ToLower(strings.TrimSpace(line)) {
			t.Errorf("line %d %q is not trimmed lower case", i+1, line)
		}
		if prev, dup := seen[line]; dup {
			t.Errorf("line %d %q repeats line %d", i+1, line, prev)
		}
		seen[line] = i + 1
	}
}

func TestIsCommon(t *testing.T) {
	tests := []struct {
		pw   string
		want bool
	}{
		{"password", true},
		{"PASSWORD", true},
		{"Password123!", true},
		{"password 2024", true},
		{"123password", true},
		{"#1Password#1", true},
		{"qwerty123", true},
		{"Summer2025!", true},
		{"Chelsea1905", true},
		{"Epilepsy12!", true},
		{"NHS12345678", true},
		{"123456", true},
		{"1234567890", true},
		{"iloveyou", true},
		// Full-width letters fold to ASCII under NFKC.
		{"ＰＡＳＳＷＯＲＤ1", true},
		{"passwordx", false},    // letters added: no longer the listed word
		{"pass-word-99", false}, // rule is about the ends only
		{"8302957164", false},
		{"Kettle-Orbit-42", false},
		{"violet tractor lemon", false},
		{"", false},
		{"!!!", false},
	}
	for _, tt := range tests {
		if got := IsCommon(tt.pw); got != tt.want {
			t.Errorf("IsCommon(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
}
