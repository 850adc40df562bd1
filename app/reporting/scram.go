package reporting

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// scramIterations is PostgreSQL's default for SCRAM-SHA-256 verifiers.
const scramIterations = 4096

// scramVerifier is the SCRAM-SHA-256 verifier PostgreSQL stores for
// password with salt (RFC 5802, 7677): what `CREATE ROLE … PASSWORD`
// accepts already hashed, so the password itself never reaches the server
// (nor its statement log). password must be printable ASCII, which
// SASLprep leaves as it is.
func scramVerifier(password string, salt []byte) (string, error) {
	salted, err := pbkdf2.Key(sha256.New, password, salt, scramIterations, sha256.Size)
	if err != nil {
		return "", err
	}
	clientKey := scramMAC(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", scramIterations, b64(salt), b64(stored[:]), b64(scramMAC(salted, "Server Key"))), nil
}

func scramMAC(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// CheckPassword refuses a reporting role password that is short or not
// printable ASCII (the verifier is made here, without SASLprep).
func CheckPassword(p string) error {
	if len(p) < 16 {
		return errors.New("the password must be at least 16 characters")
	}
	for _, r := range p {
		if r < 0x21 || r > 0x7e {
			return errors.New("the password must be printable ASCII characters without spaces")
		}
	}
	return nil
}

func newSalt() []byte {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // never fails (crypto/rand)
	return salt
}
