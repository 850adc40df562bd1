package e2e

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// episodeDescription is typed into the episode's description; "crying" is
// one of the semiology keywords, so the save derives description_keywords.
const episodeDescription = "Crying, then staring for a minute"

var progressRE = regexp.MustCompile(`You have completed ([0-9]+) of ([0-9]+) sections \(([0-9]+)% of the expected answers\)`)

// TestCompleteWholeAudit has the demo clinician at RGT01 answer the whole
// audit of a registered child of their organisation in a real browser: every
// form of forms.All(), every question shown, rows added to every list shown
// (an episode, a syndrome, a comorbidity, a maintenance and a rescue
// medicine), follow-ups answered as they appear. It answers as
// TestAFilledQuestionnaireIsComplete's "yes to everything, first choices"
// child (app/forms), which progress reports complete: yes, the first choice,
// the first box, some words (the episode's description naming a semiology
// keyword, so its keywords are derived), dates 10 days after the first
// paediatric assessment (20 for the second date of a pair), Confirm boxes
// left unticked but for two focal-onset features. Radios and boxes are
// answered alternately with the mouse (a click on the label) and the
// keyboard (focus, Space); dates and text are typed, half of them left
// with Tab (date-left, change) and half left to save themselves after the
// pause (date-complete, keyup); selects take the Down arrow. Each answer
// must show "Saved" before the next. Every form page is then reloaded: every
// answer is still there, the task list says Completed for each form and the
// overall progress is 100%. No page may log a console error.
func TestCompleteWholeAudit(t *testing.T) { eachEngine(t, testCompleteWholeAudit) }

func testCompleteWholeAudit(t *testing.T, e store.Engine) {
	findBrowser(t) // skip before starting anything when there is no browser
	srv := startServer(t, e)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	child := srv.editableChild()
	b := startBrowser(t, ctx)

	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the RGT01 clinician", rgt01ClinicianEmail, cli.DemoPassword)
	if got, want := eval[string](b, `document.body.dataset.user || ""`), strconv.FormatInt(srv.userID(rgt01ClinicianEmail), 10); got != want {
		t.Errorf("<body data-user> is %q, want the clinician's id %s", got, want)
	}

	tasksURL := fmt.Sprintf("%s/children/%d/audit", srv.base, child.ID)
	b.open("open the audit's task list", tasksURL, 200)
	b.do("wait for the task list", chromedp.WaitVisible(css("main #task-list")))
	if eval[bool](b, `!!document.querySelector("main #read-only")`) {
		t.Fatalf("child %d's audit is read-only: %s", child.ID, b.text("main #read-only"))
	}
	b.checkConsole("the task list")
	b.screenshot("task-list-before")

	fill := &auditFiller{b: b, fpa: child.FPA}
	answered := map[string]map[string]string{} // form id → data-key → answer as the page shows it
	for _, f := range forms.All() {
		link := fmt.Sprintf(`main #task-list a[href="/children/%d/forms/%s"]`, child.ID, f.ID)
		if status := b.submit("open "+f.Title+" from the task list", chromedp.Click(css(link))); status != 200 {
			t.Fatalf("%s: status %d at %s", f.Title, status, b.where())
		}
		b.waitAutosave(f.Title)
		if got := b.text("main h1"); got != f.Title {
			t.Errorf("the %s form is headed %q", f.ID, got)
		}
		fill.form(f)
		snap := b.answersShown()
		for key, v := range snap {
			if v == "" && !fill.skipped[key] {
				t.Errorf("%s: %s is still unanswered after filling the form", f.Title, key)
			}
		}
		answered[f.ID] = snap
		if got := b.text("main #status-" + f.ID); got != "Completed" {
			t.Errorf("%s: the task list beside the form says %q, want Completed (%s)", f.Title, got, b.text("main #count-"+f.ID))
		}
		if n := eval[int](b, `clinauditAutosave.pending() + clinauditAutosave.failed() + clinauditAutosave.conflicts() + clinauditAutosave.unsent()`); n != 0 {
			t.Errorf("%s: %d answers pending, failed, in conflict or unsent after filling the form", f.Title, n)
		}
		b.checkConsole(f.Title + ", filled in")
		b.screenshot(f.ID)
		if status := b.submit("back to the task list from "+f.Title, chromedp.Click(css("main a.nhsuk-back-link"))); status != 200 {
			t.Fatalf("back to the task list: status %d at %s", status, b.where())
		}
	}
	t.Logf("%d answers given (%d with the keyboard, %d with the mouse; %d dates and texts left to save themselves after the pause), %d rows added",
		fill.answers, fill.keyboard, fill.mouse, fill.paused, fill.rows)
	if fill.rows < 5 {
		t.Errorf("%d rows added, want at least 5 (an episode, a syndrome, a comorbidity, two medicines)", fill.rows)
	}

	// The task list: every form completed, 100% overall.
	b.do("wait for the task list", chromedp.WaitVisible(css("main #task-list")))
	b.assertAuditComplete("the task list after filling every form")
	b.checkConsole("the task list, complete")
	b.screenshot("task-list-complete")

	// Reload every form page: every answer is still there.
	for _, f := range forms.All() {
		b.open("reload "+f.Title, fmt.Sprintf("%s/children/%d/forms/%s", srv.base, child.ID, f.ID), 200)
		b.waitAutosave(f.Title + ", reloaded")
		got := b.answersShown()
		if !maps.Equal(got, answered[f.ID]) {
			for _, k := range slices.Sorted(maps.Keys(answered[f.ID])) {
				if got[k] != answered[f.ID][k] {
					t.Errorf("%s, reloaded: %s shows %q, was answered %q", f.Title, k, got[k], answered[f.ID][k])
				}
			}
			for k := range got {
				if _, ok := answered[f.ID][k]; !ok {
					t.Errorf("%s, reloaded: %s (%q) was not on the page when it was filled in", f.Title, k, got[k])
				}
			}
		}
		b.assertAuditComplete(f.Title + ", reloaded")
		b.checkConsole(f.Title + ", reloaded")
	}
	b.open("reload the task list", tasksURL, 200)
	b.assertAuditComplete("the task list, reloaded")
	b.checkConsole("the task list, reloaded")

	srv.checkLogs()
	for _, w := range b.console.allWarnings() {
		t.Logf("console warning: %s", w)
	}
	t.Logf("the audit took %v", time.Since(started).Round(time.Millisecond))
}

// assertAuditComplete checks the progress shown on the page (the task list,
// or a form's sidebar): every form Completed and 100% overall.
func (b *browser) assertAuditComplete(where string) {
	b.t.Helper()
	overall := b.text("main #progress-overall")
	m := progressRE.FindStringSubmatch(overall)
	if m == nil || m[1] != m[2] || m[3] != "100" {
		b.t.Errorf("%s: the progress says %q, want every section and 100%%", where, overall)
	}
	if m != nil && m[2] != strconv.Itoa(len(forms.All())+1) { // the forms and registration
		b.t.Errorf("%s: %s sections, want %d", where, m[2], len(forms.All())+1)
	}
	for _, f := range forms.All() {
		if got := b.text("main #status-" + f.ID); got != "Completed" {
			b.t.Errorf("%s: %s is %q (%s), want Completed", where, f.Title, got, b.text("main #count-"+f.ID))
		}
	}
}

// auditChild is a registered child whose audit the test may answer.
type auditChild struct {
	ID  int64
	FPA time.Time // first paediatric assessment
}

// editableChild picks a demo child at RGT01 that the RGT01 clinician may
// answer the audit of: registered, in a cohort still open today, not
// locked, opted out or deleted, and first assessed at least 25 days ago, so
// that dates 10 and 20 days after that are in the past. The demo's children
// are the same every run (a fixed random seed), their dates relative to
// today. Children in exclude are passed over.
func (s *server) editableChild(exclude ...int64) auditChild {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	rows, err := st.DB().QueryContext(context.Background(), `
		SELECT c.id, date(c.first_paediatric_assessment_date), c.cohort
		FROM children c JOIN organisations o ON o.id = c.lead_organisation_id
		WHERE o.ods_code = 'RGT01' AND c.registered_at IS NOT NULL AND c.locked_at IS NULL
		  AND c.opted_out_at IS NULL AND c.deleted_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.child_id = c.id)
		ORDER BY c.id`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	today := ukToday()
	for rows.Next() {
		var c auditChild
		var fpa any
		var number int
		if err := rows.Scan(&c.ID, &fpa, &number); err != nil {
			s.t.Fatal(err)
		}
		if c.FPA, err = dateValue(fpa); err != nil {
			s.t.Fatalf("child %d's first assessment %q: %v", c.ID, fpa, err)
		}
		if slices.Contains(exclude, c.ID) || c.FPA.After(today.AddDate(0, 0, -25)) || !cohort.Cohort(number).IsOpen(today) {
			continue
		}
		return c
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Fatal("no demo child at RGT01 is registered in an open cohort, first assessed 25 days ago or more, and unlocked")
	return auditChild{}
}

// userID is the id of the account with this email.
func (s *server) userID(email string) int64 {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	var id int64
	if err := st.DB().QueryRowContext(context.Background(), `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		s.t.Fatalf("the account %s: %v", email, err)
	}
	return id
}

// waitAutosave waits until the form page's scripts have started (htmx and
// autosave.js are deferred).
func (b *browser) waitAutosave(page string) {
	b.t.Helper()
	b.waitFor(page+": wait for autosave.js", `!!(window.htmx && window.clinauditAutosave) && document.readyState === "complete"`)
}

// auditItem is one question or list of rows on a form page, as the page
// shows it, in page order.
type auditItem struct {
	Key      string // the question's data-key; empty for a list of rows
	ID       string // the question's id (fg-ID, st-ID…) or the list's
	Control  string // radio, checkbox, date, select, text or textarea
	First    string // the id of the question's first input
	Answered bool
	Disabled bool
	Rows     int    // a list: how many rows it has
	Add      string // a list: its Add button's id
}

// scanItems lists the questions and lists of the form on the page.
const scanItems = `[...document.querySelectorAll("#audit-form [data-autosave], #audit-form .app-rows")].map(el => {
	if (el.classList.contains("app-rows")) {
		const add = el.querySelector(":scope > button[id^='add-']");
		return {ID: el.id, Rows: el.querySelectorAll(":scope > .app-row").length, Add: add ? add.id : ""};
	}
	const own = [...el.querySelectorAll("[data-save] input, [data-save] select, [data-save] textarea")].filter(i => i.closest("[data-autosave]") === el);
	const first = own[0];
	let control = "";
	if (first) control = first.closest("[data-date]") ? "date" : first.tagName === "INPUT" ? first.type : first.tagName.toLowerCase();
	const checkable = control === "radio" || control === "checkbox";
	return {Key: el.dataset.key, ID: el.id.slice(3), Control: control, First: first ? first.id : "",
		Answered: own.length > 0 && (checkable ? own.some(i => i.checked) : own.every(i => i.value.trim() !== "")),
		Disabled: own.length === 0 || own.every(i => i.disabled)};
})`

// answersShown maps each question on the page (data-key) to its answer as
// the page shows it: the ticked values, or the inputs' values, joined by |.
func (b *browser) answersShown() map[string]string {
	b.t.Helper()
	return eval[map[string]string](b, `(() => { const out = {};
		for (const g of document.querySelectorAll("#audit-form [data-autosave]")) {
			const own = [...g.querySelectorAll("[data-save] input, [data-save] select, [data-save] textarea")].filter(i => i.closest("[data-autosave]") === g);
			const checkable = own.length && (own[0].type === "radio" || own[0].type === "checkbox");
			out[g.dataset.key] = (checkable ? own.filter(i => i.checked) : own.filter(i => i.value !== "")).map(i => i.value).join("|");
		}
		return out; })()`)
}

// auditFiller answers a form's questions in a browser as
// TestAFilledQuestionnaireIsComplete's fill does in Go: the first question
// shown and not yet answered, in page order, until none is left, adding a
// row to every list shown that has none.
type auditFiller struct {
	b       *browser
	fpa     time.Time
	skipped map[string]bool // Confirm boxes left unticked: unticked is their "no"
	answers int
	rows    int
	// How the answers were given, alternating per kind of input; paused:
	// dates and text left to save themselves after the pause.
	keyboard, mouse, paused int
	turn                    map[string]int
}

// tickedConfirms are the Confirm boxes the filler ticks (with the keyboard
// or the mouse); others are left unticked, as the Go fill leaves them.
var tickedConfirms = map[string]bool{"focal_onset_impaired_awareness": true, "focal_onset_automatisms": true}

func (a *auditFiller) form(f *forms.Form) {
	b := a.b
	b.t.Helper()
	if a.skipped == nil {
		a.skipped, a.turn = map[string]bool{}, map[string]int{}
	}
	for range 400 {
		items := eval[[]auditItem](b, scanItems)
		var next *auditItem
		for i, it := range items {
			if it.Key == "" && it.Rows == 0 && it.Add != "" || it.Key != "" && !it.Answered && !it.Disabled && !a.skipped[it.Key] {
				next = &items[i]
				break
			}
		}
		if next == nil {
			return
		}
		if next.Key == "" {
			a.addRow(f, next)
			continue
		}
		key, err := forms.ParseKey(next.Key)
		if err != nil {
			b.t.Fatalf("%s: %v", f.Title, err)
		}
		q := f.Question(key)
		if q == nil {
			b.t.Fatalf("%s: the page asks %s, which is not a question of the form", f.Title, next.Key)
		}
		if q.Kind == forms.Confirm && !tickedConfirms[q.Field] {
			a.skipped[next.Key] = true
			continue
		}
		a.answer(f, q, next)
	}
	b.t.Fatalf("%s: still unanswered questions after 400 answers (page: %s)", f.Title, b.where())
}

// useKeyboard alternates between the keyboard and the mouse for each kind
// of input.
func (a *auditFiller) useKeyboard(control string) bool {
	a.turn[control]++
	return a.turn[control]%2 == 0
}

// answer gives q its answer in the browser and waits for "Saved".
func (a *auditFiller) answer(f *forms.Form, q *forms.Question, it *auditItem) {
	b := a.b
	b.t.Helper()
	byID := func(id string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[id=%q]`, id)) }
	step := fmt.Sprintf("%s: answer %s (%s)", f.Title, it.Key, it.Control)
	b.markStatus(it.ID)
	keyboard := true
	switch it.Control {
	case "radio", "checkbox":
		// The first choice: yes, the first option, the first box, the box.
		if keyboard = a.useKeyboard(it.Control); keyboard {
			b.do(step+" with the keyboard", chromedp.Focus(byID(it.First)), chromedp.KeyEvent(" "))
		} else {
			b.do(step+" with the mouse", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for=%q]`, it.First))))
		}
	case "select":
		// The first choice below "Not answered".
		b.do(step+" with the Down arrow", chromedp.Focus(byID(it.First)), chromedp.KeyEvent(kb.ArrowDown))
	case "text", "textarea":
		text := "Some words"
		if q.Field == "description" {
			text = episodeDescription
		}
		leave := ""
		if a.useKeyboard(it.Control) {
			leave = "\t" // saved on change; otherwise 800 ms after the last key
		} else {
			a.paused++
		}
		b.do(step, chromedp.Focus(byID(it.First)), chromedp.KeyEvent(text+leave))
	case "date":
		n := 10
		if q.Date != nil && q.Date.NotBefore != "" {
			n = 20 // the second date of a pair
		}
		d := a.fpa.AddDate(0, 0, n)
		typed := fmt.Sprintf("%d\t%d\t%d", d.Day(), int(d.Month()), d.Year())
		if a.useKeyboard(it.Control) {
			typed += "\t" // date-left; otherwise date-complete after the pause
		} else {
			a.paused++
		}
		b.do(step, chromedp.Focus(byID(it.ID+"-day")), chromedp.KeyEvent(typed))
	default:
		b.t.Fatalf("%s: no way to answer a %q input", step, it.Control)
	}
	if keyboard {
		a.keyboard++
	} else {
		a.mouse++
	}
	a.answers++
	if got := b.waitSaved(step, it.ID); got != "Saved" {
		b.t.Fatalf("%s: the status says %q, want Saved (message: %q; page: %s)", step, got, b.text("main [id=\"msg-"+it.ID+"\"]"), b.where())
	}
}

// htmxQuiet is true when htmx has no request in flight and has finished
// swapping and settling what it swapped in: until then, new content's hx-
// attributes are not wired up yet, and a click on it does nothing.
const htmxQuiet = `!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`

// waitSaved waits until the question's save has been answered and returns
// its status ("Saved", or why not).
func (b *browser) waitSaved(step, id string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`(() => {
		const st = document.getElementById(%[1]q), g = document.getElementById(%[2]q);
		if (!st || !g || g.classList.contains("app-saving") || window.clinauditAutosave.pending() > 0 || !%[3]s) return "";
		const text = st.textContent.trim();
		return text === "Saving…" ? "" : text;
	})()`, "st-"+id, "fg-"+id, htmxQuiet), chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		type state struct {
			Status   string
			Replaced bool
			Pending  int
		}
		s := eval[state](b, fmt.Sprintf(`(() => { const st = document.getElementById(%q) || {dataset: {}};
			return {Status: st.textContent || "", Replaced: st.dataset.e2eMark !== "1", Pending: clinauditAutosave.pending()}; })()`, "st-"+id))
		why := ""
		if s.Replaced {
			why = "; the question's status element was replaced while saving (the whole question re-rendered out of band?)"
		}
		b.t.Fatalf("%s: waiting for the save: %v (status %q, %d requests in flight%s; page: %s)", step, err, s.Status, s.Pending, why, b.where())
	}
	return got
}

// markStatus marks the question's status element, so that a failure can
// tell whether a save replaced it rather than writing into it.
func (b *browser) markStatus(id string) {
	b.t.Helper()
	b.do("mark the status of "+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).dataset.e2eMark = "1", true`, "st-"+id)))
}

// addRow adds a row to an empty list with its Add button (the mouse and the
// keyboard in turn) and waits for the list to show it.
func (a *auditFiller) addRow(f *forms.Form, it *auditItem) {
	b := a.b
	b.t.Helper()
	step := fmt.Sprintf("%s: add a row to %s", f.Title, it.ID)
	add := chromedp.CSS(fmt.Sprintf(`[id=%q]`, it.Add))
	if a.useKeyboard("button") {
		b.do(step+" with the keyboard", chromedp.Focus(add), chromedp.KeyEvent(kb.Enter))
	} else {
		b.do(step+" with the mouse", chromedp.Click(add))
	}
	b.waitFor(step, fmt.Sprintf(`(() => { const l = document.getElementById(%q);
		return !!l && l.querySelectorAll(":scope > .app-row").length === %d && %s; })()`, it.ID, it.Rows+1, htmxQuiet))
	a.rows++
}
