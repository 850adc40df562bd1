package aggregate_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
)

// timedStore records how long each write transaction held the writer: from
// its first statement to its commit (not the wait for the writer).
type timedStore struct {
	store.Store
	mu   sync.Mutex
	held []time.Duration
}

func (s *timedStore) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var began time.Time
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		began = time.Now()
		return fn(tx)
	})
	s.mu.Lock()
	s.held = append(s.held, time.Since(began))
	s.mu.Unlock()
	return err
}

// TestAggregationTransactionTimes times the write transactions of full
// aggregations (every current cohort) of a copy of a SQLite file, such as
// the one scripts/load-during-recalc.sh seeds with 100,000 children:
//
//	AGG_TX_DB=/tmp/copy.db go test -count=1 -run TestAggregationTransactionTimes -v ./app/aggregate/
//
// It writes to the file: give it a copy. Skipped without AGG_TX_DB.
func TestAggregationTransactionTimes(t *testing.T) {
	path := os.Getenv("AGG_TX_DB")
	if path == "" {
		t.Skip("AGG_TX_DB not set")
	}
	ls, err := litestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ls.Close()
	for round := range 3 {
		s := &timedStore{Store: ls}
		start := time.Now()
		runs, err := (&aggregate.Runner{Store: s}).RunCurrent(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		total := time.Since(start)
		var each []string
		for _, h := range s.held {
			each = append(each, strconv.FormatFloat(float64(h.Microseconds())/1000, 'f', 1, 64))
		}
		t.Logf("round %d, in order (ms): %s", round, strings.Join(each, " "))
		held := slices.Clone(s.held)
		slices.Sort(held)
		var sum time.Duration
		for _, h := range held {
			sum += h
		}
		t.Logf("round %d: %d cohorts in %v; %d write transactions held the writer %v in all, median %v, p90 %v, max %v",
			round, len(runs), total.Round(time.Millisecond), len(held), sum.Round(time.Millisecond),
			held[len(held)/2].Round(100*time.Microsecond), held[len(held)*9/10].Round(100*time.Microsecond), held[len(held)-1].Round(100*time.Microsecond))
	}
}
