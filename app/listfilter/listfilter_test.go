package listfilter

import (
	"strings"
	"testing"
)

func TestCap(t *testing.T) {
	if got := Cap("ava"); got != "ava" {
		t.Errorf("Cap(%q) = %q", "ava", got)
	}
	if got := Cap(strings.Repeat("a", 150)); len(got) != maxQuery {
		t.Errorf("Cap caps at %d bytes: got %d", maxQuery, len(got))
	}
}

func TestODS(t *testing.T) {
	if got := ODS(" rgt01 "); got != "RGT01" {
		t.Errorf("ODS(%q) = %q", " rgt01 ", got)
	}
}

func TestSort(t *testing.T) {
	cols := []string{"name", "email"}
	if s, d := Sort("email", true, cols); s != "email" || !d {
		t.Errorf("a known column is kept: got %q %v", s, d)
	}
	if s, d := Sort("password", true, cols); s != "name" || d {
		t.Errorf("an unknown column falls back to name ascending: got %q %v", s, d)
	}
}

func TestPage(t *testing.T) {
	for in, want := range map[int]int{-3: 1, 0: 1, 1: 1, 7: 7} {
		if got := Page(in); got != want {
			t.Errorf("Page(%d) = %d, want %d", in, got, want)
		}
	}
}
