package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// lockedBuffer is a log sink for the server goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// netClient is a browser on its own loopback address (127.0.0.2, …), so
// the proxy sees each as a different client, as it would on a network.
type netClient struct {
	t    *testing.T
	http *http.Client
	base string
	csrf string
}

func newNetClient(t *testing.T, base, ip string) *netClient {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &netClient{t: t, base: base, http: &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
}

func (c *netClient) do(method, path string, form url.Values, header http.Header) (int, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", c.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if v, ok := doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
		c.csrf = v
	}
	return resp.StatusCode, doc.Find(".nhsuk-error-summary").Text()
}

func (c *netClient) signIn(email, pw string, header http.Header) (int, string) {
	c.t.Helper()
	if c.csrf == "" {
		c.do(http.MethodGet, "/sign-in", nil, nil)
	}
	return c.do(http.MethodPost, "/sign-in", url.Values{"email": {email}, "password": {pw}}, header)
}

// The app runs behind a real reverse proxy (httputil.ReverseProxy on
// loopback, appending to X-Forwarded-For as nginx does) that it trusts.
// Each client is limited by its own address, so one client's failures lock
// nobody else out, a client cannot pick its address by sending the header
// itself, and the logs and the sign-in trail name the client, not the proxy.
func TestSignInLimitsBehindAReverseProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		logs := &lockedBuffer{}
		app := New(Deps{Store: s, Version: "test", Auth: a, Logger: slog.New(slog.NewTextHandler(logs, nil)),
			TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = app.Listener(ln) }()
		t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
		target, _ := url.Parse("http://" + ln.Addr().String())
		proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			// Keep what the client sent and append its address, as
			// nginx's $proxy_add_x_forwarded_for does.
			r.Out.Header["X-Forwarded-For"] = r.In.Header["X-Forwarded-For"]
			r.SetXForwarded()
		}})
		t.Cleanup(proxy.Close)

		victim := makeUser(t, s, a, "victim@example.org")
		makeUser(t, s, a, "other@example.org")
		attacker := newNetClient(t, proxy.URL, "127.0.0.2")
		var status int
		var msg string
		for range 5 {
			status, msg = attacker.signIn(victim.Email, "guess", nil)
		}
		if status != 429 || !strings.Contains(msg, "locked on this device") {
			t.Errorf("attacker's 5th wrong password: %d %q", status, msg)
		}
		// The victim, elsewhere, behind the same proxy, signs in.
		if status, msg := newNetClient(t, proxy.URL, "127.0.0.3").signIn(victim.Email, testPassword, nil); status != 303 {
			t.Errorf("victim from another client: %d %q", status, msg)
		}
		// 25 more failures with made-up emails (30 in all) throttle the
		// attacker's address, even when it names another in the header...
		for i := range 25 {
			attacker.signIn(fmt.Sprintf("made-up-%d@example.org", i), "x", nil)
		}
		for _, spoof := range []string{"", "198.51.100.7", "198.51.100.8, 127.0.0.1"} {
			var h http.Header
			if spoof != "" {
				h = http.Header{"X-Forwarded-For": {spoof}}
			}
			if status, msg := attacker.signIn("other@example.org", testPassword, h); status != 429 || !strings.Contains(msg, "too many failed sign-ins from your device or network") {
				t.Errorf("attacker (X-Forwarded-For %q): %d %q", spoof, status, msg)
			}
		}
		// ...and nobody else's.
		if status, msg := newNetClient(t, proxy.URL, "127.0.0.4").signIn("other@example.org", testPassword, nil); status != 303 {
			t.Errorf("another user after the attacker's 30 failures: %d %q", status, msg)
		}

		// A client reaching the app directly is not a trusted proxy: its
		// header is ignored.
		direct := newNetClient(t, target.String(), "127.0.0.5")
		direct.signIn("other@example.org", "wrong", http.Header{"X-Forwarded-For": {"203.0.113.50"}})

		events, _ := s.ListSignInEvents(ctx, store.ListSignInEventsParams{UserID: &victim.ID, PageLimit: 20})
		var ips []string
		for _, e := range events {
			ips = append(ips, e.Event+"@"+e.Ip)
		}
		if got := strings.Join(ips, " "); !strings.Contains(got, "sign_in_failed@127.0.0.2") || !strings.Contains(got, "locked_out@127.0.0.2") || strings.Contains(got, "127.0.0.1") {
			t.Errorf("victim's sign-in trail: %s", got)
		}
		log := logs.String()
		for _, want := range []string{"ip=127.0.0.2", "ip=127.0.0.3", "ip=127.0.0.4", "ip=127.0.0.5"} {
			if !strings.Contains(log, want) {
				t.Errorf("access log lacks %s", want)
			}
		}
		for _, never := range []string{"ip=127.0.0.1 ", "198.51.100", "203.0.113.50"} {
			if strings.Contains(log, never) {
				t.Errorf("access log has %q: the proxy's or a made-up address", never)
			}
		}
	})
}
