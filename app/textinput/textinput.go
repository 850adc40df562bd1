// Package textinput decides which characters a typed field may hold. It
// refuses control characters (NUL, backspace, escape, DEL, the C1 block...)
// and bytes that are not UTF-8: PostgreSQL rejects NUL and bad UTF-8 (a 500)
// where SQLite stores them, so without this check the engines differ, and
// neither is text a person typed. Tab, line feed and carriage return are
// ordinary whitespace in a multi-line field (a textarea); a single-line
// field refuses them too. Plain functions, no I/O.
package textinput

import (
	"errors"
	"unicode"
	"unicode/utf8"
)

// Lines says whether a field holds one line or several.
type Lines bool

const (
	// SingleLine refuses every control character, tab and line breaks too.
	SingleLine Lines = false
	// MultiLine allows tab, line feed and carriage return (a textarea;
	// browsers send line breaks as CR LF).
	MultiLine Lines = true
)

var (
	// ErrControl is a control character in the text.
	ErrControl = errors.New("textinput: control character")
	// ErrEncoding is a byte sequence that is not UTF-8.
	ErrEncoding = errors.New("textinput: not UTF-8")
)

// Check returns nil when s may be stored, ErrControl or ErrEncoding when
// not.
func Check(s string, lines Lines) error {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return ErrEncoding
		}
		if unicode.IsControl(r) && !(lines == MultiLine && (r == '\t' || r == '\n' || r == '\r')) {
			return ErrControl
		}
		i += n
	}
	return nil
}

// Message is what a person reads next to the field called label when
// Check refused its text ("" when err is nil): what is wrong and what to
// do, without repeating the text.
func Message(label string, err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrEncoding):
		return label + " includes characters that could not be read: type it again rather than pasting it"
	default:
		return label + " must not include control characters (such as a null character, a tab or a line break): type it again rather than pasting it"
	}
}
