package litestore

import (
	"context"
	"fmt"
	"path/filepath"

	"clinaudit/app/store"

	"syscall"
)

// Ready reports whether the database can take saves: it answers, and the
// file system holding it has at least MinFreeBytes free. Checking free
// space rather than writing a probe row keeps readiness cheap and keeps it
// off the single writer connection, which a held lock can tie up.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.path), &st); err != nil {
		return store.Unavailable(fmt.Errorf("litestore: free space: %w", err))
	}
	if free := int64(st.Bavail) * int64(st.Bsize); free < s.MinFreeBytes {
		return store.Unavailable(fmt.Errorf("litestore: %d bytes free next to %s, under the %d needed", free, filepath.Base(s.path), s.MinFreeBytes))
	}
	return nil
}
