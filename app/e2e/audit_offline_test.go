package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/store"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestAutosaveServerCutAndLockedRecord puts a TCP proxy between the browser
// and the server, so that the test can cut the server off, and checks that
// autosave never loses an answer silently:
//
//  1. an answer given while the server is cut off shows "Not saved – retry"
//     with a Retry button in a role="alert" element, is stashed in the tab's
//     sessionStorage under the signed-in user (<body data-user>), and arms
//     the "leave page?" prompt (a real beforeunload dialog, dismissed);
//  2. once the server is back, the automatic retry saves it ("Saved", the
//     alert calmed back to a status, the stash gone, the prompt disarmed),
//     and a reload shows it stored;
//  3. an answer stashed in the tab by another user is deleted unapplied when
//     the page loads; one stashed by this user is put back and saved;
//  4. a save refused because someone else locked the record meanwhile (409)
//     is shown as an error next to the question, not as a conflict.
func TestAutosaveServerCutAndLockedRecord(t *testing.T) {
	eachEngine(t, testAutosaveServerCutAndLockedRecord)
}

func testAutosaveServerCutAndLockedRecord(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	proxy := startCutProxy(t, strings.TrimPrefix(srv.base, "http://"))
	child := srv.editableChild()
	b := startBrowser(t, ctx)
	dialogs := b.watchDialogs()

	b.open("open the sign-in page through the proxy", proxy.base+"/sign-in", 200)
	b.signInAs("sign in as the RGT01 clinician", rgt01ClinicianEmail, cli.DemoPassword)
	user := strconv.FormatInt(srv.userID(rgt01ClinicianEmail), 10)
	formPath := fmt.Sprintf("/children/%d/forms/first_paediatric_assessment", child.ID)
	b.open("open the first paediatric assessment", proxy.base+formPath, 200)
	b.waitAutosave("the form")
	if got := eval[string](b, `document.body.dataset.user || ""`); got != user {
		t.Errorf("<body data-user> is %q, want the clinician's id %s", got, user)
	}
	if b.beforeUnloadArmed() {
		t.Errorf("the leave-page prompt is armed on a form with nothing to save")
	}
	b.checkConsole("the form")

	q := func(field string) string { return "first_paediatric_assessment-0-" + field }
	key := func(field string) string { return "first_paediatric_assessment.0." + field }
	yes := func(field string) chromedp.CSS { return css(fmt.Sprintf(`label[for=%q]`, q(field)+"-0")) }

	// A save while the server answers.
	b.do("answer the general examination", chromedp.Click(yes("general_examination_performed")))
	if got := b.waitSaved("answer the general examination", q("general_examination_performed")); got != "Saved" {
		t.Fatalf("the general examination's status is %q, want Saved", got)
	}

	// 1. Cut the server off and answer.
	proxy.setCut(true)
	neuro := q("neurological_examination_performed")
	b.do("answer the neurological examination with the server cut off",
		chromedp.Focus(css(fmt.Sprintf(`[id=%q]`, neuro+"-0"))), chromedp.KeyEvent(" "))
	b.waitFor("wait for the failure", fmt.Sprintf(`(() => { const st = document.getElementById(%q);
		return st.getAttribute("role") === "alert" && st.textContent.trim().startsWith("Not saved – retry") &&
			document.getElementById(%q).classList.contains("app-save-failed"); })()`, "st-"+neuro, "fg-"+neuro))
	if n := proxy.refused.Load(); n == 0 {
		t.Errorf("the proxy refused no connection: the save did not reach it")
	}
	if got := eval[string](b, fmt.Sprintf(`(document.getElementById(%q).querySelector("button.app-retry") || {}).textContent || ""`, "st-"+neuro)); !strings.HasPrefix(got, "Retry") {
		t.Errorf("the failure offers no Retry button (got %q)", got)
	}
	if n := eval[int](b, `clinauditAutosave.failed()`); n != 1 {
		t.Errorf("clinauditAutosave.failed() is %d, want 1", n)
	}
	stashKey := "autosave:" + formPath + ":" + key("neurological_examination_performed")
	stash := eval[string](b, fmt.Sprintf(`sessionStorage.getItem(%q) || ""`, stashKey))
	var stashed map[string][]string
	if err := json.Unmarshal([]byte(stash), &stashed); err != nil || len(stashed[key("neurological_examination_performed")]) != 1 ||
		stashed[key("neurological_examination_performed")][0] != "true" || len(stashed["v"]) != 1 {
		t.Errorf("the unsaved answer is not stashed as {key: [\"true\"], v: [version]}: %q (%v)", stash, err)
	}
	if got := eval[string](b, `sessionStorage.getItem("autosave-user") || ""`); got != user {
		t.Errorf("the stash belongs to %q, want the signed-in user %s", got, user)
	}
	if !b.beforeUnloadArmed() {
		t.Errorf("the leave-page prompt is not armed while an answer is not saved")
	}
	b.screenshot("not-saved")

	// Leaving the page asks first; staying keeps the page as it is.
	b.do("reload with an unsaved answer", chromedp.Evaluate[chromedp.Void](`setTimeout(() => location.reload(), 0), true`))
	select {
	case d := <-dialogs:
		if d.Type != page.DialogTypeBeforeunload {
			t.Errorf("leaving the page opened a %s dialog, want beforeunload", d.Type)
		}
		b.do("stay on the page", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			return err
		}))
	case <-time.After(stepTimeout):
		t.Fatalf("reloading with an unsaved answer asked nothing (page: %s)", b.where())
	}
	if got := eval[string](b, fmt.Sprintf(`document.getElementById(%q).textContent.trim()`, "st-"+neuro)); !strings.HasPrefix(got, "Not saved – retry") {
		t.Errorf("after staying on the page the status says %q", got)
	}

	// 2. The server is back: the automatic retry saves the answer.
	proxy.setCut(false)
	// The retries back off (2, 4, 8, 16, 30 s): the next may be up to 30 s
	// away when the cut lasted long (a slow machine, -race).
	restored := time.Now()
	b.waitForWithin("wait for the automatic retry to save the answer", fmt.Sprintf(`(() => { const st = document.getElementById(%q);
		return st.textContent.trim() === "Saved" && clinauditAutosave.pending() === 0 && %s; })()`, "st-"+neuro, htmxQuiet), 35*time.Second)
	t.Logf("saved by an automatic retry %v after the server came back; %d attempts refused while cut",
		time.Since(restored).Round(10*time.Millisecond), proxy.refused.Load())
	if role := eval[string](b, fmt.Sprintf(`document.getElementById(%q).getAttribute("role")`, "st-"+neuro)); role != "status" {
		t.Errorf("the saved answer's status has role %q, want status", role)
	}
	if eval[bool](b, fmt.Sprintf(`document.getElementById(%q).classList.contains("app-save-failed")`, "fg-"+neuro)) {
		t.Errorf("the saved answer is still marked as failed")
	}
	if n := eval[int](b, `clinauditAutosave.failed() + clinauditAutosave.pending()`); n != 0 {
		t.Errorf("%d answers failed or pending after the retry", n)
	}
	if eval[bool](b, fmt.Sprintf(`sessionStorage.getItem(%q) !== null`, stashKey)) {
		t.Errorf("the stash is still there after the answer was saved")
	}
	if b.beforeUnloadArmed() {
		t.Errorf("the leave-page prompt is still armed after the retry saved everything")
	}
	// The failed requests, as Chromium (a reset or closed connection: which
	// net::ERR_ depends on when the cut catches it) and htmx (console.error)
	// report them.
	b.checkConsoleExpecting("the form after the server came back", "Failed to load resource: net::ERR_",
		`console.error: "htmx:sendError`, `console.error: "htmx:afterRequest`)
	b.screenshot("saved-after-retry")

	b.open("reload the form", proxy.base+formPath, 200)
	b.waitAutosave("the reloaded form")
	for _, f := range []string{"general_examination_performed", "neurological_examination_performed"} {
		if !eval[bool](b, fmt.Sprintf(`document.getElementById(%q).checked`, q(f)+"-0")) {
			t.Errorf("after a reload, %s is not answered Yes", f)
		}
	}
	b.checkConsole("the reloaded form")

	// 3. Stashes of another user of the tab are never applied; this user's are.
	dev := q("developmental_learning_or_schooling_problems")
	devKey := key("developmental_learning_or_schooling_problems")
	devStash := "autosave:" + formPath + ":" + devKey
	version := eval[string](b, fmt.Sprintf(`document.getElementById(%q).value`, "v-"+dev))
	stashJS := func(owner string) string {
		v, _ := json.Marshal(map[string][]string{devKey: {"true"}, "v": {version}})
		return fmt.Sprintf(`sessionStorage.setItem("autosave-user", %q), sessionStorage.setItem(%q, %q), true`, owner, devStash, v)
	}
	b.do("stash an answer as another user", chromedp.Evaluate[chromedp.Void](stashJS(user+"0")))
	b.open("reload with another user's stash", proxy.base+formPath, 200)
	b.waitAutosave("the form with another user's stash")
	b.waitFor("wait for the stash to be dropped", fmt.Sprintf(`sessionStorage.getItem(%q) === null`, devStash))
	if eval[bool](b, fmt.Sprintf(`document.getElementById(%q).checked || document.getElementById(%q).textContent !== "" || clinauditAutosave.pending() > 0`, dev+"-0", "st-"+dev)) {
		t.Errorf("another user's stashed answer was applied")
	}
	b.do("stash an answer as this user", chromedp.Evaluate[chromedp.Void](stashJS(user)))
	b.open("reload with this user's stash", proxy.base+formPath, 200)
	b.waitAutosave("the form with this user's stash")
	if got := b.waitSaved("wait for the stashed answer to be saved", dev); got != "Saved" {
		t.Errorf("this user's stashed answer: status %q, want Saved", got)
	}
	if !eval[bool](b, fmt.Sprintf(`document.getElementById(%q).checked && sessionStorage.getItem(%q) === null`, dev+"-0", devStash)) {
		t.Errorf("this user's stashed answer was not put back, or its stash not removed once saved")
	}
	b.checkConsole("the form with stashed answers")

	// 4. The lead locks the record in another browser; the clinician's next
	// answer is refused, as an error, not a conflict.
	lead := b.newPerson()
	lead.open("the lead opens the sign-in page", srv.base+"/sign-in", 200)
	lead.signInAs("the lead signs in", rgt01LeadEmail, cli.DemoPassword)
	// Locking needs a complete audit, which this child has not: the lock is
	// put in the database as an unlock-able record locked before that rule
	// would be; what is tested is the clinician's page meeting a lock.
	srv.lockChild(child.ID)
	lead.open("the lead opens the locked record", fmt.Sprintf("%s/children/%d", srv.base, child.ID), 200)
	lead.do("wait for the locked record", chromedp.WaitVisible(css("main #lock-details")))
	lead.checkConsole("the locked record")

	beh := q("behavioural_or_emotional_problems")
	b.do("answer on the locked record", chromedp.Click(yes("behavioural_or_emotional_problems")))
	got := b.waitSaved("answer on the locked record", beh)
	assertContains(t, "the refused answer's status", got, "Not saved", "locked")
	type state struct {
		Error, Conflict, Failed, Panel bool
		Message, Role                  string
		Conflicts, Fails               int
	}
	s := eval[state](b, fmt.Sprintf(`(() => { const g = document.getElementById(%[1]q), m = document.getElementById(%[2]q);
		return {Error: g.classList.contains("nhsuk-form-group--error"), Conflict: g.classList.contains("app-conflict"),
			Failed: g.classList.contains("app-save-failed"), Panel: !!m.querySelector(".app-conflict, [id^='conflict-']"),
			Message: m.textContent.trim(), Role: document.getElementById(%[3]q).getAttribute("role"),
			Conflicts: clinauditAutosave.conflicts(), Fails: clinauditAutosave.failed()}; })()`, "fg-"+beh, "msg-"+beh, "st-"+beh))
	if !s.Error || s.Conflict || s.Failed || s.Panel || s.Conflicts != 0 || s.Fails != 0 || s.Role != "status" {
		t.Errorf("a save refused because the record is locked shows %+v, want the error styling only", s)
	}
	assertContains(t, "the refused answer's message", s.Message, "Error:", "locked")
	if b.beforeUnloadArmed() {
		t.Errorf("the leave-page prompt is armed after a refusal: nothing could be saved by staying")
	}
	b.checkConsoleExpecting("the form after the record was locked", "409")
	b.screenshot("refused-locked")

	srv.checkLogs()
	t.Logf("the walk took %v", time.Since(started).Round(time.Millisecond))
}

// waitForWithin is waitFor with its own time limit.
func (b *browser) waitForWithin(step, expr string, limit time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, limit)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.where())
	}
}

// beforeUnloadArmed reports whether autosave.js asks before the page is
// left: a cancelable beforeunload event, dispatched as the browser would,
// is cancelled.
func (b *browser) beforeUnloadArmed() bool {
	b.t.Helper()
	return eval[bool](b, `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`)
}

// watchDialogs returns the JavaScript dialogs the tab opens, as they open.
// The test must answer each (page.HandleJavaScriptDialog).
func (b *browser) watchDialogs() <-chan *page.EventJavascriptDialogOpening {
	b.t.Helper()
	ch := make(chan *page.EventJavascriptDialogOpening, 4)
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			select {
			case ch <- d:
			default:
			}
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	return ch
}

// cutProxy forwards TCP connections to the server until it is cut: then it
// drops the connections it holds and closes every new one at once, as a
// server that went away (or a network that did) would.
type cutProxy struct {
	base    string // http://127.0.0.1:PORT, for the browser
	target  string
	ln      net.Listener
	mu      sync.Mutex
	cut     bool
	conns   map[net.Conn]bool
	refused atomic.Int64
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{base: (&url.URL{Scheme: "http", Host: ln.Addr().String()}).String(), target: target, ln: ln, conns: map[net.Conn]bool{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		p.setCut(true) // closes what is still open
	})
	return p
}

// setCut cuts the server off (true) or restores it (false).
func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			_ = c.Close()
		}
		clear(p.conns)
	}
}

// track records an open connection, or reports false when cut.
func (p *cutProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		return false
	}
	for _, c := range cs {
		p.conns[c] = true
	}
	return true
}

func (p *cutProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
		_ = c.Close()
	}
}

func (p *cutProxy) serve(client net.Conn) {
	if !p.track(client) {
		p.refused.Add(1)
		if tc, ok := client.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not a polite close
		}
		_ = client.Close()
		return
	}
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil || !p.track(server) {
		if server != nil {
			_ = server.Close()
		}
		p.refused.Add(1)
		p.untrack(client)
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		p.untrack(dst, src) // one side ended: end both
	}
	go pipe(server, client)
	go pipe(client, server)
	wg.Wait()
}
