package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		sorted []time.Duration
		p      float64
		want   string
	}{
		{nil, 0.99, "-"},
		{ms(7), 0.99, "7.0 ms"},
		{ms(hundred...), 0.50, "51.0 ms"},
		{ms(hundred...), 0.99, "100.0 ms"},
		{ms(hundred...), 1, "100.0 ms"},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%d values, %v) = %q, want %q", len(tt.sorted), tt.p, got, tt.want)
		}
	}
}

// Each interval reports only its own saves and errors; an empty one prints
// nothing; the last is marked partial. scripts/soak.sh reads these lines.
func TestIntervals(t *testing.T) {
	var out strings.Builder
	iv := &intervals{start: time.Now(), out: &out}
	for i := 1; i <= 100; i++ {
		iv.add(time.Duration(i)*time.Millisecond, nil)
	}
	iv.add(0, errors.New("status 500"))
	iv.flush("")
	iv.flush("") // nothing happened: no line
	iv.add(3*time.Millisecond, nil)
	iv.flush(" (partial)")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), out.String())
	}
	for i, want := range []string{"saves 100, p50 51.0 ms, p99 100.0 ms, max 100.0 ms, errors 1", "saves 1, p50 3.0 ms, p99 3.0 ms, max 3.0 ms, errors 0"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want it to contain %q", i+1, lines[i], want)
		}
	}
	if !strings.HasPrefix(lines[0], "interval 1 at ") || !strings.HasPrefix(lines[1], "interval 3 (partial) at ") {
		t.Errorf("lines do not start as soak.sh expects:\n%s", out.String())
	}
}
