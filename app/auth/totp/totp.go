// Package totp implements RFC 6238 time-based one-time passwords as
// authenticator apps use them: HMAC-SHA1, 30-second steps, 6 digits. It also
// makes the otpauth:// enrolment URI and its QR code.
//
// Replay protection needs storage, so it is the caller's job: keep the last
// accepted step per user and refuse a code whose step is not later
// (VerifyAfter does the comparison).
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"rsc.io/qr"
)

const (
	// Digits, Period and the algorithm (SHA-1) are fixed: they are the only
	// values every authenticator app supports.
	Digits = 6
	Period = 30 * time.Second
	// DefaultSkew accepts the previous and next code too, for phone clocks
	// that drift and for codes typed as they change.
	DefaultSkew = 1
	// SecretBytes is the 160-bit key length RFC 4226 recommends.
	SecretBytes = 20
	// maxSkew stops a mistaken configuration from accepting hours of codes.
	maxSkew = 10
)

// ErrInvalidSecret is returned for a secret that is not base32.
var ErrInvalidSecret = errors.New("totp: secret is not valid base32")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random 160-bit secret in unpadded base32, the
// form authenticator apps and otpauth URIs use. Store it as a secret (never
// export or log it).
func NewSecret() (string, error) {
	key := make([]byte, SecretBytes)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return b32.EncodeToString(key), nil
}

// decodeSecret accepts the secret in any case, with spaces or padding, as it
// may come back from FormatSecret or another system.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.Map(dropSpace, secret))
	s = strings.TrimRight(s, "=")
	key, err := b32.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, ErrInvalidSecret
	}
	return key, nil
}

// Step is the RFC 6238 time step T for t: whole periods since the Unix
// epoch.
func Step(t time.Time) int64 {
	return t.Unix() / int64(Period/time.Second)
}

// Code returns the code for secret at time t.
func Code(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return codeAt(key, Step(t)), nil
}

// codeAt is HOTP (RFC 4226 §5.3) with the step as the counter.
func codeAt(key []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", Digits, bin%1_000_000)
}

// Verify reports whether code is valid for secret at time t, allowing skew
// steps either side (use DefaultSkew; negative counts as 0, more than 10 as
// 10). step is the time step that matched, for replay protection; it is 0
// when ok is false.
//
// The code may have spaces anywhere ("123 456", as apps show it) and
// around it; otherwise it must be exactly 6 ASCII digits. A bad secret
// verifies nothing.
func Verify(secret, code string, t time.Time, skew int) (ok bool, step int64) {
	return VerifyAfter(secret, code, t, skew, -1)
}

// VerifyAfter is Verify that only accepts steps later than lastUsed, the
// step the user's previous code matched: a code cannot be used twice, nor
// can an older code be used after a newer one (RFC 6238 §5.2). Pass -1 when
// the user has never used a code.
func VerifyAfter(secret, code string, t time.Time, skew int, lastUsed int64) (ok bool, step int64) {
	code = strings.Map(dropSpace, code)
	if !wellFormed(code) {
		return false, 0
	}
	key, err := decodeSecret(secret)
	if err != nil {
		return false, 0
	}
	skew = min(max(skew, 0), maxSkew)
	now := Step(t)
	// Check every step in the window, not stopping at a match, so the time
	// taken does not say which step matched.
	for s := now - int64(skew); s <= now+int64(skew); s++ {
		if s < 0 || s <= lastUsed {
			continue
		}
		match := subtle.ConstantTimeCompare([]byte(codeAt(key, s)), []byte(code)) == 1
		if match && !ok {
			ok, step = true, s
		}
	}
	return ok, step
}

func wellFormed(code string) bool {
	if len(code) != Digits {
		return false
	}
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

// URI returns the otpauth:// URI that authenticator apps read from the QR
// code, in the Google Authenticator key-URI format: the label is
// "issuer:account", and issuer is repeated as a parameter. Both are
// percent-escaped (spaces as %20, which every app reads; '+' is not).
func URI(issuer, account, secret string) string {
	label := escape(issuer) + ":" + escape(account)
	return "otpauth://totp/" + label +
		"?secret=" + escape(strings.ToUpper(strings.Map(dropSpace, secret))) +
		"&issuer=" + escape(issuer) +
		"&algorithm=SHA1" +
		fmt.Sprintf("&digits=%d&period=%d", Digits, int(Period/time.Second))
}

// escape percent-encodes everything but unreserved characters (RFC 3986),
// so ':' in a name cannot split the label and '&' cannot end a parameter.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// QRCodePNG renders uri as a QR code PNG (medium error correction, 8 pixels
// a module, with the standard quiet zone) to show on the enrolment page.
func QRCodePNG(uri string) ([]byte, error) {
	if uri == "" {
		return nil, errors.New("totp: empty URI for QR code")
	}
	code, err := qr.Encode(uri, qr.M)
	if err != nil {
		return nil, fmt.Errorf("totp: QR code: %w", err)
	}
	return code.PNG(), nil
}

// FormatSecret groups the secret in blocks of four ("JBSW Y3DP EHPK 3PXP")
// for people who type it into their app instead of scanning the QR code.
func FormatSecret(secret string) string {
	s := strings.ToUpper(strings.Map(dropSpace, secret))
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}
