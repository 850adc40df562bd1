package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// intervals collects the saves of the current interval for -every, so that
// a long run shows whether latency drifts (a soak's p99 by minute).
type intervals struct {
	start time.Time
	out   io.Writer
	mu    sync.Mutex
	lat   []time.Duration
	errs  int
	n     int // intervals reported
}

func (iv *intervals) add(lat time.Duration, err error) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if err != nil {
		iv.errs++
	} else {
		iv.lat = append(iv.lat, lat)
	}
}

// report prints one line per interval until the returned func is called,
// which prints what the last, partial interval holds.
func (iv *intervals) report(every time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				iv.flush("")
			case <-done:
				iv.flush(" (partial)")
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// flush prints and empties the current interval. The line's format is read
// by scripts/soak.sh: keep "interval", "saves", "p99" and "errors".
func (iv *intervals) flush(note string) {
	iv.mu.Lock()
	lat, errs := iv.lat, iv.errs
	iv.lat, iv.errs = nil, 0
	iv.n++
	n := iv.n
	iv.mu.Unlock()
	if len(lat) == 0 && errs == 0 {
		return
	}
	slices.Sort(lat)
	fmt.Fprintf(iv.out, "interval %d%s at %s: saves %d, p50 %s, p99 %s, max %s, errors %d\n", n, note,
		time.Since(iv.start).Round(time.Second), len(lat), percentile(lat, 0.50), percentile(lat, 0.99), percentile(lat, 1), errs)
}

// percentile of sorted latencies, as "12.3 ms" ("-" when there are none).
func percentile(sorted []time.Duration, p float64) string {
	if len(sorted) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f ms", float64(sorted[min(len(sorted)-1, int(float64(len(sorted))*p))].Microseconds())/1000)
}
