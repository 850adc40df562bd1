package static

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

const (
	urlPrefix = "/static/"

	// nameHashLen hex chars of sha256 go into file names: plenty to bust
	// caches, short enough to keep URLs readable. The ETag uses more.
	nameHashLen = 8
	etagHashLen = 16

	cacheImmutable = "public, max-age=31536000, immutable"
	// Plain (unhashed) names exist for references we cannot rewrite: the ES
	// module import in js/app.js and the relative url()s in vendored CSS.
	// no-cache means "revalidate every time", which the ETag makes a cheap 304.
	cacheRevalidate = "no-cache"
)

// contentTypes is consulted before mime.TypeByExtension so that responses do
// not depend on the host's mime.types (which maps .js differently on some
// distributions and often lacks .woff2 and .map).
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// compressible lists the types worth precompressing; images and fonts are
// already compressed. .ico is an uncompressed bitmap container.
var compressible = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".svg": true, ".json": true,
	".txt": true, ".map": true, ".ico": true,
}

func contentType(ext string) string {
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

type asset struct {
	name        string // path in the embedded FS, e.g. "css/app.css"
	hashedName  string // e.g. "css/app.3f2a1b9c.css"
	contentType string
	etag        string // quoted strong ETag of the identity body
	body        []byte

	// Compressed bodies, made at build time (precompress.go); nil means
	// "serve identity".
	gz, br []byte
}

type manifest struct {
	assets   []*asset // in lexical order, as fs.WalkDir visits them
	byName   map[string]*asset
	byHashed map[string]*asset
}

// buildManifest hashes every file in fsys and takes each one's compressed
// bodies from pre (nil: none). Files without an extension (such as
// vendor/VERSIONS) are records for humans, not assets, and are skipped.
func buildManifest(fsys, pre fs.FS) (*manifest, error) {
	m := &manifest{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(name)
		if ext == "" {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		a := &asset{
			name:        name,
			hashedName:  strings.TrimSuffix(name, ext) + "." + hash[:nameHashLen] + ext,
			contentType: contentType(ext),
			etag:        `"` + hash[:etagHashLen] + `"`,
			body:        body,
		}
		if err := a.loadPrecompressed(pre); err != nil {
			return err
		}
		m.assets = append(m.assets, a)
		m.byName[a.name] = a
		m.byHashed[a.hashedName] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A file literally named like another's hashed name would make URLs
	// ambiguous; refuse rather than guess.
	for _, a := range m.assets {
		if other, ok := m.byName[a.hashedName]; ok {
			return nil, fmt.Errorf("static: %s clashes with the hashed name of %s", other.name, a.name)
		}
	}
	return m, nil
}

// load builds the manifest of the embedded files once, on first use, so that
// importing the package costs nothing until an asset is needed.
var load = sync.OnceValue(func() *manifest {
	pre, err := fs.Sub(precompressed, precompressedDir)
	if err != nil {
		panic(err)
	}
	m, err := buildManifest(files, pre)
	if err != nil {
		// The embedded files are fixed at build time, and the tests
		// build the manifest, so this cannot happen in a tested binary.
		panic(err)
	}
	return m
})

// Path returns the URL of the named asset (a path relative to this
// directory, e.g. "css/app.css") under its content-hashed name, e.g.
// "/static/css/app.3f2a1b9c.css". An unknown name is returned unhashed so a
// typo shows up as a 404 in the browser; use [Exists] to check in tests.
func Path(name string) string {
	if a, ok := load().byName[name]; ok {
		return urlPrefix + a.hashedName
	}
	return urlPrefix + name
}

// Exists reports whether name (e.g. "css/app.css") is an embedded asset.
func Exists(name string) bool {
	_, ok := load().byName[name]
	return ok
}

// Handler serves the embedded assets. Mount it with
//
//	app.Use("/static", static.Handler())
//
// It accepts request paths with or without the /static prefix. Hashed names
// are cached for a year as immutable; plain names must be revalidated.
// Compressed bodies come precompressed from the binary: serving never
// compresses.
func Handler() fiber.Handler {
	return load().serve
}

// lookup maps a request path to an asset, reporting whether it was requested
// by its hashed name.
func (m *manifest) lookup(reqPath string) (a *asset, hashed bool) {
	name, ok := strings.CutPrefix(reqPath, urlPrefix)
	if !ok {
		name = strings.TrimPrefix(reqPath, "/")
	}
	// Lookups are in a map of known names, so traversal cannot reach other
	// files anyway; rejecting non-canonical paths keeps it obvious.
	if !fs.ValidPath(name) || strings.ContainsRune(name, '\\') {
		return nil, false
	}
	if a, ok := m.byHashed[name]; ok {
		return a, true
	}
	return m.byName[name], false
}

func (m *manifest) serve(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	method := c.Method()
	if method != fiber.MethodGet && method != fiber.MethodHead {
		c.Set(fiber.HeaderAllow, "GET, HEAD")
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(fiber.StatusMethodNotAllowed).SendString("method not allowed")
	}
	a, hashed := m.lookup(c.Path())
	if a == nil {
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(fiber.StatusNotFound).SendString("not found")
	}

	body, encoding, etag := a.body, "", a.etag
	if accept := c.Get(fiber.HeaderAcceptEncoding); accept != "" {
		switch negotiate(accept, a.gz != nil, a.br != nil) {
		case "br":
			body, encoding = a.br, "br"
		case "gzip":
			body, encoding = a.gz, "gzip"
		}
	}
	if encoding != "" {
		// Each encoding is a different representation, so a strong ETag
		// must differ too.
		etag = strings.TrimSuffix(a.etag, `"`) + "-" + encoding + `"`
	}

	c.Vary(fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderContentType, a.contentType)
	if hashed {
		c.Set(fiber.HeaderCacheControl, cacheImmutable)
	} else {
		c.Set(fiber.HeaderCacheControl, cacheRevalidate)
	}
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if encoding != "" {
		c.Set(fiber.HeaderContentEncoding, encoding)
	}
	// fasthttp omits the body for HEAD but keeps Content-Length.
	return c.Status(fiber.StatusOK).Send(body)
}

// etagMatches implements If-None-Match's weak comparison against etag.
func etagMatches(ifNoneMatch, etag string) bool {
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// negotiate picks "br", "gzip" or "" (identity) from an Accept-Encoding
// header, given which compressed bodies exist. The highest q-value wins and
// ties go to the smaller encoding (br, then gzip, then identity); q=0 rules a
// compressed coding out. Identity is always the fallback: RFC 9110 allows
// refusing it, but a 406 for a static file helps nobody.
func negotiate(header string, haveGzip, haveBr bool) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		weight, valid := 1.0, true
		for _, param := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(param, "=")
			if !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			w, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			weight, valid = w, err == nil && w >= 0 && w <= 1
		}
		if !valid {
			continue // malformed q-value: ignore the element
		}
		if coding == "x-gzip" {
			coding = "gzip"
		}
		q[coding] = weight
	}
	qOf := func(coding string) float64 {
		if w, ok := q[coding]; ok {
			return w
		}
		return q["*"] // 0 when absent
	}

	// Identity is the fallback, so it starts as the choice; when not
	// mentioned it ranks below any acceptable compressed coding.
	best, bestQ := "", qOf("identity")
	if w := qOf("gzip"); haveGzip && w > 0 && w >= bestQ {
		best, bestQ = "gzip", w
	}
	if w := qOf("br"); haveBr && w > 0 && w >= bestQ {
		best = "br"
	}
	return best
}
