// Package postcode validates UK postcodes offline (decisions.md: no call to
// an external service, so no fail-open path as in epilepsy12.md quirk 21).
//
// It accepts three kinds of value (§4.3):
//   - the ONS "unknown" pseudo-postcodes offered on the "No postcode" path,
//     which are always valid and have no deprivation quintile or location;
//   - for organisations in Jersey, a Jersey postcode (JE…);
//   - for everyone else, anything in the UK postcode format.
//
// A format check cannot tell whether a postcode has been allocated, so a
// well-formed but unused postcode ("SW1A 9ZZ") is accepted. Checking
// existence needs the ONS postcode directory loaded by the operator.
package postcode

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
)

// Errors returned by Validate and ValidateJersey. Their text is shown to
// clinicians as it is, so it is written as a GOV.UK-style sentence.
var (
	ErrMissing   = errors.New("Enter a postcode")
	ErrPartial   = errors.New("Enter a full postcode, like SW1A 1AA")
	ErrFormat    = errors.New("Enter a real postcode, like SW1A 1AA")
	ErrNotJersey = errors.New("Enter a Jersey postcode, like JE2 3QW")
)

// UnknownCode is an ONS pseudo-postcode for a child whose address is not
// known (§4.3). Code is written in display form.
type UnknownCode struct {
	Code        string
	Description string
}

// unknownCodes are listed in the order of §4.3, which is the order the
// "No postcode" choices are offered in.
var unknownCodes = []UnknownCode{
	{"ZZ99 3WZ", "Address unknown"},
	{"ZZ99 3CZ", "Address unspecified – England (also used for Jersey)"},
	{"ZZ99 3GZ", "Address unspecified – Wales"},
	{"ZZ99 3VZ", "No fixed abode"},
}

// UnknownCodes returns the ONS unknown codes of §4.3 for the "No postcode"
// choices. The slice is a copy.
func UnknownCodes() []UnknownCode {
	return append([]UnknownCode(nil), unknownCodes...)
}

// IsUnknownCode reports whether s, in any case or spacing, is one of the ONS
// unknown codes. Callers use it to leave deprivation and location empty.
func IsUnknownCode(s string) bool {
	_, ok := lookupUnknown(Compact(s))
	return ok
}

func lookupUnknown(compact string) (UnknownCode, bool) {
	for _, u := range unknownCodes {
		if Compact(u.Code) == compact {
			return u, true
		}
	}
	return UnknownCode{}, false
}

var (
	// ukFormat is the UK postcode format of BS 7666 on the compact
	// (upper-case, no separators) form. Outward code: A9, A99, AA9, AA99,
	// A9A or AA9A, where the first letter is never Q, V or X, the second
	// never I, J or Z, and the letters after a digit come from short lists.
	// Inward code: a digit and two letters, never C, I, K, M, O or V.
	// GIR 0AA is a historic exception that is still in use.
	ukFormat = regexp.MustCompile(`^(?:` +
		`[A-PR-UWYZ][0-9][0-9]?` +
		`|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?` +
		`|[A-PR-UWYZ][0-9][A-HJKPSTUW]` +
		`|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]` +
		`)[0-9][ABD-HJLNP-UW-Z]{2}$|^GIR0AA$`)

	// outwardOnly matches an outward code typed without its inward half,
	// so the message can ask for the rest rather than call it unreal.
	outwardOnly = regexp.MustCompile(`^(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]?)$`)

	// jerseyFormat is §4.3's Jersey rule, unchanged.
	jerseyFormat = regexp.MustCompile(`^JE\d{1,2}\d[ABD-HJLNP-UW-Z]{2}$`)
)

// Compact upper-cases s and removes spaces and dashes of any kind. It is the
// form Epilepsy12 stores (§4.3 "on save … upper-cased and spaces and dashes
// are removed") and the key for lookup tables such as deprivation.
func Compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// display puts the single space before the inward code: "SW1A 1AA".
func display(compact string) string {
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:]
}

// Validate checks a postcode for an organisation outside Jersey. It returns
// the postcode in display form ("SW1A 1AA"), or an unknown code in that form
// ("ZZ99 3WZ"); the error is one of the Err values above.
func Validate(s string) (string, error) {
	return validate(s, ukFormat, ErrFormat, true)
}

// ValidateJersey checks a postcode for an organisation in Jersey: a Jersey
// postcode or an ONS unknown code (§4.3).
func ValidateJersey(s string) (string, error) {
	return validate(s, jerseyFormat, ErrNotJersey, false)
}

// validate is shared by both checks; askForRest says whether an outward code
// alone gets ErrPartial (in Jersey, ErrNotJersey already shows the form).
func validate(s string, format *regexp.Regexp, errFormat error, askForRest bool) (string, error) {
	c := Compact(s)
	if c == "" {
		return "", ErrMissing
	}
	if u, ok := lookupUnknown(c); ok {
		return u.Code, nil
	}
	if format.MatchString(c) {
		return display(c), nil
	}
	if askForRest && outwardOnly.MatchString(c) {
		return "", ErrPartial
	}
	return "", errFormat
}

// District is the outward code of a postcode ("CB2" of "CB2 0QQ"): the
// part the reports and the reporting views keep. "" when s is too short to
// have an inward code. reporting's PostcodeDistrict mask is the same rule
// in SQL.
func District(s string) string {
	c := Compact(s)
	if len(c) < 5 {
		return ""
	}
	return c[:len(c)-3]
}

// Area is the letters a postcode starts with ("CB" of "CB2 0QQ"), the
// postcode area the registry's reports group by; "" when there are none.
func Area(s string) string {
	c := Compact(s)
	i := strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' })
	if i < 0 {
		i = len(c)
	}
	return c[:i]
}
