package faults

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/internal/testwait"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// shutdownTimeout is the server's --shutdown-timeout in the test.
const shutdownTimeout = 30 * time.Second

// staleChildren is how many synthetic children the shutdown test adds, so
// that rescoring them all is a job that runs for some seconds: about 1.3
// ms a child on SQLite and 5 ms on PostgreSQL on the loaded development
// machine.
var staleChildren = map[store.Engine]int{store.SQLite: 3000, store.Postgres: 1200}

// Graceful shutdown (issue 23): SIGTERM while clinicians save back to back
// and a long job runs (the KPI reconciliation, rescoring thousands of
// children). Every request in flight is answered, so that acknowledged
// and committed are the same saves (none committed unacknowledged, none
// acknowledged lost, no 5xx); the job finishes, in its first attempt,
// instead of being cancelled; the process exits within --shutdown-timeout.
// Restarted, the new process is River's leader at once (the old one gave
// up its leadership when it stopped) and the queue drains.
func TestGracefulShutdown(t *testing.T) {
	requireFaults(t)
	engines(t, func(t *testing.T, e store.Engine, dbURL string) {
		runCommand(t, binary(t), "seed-demo", "--demo-audits", "20", "--children", strconv.Itoa(staleChildren[e]), "--database-url", dbURL)
		srv := newServer(t, dbURL, "--shutdown-timeout", shutdownTimeout.String())
		srv.start()
		d := openDB(t, dbURL)
		s := openStore(t, d)
		cs := signInClinicians(t, srv.base(), 8)
		reconcileKind := (jobargs.ReconcileKPIsArgs{}).Kind()
		// The start-up reconciliation must be over before the test makes
		// children stale behind its back: one still running would pass
		// them by (it walks the children in order) and be taken for the
		// test's own.
		testwait.Until(t, time.Minute, "the start-up jobs to be done", func() bool {
			return d.completedAfter(t, reconcileKind, 0) && len(d.pending(t)) == 0
		})

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		wait := drive(ctx, srv.base(), cs)
		time.Sleep(time.Second)

		// Every registered child stale, then a reconciliation: it rescores
		// them one by one, for seconds.
		ctxDB, cancelDB := ctxTimeout()
		res, err := d.ExecContext(ctxDB, `UPDATE kpi_results SET audit_complete = NULL`)
		cancelDB()
		if err != nil {
			t.Fatal(err)
		}
		stale, _ := res.RowsAffected()
		if err := jobargs.ReconcileNow(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		var reconcile job
		testwait.Until(t, 30*time.Second, "the reconciliation to be running", func() bool {
			for _, j := range d.jobs(t, "running") {
				if j.kind == reconcileKind {
					reconcile = j
					return true
				}
			}
			return false
		})
		time.Sleep(300 * time.Millisecond)
		took, err := srv.terminate(shutdownTimeout + 10*time.Second)
		cancel()
		wait()
		if err != nil {
			t.Errorf("after SIGTERM: %v", err)
		}
		if took > shutdownTimeout {
			t.Errorf("exited %s after SIGTERM, want within --shutdown-timeout %s", took, shutdownTimeout)
		}

		if got := d.job(t, reconcile.id); got.state != "completed" || got.attempt != 1 || got.errors != 0 {
			t.Errorf("the reconciliation running at SIGTERM ended as %v, want completed in its first attempt", got)
		}
		unacked := checkLedger(t, d, cs, 0)
		all, failed, why := tally(cs)
		for msg := range why {
			if !strings.HasPrefix(msg, "network: ") {
				t.Errorf("a save failed with %q, want only refused or closed connections once the server stopped", msg)
			}
		}

		// Restarted, the queue drains and the scores are fresh.
		ready := srv.start()
		testwait.Until(t, time.Minute, "a River leader", func() bool { return d.leader(t) != "" })
		leaderAfter := time.Since(srv.startedAt)
		// Drained means the restarted leader's own start-up reconciliation
		// has run too, not only that nothing is queued yet.
		drained := testwait.Until(t, drainLimit, "the queue to drain", func() bool {
			return d.completedAfter(t, reconcileKind, reconcile.id) && len(d.pending(t)) == 0
		})
		checkFresh(t, s, cs)
		t.Logf("%s: SIGTERM under load with the reconciliation of %d children running; exited in %s; the reconciliation completed in attempt 1",
			e, stale, took.Round(time.Millisecond))
		t.Logf("%s: %d saves acknowledged, 0 lost, %d committed unacknowledged; %d failed %v", e, all, unacked, failed, why)
		t.Logf("%s: restarted: ready in %s, River leader within %s of the start, queue drained %s later", e,
			ready.Round(time.Millisecond), leaderAfter.Round(100*time.Millisecond), drained.Round(100*time.Millisecond))
		if _, err := srv.terminate(shutdownTimeout + 10*time.Second); err != nil {
			t.Errorf("SIGTERM at the end: %v", err)
		}
	})
}
