package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"clinaudit/app/children"
	"clinaudit/app/config"
	"clinaudit/app/family"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// newFiles opens the file storage and its keys from the settings. The
// caller closes the bucket.
func newFiles(ctx context.Context, cfg *config.Config, s store.Store) (*files.Service, error) {
	keys, err := filesKeys(cfg)
	if err != nil {
		return nil, err
	}
	b, err := files.OpenBucket(ctx, cfg.FilesLocation())
	if err != nil {
		return nil, err
	}
	return &files.Service{Store: s, Bucket: b, Keys: keys, Registry: &registry.Service{Store: s, Now: time.Now},
		Children: &children.Service{Store: s, Now: time.Now}, Families: &family.Service{Store: s, Now: time.Now}, MaxSize: int64(cfg.FilesMaxMB) << 20, LinkTTL: cfg.FilesLinkTTL}, nil
}

// filesKeys is --files-keys, or for a file: directory with none given, a
// key generated once and kept (owner-only) in files.key beside the
// directory, not in it: the embedded default works with no setting, and a
// copy of the files directory alone is still unreadable.
func filesKeys(cfg *config.Config) (*files.Keyring, error) {
	if cfg.FilesKeys != "" {
		return files.ParseKeys(cfg.FilesKeys)
	}
	dir, _ := strings.CutPrefix(cfg.FilesLocation(), "file:")
	abs, err := filepath.Abs(strings.TrimPrefix(dir, "//"))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(filepath.Dir(abs), "files.key")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		b = []byte(files.NewKey("local1"))
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, fmt.Errorf("files: write %s: %w", path, err)
		}
	} else if err != nil {
		return nil, err
	}
	return files.ParseKeys(strings.TrimSpace(string(b)))
}

const filesUsage = "usage: clinaudit files new-key ID\n       clinaudit files rewrap"

// filesCommand runs `files new-key` (print a key for --files-keys) and
// `files rewrap` (wrap every file's data key under the first key).
func filesCommand(ctx context.Context, cfg *config.Config, args []string, env Env) error {
	switch {
	case len(args) == 2 && args[0] == "new-key" && !strings.ContainsAny(args[1], ":, \t"):
		fmt.Fprintln(env.Stdout, files.NewKey(args[1]))
		return nil
	case len(args) == 1 && args[0] == "rewrap":
	default:
		fmt.Fprintln(env.Stderr, filesUsage)
		return errUsage
	}
	keys, err := filesKeys(cfg)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := files.Rewrap(ctx, s, keys)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "rewrapped %d files' data keys under %s\n", n, keys.Current)
	return nil
}
