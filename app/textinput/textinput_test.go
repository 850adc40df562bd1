package textinput

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		lines Lines
		want  error
	}{
		{"empty", "", SingleLine, nil},
		{"plain name", "Ava-Mae O'Neil", SingleLine, nil},
		{"accents and other scripts", "Zoë Łukasz 李雷 محمد", SingleLine, nil},
		{"emoji", "ok 👍", SingleLine, nil},
		{"no-break space is not a control", "Ava\u00a0Smith", SingleLine, nil},
		{"NUL", "Ava\x00", SingleLine, ErrControl},
		{"NUL in a textarea", "line\x00", MultiLine, ErrControl},
		{"bell", "a\x07b", MultiLine, ErrControl},
		{"backspace", "a\bb", SingleLine, ErrControl},
		{"escape", "\x1b[31mred", MultiLine, ErrControl},
		{"unit separator", "a\x1fb", MultiLine, ErrControl},
		{"DEL", "a\x7fb", MultiLine, ErrControl},
		{"C1 next line", "a\u0085b", MultiLine, ErrControl},
		{"C1 CSI", "a\u009bb", SingleLine, ErrControl},
		{"tab in one line", "a\tb", SingleLine, ErrControl},
		{"line feed in one line", "a\nb", SingleLine, ErrControl},
		{"carriage return in one line", "a\rb", SingleLine, ErrControl},
		{"tab in a textarea", "a\tb", MultiLine, nil},
		{"CR LF in a textarea", "first\r\nsecond\n", MultiLine, nil},
		{"lone 0xff", "a\xffb", SingleLine, ErrEncoding},
		{"truncated sequence", "caf\xc3", MultiLine, ErrEncoding},
		{"overlong NUL", "a\xc0\x80", MultiLine, ErrEncoding},
		{"surrogate half", "\xed\xa0\x80", MultiLine, ErrEncoding},
		{"U+FFFD itself is text", "a\uFFFDb", SingleLine, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.in, tt.lines); !errors.Is(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Check(%q, %v) = %v, want %v", tt.in, tt.lines, got, tt.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	if Message("First name", nil) != "" {
		t.Error("a message for good text")
	}
	m := Message("First name", ErrControl)
	if !strings.HasPrefix(m, "First name must not include control characters") {
		t.Errorf("control: %q", m)
	}
	if m := Message("Surname", ErrEncoding); !strings.HasPrefix(m, "Surname includes characters that could not be read") {
		t.Errorf("encoding: %q", m)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("Ava\x00", true)
	f.Add("a\r\nb", false)
	f.Fuzz(func(t *testing.T, s string, multi bool) {
		err := Check(s, Lines(multi))
		// Whatever Check accepts holds no NUL and is UTF-8: what
		// PostgreSQL refuses never gets past it.
		if err == nil && (strings.ContainsRune(s, 0) || strings.ToValidUTF8(s, "") != s) {
			t.Errorf("accepted %q", s)
		}
	})
}
