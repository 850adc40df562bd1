package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserNames are the executables looked for on PATH, in this order.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// browserRequired reports whether a missing browser must fail the tests
// rather than skip them: in CI, or when asked.
func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("REQUIRE_BROWSER") == "1"
}

// findBrowser returns the path of a Chromium or Chrome, or skips the test
// (fails it, when a browser is required).
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("no Chromium or Chrome on PATH (looked for %s); install one with `apt-get install -y chromium`", strings.Join(browserNames, ", "))
	if browserRequired() {
		t.Fatalf("%s: a browser is required (CI=true or REQUIRE_BROWSER=1)", msg)
	}
	t.Skipf("%s: skipping the browser tests (set REQUIRE_BROWSER=1 to fail instead)", msg)
	return ""
}

// syncBuffer is a bytes buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// stepTimeout bounds each step, so a step that cannot finish fails with its
// own name well before the test's overall deadline.
const stepTimeout = 20 * time.Second

// browser is one headless Chromium with one tab, and what the tab has
// written to its console.
type browser struct {
	t       *testing.T
	ctx     context.Context // the tab's context: pass it to chromedp.Run
	console *consoleWatch
	shots   *screenshots
	// downloads and downloadDir are set by the first download (download).
	downloads   chan any
	downloadDir string
}

// startBrowser starts a headless Chromium with a fresh profile. It ends when
// parent ends or the test finishes, whichever comes first.
func startBrowser(t *testing.T, parent context.Context) *browser {
	t.Helper()
	path := findBrowser(t)
	// A fresh profile every run: no cache, cookies or saved state.
	profile, err := os.MkdirTemp("", "clinaudit-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	var output syncBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // root in containers; the sandbox needs user namespaces
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
		chromedp.CombinedOutput(&output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // kills the browser and waits for it to exit
		if err := os.RemoveAll(profile); err != nil {
			t.Logf("removing the browser profile %s: %v", profile, err)
		}
		if t.Failed() {
			if out := browserOutput(output.String()); out != "" {
				t.Logf("browser output:\n%s", out)
			}
		}
	})
	// Start the browser and open the tab now, so a browser that cannot start
	// fails here with its own output, not in the first step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", path, err, browserOutput(output.String()))
	}
	b := &browser{t: t, ctx: ctx, console: &consoleWatch{}}
	if err := chromedp.Listen(ctx, b.console.handle); err != nil {
		t.Fatal(err)
	}
	return b
}

// browserOutput is what Chromium printed, without its complaints about the
// missing D-Bus of containers.
func browserOutput(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "dbus/") || strings.TrimSpace(line) == "" {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// do runs actions in the tab, failing the test with step in the message.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.where())
	}
}

// submit runs actions that cause a navigation (a click on a submit button or
// a link) and waits until the new page has loaded. It returns the HTTP status
// of the final document, after any redirects.
func (b *browser) submit(step string, actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	return b.submitResponse(step, actions...).Status
}

// submitResponse is submit returning the whole response of the document.
func (b *browser) submitResponse(step string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.where())
	}
	if resp == nil {
		b.t.Fatalf("%s: no response (page: %s)", step, b.where())
	}
	return resp
}

// text returns the text of the first element sel matches, waiting for it.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v (page: %s)", sel, err, b.where())
	}
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v (page: %s)", expr, err, b.where())
	}
	return v
}

// location is the tab's URL.
func (b *browser) location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return loc
}

// where describes the page for failure messages, without failing itself.
func (b *browser) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown: " + err.Error()
	}
	h1, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("h1") || {}).textContent || ""`))
	return fmt.Sprintf("%s, h1 %q", loc, strings.TrimSpace(h1))
}

// consoleWatch collects the errors a tab writes to its console: uncaught
// exceptions, console.error and console.assert calls, and error entries of
// the browser log, which is where Chromium reports Content-Security-Policy
// violations and failed loads. It also records every top-level navigation,
// so a test can tell a page restored from the back/forward cache from one
// loaded afresh.
type consoleWatch struct {
	mu       sync.Mutex
	errors   []string
	warnings []string
	reported int // errors already reported by check
	navs     []navigation
	// documents are the request IDs of top-level documents, whose HTTP
	// status the tests assert themselves (a 422 for a form with errors is
	// right, though Chromium logs it as a failed load).
	documents map[network.RequestID]bool
	bfNotUsed [][]string
}

type navigation struct {
	URL  string
	Type page.NavigationType
}

// handle is called by chromedp for every event of the tab, on the goroutine
// that reads the browser's messages: it must be quick and must not call back.
func (w *consoleWatch) handle(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		w.errors = append(w.errors, fmt.Sprintf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			w.errors = append(w.errors, fmt.Sprintf("console.%s: %s", ev.Type, argsText(ev.Args)))
		}
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument {
			if w.documents == nil {
				w.documents = map[network.RequestID]bool{}
			}
			w.documents[ev.RequestID] = true
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Source == log.EntrySourceNetwork && w.documents[e.NetworkRequestID] {
			return // a page's own status: the test checks it
		}
		line := fmt.Sprintf("[%s] %s", e.Source, e.Text)
		if e.URL != "" {
			line += " (" + e.URL + ")"
		}
		switch e.Level {
		case log.EntryLevelError:
			w.errors = append(w.errors, line)
		case log.EntryLevelWarning:
			w.warnings = append(w.warnings, line)
		}
	case *page.EventFrameNavigated:
		if ev.Frame != nil && ev.Frame.ParentID == "" {
			w.navs = append(w.navs, navigation{URL: ev.Frame.URL, Type: ev.Type})
		}
	case *page.EventBackForwardCacheNotUsed:
		var reasons []string
		for _, r := range ev.NotRestoredExplanations {
			reasons = append(reasons, string(r.Reason))
		}
		w.bfNotUsed = append(w.bfNotUsed, reasons)
	}
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// newErrors returns the errors not returned before.
func (w *consoleWatch) newErrors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	errs := w.errors[w.reported:]
	w.reported = len(w.errors)
	return append([]string(nil), errs...)
}

func (w *consoleWatch) lastNavigation() navigation {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.navs) == 0 {
		return navigation{}
	}
	return w.navs[len(w.navs)-1]
}

// notRestoredReasons are Chromium's reasons for not restoring pages from the
// back/forward cache, one list per history navigation.
func (w *consoleWatch) notRestoredReasons() [][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([][]string(nil), w.bfNotUsed...)
}

func (w *consoleWatch) allWarnings() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.warnings...)
}

// checkConsole fails the test for every console error since the last check,
// naming the page. A round trip to the page first makes sure events the
// page sent before now have been handled.
func (b *browser) checkConsole(page string) {
	b.t.Helper()
	_ = b.location() // round trip: events sent before its reply are handled first
	for _, e := range b.console.newErrors() {
		b.t.Errorf("console error on %s: %s", page, e)
	}
}

// screenshots saves PNGs of the tab, numbered in the order taken, into
// E2E_SCREENSHOTS if set, else a temporary directory of the test.
type screenshots struct {
	dir string
	n   int
}

func newScreenshots(t *testing.T) *screenshots {
	t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else {
		dir = filepath.Join(dir, sanitize(t.Name()))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// Remove the previous run's screenshots, and nothing else.
		old, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9]-*.png"))
		for _, f := range old {
			_ = os.Remove(f)
		}
	}
	return &screenshots{dir: dir}
}

func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
}

// screenshot saves a full-page PNG of the tab as NN-name.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots == nil {
		b.shots = newScreenshots(b.t)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.shots.n++
	path := filepath.Join(b.shots.dir, fmt.Sprintf("%02d-%s.png", b.shots.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}
