// Package testwait is the one way tests wait for something that happens in
// the background (a job, a leader election, a server becoming ready): poll
// a condition until it holds or a limit passes, and fail saying what was
// awaited and what the condition last reported. It imports nothing of the
// app, so tests of any package can use it.
package testwait

import (
	"testing"
	"time"
)

// Eventually calls check until it reports done and returns how long that
// took. check says where things stand (a count, a state) as well as whether
// they are done; when limit passes first, the test fails with what and
// check's last report. check runs on the test's goroutine, so it may call
// t.Fatal itself.
//
// The first check is immediate; the pause between checks grows from 5 ms
// to 100 ms, so a quick condition is seen quickly and a slow one is not
// polled hard (a busy SQLite file has one writer).
func Eventually(t testing.TB, limit time.Duration, what string, check func() (last string, done bool)) time.Duration {
	t.Helper()
	start := time.Now()
	pause := 5 * time.Millisecond
	for {
		last, done := check()
		if done {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			if last != "" {
				t.Fatalf("waited %s for %s; last: %s", limit, what, last)
			}
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(pause)
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// Until is Eventually for a condition with nothing to report but whether
// it holds.
func Until(t testing.TB, limit time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	return Eventually(t, limit, what, func() (string, bool) { return "", ok() })
}
