package files

import (
	"context"
	"encoding/base32"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs: AWS S3 and S3-compatible services
)

// OpenBucket opens --files-url: file:DIR (relative or absolute, created if
// missing) for the embedded default, or s3://bucket?region=…&endpoint=…
// for S3 and S3-compatible services (MinIO, Azure's S3 gateway…), as
// gocloud.dev/blob/s3blob reads it (credentials from the usual AWS
// environment variables or files; add use_path_style=true for most
// S3-compatible servers).
func OpenBucket(ctx context.Context, u string) (*blob.Bucket, error) {
	if dir, ok := strings.CutPrefix(u, "file:"); ok {
		if p, err := url.Parse(u); err == nil && strings.HasPrefix(dir, "//") {
			dir = p.Path // file:///abs/path
		}
		if dir == "" {
			return nil, fmt.Errorf("files-url %q: no directory", u)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return nil, fmt.Errorf("files-url: %w", err)
		}
		// No metadata sidecar files: the objects carry nothing but
		// ciphertext, and their names nothing at all.
		return fileblob.OpenBucket(abs, &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	}
	if strings.HasPrefix(u, "s3://") {
		return blob.OpenBucket(ctx, u)
	}
	return nil, fmt.Errorf("files-url %q: want file:DIRECTORY or s3://BUCKET?…", u)
}

// newObjectName is a random object name: 160 bits, lower-case base32, no
// link to the file or its record (the row holds that).
func newObjectName() string {
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(random(20)))
}
