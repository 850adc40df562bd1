// Package verification makes and checks the proof that a family who
// filled in the registry's onboarding form reads the email they gave: a
// link with a random token, and a 6-digit code to type for people who read
// their mail on another device. Only hashes are stored; each works once,
// until it expires; a code allows MaxCodeFailures wrong tries. Plain Go,
// no storage: app/registry keeps the hashes and the state.
package verification

import (
	"encoding/hex"
	"errors"
	"time"

	"clinaudit/app/auth/secret"
)

// CodeDigits is the typed code's length.
const CodeDigits = 6

// MaxCodeFailures is how many wrong codes a submission takes before its
// code stops working (the link still works): with 10^6 codes, five tries
// give a guesser one chance in 200 000.
const MaxCodeFailures = 5

// Errors of Check*: what a person is told differs (an expired link can be
// asked for again; a used one is already done).
var (
	ErrInvalid  = errors.New("verification: not a valid link or code")
	ErrExpired  = errors.New("verification: expired")
	ErrUsed     = errors.New("verification: already used")
	ErrTooMany  = errors.New("verification: too many wrong codes")
	errNoSecret = errors.New("verification: nothing stored")
)

// Issued is a new link token and code, to email, with the hashes to store.
type Issued struct {
	Token, Code         string // only in the email
	TokenHash, CodeHash string // stored
	ExpiresAt           time.Time
}

// Issue makes a token and a code for email, valid for ttl from now.
func Issue(email string, now time.Time, ttl time.Duration) (Issued, error) {
	code, err := secret.NewNumericCode(CodeDigits)
	if err != nil {
		return Issued{}, err
	}
	token, hash := secret.NewToken()
	return Issued{Token: token, Code: code, TokenHash: hex.EncodeToString(hash), CodeHash: CodeHash(email, code),
		ExpiresAt: now.Add(ttl)}, nil
}

// TokenHash is the stored form of a link token.
func TokenHash(token string) string { return hex.EncodeToString(secret.HashToken(token)) }

// CodeHash is the stored form of a code: keyed by the email it was sent
// to, so one table of the million codes' hashes does not read every row.
// (A 6-digit code cannot resist an offline search of a stolen database;
// expiry, single use and MaxCodeFailures are what protect it.)
func CodeHash(email, code string) string {
	return hex.EncodeToString(secret.HashToken("registry-onboarding:" + email + ":" + secret.NormaliseCode(code)))
}

// Stored is what is kept of an issued token and code.
type Stored struct {
	TokenHash, CodeHash string
	ExpiresAt           time.Time
	Verified            bool // used already
	CodeFailures        int64
}

// CheckToken checks a link's token against s at now.
func CheckToken(s Stored, token string, now time.Time) error {
	return check(s, s.TokenHash, TokenHash(token), now)
}

// CheckCode checks a code typed for email against s at now.
func CheckCode(s Stored, email, code string, now time.Time) error {
	if s.CodeFailures >= MaxCodeFailures {
		return ErrTooMany
	}
	return check(s, s.CodeHash, CodeHash(email, code), now)
}

// check compares in constant time first, so that whether a secret matched
// decides nothing about how long the comparison took; then says why a
// matching one no longer works.
func check(s Stored, stored, given string, now time.Time) error {
	if stored == "" {
		return errNoSecret
	}
	a, _ := hex.DecodeString(stored)
	b, _ := hex.DecodeString(given)
	switch {
	case !secret.Equal(a, b):
		return ErrInvalid
	case s.Verified:
		return ErrUsed
	case !now.Before(s.ExpiresAt):
		return ErrExpired
	}
	return nil
}
