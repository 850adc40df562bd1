package clientip

import (
	"net/netip"
	"testing"
)

func TestResolve(t *testing.T) {
	proxies, err := ParsePrefixes("10.0.0.0/8, 192.0.2.7, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		remote  string
		header  Header
		values  []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies trusted: the header is ignored", "10.1.1.1", XForwardedFor, []string{"203.0.113.9"}, nil, "10.1.1.1"},
		{"an untrusted peer cannot choose its address", "198.51.100.4", XForwardedFor, []string{"203.0.113.9"}, proxies, "198.51.100.4"},
		{"one trusted proxy", "10.1.1.1", XForwardedFor, []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"a client's own entries left of the proxy's are ignored", "10.1.1.1", XForwardedFor, []string{"1.2.3.4, 203.0.113.9"}, proxies, "203.0.113.9"},
		{"two trusted proxies are skipped", "10.1.1.1", XForwardedFor, []string{"1.2.3.4, 203.0.113.9, 192.0.2.7"}, proxies, "203.0.113.9"},
		{"several header lines are one chain", "10.1.1.1", XForwardedFor, []string{"1.2.3.4", "203.0.113.9", "10.2.2.2"}, proxies, "203.0.113.9"},
		{"every hop trusted: the leftmost", "10.1.1.1", XForwardedFor, []string{"10.3.3.3, 10.2.2.2"}, proxies, "10.3.3.3"},
		{"trusted proxy sent no header: the proxy", "10.1.1.1", XForwardedFor, nil, proxies, "10.1.1.1"},
		{"empty header: the proxy", "10.1.1.1", XForwardedFor, []string{""}, proxies, "10.1.1.1"},
		{"garbage from the client stops at the last good hop", "10.1.1.1", XForwardedFor, []string{"<script>, 203.0.113.9"}, proxies, "203.0.113.9"},
		{"garbage right of the proxy: the proxy", "10.1.1.1", XForwardedFor, []string{"203.0.113.9, nonsense"}, proxies, "10.1.1.1"},
		{"address with a port", "10.1.1.1", XForwardedFor, []string{"203.0.113.9:5123"}, proxies, "203.0.113.9"},
		{"IPv6 with brackets and port", "10.1.1.1", XForwardedFor, []string{"[2001:db8::1]:443"}, proxies, "2001:db8::1"},
		{"IPv4-mapped peer is IPv4", "::ffff:10.1.1.1", XForwardedFor, []string{"203.0.113.9"}, proxies, "203.0.113.9"},
		{"IPv6 proxy", "2001:db8:ffff::5", XForwardedFor, []string{"2001:db8::9"}, proxies, "2001:db8::9"},
		{"zone identifiers refused", "10.1.1.1", XForwardedFor, []string{"fe80::1%eth0"}, proxies, "10.1.1.1"},
		{"Forwarded: for= of the last element", "10.1.1.1", Forwarded, []string{`for=1.2.3.4, for=203.0.113.9;proto=https;by=10.1.1.1`}, proxies, "203.0.113.9"},
		{"Forwarded: quoted IPv6 with port", "10.1.1.1", Forwarded, []string{`for="[2001:db8:cafe::17]:4711"`}, proxies, "2001:db8:cafe::17"},
		{"Forwarded: case of the parameter", "10.1.1.1", Forwarded, []string{`For=203.0.113.9`}, proxies, "203.0.113.9"},
		{"Forwarded: obfuscated stops the walk", "10.1.1.1", Forwarded, []string{`for=_hidden`}, proxies, "10.1.1.1"},
		{"Forwarded: element without for=", "10.1.1.1", Forwarded, []string{`proto=https`}, proxies, "10.1.1.1"},
		{"Forwarded: a comma inside quotes", "10.1.1.1", Forwarded, []string{`for=203.0.113.9;ext="a,b"`}, proxies, "203.0.113.9"},
		{"reading Forwarded ignores X-Forwarded-For syntax", "10.1.1.1", Forwarded, []string{`203.0.113.9`}, proxies, "10.1.1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Resolve(netip.MustParseAddr(tc.remote), tc.header, tc.values, tc.trusted)
			if got.String() != tc.want {
				t.Errorf("Resolve = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "[]",
		" 10.0.0.0/8 , 192.0.2.7 ": "[10.0.0.0/8 192.0.2.7/32]",
		"10.1.2.3/8":               "[10.0.0.0/8]",
		"::1":                      "[::1/128]",
		"::ffff:127.0.0.1":         "[127.0.0.1/32]",
	} {
		got, err := ParsePrefixes(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if s := fmtPrefixes(got); s != want {
			t.Errorf("%q = %s, want %s", in, s, want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.0/8;", "0.0.0.0/0", "::/0"} {
		if _, err := ParsePrefixes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseHeader("x-forwarded-for"); err != nil {
		t.Error(err)
	}
	if _, err := ParseHeader("X-Real-IP"); err == nil {
		t.Error("X-Real-IP accepted")
	}
}

func fmtPrefixes(ps []netip.Prefix) string {
	s := "["
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += p.String()
	}
	return s + "]"
}
