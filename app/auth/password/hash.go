// Package password hashes and checks passwords (Argon2id, stored as PHC
// strings) and applies the password policy of decisions.md: minimum lengths,
// optional composition rules, a bundled common-password list, no personal
// details, and optional expiry. See docs/passwords.md.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are the Argon2id cost parameters and sizes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's second Argon2id row (m=19 MiB, t=2, p=1) with a
// 16-byte salt and 32-byte key: the cheapest memory of the rows whose
// strength OWASP rates equal, which matters on 2-core machines.
func DefaultParams() Params {
	return Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Bounds on parameters, both for configuration and for hashes read back
// from the database: a corrupted or hostile PHC string must not be able to
// ask for gigabytes of memory or hours of work.
const (
	maxMemory  = 256 << 10 // KiB (256 MiB, over 5 times OWASP's largest row)
	maxTime    = 64
	maxThreads = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128

	// OWASP's table trades memory for passes; every row has memory of at
	// least 7 MiB and memory×passes of at least 35 840 KiB (7168×5).
	owaspMinMemory     = 7168
	owaspMinMemoryTime = 7168 * 5
)

// MaxPasswordBytes caps what is hashed. The policy allows 128 characters,
// which is at most 512 bytes of UTF-8; anything longer is not a password
// anyone set here, so it is refused before any work is done.
const MaxPasswordBytes = 1024

// Errors returned by the Hasher.
var (
	ErrMalformedHash = errors.New("password: malformed PHC hash string")
	ErrWeakParams    = errors.New("password: Argon2id parameters are below the OWASP minimum")
	ErrTooLong       = errors.New("password: password is too long to hash")
)

func (p Params) validate() error {
	switch {
	case p.Memory == 0 || p.Memory > maxMemory:
		return fmt.Errorf("password: memory %d KiB is out of range 1..%d", p.Memory, maxMemory)
	case p.Time == 0 || p.Time > maxTime:
		return fmt.Errorf("password: time %d is out of range 1..%d", p.Time, maxTime)
	case p.Threads == 0 || p.Threads > maxThreads:
		return fmt.Errorf("password: threads %d is out of range 1..%d", p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads):
		// Argon2 needs 8 KiB per lane; x/crypto silently rounds up otherwise,
		// and then the stored m would not describe the hash.
		return fmt.Errorf("password: memory %d KiB is under 8 KiB per thread", p.Memory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("password: salt length %d is out of range %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("password: key length %d is out of range %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

func (p Params) meetsOWASP() bool {
	return p.Memory >= owaspMinMemory && uint64(p.Memory)*uint64(p.Time) >= owaspMinMemoryTime
}

// Hasher hashes and verifies passwords. At most maxConcurrent derivations
// run at once (each holds Params.Memory KiB), so a flood of sign-in attempts
// queues instead of exhausting memory. It is safe for concurrent use.
type Hasher struct {
	params Params
	sem    chan struct{}

	// Test hooks, nil in production: testHookWait runs when a caller finds
	// every slot taken and is about to wait; testHookDerive runs while a
	// caller holds a slot.
	testHookWait   func()
	testHookDerive func()
}

// NewHasher returns a Hasher for params. maxConcurrent < 1 means
// runtime.NumCPU(). Parameters weaker than OWASP's table are refused.
func NewHasher(params Params, maxConcurrent int) (*Hasher, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	if !params.meetsOWASP() {
		return nil, fmt.Errorf("%w: m=%d,t=%d", ErrWeakParams, params.Memory, params.Time)
	}
	return newHasher(params, maxConcurrent), nil
}

// newHasher skips the OWASP floor so tests can use cheap parameters.
func newHasher(params Params, maxConcurrent int) *Hasher {
	if maxConcurrent < 1 {
		maxConcurrent = runtime.NumCPU()
	}
	return &Hasher{params: params, sem: make(chan struct{}, maxConcurrent)}
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// MaxConcurrent returns how many derivations may run at once.
func (h *Hasher) MaxConcurrent() int { return cap(h.sem) }

// Hash returns a PHC string for password with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", ErrTooLong
	}
	salt := make([]byte, h.params.SaltLen)
	rand.Read(salt) // never fails (crypto/rand, Go 1.24+)
	key, err := h.derive(ctx, password, salt, h.params)
	if err != nil {
		return "", err
	}
	return encodePHC(h.params, salt, key), nil
}

// Verify reports whether password matches the PHC string phc. needsRehash
// is true when the password matched but phc was made with parameters other
// than the Hasher's: the caller should then store a fresh Hash. err is set
// for a malformed phc or a cancelled ctx, never for a wrong password.
func (h *Hasher) Verify(ctx context.Context, phc, password string) (ok, needsRehash bool, err error) {
	stored, salt, want, err := decodePHC(phc)
	if err != nil {
		return false, false, err
	}
	if len(password) > MaxPasswordBytes {
		return false, false, nil
	}
	got, err := h.derive(ctx, password, salt, stored)
	if err != nil {
		return false, false, err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, stored != h.params, nil
}

// DummyVerify does the work of a Verify at the Hasher's parameters and
// throws the answer away. Call it when the email is unknown (or the account
// has no password yet) so the response takes as long as for a real account.
// The error is only ever the ctx's.
func (h *Hasher) DummyVerify(ctx context.Context) error {
	salt := make([]byte, h.params.SaltLen)
	rand.Read(salt)
	got, err := h.derive(ctx, "dummy password", salt, h.params)
	if err != nil {
		return err
	}
	subtle.ConstantTimeCompare(got, make([]byte, len(got)))
	return nil
}

// derive runs Argon2id once a concurrency slot is free, giving up if ctx
// ends first. The password is NFKC-normalised so that the same characters
// typed on different keyboards (composed or decomposed accents) match.
func (h *Hasher) derive(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-h.sem }()
	if h.testHookDerive != nil {
		h.testHookDerive()
	}
	pw := []byte(norm.NFKC.String(password))
	return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen), nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	// A done ctx wins even when a slot is free, so cancelled requests do no work.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	default:
	}
	if h.testHookWait != nil {
		h.testHookWait()
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
