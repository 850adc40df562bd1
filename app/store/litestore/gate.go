package litestore

import (
	"context"
	"sync"
	"time"
)

// gate hands SQLite's one writer to InTx's callers one at a time: people's
// requests (store.Interactive) first, each class first come, first served.
// database/sql alone hands a freed connection to a random waiter, so a save
// could lose the draw to a recalculation's and an aggregation's
// transactions again and again; and even in order, a save queued behind
// several background transactions waits for all of them. A background
// transaction is held back at most maxBackgroundWait: after that it goes
// next, so jobs still run while clinicians save back to back.
type gate struct {
	maxBackgroundWait time.Duration
	now               func() time.Time

	mu          sync.Mutex
	busy        bool
	interactive []*waiter
	background  []*waiter
}

type waiter struct {
	ready chan struct{}
	since time.Time
}

// maxBackgroundWait is how long a background transaction may be passed by
// interactive ones: longer than a burst of saves, short enough that a
// kpi_score job or a recalculation's part is not starved.
const maxBackgroundWait = 250 * time.Millisecond

func newGate() *gate { return &gate{maxBackgroundWait: maxBackgroundWait, now: time.Now} }

// acquire waits for the writer; it returns ctx's error, holding nothing,
// when ctx ends first.
func (g *gate) acquire(ctx context.Context, interactive bool) error {
	g.mu.Lock()
	if !g.busy {
		g.busy = true
		g.mu.Unlock()
		return nil
	}
	w := &waiter{ready: make(chan struct{}), since: g.now()}
	if interactive {
		g.interactive = append(g.interactive, w)
	} else {
		g.background = append(g.background, w)
	}
	g.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		queued := g.drop(w)
		g.mu.Unlock()
		if !queued {
			g.release() // handed over as ctx ended: pass it on
		}
		return ctx.Err()
	}
}

// release hands the writer to the next waiter, or frees it.
func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	var next *waiter
	switch {
	case len(g.background) > 0 && (len(g.interactive) == 0 || g.now().Sub(g.background[0].since) >= g.maxBackgroundWait):
		next, g.background = g.background[0], g.background[1:]
	case len(g.interactive) > 0:
		next, g.interactive = g.interactive[0], g.interactive[1:]
	default:
		g.busy = false
		return
	}
	close(next.ready) // busy stays true: the writer passes straight on
}

// drop removes w from its queue, reporting whether it was still queued.
func (g *gate) drop(w *waiter) bool {
	for _, q := range []*[]*waiter{&g.interactive, &g.background} {
		for i, x := range *q {
			if x == w {
				*q = append((*q)[:i], (*q)[i+1:]...)
				return true
			}
		}
	}
	return false
}
