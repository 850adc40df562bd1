package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

const (
	appCSS   = "css/app.css"
	appJS    = "js/app.js"
	nhsukCSS = "vendor/nhsuk/nhsuk-frontend.min.css"
	nhsukJS  = "vendor/nhsuk/nhsuk-frontend.min.js"
	htmxJS   = "vendor/htmx/htmx.min.js"
)

func newApp() *fiber.App {
	app := fiber.New()
	app.Use("/static", Handler())
	return app
}

func do(t *testing.T, app *fiber.App, method, target string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := app.Test(req, -1) // no timeout: -race on a busy machine is slow
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, target, err)
	}
	return resp, body
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(files, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", encoding, err)
	}
	return out
}

func TestHandler(t *testing.T) {
	app := newApp()
	cssETag := load().byName[appCSS].etag
	brETag := strings.TrimSuffix(cssETag, `"`) + `-br"`

	tests := []struct {
		name         string
		method       string
		target       string
		headers      map[string]string
		wantStatus   int
		wantHeaders  map[string]string // "" means must be absent
		wantEncoding string            // for 200s: expected Content-Encoding
		wantAsset    string            // for 200s: decoded body must equal this file
		wantBody     string            // for errors: exact body
	}{
		{
			name: "hashed css", target: Path(appCSS),
			wantStatus: 200, wantAsset: appCSS,
			wantHeaders: map[string]string{
				"Cache-Control":          cacheImmutable,
				"Content-Type":           "text/css; charset=utf-8",
				"Vary":                   "Accept-Encoding",
				"X-Content-Type-Options": "nosniff",
				"ETag":                   cssETag,
				"Content-Encoding":       "",
			},
		},
		{
			name: "hashed js", target: Path(appJS),
			wantStatus: 200, wantAsset: appJS,
			wantHeaders: map[string]string{
				"Cache-Control": cacheImmutable,
				"Content-Type":  "text/javascript; charset=utf-8",
			},
		},
		{
			name: "hashed svg", target: Path("vendor/nhsuk/images/nhsuk-icon-cross.svg"),
			wantStatus: 200, wantAsset: "vendor/nhsuk/images/nhsuk-icon-cross.svg",
			wantHeaders: map[string]string{"Content-Type": "image/svg+xml"},
		},
		{
			name: "hashed png", target: Path("vendor/nhsuk/images/nhsuk-icon-180.png"),
			headers:    map[string]string{"Accept-Encoding": "br, gzip"},
			wantStatus: 200, wantAsset: "vendor/nhsuk/images/nhsuk-icon-180.png",
			wantHeaders: map[string]string{"Content-Type": "image/png", "Content-Encoding": ""},
		},
		{
			name: "plain name is served but must be revalidated", target: "/static/" + nhsukJS,
			wantStatus: 200, wantAsset: nhsukJS,
			wantHeaders: map[string]string{
				"Cache-Control": cacheRevalidate,
				"Content-Type":  "text/javascript; charset=utf-8",
			},
		},
		{
			name: "brotli", target: Path(appCSS),
			headers:    map[string]string{"Accept-Encoding": "br"},
			wantStatus: 200, wantAsset: appCSS, wantEncoding: "br",
			wantHeaders: map[string]string{"ETag": brETag, "Vary": "Accept-Encoding"},
		},
		{
			name: "browser header prefers brotli", target: Path(nhsukCSS),
			headers:    map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"},
			wantStatus: 200, wantAsset: nhsukCSS, wantEncoding: "br",
		},
		{
			name: "gzip", target: Path(nhsukCSS),
			headers:    map[string]string{"Accept-Encoding": "gzip"},
			wantStatus: 200, wantAsset: nhsukCSS, wantEncoding: "gzip",
		},
		{
			name: "br refused with q=0", target: Path(htmxJS),
			headers:    map[string]string{"Accept-Encoding": "br;q=0, gzip"},
			wantStatus: 200, wantAsset: htmxJS, wantEncoding: "gzip",
		},
		{
			name: "higher q wins", target: Path(htmxJS),
			headers:    map[string]string{"Accept-Encoding": "br;q=0.5, gzip;q=0.8"},
			wantStatus: 200, wantAsset: htmxJS, wantEncoding: "gzip",
		},
		{
			name: "everything compressed refused", target: Path(appCSS),
			headers:    map[string]string{"Accept-Encoding": "br;q=0, gzip;q=0"},
			wantStatus: 200, wantAsset: appCSS,
			wantHeaders: map[string]string{"Content-Encoding": "", "ETag": cssETag},
		},
		{
			name: "identity without Accept-Encoding", target: Path(nhsukCSS),
			wantStatus: 200, wantAsset: nhsukCSS,
			wantHeaders: map[string]string{"Content-Encoding": ""},
		},
		{
			name: "If-None-Match identity", target: Path(appCSS),
			headers:    map[string]string{"If-None-Match": cssETag},
			wantStatus: 304,
			wantHeaders: map[string]string{
				"ETag":          cssETag,
				"Cache-Control": cacheImmutable,
				"Vary":          "Accept-Encoding",
			},
		},
		{
			name: "If-None-Match brotli, weak and in a list", target: Path(appCSS),
			headers:     map[string]string{"Accept-Encoding": "br", "If-None-Match": `"nope", W/` + brETag},
			wantStatus:  304,
			wantHeaders: map[string]string{"ETag": brETag},
		},
		{
			name: "If-None-Match star", target: "/static/" + appCSS,
			headers:     map[string]string{"If-None-Match": "*"},
			wantStatus:  304,
			wantHeaders: map[string]string{"Cache-Control": cacheRevalidate},
		},
		{
			name: "If-None-Match for another encoding", target: Path(appCSS),
			headers:    map[string]string{"Accept-Encoding": "br", "If-None-Match": cssETag},
			wantStatus: 200, wantAsset: appCSS, wantEncoding: "br",
		},
		{
			name: "HEAD", method: http.MethodHead, target: Path(appCSS),
			wantStatus: 200,
			wantHeaders: map[string]string{
				"Content-Length": strconv.Itoa(len(mustRead(t, appCSS))),
				"Cache-Control":  cacheImmutable,
			},
		},
		{name: "unknown", target: "/static/css/nope.css", wantStatus: 404, wantBody: "not found"},
		{name: "stale hash", target: "/static/css/app.00000000.css", wantStatus: 404, wantBody: "not found"},
		{name: "prefix only", target: "/static/", wantStatus: 404, wantBody: "not found"},
		{name: "directory", target: "/static/css", wantStatus: 404, wantBody: "not found"},
		{name: "go source", target: "/static/embed.go", wantStatus: 404, wantBody: "not found"},
		{name: "extensionless record", target: "/static/vendor/VERSIONS", wantStatus: 404, wantBody: "not found"},
		{name: "dotdot", target: "/static/../go.mod", wantStatus: 404, wantBody: "not found"},
		{name: "dotdot inside", target: "/static/css/../../static/embed.go", wantStatus: 404, wantBody: "not found"},
		{name: "dotdot to a real asset", target: "/static/js/../" + appCSS, wantStatus: 404, wantBody: "not found"},
		{name: "encoded dotdot", target: "/static/%2e%2e/go.mod", wantStatus: 404, wantBody: "not found"},
		{name: "encoded slash", target: "/static/..%2fgo.mod", wantStatus: 404, wantBody: "not found"},
		{name: "backslash", target: "/static/css%5capp.css", wantStatus: 404, wantBody: "not found"},
		{name: "double slash", target: "/static//etc/passwd", wantStatus: 404, wantBody: "not found"},
		{
			name: "POST", method: http.MethodPost, target: Path(appCSS),
			wantStatus: 405, wantBody: "method not allowed",
			wantHeaders: map[string]string{"Allow": "GET, HEAD"},
		},
		{
			name: "DELETE unknown", method: http.MethodDelete, target: "/static/nope",
			wantStatus: 405, wantHeaders: map[string]string{"Allow": "GET, HEAD"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			resp, body := do(t, app, method, tt.target, tt.headers)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %.80q)", resp.StatusCode, tt.wantStatus, body)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			for k, want := range tt.wantHeaders {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			switch {
			case tt.wantBody != "":
				if string(body) != tt.wantBody {
					t.Errorf("body = %q, want %q", body, tt.wantBody)
				}
			case tt.wantStatus == 304 || method == http.MethodHead:
				if len(body) != 0 {
					t.Errorf("got %d body bytes, want none", len(body))
				}
			case tt.wantAsset != "":
				enc := resp.Header.Get("Content-Encoding")
				if enc != tt.wantEncoding {
					t.Fatalf("Content-Encoding = %q, want %q", enc, tt.wantEncoding)
				}
				if enc != "" && len(body) >= len(mustRead(t, tt.wantAsset)) {
					t.Errorf("%s body is %d bytes, not smaller than the original", enc, len(body))
				}
				if !bytes.Equal(decode(t, enc, body), mustRead(t, tt.wantAsset)) {
					t.Errorf("decoded body differs from %s", tt.wantAsset)
				}
			}
		})
	}
}

// The app may mount the handler so that the /static prefix is stripped.
func TestHandlerStrippedPrefix(t *testing.T) {
	app := fiber.New()
	app.Use(Handler())
	resp, body := do(t, app, http.MethodGet, strings.TrimPrefix(Path(appCSS), "/static"), nil)
	if resp.StatusCode != 200 || !bytes.Equal(body, mustRead(t, appCSS)) {
		t.Fatalf("status %d, body %.60q", resp.StatusCode, body)
	}
}

// Every embedded asset is served, byte for byte, at the URL Path gives.
func TestPathIsServed(t *testing.T) {
	app := newApp()
	hashed := regexp.MustCompile(`^/static/(.+)\.([0-9a-f]{8})(\.[a-z0-9]+)$`)
	for _, a := range load().assets {
		if !Exists(a.name) {
			t.Errorf("Exists(%q) = false", a.name)
		}
		url := Path(a.name)
		m := hashed.FindStringSubmatch(url)
		if m == nil || m[1]+m[3] != a.name {
			t.Errorf("Path(%q) = %q, want /static/<name>.<8 hex>.<ext>", a.name, url)
			continue
		}
		sum := sha256.Sum256(a.body)
		if m[2] != hex.EncodeToString(sum[:])[:8] {
			t.Errorf("Path(%q) hash %s is not the content's", a.name, m[2])
		}
		resp, body := do(t, app, http.MethodGet, url, nil)
		if resp.StatusCode != 200 || !bytes.Equal(body, mustRead(t, a.name)) {
			t.Errorf("GET %s: status %d, body differs from %s", url, resp.StatusCode, a.name)
		}
	}
	for _, want := range []string{appCSS, appJS, "js/nhsuk-supported.js", nhsukCSS, nhsukJS, htmxJS} {
		if !Exists(want) {
			t.Errorf("Exists(%q) = false", want)
		}
	}
}

func TestPathUnknown(t *testing.T) {
	for _, name := range []string{"css/nope.css", "embed.go", "vendor/VERSIONS", "/css/app.css"} {
		if Exists(name) {
			t.Errorf("Exists(%q) = true", name)
		}
		if got, want := Path(name), "/static/"+name; got != want {
			t.Errorf("Path(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header           string
		haveGzip, haveBr bool
		want             string
	}{
		{"br", true, true, "br"},
		{"gzip, br", true, true, "br"},
		{"gzip, deflate, br, zstd", true, true, "br"},
		{"gzip", true, true, "gzip"},
		{"x-gzip", true, true, "gzip"},
		{"BR", true, true, "br"},
		{"gzip, br", true, false, "gzip"},
		{"br", true, false, ""},
		{"br;q=0, gzip", true, true, "gzip"},
		{"br; q=0.0, gzip", true, true, "gzip"},
		{"br;q=0.5, gzip;q=0.8", true, true, "gzip"},
		{"gzip;q=0.5, identity", true, true, ""},
		{"*", true, true, "br"},
		{"*;q=0.5, br;q=0", true, true, "gzip"},
		{"identity", true, true, ""},
		{"deflate", true, true, ""},
		{"br;q=2, gzip", true, true, "gzip"}, // malformed q ignores the element
		{"br;q=abc", true, true, ""},
		{"br;q=0, gzip;q=0", true, true, ""},
		{"identity;q=0, *;q=0", true, true, ""}, // nothing acceptable: identity anyway
		{" , ,", true, true, ""},
	}
	for _, tt := range tests {
		if got := negotiate(tt.header, tt.haveGzip, tt.haveBr); got != tt.want {
			t.Errorf("negotiate(%q, gzip=%v, br=%v) = %q, want %q", tt.header, tt.haveGzip, tt.haveBr, got, tt.want)
		}
	}
}

func TestHashedNameClash(t *testing.T) {
	body := []byte("a{}")
	sum := sha256.Sum256(body)
	clash := "app." + hex.EncodeToString(sum[:])[:8] + ".css"
	_, err := buildManifest(fstest.MapFS{"app.css": {Data: body}, clash: {Data: []byte("b{}")}}, nil)
	if err == nil {
		t.Fatal("no error for a file named like another's hashed name")
	}
}

var cssURL = regexp.MustCompile(`url\(\s*["']?([^)"']*)`)

// The vendored CSS must work offline: no external fonts or images, and every
// relative url() must point at an embedded file (served by its plain name).
func TestVendoredCSSIsSelfContained(t *testing.T) {
	css := string(mustRead(t, nhsukCSS))
	if strings.Contains(css, "@font-face") {
		t.Error("vendored CSS still has @font-face")
	}
	refs := cssURL.FindAllStringSubmatch(css, -1)
	if len(refs) == 0 {
		t.Fatal("no url() found; did the CSS change shape?")
	}
	for _, ref := range refs {
		u := ref[1]
		switch {
		case strings.HasPrefix(u, "data:"):
		case strings.Contains(u, "//") || strings.HasPrefix(u, "/"):
			t.Errorf("absolute url(%s) in vendored CSS", u)
		case !Exists(path.Join(path.Dir(nhsukCSS), u)):
			t.Errorf("url(%s) does not resolve to an embedded file", u)
		}
	}
	if regexp.MustCompile(`(?i)url\(\s*["']?\s*https?:`).MatchString(css) {
		t.Error("http(s) url() in vendored CSS")
	}
}

func TestHTMXVersion(t *testing.T) {
	if !bytes.Contains(mustRead(t, htmxJS), []byte(`version:"2.0.11"`)) {
		t.Error("htmx.min.js is not version 2.0.11")
	}
	if !bytes.Contains(mustRead(t, nhsukJS), []byte(`version="10.6.1"`)) {
		t.Error("nhsuk-frontend.min.js is not version 10.6.1")
	}
}

// js/app.js imports vendored modules by plain relative name; they must exist.
func TestAppJSImportsResolve(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import\s[^'"]*['"]([^'"]+)['"]`).FindAllStringSubmatch(string(mustRead(t, appJS)), -1)
	if len(imports) == 0 {
		t.Fatal("no imports found in app.js")
	}
	for _, imp := range imports {
		if name := path.Join(path.Dir(appJS), imp[1]); !Exists(name) {
			t.Errorf("app.js imports %s, which is not embedded", imp[1])
		}
	}
}

// BenchmarkHandlerBrotli measures serving precompressed CSS with br,
// calling the fasthttp handler directly to leave out app.Test's pipe.
func BenchmarkHandlerBrotli(b *testing.B) {
	for _, name := range []string{appCSS, nhsukCSS} {
		b.Run(path.Base(name), func(b *testing.B) {
			h := newApp().Handler()
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(Path(name))
			ctx.Request.Header.Set(fiber.HeaderAcceptEncoding, "gzip, deflate, br")
			h(&ctx)
			if enc := string(ctx.Response.Header.Peek(fiber.HeaderContentEncoding)); enc != "br" {
				b.Fatalf("Content-Encoding = %q, want br", enc)
			}
			b.SetBytes(int64(len(ctx.Response.Body())))
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
			}
		})
	}
}
