package password

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// cheapParams keep tests fast; they are below the OWASP floor, so only the
// unexported newHasher accepts them.
var cheapParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestDefaultHashIsPHC(t *testing.T) {
	h, err := NewHasher(DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.MaxConcurrent() < 1 {
		t.Fatalf("MaxConcurrent = %d, want NumCPU", h.MaxConcurrent())
	}
	phc, err := h.Hash(t.Context(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(phc, prefix) {
		t.Fatalf("hash %q does not start with %q", phc, prefix)
	}
	fields := strings.Split(phc, "$")
	if len(fields[4]) != 22 || len(fields[5]) != 43 {
		t.Errorf("salt %q and key %q should be 16 and 32 bytes in unpadded base64", fields[4], fields[5])
	}
	ok, rehash, err := h.Verify(t.Context(), phc, "correct horse battery staple")
	if !ok || rehash || err != nil {
		t.Fatalf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

// TestReferenceVector checks interoperability with the Argon2 reference
// CLI: echo -n "correct horse battery staple" |
// argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e
func TestReferenceVector(t *testing.T) {
	const ref = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$QKHrg5tayLGcN+Y0HVPNaBqykOVLUxlMkZycXE1uWRM"
	h, err := NewHasher(DefaultParams(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapler": false} {
		ok, rehash, err := h.Verify(t.Context(), ref, pw)
		if ok != want || rehash || err != nil {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v, false, nil", pw, ok, rehash, err, want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	h := newHasher(cheapParams, 2)
	for _, pw := range []string{"a", "Tr0ub4dor&3", "pass phrase with spaces", "пароль-Ünïcødé-密码", strings.Repeat("x", MaxPasswordBytes)} {
		phc, err := h.Hash(t.Context(), pw)
		if err != nil {
			t.Fatalf("Hash(%q): %v", pw, err)
		}
		if ok, _, err := h.Verify(t.Context(), phc, pw); !ok || err != nil {
			t.Errorf("Verify(right password %q) = %v, %v", pw, ok, err)
		}
		if ok, _, err := h.Verify(t.Context(), phc, pw+"!"); ok || err != nil {
			t.Errorf("Verify(wrong password for %q) = %v, %v; want false, nil", pw, ok, err)
		}
	}
}

func TestSaltsDiffer(t *testing.T) {
	h := newHasher(cheapParams, 1)
	a, _ := h.Hash(t.Context(), "same")
	b, _ := h.Hash(t.Context(), "same")
	if a == b {
		t.Fatal("two hashes of the same password are equal: salt is not random")
	}
}

func TestUnicodeNormalised(t *testing.T) {
	h := newHasher(cheapParams, 1)
	composed, decomposed := "caf\u00e9Zürich", "cafe\u0301Zu\u0308rich"
	phc, _ := h.Hash(t.Context(), composed)
	if ok, _, _ := h.Verify(t.Context(), phc, decomposed); !ok {
		t.Error("decomposed accents should verify against a hash of the composed form")
	}
}

func TestTooLong(t *testing.T) {
	h := newHasher(cheapParams, 1)
	long := strings.Repeat("x", MaxPasswordBytes+1)
	if _, err := h.Hash(t.Context(), long); !errors.Is(err, ErrTooLong) {
		t.Errorf("Hash(too long) error = %v, want ErrTooLong", err)
	}
	phc, _ := h.Hash(t.Context(), "short")
	if ok, _, err := h.Verify(t.Context(), phc, long); ok || err != nil {
		t.Errorf("Verify(too long) = %v, %v; want false, nil", ok, err)
	}
}

func TestTamperedHash(t *testing.T) {
	h := newHasher(cheapParams, 1)
	phc, _ := h.Hash(t.Context(), "secret password")
	fields := strings.Split(phc, "$")
	flip := func(s string) string { // change one base64 character, keep it valid
		c := byte('A')
		if s[0] == 'A' {
			c = 'B'
		}
		return string(c) + s[1:]
	}
	tampered := map[string]string{
		"salt": strings.Join(append(fields[:4:4], flip(fields[4]), fields[5]), "$"),
		"key":  strings.Join(append(fields[:5:5], flip(fields[5])), "$"),
		"time": strings.Replace(phc, "t=1", "t=2", 1),
	}
	for name, bad := range tampered {
		ok, _, err := h.Verify(t.Context(), bad, "secret password")
		if ok || err != nil {
			t.Errorf("tampered %s: Verify = %v, %v; want false, nil", name, ok, err)
		}
	}
}

func TestMalformedHash(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "QKHrg5tayLGcN+Y0HVPNaBqykOVLUxlMkZycXE1uWRM"
	tests := []struct{ name, phc string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"django pbkdf2", "pbkdf2_sha256$600000$salt$hash"},
		{"argon2i", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key},
		{"no leading $", "argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key},
		{"missing version", "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key},
		{"extra field", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "$"},
		{"params out of order", "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key},
		{"missing param", "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key},
		{"non-numeric param", "$argon2id$v=19$m=lots,t=2,p=1$" + salt + "$" + key},
		{"negative param", "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key},
		{"zero time", "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key},
		{"zero threads", "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key},
		{"huge memory", "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key},
		{"huge time", "$argon2id$v=19$m=19456,t=4000000000,p=1$" + salt + "$" + key},
		{"overflowing param", "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + key},
		{"memory under 8 KiB per lane", "$argon2id$v=19$m=16,t=2,p=4$" + salt + "$" + key},
		{"padded salt", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key},
		{"bad base64 salt", "$argon2id$v=19$m=19456,t=2,p=1$!!!!$" + key},
		{"empty salt", "$argon2id$v=19$m=19456,t=2,p=1$$" + key},
		{"short salt", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + key},
		{"empty key", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$"},
		{"short key", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$QKHrg5tayLGc"},
		{"url-safe base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.ReplaceAll(key, "+", "-")},
	}
	h := newHasher(cheapParams, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify(t.Context(), tt.phc, "correct horse battery staple")
			if ok || rehash || !errors.Is(err, ErrMalformedHash) {
				t.Errorf("Verify = %v, %v, %v; want false, false, ErrMalformedHash", ok, rehash, err)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	old := newHasher(cheapParams, 1)
	phc, _ := old.Hash(t.Context(), "pw")
	changes := map[string]func(*Params){
		"memory":  func(p *Params) { p.Memory *= 2 },
		"time":    func(p *Params) { p.Time++ },
		"threads": func(p *Params) { p.Threads, p.Memory = 2, 64 },
		"salt":    func(p *Params) { p.SaltLen = 32 },
		"key":     func(p *Params) { p.KeyLen = 64 },
	}
	for name, change := range changes {
		p := cheapParams
		change(&p)
		ok, rehash, err := newHasher(p, 1).Verify(t.Context(), phc, "pw")
		if !ok || !rehash || err != nil {
			t.Errorf("%s changed: Verify = %v, %v, %v; want true, true, nil", name, ok, rehash, err)
		}
	}
	// A wrong password never asks for a rehash.
	p := cheapParams
	p.Time++
	if ok, rehash, _ := newHasher(p, 1).Verify(t.Context(), phc, "wrong"); ok || rehash {
		t.Errorf("wrong password: ok=%v rehash=%v", ok, rehash)
	}
}

func TestNewHasherParams(t *testing.T) {
	valid := []Params{
		DefaultParams(),
		{Memory: 47104, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, // OWASP row 1
		{Memory: 7168, Time: 5, Threads: 1, SaltLen: 16, KeyLen: 32},  // OWASP row 5
	}
	for _, p := range valid {
		if _, err := NewHasher(p, 1); err != nil {
			t.Errorf("NewHasher(%+v): %v", p, err)
		}
	}
	weak := []Params{
		cheapParams,
		{Memory: 19456, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 4096, Time: 20, Threads: 1, SaltLen: 16, KeyLen: 32},
	}
	for _, p := range weak {
		if _, err := NewHasher(p, 1); !errors.Is(err, ErrWeakParams) {
			t.Errorf("NewHasher(%+v) error = %v, want ErrWeakParams", p, err)
		}
	}
	invalid := []Params{
		{},
		{Memory: 19456, Time: 2, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 8},
		{Memory: 2 << 20, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 19456, Time: 2, Threads: 0, SaltLen: 16, KeyLen: 32},
	}
	for _, p := range invalid {
		if _, err := NewHasher(p, 1); err == nil {
			t.Errorf("NewHasher(%+v) accepted invalid parameters", p)
		}
	}
}

// TestConcurrencyBound holds both slots of a two-slot Hasher inside the
// derivation, checks that the other callers are turned away to wait, then
// lets everyone through and checks no more than two were ever inside.
func TestConcurrencyBound(t *testing.T) {
	const slots, callers = 2, 8
	h := newHasher(cheapParams, slots)
	var inside, most atomic.Int32
	entered := make(chan struct{}, callers)
	waiting := make(chan struct{}, callers)
	release := make(chan struct{})
	h.testHookWait = func() { waiting <- struct{}{} }
	h.testHookDerive = func() {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		entered <- struct{}{}
		<-release
		inside.Add(-1)
	}

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			_, err := h.Hash(context.Background(), "pw")
			errs <- err
		})
	}
	// Every caller either gets in or finds the slots full; the select means
	// a broken bound fails here instead of hanging.
	in, out := 0, 0
	for in+out < callers {
		select {
		case <-entered:
			in++
		case <-waiting:
			out++
		}
	}
	if in != slots || out != callers-slots {
		t.Errorf("%d callers got in and %d waited, want %d and %d", in, out, slots, callers-slots)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Hash: %v", err)
		}
	}
	if m := most.Load(); m != slots {
		t.Errorf("at most %d derivations ran at once, want exactly %d", m, slots)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	h := newHasher(cheapParams, 1)
	entered, waiting, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	h.testHookWait = func() { close(waiting) }
	h.testHookDerive = func() { close(entered); <-release }

	holder := make(chan error)
	go func() { _, err := h.Hash(context.Background(), "pw"); holder <- err }()
	<-entered
	h.testHookDerive = nil // set before the waiter can reach it

	ctx, cancel := context.WithCancel(context.Background())
	waiter := make(chan error)
	go func() {
		_, _, err := h.Verify(ctx, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$QKHrg5tayLGcN+Y0HVPNaBqykOVLUxlMkZycXE1uWRM", "pw")
		waiter <- err
	}()
	select {
	case <-waiting:
	case err := <-waiter:
		t.Fatalf("Verify did not wait for the held slot (error %v)", err)
	}
	cancel()
	if err := <-waiter; !errors.Is(err, context.Canceled) {
		t.Errorf("Verify while waiting, cancelled: error = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-holder; err != nil {
		t.Errorf("holder Hash: %v", err)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	h := newHasher(cheapParams, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "pw"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash error = %v, want context.Canceled", err)
	}
	if err := h.DummyVerify(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("DummyVerify error = %v, want context.Canceled", err)
	}
}

func TestDummyVerifyUsesASlot(t *testing.T) {
	h := newHasher(cheapParams, 1)
	var derived atomic.Int32
	h.testHookDerive = func() { derived.Add(1) }
	if err := h.DummyVerify(t.Context()); err != nil {
		t.Fatal(err)
	}
	if derived.Load() != 1 {
		t.Errorf("DummyVerify ran %d derivations, want 1 (same work as Verify)", derived.Load())
	}
}
