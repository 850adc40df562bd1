package password

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The PHC string format, as written by the Argon2 reference implementation:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in standard base64 without padding.
const phcAlgorithm = "argon2id"

var phcBase64 = base64.RawStdEncoding.Strict()

func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s",
		phcAlgorithm, argon2.Version, p.Memory, p.Time, p.Threads,
		phcBase64.EncodeToString(salt), phcBase64.EncodeToString(key))
}

// decodePHC parses a PHC string strictly: anything the encoder would not
// have written is an error, so a corrupted column is noticed rather than
// half-read. The parameters it returns are within the bounds of validate.
func decodePHC(s string) (p Params, salt, key []byte, err error) {
	fail := func(why string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("want 5 fields separated by $")
	}
	if parts[1] != phcAlgorithm {
		return fail(fmt.Sprintf("algorithm %q is not %s", parts[1], phcAlgorithm))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail(fmt.Sprintf("version %q is not v=%d", parts[2], argon2.Version))
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return fail("want parameters m=,t=,p=")
	}
	var values [3]uint64
	for i, name := range [3]string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return fail(fmt.Sprintf("parameter %d is not %s=", i+1, name))
		}
		values[i], err = parseDecimal(v)
		if err != nil {
			return fail(fmt.Sprintf("parameter %s: %v", name, err))
		}
	}
	if values[0] > maxMemory || values[1] > maxTime || values[2] > maxThreads {
		return fail("parameters out of range")
	}

	if salt, err = phcBase64.DecodeString(parts[4]); err != nil {
		return fail("salt is not unpadded base64")
	}
	if key, err = phcBase64.DecodeString(parts[5]); err != nil {
		return fail("hash is not unpadded base64")
	}

	p = Params{
		Memory:  uint32(values[0]),
		Time:    uint32(values[1]),
		Threads: uint8(values[2]),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	if err := p.validate(); err != nil {
		return fail(strings.TrimPrefix(err.Error(), "password: "))
	}
	return p, salt, key, nil
}

// parseDecimal accepts only canonical decimal numbers: no sign, no leading
// zeros, at most 10 digits.
func parseDecimal(s string) (uint64, error) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("%q is not a canonical number", s)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a canonical number", s)
		}
	}
	return strconv.ParseUint(s, 10, 64)
}
