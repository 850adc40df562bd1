package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrUnavailable means the database cannot do the work now but may soon:
// PostgreSQL is down or unreachable, SQLite's file is locked by another
// writer past the busy timeout, the disk is full or failing, or the
// database is read-only. Nothing was written. The web layer answers 503
// with Retry-After, so the page says "Not saved – retry" and retries.
var ErrUnavailable = errors.New("store: database unavailable")

// Unavailable wraps err, a driver error the adapter has classified, so that
// errors.Is(…, ErrUnavailable) holds and the driver's text stays in logs.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// IsUnavailable reports whether err means "try again shortly": the adapter
// said so, or the request's own deadline passed while it waited for the
// database (a connection, a lock).
func IsUnavailable(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}
