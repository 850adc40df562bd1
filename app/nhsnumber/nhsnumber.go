// Package nhsnumber normalises, validates, formats and generates NHS numbers
// following epilepsy12.md §4.2: ten digits whose last digit is a modulus 11
// check digit. No range check is made, so Scottish CHI and Northern Ireland
// H&C numbers pass too, as they do in Epilepsy12.
//
// Uniqueness (§4.2 "must be unique among cases") needs the database, so it is
// the store's job; ErrAlreadyUsed gives it a message to return.
package nhsnumber

import (
	"errors"
	"math/rand/v2"
	"strings"
	"unicode"
)

// Length is the number of digits in an NHS number.
const Length = 10

// Errors returned by Validate. Their text is shown to clinicians as it is,
// so it is written as a sentence in the GOV.UK style rather than Go style.
var (
	ErrMissing  = errors.New("Enter an NHS number")
	ErrNotDigit = errors.New("NHS number must only include numbers")
	ErrLength   = errors.New("Enter an NHS number with 10 digits")
	ErrChecksum = errors.New("This is not a valid NHS number: check the digits")

	// ErrAlreadyUsed is for the store's uniqueness check (§4.2): the number
	// belongs to another child already.
	ErrAlreadyUsed = errors.New("This NHS number is already registered for another child")
)

// Normalise removes the separators people type or paste into an NHS number:
// spaces of any kind (the input mask shows "000 000 0000", and letters and
// spreadsheets bring non-breaking spaces) and dashes ("485-777-3456").
// Anything else is kept, so Validate can say what is wrong with it.
func Normalise(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return r
	}, s)
}

// Validate normalises s and checks it is a valid NHS number, returning the
// ten digits to store. The error is one of the Err values above.
func Validate(s string) (string, error) {
	n := Normalise(s)
	if n == "" {
		return "", ErrMissing
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return "", ErrNotDigit
		}
	}
	if len(n) != Length {
		return "", ErrLength
	}
	check, ok := CheckDigit(n[:Length-1])
	if !ok || int(n[Length-1]-'0') != check {
		return "", ErrChecksum
	}
	return n, nil
}

// IsValid reports whether s is a valid NHS number after normalising.
func IsValid(s string) bool {
	_, err := Validate(s)
	return err == nil
}

// CheckDigit returns the modulus 11 check digit for the first nine digits of
// an NHS number (§4.2): weight the digits 10, 9, … 2, sum, and subtract the
// remainder mod 11 from 11; 11 becomes 0. ok is false when the result is 10,
// which no valid number can have, or when first9 is not nine ASCII digits.
func CheckDigit(first9 string) (digit int, ok bool) {
	if len(first9) != Length-1 {
		return 0, false
	}
	sum := 0
	for i := 0; i < len(first9); i++ {
		c := first9[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * (Length - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return check, true
}

// Format groups a number as NHS staff read it: "485 777 3456". Input that
// does not normalise to ten digits is returned unchanged, so a bad stored
// value is still shown as it is rather than hidden.
func Format(s string) string {
	n := Normalise(s)
	if len(n) != Length {
		return s
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return s
		}
	}
	return n[:3] + " " + n[3:6] + " " + n[6:]
}

// TestPrefix starts every number Generate makes. NHS numbers beginning with 9
// are never issued to patients (they are kept for synthetic and test
// records), and NHS England's test data uses the 999 block, so demo data made
// with Generate can never be mistaken for a real child.
const TestPrefix = "999"

// Generate returns a valid NHS number in the 999 test range for demo and
// test data, drawn from r so that seeded demo data is reproducible.
func Generate(r *rand.Rand) string {
	for {
		b := []byte(TestPrefix)
		for len(b) < Length-1 {
			b = append(b, byte('0'+r.IntN(10)))
		}
		// About 1 in 11 prefixes has check digit 10 and no valid number.
		if check, ok := CheckDigit(string(b)); ok {
			return string(append(b, byte('0'+check)))
		}
	}
}

// IsTestNumber reports whether s normalises to a number in the test range
// that Generate uses, so demo data can be told apart from real data.
func IsTestNumber(s string) bool {
	n, err := Validate(s)
	return err == nil && strings.HasPrefix(n, TestPrefix)
}
