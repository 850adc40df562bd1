package litestore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// queueUp holds the gate, then queues one waiter per entry of classes
// (true: interactive), each queued before the next, and returns the order
// in which they get the writer once the holder lets go.
func queueUp(t *testing.T, g *gate, classes []bool, beforeRelease func()) []int {
	t.Helper()
	if err := g.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i, interactive := range classes {
		g.mu.Lock()
		queued := len(g.interactive) + len(g.background) + 1
		g.mu.Unlock()
		wg.Go(func() {
			if err := g.acquire(context.Background(), interactive); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			g.release()
		})
		for {
			g.mu.Lock()
			n := len(g.interactive) + len(g.background)
			g.mu.Unlock()
			if n == queued {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	if beforeRelease != nil {
		beforeRelease()
	}
	g.release()
	wg.Wait()
	return order
}

func TestGateServesRequestsBeforeBackgroundWork(t *testing.T) {
	tests := []struct {
		name    string
		classes []bool // in the order queued; true: interactive
		aged    bool   // the background waiters have waited past maxBackgroundWait
		want    []int
	}{
		{"background alone, first come first served", []bool{false, false, false}, false, []int{0, 1, 2}},
		{"requests alone, first come first served", []bool{true, true, true}, false, []int{0, 1, 2}},
		{"requests pass queued background work", []bool{false, false, true, true}, false, []int{2, 3, 0, 1}},
		{"background work waiting too long goes next", []bool{false, true, true}, true, []int{0, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			g := newGate()
			g.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			got := queueUp(t, g, tt.classes, func() {
				if tt.aged {
					mu.Lock()
					clock = clock.Add(maxBackgroundWait)
					mu.Unlock()
				}
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("served in the order %v, want %v", got, tt.want)
			}
			if g.busy || len(g.interactive)+len(g.background) != 0 {
				t.Errorf("after everyone: busy %v, %d still queued", g.busy, len(g.interactive)+len(g.background))
			}
		})
	}
}

// A waiter whose context ends leaves the queue and holds nothing: the next
// waiter gets the writer when the holder lets go.
func TestGateWaiterGivesUpOnItsContext(t *testing.T) {
	g := newGate()
	if err := g.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.acquire(ctx, true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire behind a holder with a 20 ms context: %v", err)
	}
	if n := len(g.interactive) + len(g.background); n != 0 {
		t.Fatalf("%d waiters queued after the only one gave up", n)
	}
	g.release()
	if g.busy {
		t.Fatal("the writer stays busy after its holder let go with no one waiting")
	}
	if err := g.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	g.release()
}
