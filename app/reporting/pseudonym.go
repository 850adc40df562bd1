package reporting

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// PseudonymLength is how many hex characters of the HMAC a pseudonym
// keeps: 64 bits, no collision to expect below billions of people.
const PseudonymLength = 16

// MinKeyLength is the shortest key accepted (characters).
const MinKeyLength = 32

// Pseudonym is the stable pseudonym of the person of kind with internal id
// id: HMAC-SHA256 over "kind:id" under key, hex, cut to PseudonymLength.
// PostgreSQL's reporting.pseudonym computes the same from the key's pads
// (Pads); a test holds the two equal.
func Pseudonym(key []byte, kind string, id int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + ":" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(m.Sum(nil))[:PseudonymLength]
}

// Pads are HMAC's inner and outer keys (RFC 2104): the key, hashed when
// longer than SHA-256's 64-byte block, zero-padded, XORed with 0x36 and
// 0x5c. PostgreSQL has sha256() but no HMAC; with the pads stored,
// HMAC = sha256(opad || sha256(ipad || message)).
func Pads(key []byte) (ipad, opad []byte) {
	if len(key) > sha256.BlockSize {
		h := sha256.Sum256(key)
		key = h[:]
	}
	ipad, opad = make([]byte, sha256.BlockSize), make([]byte, sha256.BlockSize)
	copy(ipad, key)
	copy(opad, key)
	for i := range ipad {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	return ipad, opad
}
