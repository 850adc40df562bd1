package faults

// Clinicians saving answers over HTTP as tools/loadforms does (the same
// demo accounts, form, fields and page scraping; that tool is a main
// package, so its client is repeated here), each keeping a ledger of every
// save the server acknowledged (200 with "Saved") and of every one it did
// not.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/cli"
)

var editors = []string{
	"clinician@rgt01.demo.clinaudit.invalid",
	"clinician@7a4h1.demo.clinaudit.invalid",
	"lead@rgt01.demo.clinaudit.invalid",
	"lead@7a4h1.demo.clinaudit.invalid",
}

const nationalEditor = "national.edit@demo.clinaudit.invalid"

// form and fields: the first form's yes/no questions, in turn, each answer
// the opposite of the last, so every save changes something.
const form = "first_paediatric_assessment"

var fields = []string{"general_examination_performed", "neurological_examination_performed",
	"developmental_learning_or_schooling_problems", "behavioural_or_emotional_problems"}

var (
	csrfFieldRE  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	csrfHeaderRE = regexp.MustCompile(`"X-CSRF-Token": "([^"]+)"`)
	childRE      = regexp.MustCompile(`data-child="([0-9]+)"`)
	versionRE    = regexp.MustCompile(`id="v-` + form + `-0-[a-z_]+" value="([0-9]+)"`)
)

var errNoChild = errors.New("no registered, unlocked child left to answer")

// save is one save a clinician sent: the answer, the version it was sent
// with and, when acknowledged, the version the server answered with.
type save struct {
	child        int64
	field, value string
	seen         int64
	version      int64 // 0: not acknowledged
	err          string
}

// clinician is one signed-in session saving answers to one child.
type clinician struct {
	email    string
	client   *http.Client
	child    int64
	csrf     string
	version  int64
	baseline int64 // the child's version when the clinician took it
	seq      int
	acked    []save
	failed   []save
}

type claims struct {
	mu    sync.Mutex
	taken map[int64]bool
}

// signInClinicians signs n clinicians in, each on a child of their own.
func signInClinicians(t *testing.T, base string, n int) []*clinician {
	t.Helper()
	transport := &http.Transport{MaxIdleConnsPerHost: n + 4}
	cs := &claims{taken: map[int64]bool{}}
	out := make([]*clinician, n)
	for i := range out {
		var err error
		for _, email := range []string{editors[i%len(editors)], nationalEditor} {
			jar, _ := cookiejar.New(nil)
			c := &clinician{email: email, client: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second}}
			if err = c.signIn(base); err != nil {
				t.Fatalf("clinician %d (%s): %v", i+1, email, err)
			}
			if err = c.takeChild(base, cs); err == nil {
				c.baseline = c.version
				out[i] = c
				break
			} else if !errors.Is(err, errNoChild) {
				t.Fatalf("clinician %d (%s): %v", i+1, email, err)
			}
		}
		if err != nil {
			t.Fatalf("clinician %d: %v", i+1, err)
		}
	}
	return out
}

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

func (c *clinician) signIn(base string) error {
	page, err := c.get(base + "/sign-in")
	if err != nil {
		return err
	}
	m := csrfFieldRE.FindStringSubmatch(page)
	if m == nil {
		return errors.New("the sign-in page has no CSRF field")
	}
	resp, err := c.client.PostForm(base+"/sign-in", url.Values{"csrf": {m[1]}, "email": {c.email}, "password": {cli.DemoPassword}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="sign-out"`) {
		return fmt.Errorf("signing in: status %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	return nil
}

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
			cs.taken[id] = true
			cs.mu.Unlock()
			if taken {
				continue
			}
			c.child = id
			ok, err := c.readForm(base)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		}
	}
	return errNoChild
}

// readForm reads the child's form for its CSRF token and version; false
// when the clinician may not answer it.
func (c *clinician) readForm(base string) (bool, error) {
	page, err := c.get(fmt.Sprintf("%s/children/%d/forms/%s", base, c.child, form))
	if err != nil {
		return false, err
	}
	if strings.Contains(page, `id="read-only"`) {
		return false, nil
	}
	tok, v := csrfHeaderRE.FindStringSubmatch(page), versionRE.FindStringSubmatch(page)
	if tok == nil || v == nil {
		return false, fmt.Errorf("child %d's form has no CSRF token or version", c.child)
	}
	c.csrf = tok[1]
	c.version, _ = strconv.ParseInt(v[1], 10, 64)
	return true, nil
}

// refresh rereads the form after a restart, as a person reloading the
// page would: a save the server committed but could not acknowledge has
// moved the version on.
func (c *clinician) refresh(t *testing.T, base string) {
	t.Helper()
	if ok, err := c.readForm(base); err != nil || !ok {
		t.Fatalf("rereading child %d's form: %v (answerable %v)", c.child, err, ok)
	}
}

// send saves the next answer with the version last seen, as the page's
// autosave does, and records the outcome.
func (c *clinician) send(ctx context.Context, base string) error {
	s := save{child: c.child, field: fields[c.seq%len(fields)], value: "true", seen: c.version}
	if (c.seq/len(fields))%2 == 1 {
		s.value = "false"
	}
	c.seq++
	err := c.post(ctx, base, &s)
	if err != nil {
		s.err = err.Error()
		c.failed = append(c.failed, s)
		return err
	}
	c.acked = append(c.acked, s)
	c.version = s.version
	return nil
}

func (c *clinician) post(ctx context.Context, base string, s *save) error {
	key := form + ".0." + s.field
	body := url.Values{"key": {key}, key: {s.value}, "v": {strconv.FormatInt(s.seen, 10)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/children/%d/forms/%s/answer", base, c.child, form), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("network reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if !strings.Contains(string(out), ">Saved<") {
		return errors.New("status 200 without Saved")
	}
	m := versionRE.FindStringSubmatch(string(out))
	if m == nil {
		return errors.New("Saved without a version")
	}
	s.version, _ = strconv.ParseInt(m[1], 10, 64)
	return nil
}

// drive has every clinician save back to back until ctx ends; a failed
// save is followed by a short pause (the server may be gone). It returns
// a function that waits for them all.
func drive(ctx context.Context, base string, cs []*clinician) (wait func()) {
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				if err := c.send(ctx, base); err != nil {
					select {
					case <-ctx.Done():
					case <-time.After(time.Duration(20+r.IntN(30)) * time.Millisecond):
					}
				}
			}
		}()
	}
	return wg.Wait
}

// tally counts the clinicians' acknowledged and failed saves, the failures
// by message.
func tally(cs []*clinician) (acked, failed int, why map[string]int) {
	why = map[string]int{}
	for _, c := range cs {
		acked += len(c.acked)
		failed += len(c.failed)
		for _, f := range c.failed {
			why[shortErr(f.err)]++
		}
	}
	return acked, failed, why
}

// shortErr drops the URL and address from a network error, so that the
// same failure counts once.
func shortErr(s string) string {
	for _, k := range []string{"connection refused", "connection reset", "EOF", "server closed idle connection", "context canceled", "deadline exceeded", "timeout", "broken pipe"} {
		if strings.Contains(s, k) {
			return "network: " + k
		}
	}
	return s
}
