package password

import (
	_ "embed"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// common.txt is one password per line, lower case; lines starting with #
// are comments. docs/passwords.md says where it comes from.
//
//go:embed common.txt
var commonText string

// commonSet holds every listed password and the core of each (see core),
// so "summer" on the list also catches "Summer2024!".
var commonSet = loadCommon(commonText)

func loadCommon(text string) map[string]struct{} {
	set := make(map[string]struct{}, 2*strings.Count(text, "\n"))
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = normaliseCommon(line)
		set[line] = struct{}{}
		if c := core(line); c != "" {
			set[c] = struct{}{}
		}
	}
	return set
}

// CommonCount is how many distinct passwords the bundled list holds.
func CommonCount() int {
	n := 0
	for line := range strings.Lines(commonText) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			n++
		}
	}
	return n
}

// IsCommon reports whether pw is on the bundled list, ignoring case, or is
// a listed password with digits, symbols or spaces added at either end
// ("Password123!", "!!Arsenal1886"). That is the whole rule: words are not
// split, and letters swapped for look-alike symbols are caught only when
// the list has that spelling ("p@ssw0rd").
func IsCommon(pw string) bool {
	pw = normaliseCommon(pw)
	if _, ok := commonSet[pw]; ok {
		return true
	}
	c := core(pw)
	if c == "" {
		return false
	}
	_, ok := commonSet[c]
	return ok
}

func normaliseCommon(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// core trims everything but letters from both ends of s: "123summer!!"
// becomes "summer". A password with no letters has no core.
func core(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}
