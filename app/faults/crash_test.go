package faults

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/internal/testwait"
	"clinaudit/app/store"
)

// kills is how many times each engine's server is killed:
// CLINAUDIT_FAULT_KILLS, 3 unless set.
func kills(t *testing.T) int {
	if v := os.Getenv("CLINAUDIT_FAULT_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CLINAUDIT_FAULT_KILLS=%q: want a positive number", v)
		}
		return n
	}
	return 3
}

// drainLimit is how long the queue has to drain after the last restart:
// with River's default rescue (an hour) the jobs running at a kill stayed
// running far longer (issue 23).
const drainLimit = 3 * time.Minute

// Crash under load (issue 23): clinicians save answers back to back over
// HTTP while the server is killed with SIGKILL at a random moment, several
// times, and restarted. Every acknowledged save must be in the database
// with its trail row, no record half-written, the jobs that were running
// at each kill retried and completed, the queue drained, and every
// child's stored KPI result a fresh score of its record.
func TestCrashUnderLoad(t *testing.T) {
	requireFaults(t)
	engines(t, func(t *testing.T, e store.Engine, dbURL string) {
		srv := newServer(t, dbURL)
		first := srv.start()
		d := openDB(t, dbURL)
		cs := signInClinicians(t, srv.base(), 8)
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 23))

		var interrupted []job
		var readies []time.Duration
		var leaderAtKill string
		var lastKill time.Time
		for k := range kills(t) {
			ctx, cancel := context.WithCancel(context.Background())
			wait := drive(ctx, srv.base(), cs)
			// A random moment after 1.5 to 4 s of load, the first at which
			// a job is running (within 3 s more), so that every kill
			// interrupts work River must take back.
			time.Sleep(1500*time.Millisecond + time.Duration(r.Int64N(int64(2500*time.Millisecond))))
			known := func(j job) bool {
				return slices.ContainsFunc(interrupted, func(i job) bool { return i.id == j.id })
			}
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
				if slices.ContainsFunc(d.jobs(t, "running"), func(j job) bool { return !known(j) }) {
					break // one running in this process, not left by the last kill
				}
				time.Sleep(time.Duration(r.IntN(20)) * time.Millisecond)
			}
			leaderAtKill = d.leader(t)
			srv.kill()
			lastKill = time.Now()
			cancel()
			wait()
			running := d.jobs(t, "running")
			for _, j := range running {
				if !known(j) {
					interrupted = append(interrupted, j)
				}
			}
			acked, _, _ := tally(cs)
			t.Logf("kill %d: %d saves acknowledged so far; %d jobs running at the kill: %v", k+1, acked, len(running), running)
			ready := srv.start()
			readies = append(readies, ready)
			for _, c := range cs {
				c.refresh(t, srv.base())
			}
		}

		// A last burst after the last restart, then the queue must drain
		// by itself: River's leader rescues the jobs the kills left
		// running, their retries complete, and the scoring catches up.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		drive(ctx, srv.base(), cs)()
		cancel()
		// The new process becomes River's leader once the killed one's
		// lease has run out (leadership.go in River: 5 s renewals, 10 s
		// of padding); only then run the rescuer and periodic jobs.
		var leaderAfter time.Duration
		drained := testwait.Until(t, drainLimit, "the queue to drain (nothing available, running or waiting for a retry)", func() bool {
			if l := d.leader(t); leaderAfter == 0 && l != "" && l != leaderAtKill {
				leaderAfter = time.Since(lastKill)
			}
			return len(d.pending(t)) == 0
		})
		for _, j := range interrupted {
			if got := d.job(t, j.id); got.state != "completed" {
				t.Errorf("job %v, running at a kill, is now %v", j, got)
			}
		}

		unacked := checkLedger(t, d, cs, len(cs)*(kills(t)+1))
		checkFresh(t, openStore(t, d), cs)
		acked, failed, why := tally(cs)
		t.Logf("%s: %d kills; %d saves acknowledged, 0 lost, %d committed unacknowledged; %d failed %v", e, kills(t), acked, unacked, failed, why)
		t.Logf("%s: ready after first start (migrate, seed) %s, after each kill %v", e, first.Round(time.Millisecond), rounded(readies))
		t.Logf("%s: %d jobs running at the kills, all retried and completed; queue drained %s after the last burst; a new River leader %s after the last kill",
			e, len(interrupted), drained.Round(100*time.Millisecond), leaderAfter.Round(100*time.Millisecond))
		if _, err := srv.terminate(30 * time.Second); err != nil {
			t.Errorf("SIGTERM at the end: %v", err)
		}
	})
}

func rounded(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
