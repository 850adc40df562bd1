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

// Driver is what an engine's adapter knows of its driver's errors, for
// MapError.
type Driver struct {
	NoRows error // the error of a query for one row that found none
	// Conflict names the unique index err hit; ok is false when err is no
	// such violation.
	Conflict func(err error) (index string, ok bool)
	// Unavailable reports whether err means "try again shortly" (see
	// ErrUnavailable).
	Unavailable func(err error) bool
}

// MapError turns a driver error into the error contract every adapter
// keeps: ErrNotFound, ErrConflict naming the index, ErrUnavailable, or err
// itself.
func (d Driver) MapError(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	if errors.Is(err, d.NoRows) {
		return ErrNotFound
	}
	if index, ok := d.Conflict(err); ok {
		return fmt.Errorf("%w: %s", ErrConflict, index)
	}
	if d.Unavailable(err) {
		return Unavailable(err)
	}
	return err
}

// IsUnavailable reports whether err means "try again shortly": the adapter
// said so, or the request's own deadline passed while it waited for the
// database (a connection, a lock).
func IsUnavailable(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}
