package verification

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestIssueAndCheck(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	is, err := Issue("jo@example.org", now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Code) != CodeDigits || strings.Trim(is.Code, "0123456789") != "" || len(is.Token) < 40 {
		t.Fatalf("Issue = code %q, token %q", is.Code, is.Token)
	}
	if strings.Contains(is.TokenHash, is.Token) || is.CodeHash == is.Code || !is.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("Issue stores %+v", is)
	}
	st := Stored{TokenHash: is.TokenHash, CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt}
	tampered := []byte(is.Token)
	tampered[3] ^= 1
	for _, c := range []struct {
		name string
		s    Stored
		tok  string
		at   time.Time
		want error
	}{
		{"good", st, is.Token, now, nil},
		{"last second", st, is.Token, is.ExpiresAt.Add(-time.Second), nil},
		{"expired", st, is.Token, is.ExpiresAt, ErrExpired},
		{"reused", Stored{TokenHash: is.TokenHash, ExpiresAt: is.ExpiresAt, Verified: true}, is.Token, now, ErrUsed},
		{"tampered", st, string(tampered), now, ErrInvalid},
		{"empty", st, "", now, ErrInvalid},
		{"the code as a token", st, is.Code, now, ErrInvalid},
		{"nothing stored", Stored{ExpiresAt: is.ExpiresAt}, is.Token, now, errNoSecret},
	} {
		if err := CheckToken(c.s, c.tok, c.at); !errors.Is(err, c.want) {
			t.Errorf("CheckToken %s = %v, want %v", c.name, err, c.want)
		}
	}
	wrong := "000000"
	if is.Code == wrong {
		wrong = "000001"
	}
	for _, c := range []struct {
		name, email, code string
		s                 Stored
		at                time.Time
		want              error
	}{
		{"good", "jo@example.org", is.Code, st, now, nil},
		{"typed with spaces", "jo@example.org", is.Code[:3] + " " + is.Code[3:], st, now, nil},
		{"wrong code", "jo@example.org", wrong, st, now, ErrInvalid},
		{"another email", "kim@example.org", is.Code, st, now, ErrInvalid},
		{"expired", "jo@example.org", is.Code, st, is.ExpiresAt.Add(time.Minute), ErrExpired},
		{"reused", "jo@example.org", is.Code, Stored{CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt, Verified: true}, now, ErrUsed},
		{"four failures before", "jo@example.org", is.Code, Stored{CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt, CodeFailures: 4}, now, nil},
		{"five failures before", "jo@example.org", is.Code, Stored{CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt, CodeFailures: 5}, now, ErrTooMany},
	} {
		if err := CheckCode(c.s, c.email, c.code, c.at); !errors.Is(err, c.want) {
			t.Errorf("CheckCode %s = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestIssueIsRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		is, err := Issue("jo@example.org", time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if seen[is.Token] {
			t.Fatal("a token repeated")
		}
		seen[is.Token] = true
	}
}
