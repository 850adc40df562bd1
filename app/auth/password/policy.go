package password

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Policy is the set of rules a new password must meet. It applies on every
// path that sets a password (invite, reset, change, admin set).
type Policy struct {
	// MinLength and MinLengthPrivileged are in characters (Unicode code
	// points after NFKC normalisation), not bytes. Privileged means national
	// staff, registry staff and superusers (auth.Privileged).
	MinLength           int
	MinLengthPrivileged int
	// MaxLength is generous so pass phrases and password managers fit;
	// nothing is ever truncated.
	MaxLength int
	// RequireComposition asks for a capital letter, a number and a symbol.
	// NCSC and OWASP ASVS 5.0 6.2.5 advise against it; it is on by default
	// only because the Epilepsy12 rules have it.
	RequireComposition bool
	// MaxAge is how long a password lasts before it must be changed; 0
	// means it never expires (what NCSC and ASVS 6.2.10 advise).
	MaxAge time.Duration
}

// DefaultPolicy is the Epilepsy12 rule set from decisions.md.
func DefaultPolicy() Policy {
	return Policy{
		MinLength:           10,
		MinLengthPrivileged: 16,
		MaxLength:           128,
		RequireComposition:  true,
		MaxAge:              90 * 24 * time.Hour,
	}
}

// UserContext is what the policy needs to know about the account, so a
// password built from the user's own name or email can be refused.
type UserContext struct {
	Email      string
	FirstName  string
	Surname    string
	Privileged bool // national or registry staff, or superuser: the longer minimum applies
}

// FailureCode identifies a broken rule; it is stable, for tests and logs.
type FailureCode string

// The rules, in the order Check reports them.
const (
	FailMissing    FailureCode = "missing"
	FailTooShort   FailureCode = "too_short"
	FailTooLong    FailureCode = "too_long"
	FailNoCapital  FailureCode = "no_capital"
	FailNoDigit    FailureCode = "no_digit"
	FailNoSymbol   FailureCode = "no_symbol"
	FailAllNumeric FailureCode = "all_numeric"
	FailCommon     FailureCode = "common"
	FailPersonal   FailureCode = "personal"
)

// Failure is one broken rule, with a message to show beside the field.
type Failure struct {
	Code    FailureCode
	Message string
}

func (f Failure) Error() string { return f.Message }

// symbolExamples are the symbols Epilepsy12 listed; any Unicode punctuation
// or symbol counts, these are only examples for the message.
const symbolExamples = "! £ $ % or &"

// Check returns every rule pw breaks, so the form can name each one; nil
// means pw is acceptable. An empty pw gives only FailMissing.
func (p Policy) Check(pw string, u UserContext) []Failure {
	if pw == "" {
		return []Failure{{FailMissing, "Enter a password"}}
	}
	pw = norm.NFKC.String(pw) // count and compare what will be hashed
	var fails []Failure
	add := func(code FailureCode, msg string) { fails = append(fails, Failure{code, msg}) }

	n := utf8.RuneCountInString(pw)
	if minimum := p.minLength(u.Privileged); n < minimum {
		add(FailTooShort, fmt.Sprintf("Your password must be at least %d characters long", minimum))
	}
	if p.MaxLength > 0 && n > p.MaxLength {
		add(FailTooLong, fmt.Sprintf("Your password must be %d characters or fewer", p.MaxLength))
	}

	if p.RequireComposition {
		var capital, digit, symbol bool
		for _, r := range pw {
			capital = capital || unicode.IsUpper(r)
			digit = digit || unicode.IsDigit(r)
			symbol = symbol || unicode.IsPunct(r) || unicode.IsSymbol(r)
		}
		if !capital {
			add(FailNoCapital, "Your password must contain a capital letter")
		}
		if !digit {
			add(FailNoDigit, "Your password must contain a number")
		}
		if !symbol {
			add(FailNoSymbol, "Your password must contain a symbol, such as "+symbolExamples)
		}
	}

	if allNumeric(pw) {
		add(FailAllNumeric, "Your password must not be only numbers")
	}
	if IsCommon(pw) {
		add(FailCommon, "This password is too common: choose one that is harder to guess")
	}
	if containsPersonal(pw, u) {
		add(FailPersonal, "Your password must not contain your name or email address")
	}
	return fails
}

func (p Policy) minLength(privileged bool) int {
	if privileged && p.MinLengthPrivileged > p.MinLength {
		return p.MinLengthPrivileged
	}
	return p.MinLength
}

// Rules describes the policy as sentences to show next to the password
// field, before the user has typed anything.
func (p Policy) Rules(privileged bool) []string {
	length := fmt.Sprintf("Use at least %d characters", p.minLength(privileged))
	if p.MaxLength > 0 {
		length += fmt.Sprintf(" (and no more than %d)", p.MaxLength)
	}
	rules := []string{length + "."}
	if p.RequireComposition {
		rules = append(rules, "Include a capital letter, a number and a symbol, such as "+symbolExamples+".")
	}
	rules = append(rules,
		"Do not use a common password, or a common password with numbers or symbols added.",
		"Do not include your name or the first part of your email address.",
		"Do not use only numbers.",
	)
	if p.MaxAge > 0 {
		rules = append(rules, fmt.Sprintf("You will need to change your password every %d days.", ceilDays(p.MaxAge)))
	}
	return rules
}

// Expired reports whether a password set at lastSet must be changed at
// now: lastSet + MaxAge ≤ now, as in Epilepsy12. A zero lastSet (never
// recorded) counts as expired. Always false when MaxAge is 0.
func (p Policy) Expired(lastSet, now time.Time) bool {
	if p.MaxAge <= 0 {
		return false
	}
	return !now.Before(lastSet.Add(p.MaxAge))
}

// DaysRemaining is the "You have N days remaining" figure: MaxAge less
// the whole days since lastSet, never below 0. expires is false (and days
// 0) when MaxAge is 0, so the message should not be shown.
func (p Policy) DaysRemaining(lastSet, now time.Time) (days int, expires bool) {
	if p.MaxAge <= 0 {
		return 0, false
	}
	left := lastSet.Add(p.MaxAge).Sub(now)
	if left <= 0 {
		return 0, true
	}
	return ceilDays(left), true
}

func ceilDays(d time.Duration) int {
	const day = 24 * time.Hour
	return int((d + day - 1) / day)
}

// allNumeric is true when pw is digits, perhaps with spaces between them.
func allNumeric(pw string) bool {
	digits := false
	for _, r := range pw {
		switch {
		case unicode.IsDigit(r):
			digits = true
		case !unicode.IsSpace(r):
			return false
		}
	}
	return digits
}

// containsPersonal reports whether pw contains, ignoring case, the email's
// local part, or any word of 3 or more characters from the local part, the
// first name or the surname ("jane.smith" gives "jane.smith", "jane" and
// "smith"). Shorter words are skipped: they appear inside too many
// unrelated passwords.
func containsPersonal(pw string, u UserContext) bool {
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(u.Email, "@")
	candidates := []string{local}
	for _, field := range []string{local, u.FirstName, u.Surname} {
		candidates = append(candidates, strings.FieldsFunc(field, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	for _, c := range candidates {
		c = strings.ToLower(norm.NFKC.String(strings.TrimSpace(c)))
		if utf8.RuneCountInString(c) >= 3 && strings.Contains(lower, c) {
			return true
		}
	}
	return false
}
