// Package static embeds the app's front-end assets (our CSS and JS plus the
// vendored NHS.UK frontend and htmx) and serves them under content-hashed,
// immutable URLs with gzip and brotli bodies compressed at build time
// (`make precompress`).
//
// Templates link assets with [Path]; the app mounts [Handler] at /static.
// See docs/frontend.md.
package static

import "embed"

// files holds everything servable. Directories are listed explicitly so that
// the Go sources and README in this directory are never served. go:embed
// rejects a pattern that matches no files, so add img here once it exists.
//
//go:embed css js vendor
var files embed.FS

// precompressed holds the compressed bodies (precompress.go). It is a
// separate tree so that its files are never assets themselves.
//
//go:embed precompressed
var precompressed embed.FS
