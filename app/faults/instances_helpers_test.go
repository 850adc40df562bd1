package faults

// Helpers of instances_test.go: the processes, the proxy in front of them,
// a browser-like client, and the database reads that check the outcome.
// Names start with "multi" so that other fault tests in this package can
// have helpers of their own.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// multiDemoPassword is cli.DemoPassword: every demo account's password.
const multiDemoPassword = "Blue-kettle-orchard-42!"

// multiBuild builds the real binary, as make build does, into dir.
func multiBuild(t *testing.T, dir string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "clinaudit")
	cmd := exec.Command("go", "build", "-o", bin, "./app/cmd/clinaudit")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// multiProc is one running clinaudit process; its output goes to a file
// shown when the test fails.
type multiProc struct {
	name string
	cmd  *exec.Cmd
	log  string
	addr string // serve's address, once it listens
	done chan struct{}
}

var servingRE = regexp.MustCompile(`is serving http://(\S+) `)

// multiStart starts bin with args and waits until it serves (serve) or
// works jobs (worker).
func multiStart(t *testing.T, bin, name string, args ...string) *multiProc {
	t.Helper()
	p := &multiProc{name: name, log: filepath.Join(t.TempDir(), name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	stdout, w := io.Pipe()
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = w, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(f, sc.Text())
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
			}
		}
	}()
	go func() { _ = p.cmd.Wait(); w.Close(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			t.Logf("--- %s's log (last 3000 bytes) ---\n%s", name, multiCut(string(b), 3000))
		}
	})
	deadline := time.After(60 * time.Second)
	if args[0] == "serve" {
		select {
		case p.addr = <-listening:
		case <-p.done:
			t.Fatalf("%s exited at start: %s", name, multiTail(p.log))
		case <-deadline:
			t.Fatalf("%s did not listen within 60s", name)
		}
		return p
	}
	for {
		if b, _ := os.ReadFile(p.log); strings.Contains(string(b), `"working jobs"`) {
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited at start: %s", name, multiTail(p.log))
		case <-deadline:
			t.Fatalf("%s did not start working jobs within 60s", name)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would.
func (p *multiProc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

func multiTail(path string) string {
	b, _ := os.ReadFile(path)
	return multiCut(string(b), 2000)
}

func multiCut(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// multiProxy is the load balancer: round robin over the backends, one
// request each in turn. It writes X-Forwarded-For as a real proxy does,
// with the client's address; a test client stands for a machine elsewhere
// by sending X-Test-Client (its pretend address). The response says which
// backend answered in X-Test-Backend; X-Test-Pick: N sends a request to
// backend N rather than the next in turn.
type multiProxy struct {
	next     atomic.Uint64
	backends []*httputil.ReverseProxy
	served   []atomic.Int64
}

func newMultiProxy(addrs ...string) *multiProxy {
	p := &multiProxy{served: make([]atomic.Int64, len(addrs))}
	for i, a := range addrs {
		target := &url.URL{Scheme: "http", Host: a}
		rp := &httputil.ReverseProxy{
			Rewrite: func(r *httputil.ProxyRequest) {
				r.SetURL(target)
				r.Out.Host = r.In.Host
				r.SetXForwarded()
				if c := r.In.Header.Get("X-Test-Client"); c != "" {
					r.Out.Header.Set("X-Forwarded-For", c)
					r.Out.Header.Del("X-Test-Client")
				}
			},
			ModifyResponse: func(resp *http.Response) error {
				resp.Header.Set("X-Test-Backend", fmt.Sprint(i))
				return nil
			},
		}
		p.backends = append(p.backends, rp)
	}
	return p
}

func (p *multiProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int((p.next.Add(1) - 1) % uint64(len(p.backends)))
	if pick := r.Header.Get("X-Test-Pick"); pick != "" { // a test asks for one backend
		fmt.Sscan(pick, &i)
		r.Header.Del("X-Test-Pick")
	}
	p.served[i].Add(1)
	p.backends[i].ServeHTTP(w, r)
}

// multiClient is one browser: a cookie jar, and the address it comes from.
type multiClient struct {
	http *http.Client
	addr string // sent as X-Test-Client; empty for none
	pick string // sent as X-Test-Pick; empty for round robin
}

func newMultiClient(addr string) *multiClient {
	jar, _ := cookiejar.New(nil)
	return &multiClient{addr: addr, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (c *multiClient) do(req *http.Request) (*http.Response, string, error) {
	if c.addr != "" {
		req.Header.Set("X-Test-Client", c.addr)
	}
	if c.pick != "" {
		req.Header.Set("X-Test-Pick", c.pick)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func (c *multiClient) get(u string) (*http.Response, string, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	return c.do(req)
}

var (
	multiCSRFField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	multiCSRFHeader = regexp.MustCompile(`"X-CSRF-Token": "([^"]+)"`)
	multiChildRE    = regexp.MustCompile(`data-child="([0-9]+)"`)
)

// signIn posts the sign-in form (read from base first, as a browser does)
// and returns the answer's status, the backend that answered and the page.
func (c *multiClient) signIn(base, email, password string) (status int, backend, page string, err error) {
	_, form, err := c.get(base + "/sign-in")
	if err != nil {
		return 0, "", "", err
	}
	m := multiCSRFField.FindStringSubmatch(form)
	if m == nil {
		return 0, "", "", errors.New("the sign-in page has no CSRF field")
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/sign-in",
		strings.NewReader(url.Values{"csrf": {m[1]}, "email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// Not followed: the backend that judged the password is the one named.
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { c.http.CheckRedirect = nil }()
	resp, page, err := c.do(req)
	if err != nil {
		return 0, "", "", err
	}
	return resp.StatusCode, resp.Header.Get("X-Test-Backend"), page, nil
}

// multiForm and multiFields are what the clinicians save: the first form's
// yes/no questions in turn, each answer the opposite of the last, so every
// save changes something.
const multiForm = "first_paediatric_assessment"

var multiFields = []string{"general_examination_performed", "neurological_examination_performed",
	"developmental_learning_or_schooling_problems", "behavioural_or_emotional_problems"}

var multiVersionRE = regexp.MustCompile(`id="v-` + multiForm + `-0-[a-z_]+" value="([0-9]+)"`)

// multiAck is one acknowledged save: 200 with "Saved".
type multiAck struct {
	child          int64
	field, value   string
	version        string
	backend        string
	acknowledgedAt time.Time
}

// multiClinician saves answers to one child through the proxy.
type multiClinician struct {
	*multiClient
	base    string
	child   int64
	csrf    string
	version string
	seq     int
}

// takeChild finds a child whose first form the clinician may answer, not
// in taken (which it adds to), and reads the form's CSRF token and version.
func (c *multiClinician) takeChild(taken map[int64]bool, mu *sync.Mutex) error {
	for page := 1; page <= 20; page++ {
		_, list, err := c.get(fmt.Sprintf("%s/children?registered=yes&locked=no&opted_out=no&page=%d", c.base, page))
		if err != nil {
			return err
		}
		ids := multiChildRE.FindAllStringSubmatch(list, -1)
		if len(ids) == 0 {
			break
		}
		for _, m := range ids {
			var id int64
			fmt.Sscan(m[1], &id)
			mu.Lock()
			skip := taken[id]
			taken[id] = true
			mu.Unlock()
			if skip {
				continue
			}
			_, form, err := c.get(fmt.Sprintf("%s/children/%d/forms/%s", c.base, id, multiForm))
			if err != nil {
				return err
			}
			if strings.Contains(form, `id="read-only"`) {
				continue
			}
			tok, v := multiCSRFHeader.FindStringSubmatch(form), multiVersionRE.FindStringSubmatch(form)
			if tok == nil || v == nil {
				return fmt.Errorf("child %d's form has no CSRF token or version", id)
			}
			c.child, c.csrf, c.version = id, tok[1], v[1]
			return nil
		}
	}
	return errors.New("no child left to answer")
}

// save saves the next answer as the page's autosave does; it returns the
// acknowledgement, or an error for anything but 200 with "Saved".
func (c *multiClinician) save(ctx context.Context) (multiAck, error) {
	field := multiFields[c.seq%len(multiFields)]
	value := "true"
	if (c.seq/len(multiFields))%2 == 1 {
		value = "false"
	}
	c.seq++
	key := multiForm + ".0." + field
	body := url.Values{"key": {key}, key: {value}, "v": {c.version}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/children/%d/forms/%s/answer", c.base, c.child, multiForm), strings.NewReader(body))
	if err != nil {
		return multiAck{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, out, err := c.do(req)
	if err != nil {
		return multiAck{}, err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(out, ">Saved<") {
		return multiAck{}, fmt.Errorf("status %d: %s", resp.StatusCode, multiCut(out, 300))
	}
	m := multiVersionRE.FindStringSubmatch(out)
	if m == nil {
		return multiAck{}, errors.New("saved without a version")
	}
	c.version = m[1]
	return multiAck{child: c.child, field: field, value: value, version: m[1], backend: resp.Header.Get("X-Test-Backend"), acknowledgedAt: time.Now()}, nil
}

// newFormRequest is a POST of an encoded form body.
func newFormRequest(u, body string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, err
}
