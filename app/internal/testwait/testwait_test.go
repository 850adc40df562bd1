package testwait

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEventuallyReturnsOnceDone(t *testing.T) {
	n := 0
	took := Eventually(t, time.Second, "the third check", func() (string, bool) {
		n++
		return fmt.Sprint(n), n == 3
	})
	if n != 3 {
		t.Errorf("checked %d times, want 3", n)
	}
	if took > 500*time.Millisecond {
		t.Errorf("three checks took %s", took)
	}
}

// recorder is a testing.TB that records a Fatalf instead of ending the test.
type recorder struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.msg = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	panic(r) // stop Eventually, as runtime.Goexit would
}

func failure(f func(t testing.TB)) (msg string) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil && p != any(r) {
			panic(p)
		}
		msg = r.msg
	}()
	f(r)
	return ""
}

func TestEventuallyFailsSayingWhatAndLast(t *testing.T) {
	msg := failure(func(tb testing.TB) {
		Eventually(tb, 30*time.Millisecond, "the queue to drain", func() (string, bool) { return "4 jobs left", false })
	})
	if !strings.Contains(msg, "waited 30ms for the queue to drain") || !strings.Contains(msg, "last: 4 jobs left") {
		t.Errorf("failure message %q", msg)
	}
	msg = failure(func(tb testing.TB) { Until(tb, 10*time.Millisecond, "a leader", func() bool { return false }) })
	if msg != "waited 10ms for a leader" {
		t.Errorf("failure message %q", msg)
	}
}
