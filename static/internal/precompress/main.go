// Command precompress writes the gzip and brotli bodies of the embedded
// static assets into static/precompressed, replacing what is there, so that
// the server serves them without compressing (`make precompress`; see
// static/precompress.go). Run from the repository's root.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"clinaudit/static"
)

func main() {
	if err := run(filepath.Join("static", "precompressed")); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	// Remove the old bodies first: a changed asset gets a new hashed name,
	// and its old bodies would otherwise stay in the binary for nothing.
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	n := 0
	err = static.Precompress(func(name string, body []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(p, body, 0o644)
	})
	if err != nil {
		return err
	}
	// Directories left empty by the removal would make no difference to
	// the embedded files, but git does not track them: tidy up.
	removeEmptyDirs(dir)
	fmt.Printf("precompress: wrote %d files to %s\n", n, dir)
	return nil
}

// removeEmptyDirs removes the empty directories under dir (not dir).
func removeEmptyDirs(dir string) {
	var dirs []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != dir {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- { // deepest first
		_ = os.Remove(dirs[i]) // fails, as it should, unless empty
	}
}
