package password

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var jane = UserContext{Email: "jane.okafor-smith@nhs.net", FirstName: "Jane", Surname: "Okafor-Smith"}

func codes(fails []Failure) []FailureCode {
	var out []FailureCode
	for _, f := range fails {
		out = append(out, f.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	priv := jane
	priv.Privileged = true
	tests := []struct {
		name string
		pw   string
		user UserContext
		want []FailureCode
	}{
		{"good", "Kettle-Orbit-42", jane, nil},
		{"good pass phrase", "Violet Tractor Lemon 7!", jane, nil},
		{"empty", "", jane, []FailureCode{FailMissing}},
		{"nine characters", "Kettle-4x", jane, []FailureCode{FailTooShort}},
		{"ten characters", "Kettle-4xy", jane, nil},
		{"privileged needs 16", "Kettle-Orbit-42", priv, []FailureCode{FailTooShort}},
		{"privileged 16", "Kettle-Orbit-42x", priv, nil},
		{"129 characters", "Aa1!" + strings.Repeat("x", 125), jane, []FailureCode{FailTooLong}},
		{"128 characters", "Aa1!" + strings.Repeat("x", 124), jane, nil},
		{"no capital", "kettle-orbit-42", jane, []FailureCode{FailNoCapital}},
		{"no digit", "Kettle-Orbit-xy", jane, []FailureCode{FailNoDigit}},
		{"no symbol", "KettleOrbit42", jane, []FailureCode{FailNoSymbol}},
		{"space is not a symbol", "Kettle Orbit 42", jane, []FailureCode{FailNoSymbol}},
		{"pound sign is a symbol", "Kettle£Orbit42", jane, nil},
		{"letters only", "kettleorbitlamp", jane, []FailureCode{FailNoCapital, FailNoDigit, FailNoSymbol}},
		{"all numeric", "8302957164", jane, []FailureCode{FailNoCapital, FailNoSymbol, FailAllNumeric}},
		{"numeric with spaces", "830 295 7164", jane, []FailureCode{FailNoCapital, FailNoSymbol, FailAllNumeric}},
		{"common", "Password1!", jane, []FailureCode{FailCommon}},
		{"common with suffix", "Password123!", jane, []FailureCode{FailCommon}},
		{"common club", "Liverpool1892!", jane, []FailureCode{FailCommon}},
		{"common with prefix", "!!Arsenal1886", jane, []FailureCode{FailCommon}},
		{"common leet", "P@ssw0rd2024", jane, []FailureCode{FailCommon}},
		{"common keyboard walk", "1qaz2wsx3edc", jane, []FailureCode{FailNoCapital, FailNoSymbol, FailCommon}},
		{"first name", "Jane-Orbit-42x", jane, []FailureCode{FailPersonal}},
		{"surname part", "Kettle-SMITH-42", jane, []FailureCode{FailPersonal}},
		{"email local part word", "OKAFOR-kettle-4", jane, []FailureCode{FailPersonal}},
		{"whole local part", "x-jane.okafor-smith-9X", UserContext{Email: "jane.okafor-smith@nhs.net"}, []FailureCode{FailPersonal}},
		{"short name part ignored", "Kettle-Al-Orbit-4", UserContext{FirstName: "Al", Surname: "Li"}, nil},
		{"domain not checked", "Kettle-nhs-Orbit-4", jane, nil},
		{"accented name", "Kettle-Zoë-Orbit-4", UserContext{FirstName: "ZOË"}, []FailureCode{FailPersonal}},
		{"everything wrong", "jane", jane, []FailureCode{FailTooShort, FailNoCapital, FailNoDigit, FailNoSymbol, FailCommon, FailPersonal}},
		{"unicode counts runes", "Ünïcødé-Ζ-密码9", jane, nil},
		{"unicode short in runes", "Ünï-密码9", jane, []FailureCode{FailTooShort}},
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(p.Check(tt.pw, tt.user))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	priv := UserContext{Privileged: true}
	want := map[FailureCode]string{
		FailTooShort:  "Your password must be at least 16 characters long",
		FailNoCapital: "Your password must contain a capital letter",
		FailCommon:    "This password is too common: choose one that is harder to guess",
	}
	for _, f := range DefaultPolicy().Check("password", priv) {
		if w, ok := want[f.Code]; ok && f.Message != w {
			t.Errorf("%s message = %q, want %q", f.Code, f.Message, w)
		}
		if f.Error() != f.Message {
			t.Errorf("Error() = %q, want the message", f.Error())
		}
	}
	personal := DefaultPolicy().Check("Kettle-Jane-42", jane)
	if len(personal) != 1 || personal[0].Message != "Your password must not contain your name or email address" {
		t.Errorf("personal failure = %+v", personal)
	}
}

func TestCompositionOff(t *testing.T) {
	p := DefaultPolicy()
	p.RequireComposition = false
	for pw, want := range map[string][]FailureCode{
		"violet tractor lemon": nil,
		"kettleorbitlamp":      nil,
		"password1234":         {FailCommon}, // the list applies regardless
		"8302957164":           {FailAllNumeric},
		"short":                {FailTooShort},
	} {
		if got := codes(p.Check(pw, UserContext{})); !slices.Equal(got, want) {
			t.Errorf("composition off: Check(%q) = %v, want %v", pw, got, want)
		}
	}
}

func TestRules(t *testing.T) {
	p := DefaultPolicy()
	got := p.Rules(true)
	want := []string{
		"Use at least 16 characters (and no more than 128).",
		"Include a capital letter, a number and a symbol, such as ! £ $ % or &.",
		"Do not use a common password, or a common password with numbers or symbols added.",
		"Do not include your name or the first part of your email address.",
		"Do not use only numbers.",
		"You will need to change your password every 90 days.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rules(true) =\n%q\nwant\n%q", got, want)
	}
	if r := p.Rules(false); r[0] != "Use at least 10 characters (and no more than 128)." {
		t.Errorf("Rules(false)[0] = %q", r[0])
	}
	p.RequireComposition, p.MaxAge = false, 0
	if r := p.Rules(false); len(r) != 4 {
		t.Errorf("with composition and expiry off, Rules = %q; want 4 rules", r)
	}
}

func TestExpiry(t *testing.T) {
	set := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	tests := []struct {
		name    string
		now     time.Time
		expired bool
		days    int
	}{
		{"just set", set, false, 90},
		{"half a day later", set.Add(12 * time.Hour), false, 90},
		{"one day later", set.AddDate(0, 0, 1), false, 89},
		{"89.5 days later", set.Add(89*24*time.Hour + 12*time.Hour), false, 1},
		{"a second before", set.Add(90*24*time.Hour - time.Second), false, 1},
		{"exactly 90 days", set.Add(90 * 24 * time.Hour), true, 0},
		{"a year later", set.AddDate(1, 0, 0), true, 0},
	}
	for _, tt := range tests {
		if got := p.Expired(set, tt.now); got != tt.expired {
			t.Errorf("%s: Expired = %v, want %v", tt.name, got, tt.expired)
		}
		if days, expires := p.DaysRemaining(set, tt.now); days != tt.days || !expires {
			t.Errorf("%s: DaysRemaining = %d, %v; want %d, true", tt.name, days, expires, tt.days)
		}
	}
	if !p.Expired(time.Time{}, set) {
		t.Error("a password with no recorded set time should count as expired")
	}

	p.MaxAge = 0
	if p.Expired(set, set.AddDate(10, 0, 0)) {
		t.Error("MaxAge 0 must never expire")
	}
	if days, expires := p.DaysRemaining(set, set); days != 0 || expires {
		t.Errorf("MaxAge 0: DaysRemaining = %d, %v; want 0, false", days, expires)
	}
}
