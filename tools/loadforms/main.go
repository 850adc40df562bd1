// Command loadforms loads the audit forms' save path of a running
// `clinaudit serve --demo` over HTTP, as clinicians' browsers would: N
// clinicians sign in (each with a session of their own, over the demo
// accounts that may edit audits), each takes a registered child of their
// organisation whose audit is open, reads the form page for its CSRF token
// and version, and then saves answers back to back (a closed loop, no pause)
// until the time is up. It prints the saves per second, the latency
// percentiles and the errors, and with -every the same for each interval
// (a soak's p99 by minute: scripts/soak.sh).
//
//	go run ./tools/loadforms -duration 20s -clinicians 16 -url http://127.0.0.1:8080
//	go run ./tools/loadforms -duration 30m -think 1s -every 1m
//
// The demo accounts sign in with the demo password and no second factor;
// nothing needs creating. The saves change the demo children's answers, so
// run it against a demo database you can throw away (make load-forms, or
// `clinaudit serve --demo --database-url sqlite:/tmp/load.db`).
// docs/performance.md has figures.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// demoPassword is cli.DemoPassword (tools do not import the app's
// packages).
const demoPassword = "Blue-kettle-orchard-42!"

// editors are the demo accounts that may answer audits at their
// organisation; clinician i signs in as editors[i % len(editors)]. Their
// organisations' trusts have about 60 children open to answering between
// them; a clinician who finds none left signs in as nationalEditor, who
// may answer any child's audit.
var editors = []string{
	"clinician@rgt01.demo.clinaudit.invalid",
	"clinician@7a4h1.demo.clinaudit.invalid",
	"lead@rgt01.demo.clinaudit.invalid",
	"lead@7a4h1.demo.clinaudit.invalid",
}

const nationalEditor = "national.edit@demo.clinaudit.invalid"

var errNoChild = errors.New("no registered, unlocked child left whose audit this account may answer (fewer -clinicians, or a fresh demo database)")

// form and fields are what is saved: the first form's yes/no questions, in
// turn, each answer the opposite of the last, so every save changes
// something (a save that changes nothing is rolled back).
const form = "first_paediatric_assessment"

var fields = []string{"general_examination_performed", "neurological_examination_performed",
	"developmental_learning_or_schooling_problems", "behavioural_or_emotional_problems"}

var (
	csrfFieldRE  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	csrfHeaderRE = regexp.MustCompile(`"X-CSRF-Token": "([^"]+)"`)
	childRE      = regexp.MustCompile(`data-child="([0-9]+)"`)
	versionRE    = regexp.MustCompile(`id="v-` + form + `-0-[a-z_]+" value="([0-9]+)"`)
	// shownRE is the version of the task list the page shows (#progress-v),
	// which the page's saves send back as "pv".
	shownRE = regexp.MustCompile(`id="progress-v" value="([0-9]+)"`)
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the running clinaudit serve --demo")
	duration := flag.Duration("duration", 20*time.Second, "how long to save for, after signing in (at most 10m, or 12h with -think: a soak)")
	n := flag.Int("clinicians", 16, "clinicians saving at once, each on their own child (at most 256)")
	password := flag.String("password", demoPassword, "the demo accounts' password")
	think := flag.Duration("think", 0, "each clinician's pause between saves, on average (0: back to back, the worst case); a real one answers a question every few seconds")
	every := flag.Duration("every", 0, "also print the saves, latency and errors of each interval this long (0: only the whole run's)")
	flag.Parse()
	// Back to back, a long run only grows the database; a soak thinks.
	maxDuration := 10 * time.Minute
	if *think > 0 {
		maxDuration = 12 * time.Hour
	}
	if *duration <= 0 || *duration > maxDuration || *n < 1 || *n > 256 || *think < 0 || *think > time.Minute || (*every != 0 && *every < time.Second) {
		fmt.Fprintln(os.Stderr, "loadforms: -duration must be in (0, 10m] (12h with -think), -clinicians in [1, 256], -think in [0, 1m] and -every 0 or at least 1s")
		os.Exit(2)
	}
	if err := run(strings.TrimRight(*base, "/"), *duration, *n, *password, *think, *every); err != nil {
		fmt.Fprintln(os.Stderr, "loadforms:", err)
		os.Exit(1)
	}
}

// clinician is one signed-in session saving answers to one child.
type clinician struct {
	email   string
	client  *http.Client
	child   int64
	csrf    string
	version string
	shown   string
	seq     int
}

// claims hands out each child once.
type claims struct {
	mu    sync.Mutex
	taken map[int64]bool
}

func run(base string, duration time.Duration, n int, password string, think, every time.Duration) error {
	transport := &http.Transport{MaxIdleConnsPerHost: n + 4}
	if err := waitReady(base, 60*time.Second); err != nil {
		return err
	}
	setupStart := time.Now()
	cs := &claims{taken: map[int64]bool{}}
	clinicians := make([]*clinician, n)
	accounts := map[string]int{}
	for i := range clinicians {
		var err error
		for _, email := range []string{editors[i%len(editors)], nationalEditor} {
			jar, _ := cookiejar.New(nil)
			c := &clinician{email: email, client: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second}}
			if err = c.signIn(base, password); err != nil {
				return fmt.Errorf("clinician %d (%s): %w", i+1, c.email, err)
			}
			if err = c.takeChild(base, cs); err == nil {
				clinicians[i] = c
				accounts[email]++
				break
			} else if !errors.Is(err, errNoChild) {
				return fmt.Errorf("clinician %d (%s): %w", i+1, c.email, err)
			}
		}
		if err != nil {
			return fmt.Errorf("clinician %d: %w", i+1, err)
		}
	}
	fmt.Printf("%d clinicians signed in (", n)
	for j, email := range slices.Sorted(maps.Keys(accounts)) {
		if j > 0 {
			fmt.Print(", ")
		}
		fmt.Printf("%d as %s", accounts[email], email)
	}
	fmt.Printf("), each on their own child, in %s; saving for %s against %s",
		time.Since(setupStart).Round(time.Millisecond), duration, base)
	if think > 0 {
		fmt.Printf(", pausing %s on average between saves", think)
	}
	fmt.Println()

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	type result struct {
		lat  []time.Duration
		errs map[string]int
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := time.Now()
	iv := &intervals{start: start, out: os.Stdout}
	stopReports := func() {}
	if every > 0 {
		stopReports = iv.report(every)
	}
	for i, c := range clinicians {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := result{errs: map[string]int{}}
			// Pauses are uniform in [0.5, 1.5] × think, so clinicians drift
			// apart instead of saving in step.
			pause := rand.New(rand.NewPCG(uint64(i), 1))
			for ctx.Err() == nil {
				if think > 0 {
					select {
					case <-time.After(think/2 + time.Duration(pause.Int64N(int64(think)+1))):
					case <-ctx.Done():
					}
					if ctx.Err() != nil {
						break
					}
				}
				t := time.Now()
				err := c.save(ctx, base)
				if ctx.Err() != nil && err != nil {
					break // cut short by the deadline: not counted
				}
				if err != nil {
					r.errs[err.Error()]++
					iv.add(0, err)
					continue
				}
				r.lat = append(r.lat, time.Since(t))
				iv.add(r.lat[len(r.lat)-1], nil)
			}
			results[i] = r
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopReports()

	var all []time.Duration
	errs := map[string]int{}
	failed := 0
	for _, r := range results {
		all = append(all, r.lat...)
		for k, v := range r.errs {
			errs[k] += v
			failed += v
		}
	}
	slices.Sort(all)
	pct := func(p float64) string { return percentile(all, p) }
	fmt.Printf("saves: %d in %s: %.0f saves/s\n", len(all), elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds())
	fmt.Printf("latency: p50 %s, p95 %s, p99 %s, max %s\n", pct(0.50), pct(0.95), pct(0.99), pct(1))
	fmt.Printf("errors: %d\n", failed)
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		fmt.Printf("  %6d  %s\n", errs[k], k)
	}
	if failed > 0 {
		return fmt.Errorf("%d saves failed", failed)
	}
	return nil
}

// waitReady waits for the server to answer /readyz (it may be starting:
// make load-forms starts it just before).
func waitReady(base string, limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz did not answer 200 within %s (is clinaudit serve --demo running there?)", base, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// get fetches a page and returns its body, failing on any status but 200.
func (c *clinician) get(u string) (string, error) {
	resp, err := c.client.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return string(body), nil
}

// signIn signs in with the sign-in form, as a browser does.
func (c *clinician) signIn(base, password string) error {
	page, err := c.get(base + "/sign-in")
	if err != nil {
		return err
	}
	m := csrfFieldRE.FindStringSubmatch(page)
	if m == nil {
		return errors.New("the sign-in page has no CSRF field")
	}
	resp, err := c.client.PostForm(base+"/sign-in", url.Values{"csrf": {m[1]}, "email": {c.email}, "password": {password}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	// Signed in, the redirect lands on the home page with a sign-out button.
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="sign-out"`) {
		return fmt.Errorf("signing in: status %d at %s (is the server running with --demo?)", resp.StatusCode, resp.Request.URL.Path)
	}
	return nil
}

// takeChild finds a registered, unlocked child in the clinician's case list
// whose first form they may answer and no other clinician of the run has
// taken, and reads the form's CSRF token and version.
func (c *clinician) takeChild(base string, cs *claims) error {
	for page := 1; page <= 50; page++ {
		list, err := c.get(fmt.Sprintf("%s/children?registered=yes&locked=no&opted_out=no&page=%d", base, page))
		if err != nil {
			return err
		}
		ids := childRE.FindAllStringSubmatch(list, -1)
		if len(ids) == 0 {
			break
		}
		for _, m := range ids {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			cs.mu.Lock()
			taken := cs.taken[id]
			cs.taken[id] = true // tried: taken, or not answerable
			cs.mu.Unlock()
			if taken {
				continue
			}
			form, err := c.get(fmt.Sprintf("%s/children/%d/forms/%s", base, id, form))
			if err != nil {
				return err
			}
			if strings.Contains(form, `id="read-only"`) {
				continue // past its cohort's deadline, or not theirs to change
			}
			tok, v := csrfHeaderRE.FindStringSubmatch(form), versionRE.FindStringSubmatch(form)
			if tok == nil || v == nil {
				return fmt.Errorf("child %d's form has no CSRF token or version", id)
			}
			c.child, c.csrf, c.version, c.shown = id, tok[1], v[1], ""
			if m := shownRE.FindStringSubmatch(form); m != nil {
				c.shown = m[1]
			}
			return nil
		}
	}
	return errNoChild
}

// save saves one answer with the version last seen and the task list's
// version, as the page's autosave does, and keeps the versions the server
// answers with.
func (c *clinician) save(ctx context.Context, base string) error {
	field := fields[c.seq%len(fields)]
	value := "true"
	if (c.seq/len(fields))%2 == 1 {
		value = "false"
	}
	c.seq++
	key := form + ".0." + field
	body := url.Values{"key": {key}, key: {value}, "v": {c.version}, "pv": {c.shown}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/children/%d/forms/%s/answer", base, c.child, form), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return errors.New("timeout")
		}
		return errors.New("network error")
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return errors.New("network error reading the answer")
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if !strings.Contains(string(out), ">Saved<") {
		return errors.New("status 200 without Saved")
	}
	if m := versionRE.FindStringSubmatch(string(out)); m != nil {
		c.version = m[1]
	}
	if m := shownRE.FindStringSubmatch(string(out)); m != nil {
		c.shown = m[1]
	}
	return nil
}
