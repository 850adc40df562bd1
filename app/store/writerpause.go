package store

import (
	"context"
	"time"
)

// DefaultWriterPause is how long background work that writes in parts
// (the KPI recalculation, the aggregation) pauses on SQLite after each
// part, as a multiple of the time the part's transaction held the one
// writer: 1 leaves the writer free at least half the time, so the saves
// queued behind a part get it before the next part (docs/performance.md,
// "Where a save's time goes during a recalculation"). On PostgreSQL, where
// a save waits only for the rows it writes, the default is no pause.
const DefaultWriterPause = 1.0

// PauseAfterWrite pauses background work on engine e after a transaction
// that held the writer for held: for held times factor, where a factor of
// 0 means DefaultWriterPause on SQLite and none on PostgreSQL, and a
// negative one no pause. It returns ctx's error when ctx ends first.
func PauseAfterWrite(ctx context.Context, e Engine, factor float64, held time.Duration) error {
	if factor == 0 && e == SQLite {
		factor = DefaultWriterPause
	}
	pause := time.Duration(float64(held) * factor)
	if pause <= 0 {
		return nil
	}
	t := time.NewTimer(pause)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
