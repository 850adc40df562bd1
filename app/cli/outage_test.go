package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// PostgreSQL goes away under load and comes back: clients get 503 with
// Retry-After (never a 500), /readyz says 503 meanwhile, and the server and
// River recover by themselves within seconds of the database's return, with
// every acknowledged save in the database with its trail row.
//
// By default the outage is a TCP proxy between this server and PostgreSQL
// that cuts every connection and refuses new ones, so the machine's shared
// server keeps running for other tests. CLINAUDIT_REAL_DB_RESTART=1 (make
// test-db-restart, root, before a release) stops and starts the machine's
// PostgreSQL cluster instead.
func TestPostgresOutageRecovers(t *testing.T) {
	const (
		clinicians = 8
		outageFor  = 5 * time.Second
		recoverIn  = 15 * time.Second
	)
	ctx := context.Background()
	dbURL := storetest.NewPostgresDatabase(t)
	appURL, cut, restore := outageOf(t, dbURL)
	direct, err := pgstore.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	token, kids := outageWorld(t, direct, clinicians)
	base, _, stop := startServe(t, appURL, "--workers", "2", "--log-level", "error")
	defer stop()

	l := &outageLoad{base: base, token: token, client: &http.Client{Timeout: 30 * time.Second}, statuses: map[int]int{}}
	var stopLoad atomic.Bool
	var wg sync.WaitGroup
	for i, child := range kids {
		wg.Add(1)
		go func() { defer wg.Done(); l.run(i, child, &stopLoad) }()
	}

	// Load first: every clinician saving, for a second or two.
	loadAt := time.Now()
	for l.savedSince(loadAt) < clinicians && time.Since(loadAt) < time.Minute {
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("every clinician saving %v after the load began", time.Since(loadAt).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	before := l.acked()
	cut()
	cutAt := time.Now()
	if d, ok := waitStatus(base+"/readyz", 503, 10*time.Second); !ok {
		t.Errorf("/readyz did not answer 503 within 10s of the outage")
	} else {
		t.Logf("/readyz 503 %v after the outage began", d.Round(time.Millisecond))
	}
	time.Sleep(time.Until(cutAt.Add(outageFor)))
	during := l.acked()
	restore()
	restoredAt := time.Now()
	if d, ok := waitStatus(base+"/readyz", 200, recoverIn); !ok {
		t.Errorf("/readyz not 200 within %v of the database's return", recoverIn)
	} else {
		t.Logf("/readyz 200 %v after the database returned", d.Round(time.Millisecond))
	}
	deadline := restoredAt.Add(recoverIn)
	for l.savedSince(restoredAt) < clinicians && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := l.savedSince(restoredAt); n < clinicians {
		t.Errorf("%d of %d clinicians saved within %v of the database's return", n, clinicians, recoverIn)
	} else {
		t.Logf("every clinician saving again %v after the database returned", l.lastFirstSave(restoredAt).Round(time.Millisecond))
	}
	time.Sleep(2 * time.Second)
	stopLoad.Store(true)
	wg.Wait()

	l.mu.Lock()
	t.Logf("saves acknowledged: %d before the outage, %d by its end, %d in all; answers by status: %v",
		before, during, len(l.acks), l.statuses)
	if l.statuses[503] == 0 {
		t.Error("no save saw the outage (no 503)")
	}
	for code, n := range l.statuses {
		if code != 200 && code != 503 {
			t.Errorf("%d answers with status %d (want only 200 or 503 with Retry-After); e.g. %.300s", n, code, l.example[code])
		}
	}
	if l.noRetryAfter > 0 {
		t.Errorf("%d 503s without Retry-After", l.noRetryAfter)
	}
	acks := l.acks
	l.mu.Unlock()

	// Every acknowledged save is there, with its trail row: the trail's
	// last change to the field at or before the version the save answered
	// with is the value saved. (A save of the value already stored, after
	// an attempt that failed, changes nothing and writes no row.)
	missing := 0
	for _, a := range acks {
		var v string
		err := direct.Pool().QueryRow(ctx, `SELECT coalesce(new_value, '') FROM answer_changes WHERE child_id = $1
			AND field = $2 AND version <= $3 ORDER BY version DESC, id DESC LIMIT 1`, a.child, a.field, a.version).Scan(&v)
		if err != nil && err.Error() != "no rows in result set" {
			t.Fatal(err)
		}
		if v != a.value {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged saves have no trail row", missing, len(acks))
	}

	// River carries on: the scoring queued by the saves drains, some of it
	// after the database's return.
	drainBy := time.Now().Add(90 * time.Second)
	var left int
	for {
		if err := direct.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled') AND kind = 'kpi_score'`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 || time.Now().After(drainBy) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	var after int
	if err := direct.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'kpi_score' AND state = 'completed'
		AND finalized_at > $1`, restoredAt).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if left > 0 || after == 0 {
		rows, _ := direct.Pool().Query(ctx, `SELECT state, count(*) FROM river_job WHERE kind = 'kpi_score' GROUP BY state`)
		var states []string
		for rows.Next() {
			var s string
			var n int
			_ = rows.Scan(&s, &n)
			states = append(states, fmt.Sprintf("%s=%d", s, n))
		}
		t.Errorf("River after the outage: %d scoring jobs not finished 90s after the load, %d completed since the return (%v)", left, after, states)
	} else {
		t.Logf("River: %d scoring jobs completed since the database returned, none left", after)
	}
}

// outageOf returns the database URL the server should use and how to cut
// and restore its database.
func outageOf(t *testing.T, dbURL string) (string, func(), func()) {
	if os.Getenv("CLINAUDIT_REAL_DB_RESTART") == "1" {
		cluster := os.Getenv("PG_CLUSTER") // version/name, e.g. 16/main
		if cluster == "" {
			entries, err := os.ReadDir("/etc/postgresql")
			if err != nil || len(entries) != 1 {
				t.Fatalf("CLINAUDIT_REAL_DB_RESTART: cannot tell the cluster from /etc/postgresql (%v); set PG_CLUSTER=version/name", err)
			}
			cluster = entries[0].Name() + "/main"
		}
		version, name, _ := strings.Cut(cluster, "/")
		ctl := func(action string) func() {
			return func() {
				out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", version, name, action).CombinedOutput()
				if err != nil {
					t.Errorf("pg_ctlcluster %s: %v: %s", action, err, out)
				}
			}
		}
		t.Logf("stopping and starting the PostgreSQL cluster %s", cluster)
		return dbURL, ctl("stop"), ctl("start")
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p := newTCPProxy(t, u.Host)
	u.Host = p.addr
	return u.String(), p.cut, p.restore
}

// outageWorld makes a clinician at RGT01 with a session, and one child per
// concurrent clinician, each saved on by one of them.
func outageWorld(t *testing.T, s store.Store, n int) (string, []int64) {
	t.Helper()
	ctx := context.Background()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const email, pw = "outage@rgt01.example", "Correct-horse-battery-9"
	var u store.User
	if err := s.InTx(ctx, func(tx store.Tx) error {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Out", Surname: "Age",
			Role: access.Clinician, Organisation: "RGT01", TwoFactorSkip: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPasswordDirect(ctx, u, pw); err != nil {
		t.Fatal(err)
	}
	res, err := a.SignIn(ctx, email, pw, auth.Client{IP: "10.3.3.3"})
	if err != nil {
		t.Fatal(err)
	}
	org, err := s.GetOrganisationByODS(ctx, "RGT01")
	if err != nil {
		t.Fatal(err)
	}
	fpa := store.NewDate(time.Now().AddDate(0, 0, -30))
	number, _ := cohort.ForDate(fpa.Time())
	c := int64(number)
	r, used := rand.New(rand.NewPCG(9, 9)), map[string]bool{}
	var kids []int64
	for range n {
		nhs := nhsnumber.Generate(r)
		for used[nhs] {
			nhs = nhsnumber.Generate(r)
		}
		used[nhs] = true
		dob, now := store.Date{Year: 2015, Month: 5, Day: 3}, time.Now()
		id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "O",
			Surname: "Utage", DateOfBirth: &dob, Sex: 1, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: org.ID,
			FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		kids = append(kids, id)
	}
	return res.Token, kids
}

// outageLoad is clinicians saving answers as the page's autosave does,
// recording every acknowledged save (200 with "Saved").
type outageLoad struct {
	base, token string
	client      *http.Client

	mu           sync.Mutex
	acks         []outageAck
	statuses     map[int]int
	example      map[int]string
	noRetryAfter int
}

type outageAck struct {
	child        int64
	field, value string
	version      int64
	at           time.Time
}

var versionRE = regexp.MustCompile(`name="v" id="v-[^"]*" value="(\d+)"`)

var outageFields = []string{"general_examination_performed", "neurological_examination_performed",
	"developmental_learning_or_schooling_problems", "behavioural_or_emotional_problems"}

func (l *outageLoad) run(worker int, child int64, stop *atomic.Bool) {
	for i := 0; !stop.Load(); i++ {
		field := outageFields[i%len(outageFields)]
		value := strconv.FormatBool((i/len(outageFields))%2 == 0)
		key := "first_paediatric_assessment.0." + field
		form := url.Values{"key": {key}, key: {value}, "v": {"1000000"}}
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/children/%d/forms/first_paediatric_assessment/answer", l.base, child),
			strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", "outage-csrf")
		req.AddCookie(&http.Cookie{Name: "csrf", Value: "outage-csrf"})
		req.AddCookie(&http.Cookie{Name: "session", Value: l.token})
		resp, err := l.client.Do(req)
		status, body := -1, ""
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			status, body = resp.StatusCode, string(b)
		} else {
			body = err.Error()
		}
		l.mu.Lock()
		l.statuses[status]++
		if status != 200 && status != 503 {
			if l.example == nil {
				l.example = map[int]string{}
			}
			l.example[status] = body
		}
		if status == 503 && resp.Header.Get("Retry-After") == "" {
			l.noRetryAfter++
		}
		if m := versionRE.FindStringSubmatch(body); status == 200 && strings.Contains(body, ">Saved<") && m != nil {
			v, _ := strconv.ParseInt(m[1], 10, 64)
			l.acks = append(l.acks, outageAck{child: child, field: field, value: value, version: v, at: time.Now()})
		}
		l.mu.Unlock()
		if status == 503 {
			time.Sleep(200 * time.Millisecond) // the autosave backs off
		} else {
			time.Sleep(time.Duration(10+worker) * time.Millisecond)
		}
	}
}

func (l *outageLoad) acked() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.acks) }

// savedSince counts the children with an acknowledged save after t.
func (l *outageLoad) savedSince(t time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := map[int64]bool{}
	for _, a := range l.acks {
		if a.at.After(t) {
			seen[a.child] = true
		}
	}
	return len(seen)
}

// lastFirstSave is how long after t the last child had its first save.
func (l *outageLoad) lastFirstSave(t time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	first := map[int64]time.Time{}
	for _, a := range l.acks {
		if a.at.After(t) {
			if f, ok := first[a.child]; !ok || a.at.Before(f) {
				first[a.child] = a.at
			}
		}
	}
	var last time.Duration
	for _, f := range first {
		last = max(last, f.Sub(t))
	}
	return last
}

// waitStatus polls url until it answers want, up to within.
func waitStatus(url string, want int, within time.Duration) (time.Duration, bool) {
	start := time.Now()
	c := &http.Client{Timeout: 3 * time.Second}
	for time.Since(start) < within {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return time.Since(start), true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start), false
}
