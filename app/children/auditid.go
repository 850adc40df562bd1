package children

import (
	"crypto/rand"
	"strings"
	"unicode"
)

// Audit IDs name a child in the audit without saying anything about them:
// "C" and 7 random characters of Crockford's base32 alphabet, for example
// "C7K2M9QX". The alphabet has no I, L, O or U, so an ID read aloud or
// copied by hand cannot be mistaken (and NormaliseAuditID reads I and L as
// 1 and O as 0). 32^7 is about 34 billion IDs; a clash with an existing
// child is retried.
const (
	AuditIDPrefix   = "C"
	AuditIDLength   = 8
	auditIDAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// NewAuditID returns a random audit ID.
func NewAuditID() string {
	b := make([]byte, AuditIDLength-1)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	out := []byte(AuditIDPrefix)
	for _, x := range b {
		out = append(out, auditIDAlphabet[int(x)%len(auditIDAlphabet)]) // 256 is a multiple of 32: no bias
	}
	return string(out)
}

// NormaliseAuditID reads what a user typed as (the start of) an audit ID:
// upper-case, separators removed, I and L as 1, O as 0. ok is false when it
// cannot be one: it does not start with C or holds characters outside the
// alphabet, or is longer than an ID.
func NormaliseAuditID(s string) (id string, ok bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	if !strings.HasPrefix(s, AuditIDPrefix) || len(s) > AuditIDLength {
		return "", false
	}
	out := []byte(AuditIDPrefix)
	for i := len(AuditIDPrefix); i < len(s); i++ {
		c := s[i]
		switch c {
		case 'I', 'L':
			c = '1'
		case 'O':
			c = '0'
		}
		if strings.IndexByte(auditIDAlphabet, c) < 0 {
			return "", false
		}
		out = append(out, c)
	}
	return string(out), true
}

// IsAuditID reports whether s is a complete audit ID as stored.
func IsAuditID(s string) bool {
	n, ok := NormaliseAuditID(s)
	return ok && n == s && len(s) == AuditIDLength
}
