package web

import (
	"net/url"
	"strings"
)

// maxTargetLen bounds a user-supplied return address; a real page's address
// is far shorter, and a long one would only bloat the Location header.
const maxTargetLen = 2048

// localTarget is the one check for every redirect to an address the user
// supplied (sign-in's next, the dashboards' back): it returns target if it
// is a path on this site, and fallback otherwise.
//
// Browsers are lenient where this must not be: they drop tabs and newlines
// anywhere in a URL, read a backslash as a slash, and take "//host" as
// another site, so "/\t/evil.example" leaves the site. Only printable ASCII
// is accepted (a browser sends anything else percent-encoded), no
// backslash, and the parsed result must be a bare path with no scheme, host
// or user, whose path, decoded as often as it is encoded, still holds no
// "//" (not even after a dot segment: "/.//evil"), backslash or control
// character.
func localTarget(target, fallback string) string {
	if localPath(target) {
		return target
	}
	return fallback
}

func localPath(target string) bool {
	if target == "" || len(target) > maxTargetLen || target[0] != '/' {
		return false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	p := u.EscapedPath()
	for range 4 { // "%25" nests: decode until nothing changes
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") {
			return false
		}
		for i := 0; i < len(p); i++ {
			if c := p[i]; c < ' ' || c == 0x7f || c == '\\' {
				return false
			}
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if d == p {
			return true
		}
		p = d
	}
	return false // encoded more deeply than any page of ours is
}

// safeNext is localTarget for sign-in's "next": home if it is not local.
func safeNext(next string) string { return localTarget(next, "/") }
