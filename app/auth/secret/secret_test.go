package secret

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		plain, hash := NewToken()
		raw, err := base64.RawURLEncoding.DecodeString(plain)
		if err != nil || len(raw) != TokenBytes || len(plain) != 43 {
			t.Fatalf("token %q: %d bytes, %v", plain, len(raw), err)
		}
		if !bytes.Equal(hash, HashToken(plain)) {
			t.Fatalf("hash of %q is not HashToken(plain)", plain)
		}
		if seen[plain] {
			t.Fatalf("token %q repeated", plain)
		}
		seen[plain] = true
	}
}

func TestHashToken(t *testing.T) {
	want := sha256.Sum256([]byte("abc"))
	if got := HashToken("abc"); !bytes.Equal(got, want[:]) {
		t.Errorf("HashToken(abc) = %x, want SHA-256 %x", got, want)
	}
	if Equal(HashToken("abc"), HashToken("abd")) {
		t.Error("different tokens hash equal")
	}
}

func TestNewNumericCode(t *testing.T) {
	const digits, draws = 6, 5000
	// seen[position][digit]: with 5000 draws the chance that a fair
	// generator never puts some digit in some position is 60·0.9^5000,
	// about 10^-227, so this cannot flake; a biased or broken one fails.
	var seen [digits][10]bool
	distinct := map[string]bool{}
	for range draws {
		c, err := NewNumericCode(digits)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != digits {
			t.Fatalf("code %q has %d characters, want %d", c, len(c), digits)
		}
		for i, r := range c {
			if r < '0' || r > '9' {
				t.Fatalf("code %q has a non-digit", c)
			}
			seen[i][r-'0'] = true
		}
		distinct[c] = true
	}
	for i := range seen {
		for d, ok := range seen[i] {
			if !ok {
				t.Errorf("digit %d never appeared in position %d", d, i+1)
			}
		}
	}
	// 5000 draws from a million collide a dozen times on average; hundreds
	// would mean a tiny range.
	if len(distinct) < draws-200 {
		t.Errorf("only %d distinct codes in %d draws", len(distinct), draws)
	}
	for _, n := range []int{1, 4, 8, 18} {
		if c, err := NewNumericCode(n); err != nil || len(c) != n {
			t.Errorf("NewNumericCode(%d) = %q, %v", n, c, err)
		}
	}
	for _, n := range []int{-1, 0, 19} {
		if _, err := NewNumericCode(n); err == nil {
			t.Errorf("NewNumericCode(%d) should fail", n)
		}
	}
}

var backupPattern = regexp.MustCompile(`^[` + BackupAlphabet + `]{4}-[` + BackupAlphabet + `]{4}$`)

func TestNewBackupCodes(t *testing.T) {
	if strings.ContainsAny(BackupAlphabet, "0oO1lIi") {
		t.Fatalf("alphabet %q has ambiguous characters", BackupAlphabet)
	}
	used := map[rune]bool{}
	all := map[string]bool{}
	for range 300 {
		codes, err := NewBackupCodes(10)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 {
			t.Fatalf("got %d codes, want 10", len(codes))
		}
		set := map[string]bool{}
		for _, c := range codes {
			if !backupPattern.MatchString(c) {
				t.Fatalf("code %q is not like k7q2-m9xp", c)
			}
			if set[c] {
				t.Fatalf("code %q twice in one set", c)
			}
			set[c] = true
			all[c] = true
			for _, r := range strings.ReplaceAll(c, "-", "") {
				used[r] = true
			}
		}
	}
	// 24 000 characters from 31: every one appears unless the draw is broken.
	for _, r := range BackupAlphabet {
		if !used[r] {
			t.Errorf("%q never appeared in a backup code", r)
		}
	}
	if len(all) < 2990 {
		t.Errorf("only %d distinct codes in 3000", len(all))
	}
	for _, n := range []int{0, -1, 101} {
		if _, err := NewBackupCodes(n); err == nil {
			t.Errorf("NewBackupCodes(%d) should fail", n)
		}
	}
}

func TestHashCodeNormalises(t *testing.T) {
	want := HashCode("k7q2-m9xp")
	for _, typed := range []string{"k7q2m9xp", "K7Q2-M9XP", " k7q2 m9xp ", "k7q2\u2013m9xp", "k7q2 - m9xp", "K7Q2\tM9XP\n"} {
		if !Equal(HashCode(typed), want) {
			t.Errorf("HashCode(%q) differs from HashCode(k7q2-m9xp)", typed)
		}
	}
	for _, other := range []string{"k7q2-m9xq", "k7q2-m9x", "k7q2_m9xp", ""} {
		if Equal(HashCode(other), want) {
			t.Errorf("HashCode(%q) equals HashCode(k7q2-m9xp)", other)
		}
	}
	if !Equal(HashCode("004 917"), HashCode("004917")) {
		t.Error("numeric codes should normalise too")
	}
}

func TestEqual(t *testing.T) {
	a := HashToken("a")
	for _, tt := range []struct {
		x, y []byte
		want bool
	}{
		{a, HashToken("a"), true},
		{a, HashToken("b"), false},
		{a, a[:31], false},
		{nil, nil, false}, // fails closed
		{[]byte{}, []byte{}, false},
		{a, nil, false},
	} {
		if got := Equal(tt.x, tt.y); got != tt.want {
			t.Errorf("Equal(%x, %x) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
