package postcode

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
		err   error
	}{
		// Every outward form.
		{"A9 9AA", "M1 1AE", "M1 1AE", nil},
		{"A99 9AA", "B33 8TH", "B33 8TH", nil},
		{"AA9 9AA", "CR2 6XH", "CR2 6XH", nil},
		{"AA99 9AA", "DN55 1PT", "DN55 1PT", nil},
		{"A9A 9AA", "W1A 0AX", "W1A 0AX", nil},
		{"AA9A 9AA", "EC1A 1BB", "EC1A 1BB", nil},
		{"Girobank", "GIR 0AA", "GIR 0AA", nil},
		{"Welsh", "CF10 1EP", "CF10 1EP", nil},
		{"Jersey is in the UK format too", "JE2 3QW", "JE2 3QW", nil},
		{"Guernsey", "GY1 1AA", "GY1 1AA", nil},
		{"Isle of Man", "IM1 1AA", "IM1 1AA", nil},

		// Case and spacing are normalised.
		{"lower case", "sw1a 1aa", "SW1A 1AA", nil},
		{"no space", "SW1A1AA", "SW1A 1AA", nil},
		{"extra spaces", "  SW1A   1AA  ", "SW1A 1AA", nil},
		{"space in the wrong place", "SW 1A1AA", "SW1A 1AA", nil},
		{"tab and non-breaking space", "SW1A\t\u00a01AA", "SW1A 1AA", nil},
		{"dash", "SW1A-1AA", "SW1A 1AA", nil},
		{"mixed case", "Ec1a 1Bb", "EC1A 1BB", nil},

		// Each ONS unknown code, in several spellings.
		{"address unknown", "ZZ99 3WZ", "ZZ99 3WZ", nil},
		{"unspecified England", "zz993cz", "ZZ99 3CZ", nil},
		{"unspecified Wales", "ZZ99 3GZ", "ZZ99 3GZ", nil},
		{"no fixed abode", " zz99 3vz ", "ZZ99 3VZ", nil},

		// Missing.
		{"empty", "", "", ErrMissing},
		{"spaces only", "   ", "", ErrMissing},

		// Only the outward half.
		{"outward only", "SW1A", "", ErrPartial},
		{"district only", "M1", "", ErrPartial},

		// Not a postcode.
		{"word", "unknown", "", ErrFormat},
		{"digits", "12345", "", ErrFormat},
		{"Q first", "QA1 1AA", "", ErrFormat},
		{"V first", "V1 1AA", "", ErrFormat},
		{"X first", "X1 1AA", "", ErrFormat},
		{"I second", "AI1 1AA", "", ErrFormat},
		{"J second", "AJ1 1AA", "", ErrFormat},
		{"Z second", "AZ1 1AA", "", ErrFormat},
		{"bad third letter in A9A", "W1I 1AA", "", ErrFormat},
		{"bad fourth letter in AA9A", "EC1C 1AA", "", ErrFormat},
		{"C in inward", "SW1A 1CA", "", ErrFormat},
		{"I in inward", "SW1A 1AI", "", ErrFormat},
		{"K in inward", "SW1A 1KA", "", ErrFormat},
		{"M in inward", "SW1A 1AM", "", ErrFormat},
		{"O in inward", "SW1A 1OA", "", ErrFormat},
		{"V in inward", "SW1A 1AV", "", ErrFormat},
		{"inward without digit", "SW1A AAA", "", ErrFormat},
		{"too long", "SW1A 1AAA", "", ErrFormat},
		{"three-digit district", "B123 4AA", "", ErrFormat},
		{"punctuation", "SW1A.1AA", "", ErrFormat},
		{"letter O for zero", "W1A OAX", "", ErrFormat},
		{"full-width letters", "ＳＷ１Ａ １ＡＡ", "", ErrFormat},
		{"unknown-code lookalike", "ZZ99 3XZ", "", ErrFormat},
		{"overseas territory", "ASCN 1ZZ", "", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.input)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Validate(%q) error = %v, want %v", tt.input, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Validate(%q) = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

func TestValidateJersey(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
		err   error
	}{
		{"JE2", "JE2 3QW", "JE2 3QW", nil},
		{"JE1 lower case no space", "je11aa", "JE1 1AA", nil},
		{"two-digit district", "JE13 3AB", "JE13 3AB", nil},
		{"Jersey unspecified code", "ZZ99 3CZ", "ZZ99 3CZ", nil},
		{"address unknown", "ZZ993WZ", "ZZ99 3WZ", nil},
		{"Wales unspecified still valid (§4.3: always valid)", "ZZ99 3GZ", "ZZ99 3GZ", nil},
		{"no fixed abode", "ZZ99 3VZ", "ZZ99 3VZ", nil},
		{"empty", "", "", ErrMissing},
		{"mainland postcode", "SW1A 1AA", "", ErrNotJersey},
		{"Guernsey", "GY1 1AA", "", ErrNotJersey},
		{"outward only", "JE2", "", ErrNotJersey},
		{"C in inward", "JE2 3CW", "", ErrNotJersey},
		{"three-digit district", "JE123 4AB", "", ErrNotJersey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateJersey(tt.input)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ValidateJersey(%q) error = %v, want %v", tt.input, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ValidateJersey(%q) = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	want := map[error]string{
		ErrMissing:   "Enter a postcode",
		ErrPartial:   "Enter a full postcode, like SW1A 1AA",
		ErrFormat:    "Enter a real postcode, like SW1A 1AA",
		ErrNotJersey: "Enter a Jersey postcode, like JE2 3QW",
	}
	for err, msg := range want {
		if err.Error() != msg {
			t.Errorf("got %q, want %q", err.Error(), msg)
		}
	}
}

func TestUnknownCodes(t *testing.T) {
	codes := UnknownCodes()
	want := []string{"ZZ99 3WZ", "ZZ99 3CZ", "ZZ99 3GZ", "ZZ99 3VZ"}
	if len(codes) != len(want) {
		t.Fatalf("got %d codes, want %d", len(codes), len(want))
	}
	for i, c := range codes {
		if c.Code != want[i] || c.Description == "" {
			t.Errorf("code %d = %+v, want %s with a description", i, c, want[i])
		}
		for _, spelling := range []string{c.Code, strings.ToLower(c.Code), Compact(c.Code)} {
			if !IsUnknownCode(spelling) {
				t.Errorf("IsUnknownCode(%q) = false", spelling)
			}
		}
	}
	codes[0].Code = "changed"
	if UnknownCodes()[0].Code != "ZZ99 3WZ" {
		t.Error("UnknownCodes returned the package's own slice")
	}
	for _, s := range []string{"SW1A 1AA", "ZZ99 3XZ", "", "ZZ99"} {
		if IsUnknownCode(s) {
			t.Errorf("IsUnknownCode(%q) = true", s)
		}
	}
}

func TestCompact(t *testing.T) {
	tests := map[string]string{
		"sw1a 1aa":   "SW1A1AA",
		" SW1A-1AA ": "SW1A1AA",
		"zz99 3wz":   "ZZ993WZ",
		"":           "",
	}
	for in, want := range tests {
		if got := Compact(in); got != want {
			t.Errorf("Compact(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"SW1A 1AA", "sw1a1aa", "ZZ99 3WZ", "JE2 3QW", "", "GIR 0AA", "ß", "\xff", "SW1A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []func(string) (string, error){Validate, ValidateJersey} {
			got, err := v(s)
			if err != nil {
				if got != "" {
					t.Fatalf("%q: returned %q with error %v", s, got, err)
				}
				continue
			}
			// Accepted values are in display form and stable.
			if strings.Count(got, " ") != 1 || got != strings.ToUpper(got) || len(got) < 6 || len(got) > 8 {
				t.Fatalf("%q: accepted as %q, not in display form", s, got)
			}
			if again, err := v(got); err != nil || again != got {
				t.Fatalf("%q: not idempotent: %q, %v", got, again, err)
			}
		}
	})
}

func TestDistrictAndArea(t *testing.T) {
	for in, want := range map[string][2]string{"CB2 0QQ": {"CB2", "CB"}, "sw1a1aa": {"SW1A", "SW"}, "M6 8HD": {"M6", "M"}, "ZZ99 3WZ": {"ZZ99", "ZZ"}, "CB2": {"", "CB"}, "": {"", ""}} {
		if d, a := District(in), Area(in); d != want[0] || a != want[1] {
			t.Errorf("%q: District %q, Area %q; want %q", in, d, a, want)
		}
	}
}
