package static

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

// precompressedDir holds the assets' gzip and brotli bodies, made at build
// time by `make precompress` (static/internal/precompress) and committed.
// Compressing at run time cost a process 200–350 MB at start-up: brotli at
// its best level needs tens of megabytes per file, and every file was
// compressed at once. Each file is named after its asset's hashed name plus
// ".gz" or ".br" (css/app.3f2a1b9c.css.br), so a body made from an older
// version of a file is never found, let alone served: that asset is served
// uncompressed until `make precompress` runs, and TestPrecompressedCurrent
// fails meanwhile.
const precompressedDir = "precompressed"

// Encodings, in the order the generator writes them.
const (
	encGzip = "gzip"
	encBr   = "br"
)

// precompressedName is the file in precompressedDir holding hashedName's
// body in encoding.
func precompressedName(hashedName, encoding string) string {
	if encoding == encGzip {
		return hashedName + ".gz"
	}
	return hashedName + ".br"
}

// compress returns body compressed with encoding at its best level, or nil
// when that is not smaller than body (then identity is served). The output
// is deterministic: gzip gets no name and a zero modification time, so
// regenerating an unchanged file changes nothing in git.
func compress(encoding string, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	switch encoding {
	case encGzip:
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := zw.Write(body); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
	case encBr:
		bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
		if _, err := bw.Write(body); err != nil {
			return nil, err
		}
		if err := bw.Close(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("static: unknown encoding %q", encoding)
	}
	if buf.Len() >= len(body) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// Precompress compresses every compressible embedded asset, one at a time,
// and calls write with each body's file name in the precompressed
// directory. It is the generator's work (`make precompress`), exported for
// static/internal/precompress; the server never compresses.
func Precompress(write func(name string, body []byte) error) error {
	m, err := buildManifest(files, nil)
	if err != nil {
		return err
	}
	for _, a := range m.assets {
		if !compressible[path.Ext(a.name)] {
			continue
		}
		for _, enc := range []string{encGzip, encBr} {
			body, err := compress(enc, a.body)
			if err != nil {
				return fmt.Errorf("%s: %w", a.name, err)
			}
			if body != nil {
				if err := write(precompressedName(a.hashedName, enc), body); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// loadPrecompressed fills in a's compressed bodies from pre (nil: none).
// A missing file means "serve identity".
func (a *asset) loadPrecompressed(pre fs.FS) error {
	if pre == nil || !compressible[path.Ext(a.name)] {
		return nil
	}
	for _, enc := range []string{encGzip, encBr} {
		body, err := fs.ReadFile(pre, precompressedName(a.hashedName, enc))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		if enc == encGzip {
			a.gz = body
		} else {
			a.br = body
		}
	}
	return nil
}

// isPrecompressedFile reports whether name (in precompressedDir) is a body
// the generator writes, as opposed to its README.
func isPrecompressedFile(name string) bool {
	return strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br")
}
