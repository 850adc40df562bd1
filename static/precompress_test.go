package static

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// The committed compressed bodies must be those of the current assets: each
// decodes to its asset and is smaller, none is missing unless compressing
// would not make the file smaller, and none is left over from an older
// version. This is the staleness check of `make precompress`.
func TestPrecompressedCurrent(t *testing.T) {
	const fix = "; run make precompress and commit static/precompressed"
	pre, err := fs.Sub(precompressed, precompressedDir)
	if err != nil {
		t.Fatal(err)
	}
	m := load()
	want := map[string]bool{}
	for _, a := range m.assets {
		if !compressible[path.Ext(a.name)] {
			continue
		}
		for _, enc := range []string{encGzip, encBr} {
			name := precompressedName(a.hashedName, enc)
			got := a.gz
			if enc == encBr {
				got = a.br
			}
			if got == nil {
				// Absent: right only if compressing gains nothing, which
				// is rare enough to check by compressing here.
				if c, err := compress(enc, a.body); err != nil || c != nil {
					t.Errorf("%s has no %s body (%s missing)%s", a.name, enc, name, fix)
				}
				continue
			}
			want[name] = true
			if !bytes.Equal(decode(t, enc, got), a.body) {
				t.Errorf("%s does not decode to %s%s", name, a.name, fix)
			}
			if len(got) >= len(a.body) {
				t.Errorf("%s is not smaller than %s", name, a.name)
			}
		}
	}
	err = fs.WalkDir(pre, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isPrecompressedFile(name) && !want[name] {
			t.Errorf("%s is not the body of any current asset%s", name, fix)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no compressed bodies at all" + fix)
	}
}

// A body is found only under its asset's current hashed name: a body made
// from an older version of the file is never served, and bodies for types
// not worth compressing are ignored.
func TestPrecompressedMatchedByHash(t *testing.T) {
	css := []byte(strings.Repeat(".nhsuk-button{color:red}\n", 200))
	gz, err := compress(encGzip, css)
	if err != nil || gz == nil {
		t.Fatalf("compress: %v, %d bytes", err, len(gz))
	}
	files := fstest.MapFS{"app.css": {Data: css}, "old.css": {Data: css[:100]}, "logo.png": {Data: css}}
	probe, err := buildManifest(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	pre := fstest.MapFS{
		precompressedName(probe.byName["app.css"].hashedName, encGzip): {Data: gz},
		"old.0badc0de.css.gz": {Data: gz}, // an older old.css
		precompressedName(probe.byName["logo.png"].hashedName, encGzip): {Data: gz},
	}
	m, err := buildManifest(files, pre)
	if err != nil {
		t.Fatal(err)
	}
	if a := m.byName["app.css"]; !bytes.Equal(a.gz, gz) || a.br != nil {
		t.Errorf("app.css: gzip %d bytes, br %d bytes; want gzip %d bytes and no br", len(a.gz), len(a.br), len(gz))
	}
	if a := m.byName["old.css"]; a.gz != nil {
		t.Error("old.css got a body made from another version of the file")
	}
	if a := m.byName["logo.png"]; a.gz != nil {
		t.Error("logo.png (not compressible) got a compressed body")
	}
}

func TestCompressOnlyWhenSmaller(t *testing.T) {
	big := []byte(strings.Repeat(".nhsuk-button{color:red}\n", 200))
	for _, enc := range []string{encGzip, encBr} {
		if c, err := compress(enc, []byte("a{}")); err != nil || c != nil {
			t.Errorf("%s of a 3-byte file: %d bytes, %v; want none", enc, len(c), err)
		}
		c, err := compress(enc, big)
		if err != nil || c == nil || len(c) >= len(big) {
			t.Fatalf("%s of %d bytes: %d bytes, %v", enc, len(big), len(c), err)
		}
		if !bytes.Equal(decode(t, enc, c), big) {
			t.Errorf("%s does not round-trip", enc)
		}
		// Deterministic, so regenerating unchanged files changes nothing.
		if again, _ := compress(enc, big); !bytes.Equal(again, c) {
			t.Errorf("%s: two compressions of one file differ", enc)
		}
	}
}

// Serving compresses nothing: mounting the handler and serving the largest
// assets compressed allocates next to nothing. Compressing at run time
// (brotli at its best level, every asset at once) took a process from about
// 50 MB to 250–420 MB at start-up (issue 23).
func TestServingDoesNotCompress(t *testing.T) {
	load() // the manifest's own copies of the files are not what we measure
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	app := newApp()
	type response struct {
		name, enc, got string
		body           []byte
	}
	var responses []response
	for _, name := range []string{nhsukCSS, "vendor/axe-core/axe.min.js", htmxJS} {
		for _, enc := range []string{"br", "gzip"} {
			resp, body := do(t, app, http.MethodGet, Path(name), map[string]string{"Accept-Encoding": enc})
			responses = append(responses, response{name, enc, resp.Header.Get("Content-Encoding"), body})
		}
	}
	runtime.ReadMemStats(&after)
	for _, r := range responses {
		if r.got != r.enc {
			t.Fatalf("%s with %s: Content-Encoding %q", r.name, r.enc, r.got)
		}
		if !bytes.Equal(decode(t, r.enc, r.body), mustRead(t, r.name)) {
			t.Fatalf("%s with %s: body does not decode to the file", r.name, r.enc)
		}
	}
	// The responses cost about a megabyte (copied through app.Test's
	// pipe); one brotli compression at level 11 costs tens.
	mb := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
	t.Logf("allocated %.1f MB", mb)
	if mb > 8 {
		t.Errorf("mounting the handler and serving 3 assets allocated %.1f MB; the server must not compress", mb)
	}
}
