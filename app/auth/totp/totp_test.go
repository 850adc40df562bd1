package totp

import (
	"bytes"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the RFC 6238 Appendix B SHA-1 key "12345678901234567890".
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// RFC 6238 Appendix B, SHA-1 rows, truncated to 6 digits.
var rfcVectors = []struct {
	unix int64
	code string
}{
	{59, "287082"},
	{1111111109, "081804"},
	{1111111111, "050471"},
	{1234567890, "005924"},
	{2000000000, "279037"},
	{20000000000, "353130"},
}

func TestCodeRFC6238(t *testing.T) {
	for _, v := range rfcVectors {
		got, err := Code(rfcSecret, time.Unix(v.unix, 0))
		if err != nil || got != v.code {
			t.Errorf("Code(T=%d) = %q, %v; want %q", v.unix, got, err, v.code)
		}
		ok, step := Verify(rfcSecret, v.code, time.Unix(v.unix, 0), 0)
		if !ok || step != v.unix/30 {
			t.Errorf("Verify(T=%d) = %v, %d; want true, %d", v.unix, ok, step, v.unix/30)
		}
	}
}

func TestSecretForms(t *testing.T) {
	at := time.Unix(1111111109, 0)
	for _, s := range []string{
		rfcSecret,                                  // as NewSecret makes them
		strings.ToLower(rfcSecret),                 // typed in lower case
		FormatSecret(rfcSecret),                    // grouped for typing
		"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ========", // padded
	} {
		if got, err := Code(s, at); err != nil || got != "081804" {
			t.Errorf("Code(%q) = %q, %v; want 081804", s, got, err)
		}
	}
	for _, bad := range []string{"", "not base32!", "GEZDGNBV1"} {
		if _, err := Code(bad, at); err != ErrInvalidSecret {
			t.Errorf("Code(%q) error = %v, want ErrInvalidSecret", bad, err)
		}
		if ok, _ := Verify(bad, "123456", at, 1); ok {
			t.Errorf("Verify with secret %q accepted a code", bad)
		}
	}
}

func TestNewSecret(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, err := NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		key, err := decodeSecret(s)
		if err != nil || len(key) != SecretBytes || strings.Contains(s, "=") || len(s) != 32 {
			t.Fatalf("NewSecret() = %q: %d bytes, %v", s, len(key), err)
		}
		if seen[s] {
			t.Fatalf("NewSecret repeated %q", s)
		}
		seen[s] = true
	}
}

func TestVerifyWindow(t *testing.T) {
	now := time.Unix(1234567890, 0) // step 41152263, 0 s into it
	step := Step(now)
	codeAtStep := func(offset int64) string {
		c, _ := Code(rfcSecret, time.Unix((step+offset)*30, 0))
		return c
	}
	tests := []struct {
		name   string
		offset int64
		skew   int
		ok     bool
	}{
		{"current", 0, 1, true},
		{"previous, skew 1", -1, 1, true},
		{"next, skew 1", 1, 1, true},
		{"two back, skew 1", -2, 1, false},
		{"two ahead, skew 1", 2, 1, false},
		{"previous, skew 0", -1, 0, false},
		{"two back, skew 2", -2, 2, true},
		{"previous, negative skew", -1, -5, false},
		{"ten back, skew 100", -10, 100, true},
		{"eleven back, skew capped at 10", -11, 100, false},
	}
	for _, tt := range tests {
		ok, got := Verify(rfcSecret, codeAtStep(tt.offset), now, tt.skew)
		if ok != tt.ok {
			t.Errorf("%s: Verify = %v, want %v", tt.name, ok, tt.ok)
		}
		if ok && got != step+tt.offset {
			t.Errorf("%s: matched step %d, want %d", tt.name, got, step+tt.offset)
		}
		if !ok && got != 0 {
			t.Errorf("%s: step = %d on failure, want 0", tt.name, got)
		}
	}
	// The last second of a step still takes the code of the step before.
	if ok, _ := Verify(rfcSecret, codeAtStep(-1), now.Add(29*time.Second), 1); !ok {
		t.Error("code of the previous step refused at the end of the current step")
	}
}

func TestVerifyCodeFormat(t *testing.T) {
	at := time.Unix(1111111111, 0) // code 050471
	tests := []struct {
		code string
		ok   bool
	}{
		{"050471", true},
		{" 050471\n", true},
		{"050 471", true},
		{"050\u00a0471", true}, // non-breaking space from copy and paste
		{"50471", false},       // leading zero dropped
		{"0504710", false},
		{"05047l", false},
		{"O50471", false},
		{"050-471", false},
		{"+50471", false},
		{"０５０４７１", false}, // full-width digits
		{"", false},
		{"      ", false},
	}
	for _, tt := range tests {
		if ok, _ := Verify(rfcSecret, tt.code, at, 1); ok != tt.ok {
			t.Errorf("Verify(%q) = %v, want %v", tt.code, ok, tt.ok)
		}
	}
}

func TestVerifyAfterRefusesReplay(t *testing.T) {
	now := time.Unix(1234567890, 0)
	code, _ := Code(rfcSecret, now)
	ok, step := VerifyAfter(rfcSecret, code, now, 1, -1)
	if !ok {
		t.Fatal("first use refused")
	}
	if ok, _ := VerifyAfter(rfcSecret, code, now.Add(10*time.Second), 1, step); ok {
		t.Error("the same code was accepted twice")
	}
	older, _ := Code(rfcSecret, now.Add(-Period))
	if ok, _ := VerifyAfter(rfcSecret, older, now, 1, step); ok {
		t.Error("an older code was accepted after a newer one")
	}
	next, _ := Code(rfcSecret, now.Add(Period))
	if ok, s := VerifyAfter(rfcSecret, next, now.Add(Period), 1, step); !ok || s != step+1 {
		t.Errorf("next code: %v, step %d; want true, %d", ok, s, step+1)
	}
}

func TestURI(t *testing.T) {
	uri := URI("Epilepsy12 Audit", "jane.smith+e12@nhs.net", "gezd gnbv")
	if !strings.HasPrefix(uri, "otpauth://totp/Epilepsy12%20Audit:jane.smith%2Be12%40nhs.net?") {
		t.Errorf("URI label wrong: %s", uri)
	}
	if strings.Contains(uri, "+") {
		t.Errorf("URI uses '+' for a space or plus: %s", uri)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Epilepsy12 Audit:jane.smith+e12@nhs.net" {
		t.Errorf("parsed %q %q %q", u.Scheme, u.Host, u.Path)
	}
	q := u.Query()
	want := map[string]string{"secret": "GEZDGNBV", "issuer": "Epilepsy12 Audit", "algorithm": "SHA1", "digits": "6", "period": "30"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	// A colon or ampersand in a name cannot break the label or the query.
	odd := URI("A:B&C", "x:y", "GEZD")
	if strings.Count(odd, ":") != 2 || strings.Count(odd, "&") != 4 {
		t.Errorf("separators leaked from names: %s", odd)
	}
}

func TestQRCodePNG(t *testing.T) {
	secret, _ := NewSecret()
	b, err := QRCodePNG(URI("clinaudit", "jane.smith@nhs.net", secret))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bounds := img.Bounds()
	if bounds.Dx() != bounds.Dy() || bounds.Dx() < 200 {
		t.Errorf("QR image is %v, want a square of at least 200 px", bounds)
	}
	if _, err := QRCodePNG(""); err == nil {
		t.Error("QRCodePNG(\"\") should fail")
	}
	if _, err := QRCodePNG(strings.Repeat("x", 5000)); err == nil {
		t.Error("QRCodePNG of 5000 bytes should fail: too long for a QR code")
	}
}

func TestFormatSecret(t *testing.T) {
	for in, want := range map[string]string{
		"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ": "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
		"gezdgn":                           "GEZD GN",
		"GEZD GNBV":                        "GEZD GNBV",
		"":                                 "",
	} {
		if got := FormatSecret(in); got != want {
			t.Errorf("FormatSecret(%q) = %q, want %q", in, got, want)
		}
	}
}
