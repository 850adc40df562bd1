// Package secret makes the random values the sign-in flows hand out (session
// and link tokens, emailed one-time codes, backup codes) and the hashes that
// are stored in their place. Only hashes are stored, so a copy of the
// database cannot be used to sign in.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"unicode"
)

// TokenBytes is the randomness in a token: 256 bits, well above the 128
// bits ASVS 7.2.3 asks of session tokens.
const TokenBytes = 32

// NewToken returns a random token to give out (URL-safe base64, 43
// characters, fit for a link or cookie) and the SHA-256 hash to store.
// A plain hash is enough: the token is too random to guess from its hash.
func NewToken() (plain string, hash []byte) {
	b := make([]byte, TokenBytes)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken is the stored form of a token: SHA-256 of its text.
func HashToken(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// maxCodeDigits keeps 10^digits within int64.
const maxCodeDigits = 18

// NewNumericCode returns a uniformly random code of exactly digits decimal
// digits, leading zeros kept ("004917"), for one-time codes sent by email.
func NewNumericCode(digits int) (string, error) {
	if digits < 1 || digits > maxCodeDigits {
		return "", fmt.Errorf("secret: numeric code length %d is out of range 1..%d", digits, maxCodeDigits)
	}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, limit) // rejection sampling: no modulo bias
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", digits, n), nil
}

// BackupAlphabet has lower-case letters and digits without the look-alikes
// 0/o, 1/l/i, so a code copied from paper is read back correctly.
const BackupAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// Backup codes are two groups of four, "k7q2-m9xp": about 40 bits each.
const (
	backupGroup  = 4
	backupGroups = 2
	maxBackups   = 100
)

// NewBackupCodes returns n distinct backup codes such as "k7q2-m9xp". Show
// them once; store HashCode of each and delete each when used.
func NewBackupCodes(n int) ([]string, error) {
	if n < 1 || n > maxBackups {
		return nil, fmt.Errorf("secret: backup code count %d is out of range 1..%d", n, maxBackups)
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c, err := newBackupCode()
		if err != nil {
			return nil, err
		}
		if !seen[c] { // a repeat is vanishingly rare, but each must be distinct
			seen[c] = true
			codes = append(codes, c)
		}
	}
	return codes, nil
}

func newBackupCode() (string, error) {
	limit := big.NewInt(int64(len(BackupAlphabet)))
	var b strings.Builder
	for g := range backupGroups {
		if g > 0 {
			b.WriteByte('-')
		}
		for range backupGroup {
			i, err := rand.Int(rand.Reader, limit)
			if err != nil {
				return "", err
			}
			b.WriteByte(BackupAlphabet[i.Int64()])
		}
	}
	return b.String(), nil
}

// NormaliseCode is what people mean by a code they type: case, spaces and
// hyphens (of any kind) do not matter. "K7Q2 M9XP" and "k7q2-m9xp" agree.
func NormaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
}

// HashCode is the stored form of a backup or one-time code: SHA-256 of
// NormaliseCode(code).
func HashCode(code string) []byte {
	sum := sha256.Sum256([]byte(NormaliseCode(code)))
	return sum[:]
}

// Equal compares two hashes in constant time, so how long a comparison
// takes says nothing about how much of a hash matched. Empty values never
// match, so a missing stored hash fails closed.
func Equal(a, b []byte) bool {
	return len(a) > 0 && subtle.ConstantTimeCompare(a, b) == 1
}
