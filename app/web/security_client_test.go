package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The User-Agent header is recorded with every sign-in and session. A
// client may send any bytes there (HTTP allows bytes above 0x7f, and
// fasthttp passes control characters): PostgreSQL refused NUL and bad
// UTF-8 with a 500 where SQLite stored them, and a long agent cut at 300
// bytes could split a character. Every such agent signs in, on both
// engines.
func TestAnyUserAgentSignsIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		for _, ua := range []string{"Mozilla/5.0 \xff\xfe", "Moz\x00illa", "Moz\x1b[2Jilla", strings.Repeat("a", 299) + "é", strings.Repeat("€", 400)} {
			b := newBrowser(t, w.app)
			b.get("/sign-in")
			form := url.Values{"csrf": {b.csrf}, "email": {secSuperuser}, "password": {testPassword}}
			req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("User-Agent", ua)
			if p := b.do(req); p.status != http.StatusSeeOther {
				t.Errorf("sign-in with agent %.20q…: %d", ua, p.status)
			}
		}
	})
}
