package litestore_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
)

// Transactions waiting for SQLite's one writer get it in the order they
// asked: database/sql alone hands a freed connection to a random waiter,
// and a save could lose the draw to background transactions again and
// again. Eight transactions queued one after another behind a held one run
// in that order (at random, one order in 40,320).
func TestInTxQueuesWritersInOrder(t *testing.T) {
	s, err := litestore.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	release, holding := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = s.InTx(ctx, func(store.Tx) error {
			close(holding)
			<-release
			return nil
		})
	})
	<-holding
	var mu sync.Mutex
	var order []int
	for i := range 8 {
		wg.Go(func() {
			if err := s.InTx(ctx, func(store.Tx) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
		time.Sleep(50 * time.Millisecond) // it is queued before the next asks
	}
	close(release)
	wg.Wait()
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Errorf("queued transactions ran in the order %v, want %v", order, want)
	}
}

// A transaction queued for the writer gives up when its context ends,
// without waiting for the one holding it.
func TestInTxQueueHonoursContext(t *testing.T) {
	s, err := litestore.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	release, holding := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.InTx(context.Background(), func(store.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err = s.InTx(ctx, func(store.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Errorf("InTx behind a held writer with a 50 ms context: %v (ran %v), want the deadline", err, ran)
	}
	close(release)
	<-done
	if err := s.InTx(context.Background(), func(store.Tx) error { return nil }); err != nil {
		t.Errorf("the writer after the others finished: %v", err)
	}
}
