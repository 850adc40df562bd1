package api

import (
	"strconv"
	"sync"
	"time"
)

// limiter counts each token's calls in fixed windows, in memory: each
// instance limits on its own (docs/api.md says so).
type limiter struct {
	per    int
	window time.Duration
	mu     sync.Mutex
	counts map[int64]*bucket
}

type bucket struct {
	start time.Time
	n     int
}

func newLimiter(per int, window time.Duration) *limiter {
	return &limiter{per: per, window: window, counts: map[int64]*bucket{}}
}

// take spends one call of token's window: whether it is allowed, the calls
// left and the seconds until the window resets.
func (l *limiter) take(token int64, now time.Time) (ok bool, left, reset int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.counts[token]
	if b == nil || now.Sub(b.start) >= l.window {
		if len(l.counts) > 10000 { // forget finished windows
			for k, v := range l.counts {
				if now.Sub(v.start) >= l.window {
					delete(l.counts, k)
				}
			}
		}
		b = &bucket{start: now}
		l.counts[token] = b
	}
	reset = int((l.window - now.Sub(b.start) + time.Second - 1) / time.Second)
	if b.n >= l.per {
		return false, 0, reset
	}
	b.n++
	return true, l.per - b.n, reset
}

// policy is the RateLimit-Policy header (draft-ietf-httpapi-ratelimit-headers).
func (l *limiter) policy() string {
	return `"per-token";q=` + strconv.Itoa(l.per) + `;w=` + strconv.Itoa(int(l.window/time.Second))
}

// header is the RateLimit header for what is left.
func rateLimitHeader(left, reset int) string {
	return `"per-token";r=` + strconv.Itoa(left) + `;t=` + strconv.Itoa(reset)
}
