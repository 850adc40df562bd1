package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

// axeViolation is one rule axe-core found broken, with the elements that
// break it.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []string // each element's selector and axe's summary of what is wrong
}

// TestAuditFormsAccessibility runs axe-core (the vendored copy, loaded from
// the app's own /static, as a page's scripts are under its CSP) on every
// page of a child's audit: the task list, each of the six forms, the
// history and the check before locking, with a conflict shown (the same answer changed in another tab),
// conditional questions expanded (an episode with an
// epileptic focal onset and its follow-ups, a syndrome list, the causes, a
// referral's follow-ups, an EEG's, a medicine row) and, on the Milestones
// form, a validation error shown beside its question. Any violation of
// impact serious or critical fails the test, naming the rule, its help and
// the elements; moderate and minor ones are logged.
func TestAuditFormsAccessibility(t *testing.T) { eachEngine(t, testAuditFormsAccessibility) }

func testAuditFormsAccessibility(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)

	child := srv.editableChild()
	b := startBrowser(t, ctx)
	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the RGT01 clinician", rgt01ClinicianEmail, cli.DemoPassword)

	base := fmt.Sprintf("%s/children/%d", srv.base, child.ID)
	b.open("open the task list", base+"/audit", 200)
	b.do("wait for the task list", chromedp.WaitVisible(chromedp.CSS("main #task-list")))
	b.axeCheck("the task list")

	for _, f := range forms.All() {
		b.open("open "+f.Title, base+"/forms/"+f.ID, 200)
		b.waitAutosave(f.Title)
		page := f.Title
		var after func() // what to do once the page is checked
		switch f.ID {
		case "first_paediatric_assessment":
			b.answerFirst(f, "first_paediatric_assessment_in_acute_or_nonacute_setting") // shows "Clear answer"
		case "epilepsy_context":
			// The same question answered in another tab after this page was
			// opened, then here: the conflict panel.
			other := b.newTab()
			other.open("open "+f.Title+" in another tab", base+"/forms/"+f.ID, 200)
			other.waitAutosave(f.Title + " in another tab")
			other.answerFirst(f, "diagnosis_of_epilepsy_withdrawn")
			other.checkConsole(f.Title + " in another tab")
			it := b.item(f, "diagnosis_of_epilepsy_withdrawn")
			no := strings.TrimSuffix(it.First, "-0") + "-1"
			b.do("answer No here", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for=%q]`, no))))
			got := b.waitSaved("answer No here", it.ID)
			assertContains(t, "an answer changed in another tab", got, "Not saved")
			if !eval[bool](b, fmt.Sprintf(`document.getElementById(%q).classList.contains("app-conflict") &&
				!!document.getElementById(%q).querySelector(".app-conflict button") && clinauditAutosave.conflicts() === 1`, "fg-"+it.ID, "msg-"+it.ID)) {
				t.Fatalf("an answer changed in another tab shows no conflict panel")
			}
			b.checkConsoleExpecting(page+", with a conflict", "409")
			page += ", a conflict shown"
			after = func() {
				// Settle it, or leaving the page would ask first.
				b.do("keep their answer", chromedp.Click(chromedp.CSS(fmt.Sprintf(`[id=%q] .app-conflict button`, "msg-"+it.ID))))
				b.waitFor("wait for the conflict to be settled", fmt.Sprintf(`clinauditAutosave.conflicts() === 0 && %s &&
					document.getElementById(%q).checked`, htmxQuiet, it.First))
			}
		case "multiaxial_diagnosis":
			b.addRowTo(f, "list-episodes")
			b.answerFirst(f, "epilepsy_or_nonepilepsy_status") // epileptic:
			b.answerFirst(f, "epileptic_seizure_onset_type")   // focal: 20 boxes and the side
			b.answerFirst(f, "syndrome_present")               // yes: the syndromes list
			b.answerFirst(f, "epilepsy_cause_known")           // yes: the cause and its categories
			page += ", an epileptic focal episode, syndromes and causes expanded"
		case "assessment":
			b.answerFirst(f, "consultant_paediatrician_referral_made") // yes: date, centre, input
			it := b.item(f, "consultant_paediatrician_referral_date")
			tomorrow := ukToday().AddDate(0, 0, 1)
			b.do("type a date in the future", chromedp.Focus(chromedp.CSS(fmt.Sprintf(`[id=%q]`, it.ID+"-day"))),
				chromedp.KeyEvent(fmt.Sprintf("%d\t%d\t%d\t", tomorrow.Day(), int(tomorrow.Month()), tomorrow.Year())))
			got := b.waitSaved("type a date in the future", it.ID)
			assertContains(t, "a referral date in the future", got, "Not saved")
			if !eval[bool](b, fmt.Sprintf(`document.getElementById(%q).classList.contains("nhsuk-form-group--error") &&
				!!document.getElementById(%q).querySelector(".nhsuk-error-message")`, "fg-"+it.ID, "msg-"+it.ID)) {
				t.Fatalf("the refused date shows no error beside its question")
			}
			b.checkConsoleExpecting(page+", with an error", "422")
			page += ", a referral expanded and its date refused"
		case "investigations":
			b.answerFirst(f, "eeg_indicated") // yes: request date, declined, performed date
			page += ", an EEG's questions expanded"
		case "management":
			b.answerFirst(f, "has_an_aed_been_given") // yes: the medicines list
			b.addRowTo(f, "list-antiepilepsy_medicines-maintenance")
			page += ", a medicine added"
		}
		b.axeCheck(page)
		if after != nil {
			after()
		}
	}

	b.open("open the history", base+"/history", 200)
	b.do("wait for the history", chromedp.WaitVisible(chromedp.CSS("main #history")))
	b.axeCheck("the history")

	// The check before locking: the answers so far and what is missing.
	b.open("open the check before locking", base+"/lock", 200)
	b.do("wait for the check", chromedp.WaitVisible(chromedp.CSS("main #lock-missing")))
	b.axeCheck("the check before locking")

	srv.checkLogs()
	t.Logf("the check took %v", time.Since(started).Round(time.Millisecond))
}

// axeCheck runs axe-core on the page and fails the test for each violation
// of impact serious or critical; others are logged. It also fails for any
// console error on the page.
func (b *browser) axeCheck(page string) {
	b.t.Helper()
	b.checkConsole(page)
	// Loaded by a script element from the app itself, so the page's CSP
	// applies to it as to the page's own scripts.
	if !evalAwait[bool](b, `window.axe ? Promise.resolve(true) : new Promise((resolve, reject) => {
		const s = document.createElement("script");
		s.src = "/static/vendor/axe-core/axe.min.js";
		s.onload = () => resolve(!!window.axe);
		s.onerror = () => reject(new Error("axe-core did not load"));
		document.head.append(s);
	})`) {
		b.t.Fatalf("%s: axe-core did not load", page)
	}
	if v := eval[string](b, `axe.version`); !strings.HasPrefix(v, "4.") {
		b.t.Fatalf("%s: axe-core %q loaded, want the vendored 4.x", page, v)
	}
	violations := evalAwait[[]axeViolation](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => JSON.stringify(n.target) + ": " + (n.failureSummary || "").replace(/\s+/g, " ").trim()),
	})))`)
	serious := 0
	for _, v := range violations {
		msg := fmt.Sprintf("%s: axe %s (%s): %s (%s)\n\t%s", page, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(v.Nodes, "\n\t"))
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(msg)
			serious++
		} else {
			b.t.Log(msg)
		}
	}
	if serious > 0 {
		b.screenshot("axe-" + sanitize(page))
	}
	b.checkConsole(page + ", after axe")
}

// newTab opens another tab in b's browser context: the same person, with
// the same cookies, in a second tab.
func (b *browser) newTab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("opening another tab: %v", err)
	}
	p := &browser{t: b.t, ctx: ctx, console: &consoleWatch{}, shots: b.shots}
	if err := chromedp.Listen(ctx, p.console.handle); err != nil {
		b.t.Fatal(err)
	}
	return p
}

// item is the question of the form on the page that stores field (the
// first one, in a row or not); it fails the test when there is none.
func (b *browser) item(f *forms.Form, field string) auditItem {
	b.t.Helper()
	for _, it := range eval[[]auditItem](b, scanItems) {
		if it.Key != "" && strings.HasSuffix(it.Key, "."+field) {
			return it
		}
	}
	b.t.Fatalf("%s: no question %s on the page (page: %s)", f.Title, field, b.where())
	return auditItem{}
}

// answerFirst chooses the first choice of a question (yes, the first
// option) with the mouse and waits for it to be saved.
func (b *browser) answerFirst(f *forms.Form, field string) {
	b.t.Helper()
	it := b.item(f, field)
	step := fmt.Sprintf("%s: answer %s", f.Title, it.Key)
	b.do(step, chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for=%q]`, it.First))))
	if got := b.waitSaved(step, it.ID); got != "Saved" {
		b.t.Fatalf("%s: the status says %q, want Saved", step, got)
	}
}

// addRowTo adds a row to the list with its Add button and waits for it.
func (b *browser) addRowTo(f *forms.Form, list string) {
	b.t.Helper()
	for _, it := range eval[[]auditItem](b, scanItems) {
		if it.Key == "" && it.ID == list {
			(&auditFiller{b: b, turn: map[string]int{}}).addRow(f, &it)
			return
		}
	}
	b.t.Fatalf("%s: no list %s on the page (page: %s)", f.Title, list, b.where())
}
