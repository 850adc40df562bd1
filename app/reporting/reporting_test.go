package reporting

import (
	"crypto/sha256"
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
