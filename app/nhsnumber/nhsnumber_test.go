package nhsnumber

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// checksumHolds is an independent restatement of §4.2 for the tests: the
// weighted sum of all ten digits, with the check digit weighted 1, is a
// multiple of 11, and a check digit of 10 cannot be written in one digit.
func checksumHolds(n string) bool {
	if len(n) != 10 {
		return false
	}
	sum := 0
	for i, c := range n {
		if c < '0' || c > '9' {
			return false
		}
		weight := 10 - i
		if i == 9 {
			weight = 1
		}
		sum += int(c-'0') * weight
	}
	return sum%11 == 0
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
		err   error
	}{
		// Valid numbers, each checked against checksumHolds below.
		{"valid", "9434765919", "9434765919", nil},
		{"NHS England sandbox test patient", "9000000009", "9000000009", nil},
		{"PDS test number", "4010232137", "4010232137", nil},
		{"another valid", "9693632109", "9693632109", nil},
		{"check digit 11 becomes 0", "9449310610", "9449310610", nil},
		{"all zeros: no range check in §4.2", "0000000000", "0000000000", nil},
		{"all nines: no range check in §4.2", "9999999999", "9999999999", nil},

		// Separators are removed.
		{"display spacing", "943 476 5919", "9434765919", nil},
		{"dashes", "943-476-5919", "9434765919", nil},
		{"en dashes", "943–476–5919", "9434765919", nil},
		{"surrounding spaces", "  943 476 5919 ", "9434765919", nil},
		{"tabs", "943\t476\t5919", "9434765919", nil},
		{"non-breaking spaces", "943\u00a0476\u00a05919", "9434765919", nil},
		{"irregular spacing", "9 4 3 4 7 6 5 9 1 9", "9434765919", nil},

		// Missing.
		{"empty", "", "", ErrMissing},
		{"only spaces", "   ", "", ErrMissing},
		{"only separators", " - - ", "", ErrMissing},

		// Not digits.
		{"letter O for zero", "943476591O", "", ErrNotDigit},
		{"letters", "ABCDEFGHIJ", "", ErrNotDigit},
		{"dots", "943.476.5919", "", ErrNotDigit},
		{"plus sign", "+9434765919", "", ErrNotDigit},
		{"full-width digits", "９４３４７６５９１９", "", ErrNotDigit},
		{"Arabic-Indic digits", "٩٤٣٤٧٦٥٩١٩", "", ErrNotDigit},

		// Wrong lengths. Epilepsy12 left-pads short input with zeros; we ask
		// for all ten digits instead (see docs/validation.md).
		{"nine digits", "943476591", "", ErrLength},
		{"eleven digits", "94347659190", "", ErrLength},
		{"one digit", "0", "", ErrLength},
		{"twelve digits spaced", "943 476 5919 12", "", ErrLength},

		// Checksum failures.
		{"NHS.UK example 485 777 3456 fails its own checksum", "485 777 3456", "", ErrChecksum},
		{"last digit changed", "9434765918", "", ErrChecksum},
		{"last two digits swapped", "9434765991", "", ErrChecksum},
		{"middle digits swapped", "9434675919", "", ErrChecksum},
		{"check digit would be 10 (ends 0)", "4010000040", "", ErrChecksum},
		{"check digit would be 10 (ends 1)", "4010000041", "", ErrChecksum},
		{"check digit would be 10 (1234567890)", "1234567890", "", ErrChecksum},
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
			if err == nil && !checksumHolds(got) {
				t.Errorf("Validate(%q) accepted %q, which fails the independent checksum", tt.input, got)
			}
			if IsValid(tt.input) != (tt.err == nil) {
				t.Errorf("IsValid(%q) disagrees with Validate", tt.input)
			}
		})
	}
}

func TestMessagesReadForClinicians(t *testing.T) {
	want := map[error]string{
		ErrMissing:     "Enter an NHS number",
		ErrNotDigit:    "NHS number must only include numbers",
		ErrLength:      "Enter an NHS number with 10 digits",
		ErrChecksum:    "This is not a valid NHS number: check the digits",
		ErrAlreadyUsed: "This NHS number is already registered for another child",
	}
	for err, msg := range want {
		if err.Error() != msg {
			t.Errorf("got %q, want %q", err.Error(), msg)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		first9 string
		want   int
		ok     bool
	}{
		{"943476591", 9, true},
		{"485777345", 7, true},
		{"944931061", 0, true},  // 11 − 0 = 11 → 0
		{"123456789", 0, false}, // sum 210, 11 − 1 = 10
		{"401000004", 0, false},
		{"999000000", 0, false},
		{"94347659", 0, false},   // too short
		{"9434765910", 0, false}, // too long
		{"94347659x", 0, false},
	}
	for _, tt := range tests {
		got, ok := CheckDigit(tt.first9)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CheckDigit(%q) = %d, %v; want %d, %v", tt.first9, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalise(t *testing.T) {
	tests := map[string]string{
		"943 476 5919":            "9434765919",
		"943-476-5919":            "9434765919",
		" 943\u2009476\u20095919": "9434765919", // thin spaces
		"943\u2011476\u20115919":  "9434765919", // non-breaking hyphens
		"943A476":                 "943A476",    // kept, for Validate to report
		"":                        "",
	}
	for in, want := range tests {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := map[string]string{
		"4857773456":    "485 777 3456",
		"485-777-3456":  "485 777 3456",
		"485 777 3456":  "485 777 3456",
		"485777345":     "485777345",  // wrong length: unchanged
		"48577734AB":    "48577734AB", // not digits: unchanged
		"":              "",
		"485 777 34567": "485 777 34567",
	}
	for in, want := range tests {
		if got := Format(in); got != want {
			t.Errorf("Format(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGenerate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for range 2000 {
		n := Generate(r)
		if _, err := Validate(n); err != nil {
			t.Fatalf("Generate made %q: %v", n, err)
		}
		if !checksumHolds(n) || !IsTestNumber(n) {
			t.Fatalf("Generate made %q, outside the 999 test range or failing the checksum", n)
		}
		seen[n] = true
	}
	if len(seen) < 1900 {
		t.Errorf("only %d distinct numbers in 2000 draws", len(seen))
	}

	// The same seed gives the same demo data.
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	for range 10 {
		if x, y := Generate(a), Generate(b); x != y {
			t.Fatalf("same seed gave %q and %q", x, y)
		}
	}
}

func TestIsTestNumber(t *testing.T) {
	tests := map[string]bool{
		"999 000 0018": true, // 999000001 has check digit 8
		"9434765919":   false,
		"9990000019":   false, // right prefix, wrong check digit
		"":             false,
	}
	for in, want := range tests {
		if got := IsTestNumber(in); got != want {
			t.Errorf("IsTestNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"9434765919", "943 476 5919", "485-777-3456", "", "0", "４", "9999999999", "\xff\xfe", "4010000040"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Validate(s)
		if err != nil {
			if n != "" {
				t.Fatalf("Validate(%q) returned %q with error %v", s, n, err)
			}
			return
		}
		if !checksumHolds(n) {
			t.Fatalf("Validate(%q) accepted %q, which fails the checksum", s, n)
		}
		if again, err := Validate(n); err != nil || again != n {
			t.Fatalf("Validate is not idempotent on %q: %q, %v", n, again, err)
		}
		if again, err := Validate(Format(n)); err != nil || again != n {
			t.Fatalf("Validate(Format(%q)) = %q, %v", n, again, err)
		}
	})
}
