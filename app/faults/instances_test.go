// Package faults runs the real binary under faults (issue #23). These tests
// take minutes, so they run only with CLINAUDIT_FAULTS=1 (make
// test-instances); docs/testing.md says how, docs/operations.md what they
// found.
package faults

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/internal/testwait"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/jackc/pgx/v5/pgxpool"
)

// multiRescueWait is how long, after the kill, the test waits for River to
// take back the job the killed worker held (CLINAUDIT_FAULT_RESCUE_WAIT
// overrides it). River's rescuer runs every 30 s on the leader and takes
// back jobs running for longer than RescueStuckJobsAfter (app/store/jobs.go).
func multiRescueWait() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("CLINAUDIT_FAULT_RESCUE_WAIT")); err == nil {
		return d
	}
	return 150 * time.Second
}

// periodicKinds are periodic jobs with no uniqueness of their own: each is
// inserted once by River's periodic enqueuer at the start of each leader's
// term (RunOnStart) and then once a period, so their counts show how many
// processes enqueue them.
var periodicKinds = []string{"sessions_purge", "exports_purge", "children_purge", "database_optimize"}

// TestManyInstancesOnPostgres runs two `serve --workers=0` and two `worker`
// processes on one PostgreSQL database behind a round-robin proxy, and
// proves: a session made on one instance works on the other; sign-in
// lockouts hold across instances; periodic jobs are enqueued by one
// process (the leader), not by each; a worker killed with SIGKILL while it
// holds a job hands that job and the rest of the work to the other; and
// every save acknowledged through the proxy meanwhile is in the database.
func TestManyInstancesOnPostgres(t *testing.T) {
	requireFaults(t)
	started := time.Now()
	ctx := context.Background()
	dbURL := storetest.EmptyDatabaseURL(t, store.Postgres)
	bin := multiBuild(t, t.TempDir())
	t.Logf("built the binary in %s", time.Since(started).Round(time.Second))

	// The demo data: accounts that sign in without a second factor, 300
	// children, and a kpi_score job waiting for each of 150 of them.
	if out, err := exec.Command(bin, "seed-demo", "--database-url", dbURL, "--log-format", "json").CombinedOutput(); err != nil {
		t.Fatalf("seed-demo: %v\n%s", err, multiCut(string(out), 2000))
	}
	db, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	// Hold one child's row lock, which the scorer takes: its kpi_score
	// job will hang inside the first worker until that worker is killed.
	var held int64
	if err := db.QueryRow(ctx, `SELECT (args->>'child_id')::bigint FROM river_job
		WHERE kind = 'kpi_score' AND state = 'available' ORDER BY id LIMIT 1`).Scan(&held); err != nil {
		t.Fatalf("no kpi_score job waiting after seed-demo: %v", err)
	}
	lockTx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lockTx.Rollback(ctx)
	if _, err := lockTx.Exec(ctx, `SELECT 1 FROM children WHERE id = $1 FOR UPDATE`, held); err != nil {
		t.Fatal(err)
	}

	common := []string{"--database-url", dbURL, "--log-format", "json", "--trusted-proxies", "127.0.0.1/32"}
	web := []*multiProc{
		multiStart(t, bin, "serve-0", append([]string{"serve", "--workers=0", "--addr", "127.0.0.1:0"}, common...)...),
		multiStart(t, bin, "serve-1", append([]string{"serve", "--workers=0", "--addr", "127.0.0.1:0"}, common...)...),
	}
	lb := newMultiProxy(web[0].addr, web[1].addr)
	proxy := httptest.NewServer(lb)
	t.Cleanup(proxy.Close)

	// Worker A starts alone, so it is the leader and takes every job.
	workerA := multiStart(t, bin, "worker-a", append([]string{"worker", "--workers", "4"}, common...)...)
	leader := func() string {
		var id string
		_ = db.QueryRow(ctx, `SELECT leader_id FROM river_leader WHERE expires_at > now()`).Scan(&id)
		return id
	}
	var leaderA string
	testwait.Eventually(t, 30*time.Second, "worker A to be elected", func() (string, bool) { leaderA = leader(); return leaderA, leaderA != "" })
	testwait.Eventually(t, 30*time.Second, "worker A to score every child but the held one, and hang on that one", func() (string, bool) {
		left := count(`SELECT count(*) FROM river_job WHERE kind = 'kpi_score' AND state <> 'completed'`)
		hanging := count(`SELECT count(*) FROM river_job WHERE kind = 'kpi_score' AND state = 'running'
			AND (args->>'child_id')::bigint = $1 AND attempted_by[array_upper(attempted_by, 1)] = $2`, held, leaderA)
		return fmt.Sprintf("%d left, %d hanging", left, hanging), left == 1 && hanging == 1
	})
	periodic := func() map[string]int64 {
		got := map[string]int64{}
		rows, err := db.Query(ctx, `SELECT kind, count(*) FROM river_job WHERE kind = ANY($1) GROUP BY kind`, periodicKinds)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			got[k] = n
		}
		return got
	}
	testwait.Eventually(t, 10*time.Second, "worker A's periodic jobs at the start of its term", func() (string, bool) {
		p := periodic()
		return fmt.Sprint(p), len(p) == len(periodicKinds)
	})
	t.Logf("%s: worker A is the leader (%s) and hangs on child %d's kpi_score job", multiSince(started), leaderA, held)

	// Clinicians save through the proxy from here to the end.
	saves := startMultiSavers(t, proxy.URL, held)

	workerB := multiStart(t, bin, "worker-b", append([]string{"worker", "--workers", "4"}, common...)...)
	bothSince := time.Now()

	checkSessionAcrossInstances(t, "http://"+web[0].addr, "http://"+web[1].addr)
	t.Logf("%s: a session made on instance 0 worked on instance 1, and signing out there ended it on instance 0", multiSince(started))
	checkLockoutAcrossInstances(t, proxy.URL)
	t.Logf("%s: 5 wrong passwords from one client, alternately on each instance, locked that client out of the account on both; another client signed in", multiSince(started))

	// Both workers have run together long enough for worker B to have
	// tried to become the leader (River's elector tries every few seconds).
	time.Sleep(time.Until(bothSince.Add(15 * time.Second)))
	if id := leader(); id != leaderA {
		t.Fatalf("the leader changed while both workers ran: %q, was %q", id, leaderA)
	}
	for k, n := range periodic() {
		if n != 1 {
			t.Errorf("with two workers running, %s was enqueued %d times; want 1 (the leader only)", k, n)
		}
	}
	t.Logf("%s: after 15 s of both workers, worker A still leads and each periodic job was enqueued once: %v", multiSince(started), periodic())

	// Kill worker A while it holds the held child's job, then let the
	// child's lock go: the job stays "running" in the database, owned by a
	// process that no longer exists.
	workerA.kill()
	killedAt := time.Now()
	if err := lockTx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	var leaderB string
	testwait.Eventually(t, 60*time.Second, "worker B to be elected after worker A was killed", func() (string, bool) {
		leaderB = leader()
		return leaderB, leaderB != "" && leaderB != leaderA
	})
	handover := time.Since(killedAt)
	t.Logf("%s: worker A killed; worker B elected %s later", multiSince(started), handover.Round(time.Second))
	testwait.Eventually(t, 20*time.Second, "worker B's periodic jobs at the start of its term", func() (string, bool) {
		p := periodic()
		done := true
		for _, k := range periodicKinds {
			done = done && p[k] == 2
		}
		return fmt.Sprint(p), done
	})

	rescueWait := multiRescueWait()
	testwait.Eventually(t, rescueWait, "the held child's job, stuck with the killed worker, to be completed by worker B "+
		"(River's rescuer takes back a job running longer than RescueStuckJobsAfter, app/store/jobs.go; its default is an hour)", func() (string, bool) {
		var state, by string
		_ = db.QueryRow(ctx, `SELECT state, coalesce(attempted_by[array_upper(attempted_by, 1)], '') FROM river_job
			WHERE kind = 'kpi_score' AND (args->>'child_id')::bigint = $1 ORDER BY id DESC LIMIT 1`, held).Scan(&state, &by)
		return state + " by " + by, state == "completed" && by == leaderB
	})
	rescued := time.Since(killedAt)
	t.Logf("%s: the job worker A held was taken back and completed by worker B %s after the kill", multiSince(started), rescued.Round(time.Second))

	// Everything else: saves stop, every kpi_score job is completed (by
	// worker B, the only one left) and every saved child is scored at its
	// latest version.
	acks, failed := saves.stop()
	// Other jobs worker A held when it was killed are rescued like the
	// held one, each RescueStuckJobsAfter after it started: the same wait.
	finalWait := max(30*time.Second, time.Until(killedAt.Add(rescueWait)))
	testwait.Eventually(t, finalWait, "every kpi_score job to be completed and every saved child scored at its latest version", func() (string, bool) {
		var left []string
		rows, err := db.Query(ctx, `SELECT 'child ' || (args->>'child_id') || ' ' || state || CASE WHEN attempted_by[array_upper(attempted_by, 1)] = $1
			THEN ' under the killed worker' ELSE '' END FROM river_job WHERE kind = 'kpi_score' AND state <> 'completed'`, leaderA)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l string
			_ = rows.Scan(&l)
			left = append(left, l)
		}
		rows.Close()
		stale := count(`SELECT count(*) FROM children c LEFT JOIN kpi_results k ON k.child_id = c.id
			WHERE c.id = ANY($1) AND (k.data_version IS NULL OR k.data_version <> c.version)`, saves.children())
		return fmt.Sprintf("kpi_score jobs not completed: %v; %d saved children not scored at their latest version", left, stale), len(left) == 0 && stale == 0
	})
	t.Logf("%s: every kpi_score job completed, every saved child scored at its latest version", multiSince(started))
	// Any other job worker A held (an aggregation, say) must have been
	// taken back too, not left "running" under a dead process.
	var orphans []string
	rows, err := db.Query(ctx, `SELECT kind || ' (job ' || id || ', running since ' || to_char(attempted_at, 'HH24:MI:SS') || ')'
		FROM river_job WHERE state = 'running' AND attempted_by[array_upper(attempted_by, 1)] = $1`, leaderA)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var o string
		_ = rows.Scan(&o)
		orphans = append(orphans, o)
	}
	rows.Close()
	if len(orphans) > 0 {
		t.Errorf("%s after the kill, jobs are still running under the killed worker: %v", multiSince(killedAt), orphans)
	}
	for k, n := range periodic() {
		if n != 2 {
			t.Errorf("%s was enqueued %d times over two leader terms; want 2", k, n)
		}
	}

	checkAcknowledged(t, db, acks)
	perBackend := map[string]int{}
	for _, a := range acks {
		perBackend[a.backend]++
	}
	if len(failed) > 0 {
		t.Errorf("%d saves failed (none should: the web instances stayed up): %v", len(failed), failed[:min(5, len(failed))])
	}
	if perBackend["0"] == 0 || perBackend["1"] == 0 {
		t.Errorf("saves were not spread over both instances: %v", perBackend)
	}
	_ = workerB
	t.Logf("many instances: %d saves acknowledged (instance 0: %d, instance 1: %d), %d failed, all in the database with their trail; "+
		"leader handed over %s after the kill; the killed worker's job completed by the other %s after the kill (rescue wait allowed %s); whole test %s",
		len(acks), perBackend["0"], perBackend["1"], len(failed), handover.Round(time.Second), rescued.Round(time.Second), rescueWait, time.Since(started).Round(time.Second))
}

func multiSince(t time.Time) string { return time.Since(t).Round(time.Second).String() }

// checkSessionAcrossInstances signs in on instance a directly, uses the
// session on instance b, signs out on b, and finds the session gone on a.
func checkSessionAcrossInstances(t *testing.T, a, b string) {
	t.Helper()
	c := newMultiClient("")
	status, _, page, err := c.signIn(a, "national.full@demo.clinaudit.invalid", multiDemoPassword)
	if err != nil || status != 303 {
		t.Fatalf("signing in on instance 0: status %d, %v: %s", status, err, multiCut(page, 500))
	}
	// The browser sends the cookie instance a set to instance b (one host
	// name behind a load balancer; here the same address, another port).
	resp, page, err := c.get(b + "/children")
	if err != nil || resp.StatusCode != 200 || resp.Request.URL.Path != "/children" || !strings.Contains(page, `id="sign-out"`) {
		t.Fatalf("instance 1 did not take instance 0's session: %v, %v", err, resp)
	}
	m := multiCSRFField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("instance 1's page has no sign-out form with a CSRF field")
	}
	req, _ := newFormRequest(b+"/sign-out", "csrf="+m[1])
	if resp, _, err = c.do(req); err != nil || resp.Request.URL.Query().Get("done") != "signed-out" {
		t.Fatalf("signing out on instance 1: %v, %v", err, resp)
	}
	if resp, _, err = c.get(a + "/children"); err != nil || resp.Request.URL.Path != "/sign-in" {
		t.Fatalf("instance 0 still took the session instance 1 signed out: %v, %v", err, resp)
	}
}

// checkLockoutAcrossInstances fails sign-ins to one account from one client
// through the proxy, alternately on each instance: after 5 that client is
// locked out of the account on both, and another client is not.
func checkLockoutAcrossInstances(t *testing.T, proxy string) {
	t.Helper()
	const victim = "national.view@demo.clinaudit.invalid"
	guesser := newMultiClient("203.0.113.7")
	for i := range 5 {
		guesser.pick = fmt.Sprint(i % 2)
		status, backend, page, err := guesser.signIn(proxy, victim, "Wrong-password-"+fmt.Sprint(i))
		if err != nil || backend != guesser.pick || status == 303 {
			t.Fatalf("wrong password %d on instance %s: status %d from %q, %v", i+1, guesser.pick, status, backend, err)
		}
		if i < 4 && !strings.Contains(page, "Enter a correct email address and password") {
			t.Fatalf("wrong password %d: not refused as wrong: %s", i+1, multiCut(page, 500))
		}
	}
	for _, pick := range []string{"0", "1"} {
		guesser.pick = pick
		status, _, page, err := guesser.signIn(proxy, victim, multiDemoPassword)
		if err != nil || status != 429 || !strings.Contains(page, "You have entered a wrong password 5 times in a row, so this account is locked on this device") {
			t.Fatalf("after 5 failures over both instances, the right password on instance %s was not refused as locked: status %d, %v: %s", pick, status, err, multiCut(page, 500))
		}
	}
	other := newMultiClient("203.0.113.8")
	if status, _, page, err := other.signIn(proxy, victim, multiDemoPassword); err != nil || status != 303 {
		t.Fatalf("another client was locked out too: status %d, %v: %s", status, err, multiCut(page, 500))
	}
}

// checkAcknowledged proves every acknowledged save is in the database: a
// trail row for each, and each field's answer the last acknowledged value.
func checkAcknowledged(t *testing.T, db *pgxpool.Pool, acks []multiAck) {
	t.Helper()
	ctx := context.Background()
	type key struct {
		child int64
		field string
	}
	last := map[key]multiAck{}
	missing := 0
	for _, a := range acks {
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM answer_changes WHERE child_id = $1 AND section = $2 AND row_id = 0
			AND field = $3 AND new_value = $4 AND version = $5`, a.child, multiForm, a.field, a.value, a.version).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged save has %d trail rows: %+v", n, a)
			}
		}
		last[key{a.child, a.field}] = a
	}
	for k, a := range last {
		var value, version string
		if err := db.QueryRow(ctx, `SELECT value, version::text FROM answers WHERE child_id = $1 AND section = $2 AND row_id = 0 AND field = $3`,
			k.child, multiForm, k.field).Scan(&value, &version); err != nil || value != a.value || version != a.version {
			t.Errorf("child %d's %s is %q at version %s (%v); the last acknowledged save made it %q at version %s", k.child, k.field, value, version, err, a.value, a.version)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged saves have no trail row", missing, len(acks))
	}
}

// multiSavers are clinicians saving through the proxy until stopped.
type multiSavers struct {
	stopped atomic.Bool
	wg      sync.WaitGroup
	mu      sync.Mutex
	acks    []multiAck
	failed  []string
	clinics []*multiClinician
}

// startMultiSavers signs in four clinicians through the proxy, each on a
// child of their own (never avoid, whose row the test holds), saving one
// answer every ~100 ms.
func startMultiSavers(t *testing.T, proxy string, avoid int64) *multiSavers {
	t.Helper()
	s := &multiSavers{}
	taken := map[int64]bool{avoid: true}
	var mu sync.Mutex
	for i, email := range []string{"clinician@rgt01.demo.clinaudit.invalid", "clinician@7a4h1.demo.clinaudit.invalid",
		"lead@rgt01.demo.clinaudit.invalid", "lead@7a4h1.demo.clinaudit.invalid"} {
		c := &multiClinician{multiClient: newMultiClient(fmt.Sprintf("198.51.100.%d", i+1)), base: proxy}
		if status, _, page, err := c.signIn(proxy, email, multiDemoPassword); err != nil || status != 303 {
			t.Fatalf("%s signing in through the proxy: status %d, %v: %s", email, status, err, multiCut(page, 500))
		}
		if err := c.takeChild(taken, &mu); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		s.clinics = append(s.clinics, c)
	}
	// A save is never cut short: stopping waits for the one in flight, so
	// every save sent is either acknowledged or failed, and the database
	// must hold exactly the last acknowledged answer.
	for _, c := range s.clinics {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for !s.stopped.Load() {
				a, err := c.save(context.Background())
				s.mu.Lock()
				if err != nil {
					s.failed = append(s.failed, err.Error())
				} else {
					s.acks = append(s.acks, a)
				}
				s.mu.Unlock()
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	t.Cleanup(func() { s.stopped.Store(true) })
	return s
}

func (s *multiSavers) stop() ([]multiAck, []string) {
	s.stopped.Store(true)
	s.wg.Wait()
	return s.acks, s.failed
}

func (s *multiSavers) children() []int64 {
	var ids []int64
	for _, c := range s.clinics {
		ids = append(ids, c.child)
	}
	slices.Sort(ids)
	return ids
}
