// Package clientip works out which address a request comes from when the
// app runs behind reverse proxies. The connection's own address is the
// client unless it is a trusted proxy; only then is the forwarding header
// read, right to left, skipping hops that are trusted proxies themselves.
// Everything left of the first untrusted hop was written by the client and
// is ignored, so a client cannot choose the address it is throttled by.
package clientip

import (
	"fmt"
	"net/netip"
	"strings"
)

// Header is the forwarding header the trusted proxies write.
type Header string

const (
	XForwardedFor Header = "X-Forwarded-For"
	Forwarded     Header = "Forwarded" // RFC 7239
)

// ParseHeader accepts the header's name in any case.
func ParseHeader(s string) (Header, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "x-forwarded-for":
		return XForwardedFor, nil
	case "forwarded":
		return Forwarded, nil
	}
	return "", fmt.Errorf("%q must be X-Forwarded-For or Forwarded", s)
}

// ParsePrefixes reads a comma-separated list of CIDRs or bare addresses
// (a bare address is a prefix of one address). Empty means none.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			if p.Bits() == 0 {
				// Every address a proxy: any client could name its address.
				return nil, fmt.Errorf("%q trusts every address; name the proxies' own addresses or networks", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR such as 10.0.0.0/8", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Resolve returns the client's address: remote (the connection's peer)
// unless remote is trusted, in which case the nearest untrusted hop of the
// forwarding chain in values (every line of header h, in order). When every
// hop is trusted, the leftmost one. A hop that cannot be read stops the walk
// at the last address known good, so garbage never becomes a client address.
func Resolve(remote netip.Addr, h Header, values []string, trusted []netip.Prefix) netip.Addr {
	addr := remote.Unmap()
	if len(trusted) == 0 || !isTrusted(addr, trusted) {
		return addr
	}
	chain := hops(h, values)
	for i := len(chain) - 1; i >= 0; i-- {
		next, ok := parseHop(chain[i])
		if !ok {
			return addr
		}
		addr = next
		if !isTrusted(addr, trusted) {
			return addr
		}
	}
	return addr
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// hops lists the chain's entries, leftmost (farthest) first.
func hops(h Header, values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range splitOutsideQuotes(v, ',') {
			e = strings.TrimSpace(e)
			if h == Forwarded {
				e = forwardedFor(e)
			}
			out = append(out, e)
		}
	}
	return out
}

// forwardedFor is the for= parameter of one Forwarded element, unquoted;
// "" when it has none (which parseHop refuses).
func forwardedFor(element string) string {
	for _, pair := range splitOutsideQuotes(element, ';') {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "for") {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// parseHop reads "192.0.2.1", "192.0.2.1:4711", "2001:db8::1" or
// "[2001:db8::1]:4711". Obfuscated identifiers ("unknown", "_hidden") fail.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return parseHop(s[1 : len(s)-1])
	}
	return netip.Addr{}, false
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
