package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStorableUserAgent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"},
		{"", ""},
		{"Moz\x00illa", "Moz\uFFFDilla"},
		{"a\x1b[2J", "a\uFFFD[2J"},
		{"caf\xe9", "caf\uFFFD"},
		{"tab\there", "tab\uFFFDhere"},
		{strings.Repeat("a", 255) + "é", strings.Repeat("a", 255)},
		{strings.Repeat("a", 300), strings.Repeat("a", 256)},
	} {
		got := storableUserAgent(tc.in)
		if got != tc.want || !utf8.ValidString(got) || len(got) > maxUserAgent {
			t.Errorf("storableUserAgent(%.30q) = %.30q, want %.30q", tc.in, got, tc.want)
		}
	}
}

// The guard's message names a field by its label and never repeats a
// field name it does not know (it would put the sender's words on the
// page).
func TestInputLabel(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"first_name", "First name"},
		{"q", "The search"},
		{"date_of_birth-month", "Date of birth"},
		{"management.0.has_an_aed_been_given", "Has the child been given an anti-seizure medicine?"},
		{"management.0.no_such_question", "One of the fields"},
		{"Call 0800 000 000 to claim", "One of the fields"},
		{"", "One of the fields"},
	} {
		if got := inputLabel(tc.name); got != tc.want {
			t.Errorf("inputLabel(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
