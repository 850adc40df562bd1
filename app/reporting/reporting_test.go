package reporting

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// PostgreSQL's reporting.pseudonym hashes with the stored pads:
// sha256(opad || sha256(ipad || message)). That is HMAC for every key
// length, long keys (hashed first) included.
func TestPadsMakeTheHMAC(t *testing.T) {
	for _, key := range []string{strings.Repeat("k", 32), strings.Repeat("long-key-", 20)} {
		ipad, opad := Pads([]byte(key))
		inner := sha256.Sum256(append(append([]byte{}, ipad...), "child:42"...))
		outer := sha256.Sum256(append(append([]byte{}, opad...), inner[:]...))
		if got, want := hex.EncodeToString(outer[:])[:PseudonymLength], Pseudonym([]byte(key), "child", 42); got != want {
			t.Errorf("key of %d: pads give %s, HMAC %s", len(key), got, want)
		}
	}
	k := []byte(strings.Repeat("k", 32))
	if Pseudonym(k, "child", 1) == Pseudonym(k, "patient", 1) || Pseudonym(k, "child", 1) == Pseudonym([]byte(strings.Repeat("j", 32)), "child", 1) {
		t.Error("a pseudonym does not depend on the kind and the key")
	}
}

func TestBandOf(t *testing.T) {
	for age, want := range map[int]string{-1: "", 0: "Under 1", 1: "1 to 4", 4: "1 to 4", 5: "5 to 9", 15: "10 to 15", 16: "16 to 24", 39: "25 to 39", 40: "40 and over", 90: "40 and over"} {
		if got := BandOf(age); got != want {
			t.Errorf("BandOf(%d) = %q; want %q", age, got, want)
		}
	}
}

// Every view names each column once, and every column says how it is
// masked in docs/reporting.md's terms: a pseudonym has a kind, an age its
// date of birth.
func TestViewsAreWellFormed(t *testing.T) {
	for _, v := range Views {
		seen := map[string]bool{}
		for _, n := range v.Names() {
			if seen[n] {
				t.Errorf("%s.%s twice", v.Name, n)
			}
			seen[n] = true
		}
		for _, c := range v.Columns {
			if c.Mask == MaskPseudonym && c.Kind == "" || (c.Mask == MaskAgeYears || c.Mask == MaskAgeBand) && c.From == "" || c.Type == "" {
				t.Errorf("%s.%s is incomplete: %+v", v.Name, c.Name, c)
			}
		}
	}
}

// The verifier is RFC 7677's: from it the server signs the example's
// exchange exactly as the RFC shows (user "user", password "pencil").
func TestSCRAMVerifier(t *testing.T) {
	salt, _ := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	v, err := scramVerifier("pencil", salt)
	if err != nil {
		t.Fatal(err)
	}
	head, keys, ok := strings.Cut(v, "$")
	i := strings.LastIndex(keys, ":")
	serverKey64, ok2 := keys[i+1:], i > 0
	if !ok || !ok2 || head != "SCRAM-SHA-256" || !strings.HasPrefix(keys, "4096:W22ZaJ0SNY7soEsUEjb6gQ==$") {
		t.Fatalf("verifier %q", v)
	}
	serverKey, _ := base64.StdEncoding.DecodeString(serverKey64)
	auth := "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	if got := base64.StdEncoding.EncodeToString(scramMAC(serverKey, auth)); got != "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Errorf("server signature %s; RFC 7677 says 6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", got)
	}
	for p, ok := range map[string]bool{"short": false, "sixteen-chars-ok": true, "has a space in it!!": false, "ünïcode-password-123": false} {
		if err := CheckPassword(p); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v", p, err)
		}
	}
}
