package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// progressIDs are the ids of the task list's parts in a document or
// fragment, in order.
func progressIDs(doc *goquery.Document) []string {
	var out []string
	doc.Find(`[id^="count-"], [id^="status-"], #progress-overall, #audit-progress`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("id", ""))
	})
	return out
}

// A save from a page that shows the progress just before it sends only what
// changed of the task list: the saved form's count and status and the
// overall line, out of band, with the version the list now shows; the same
// answer again sends none. A save from a page that missed someone else's
// write, or that sends no version, gets the whole list.
func TestSaveSendsOnlyTheProgressThatChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		makeStaff(t, s, a, "other@nca.example", access.Clinician, "RM332")
		id := registeredChild(t, s, "4857773456")
		base := fmt.Sprintf("/children/%d/forms/first_paediatric_assessment", id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		page := clin.get(base)
		const fpa = "first_paediatric_assessment"
		before := page.doc.Find("#count-" + fpa).Text()
		var answered, expected int
		if _, err := fmt.Sscanf(before, "%d of %d answered", &answered, &expected); err != nil {
			t.Fatalf("the page's count %q: %v", before, err)
		}
		if got := strings.TrimSpace(page.doc.Find("#status-" + fpa).Text()); got != "Not started" {
			t.Fatalf("the page's status %q", got)
		}
		overall := page.doc.Find("#progress-overall").Text()
		pv := page.doc.Find("#progress-v").AttrOr("value", "")
		if pv == "" {
			t.Fatalf("no #progress-v on the form page")
		}
		save := func(b *browser, pv, field, value string) response {
			t.Helper()
			key := fpa + ".0." + field
			p := b.htmxPost(base+"/answer", url.Values{"key": {key}, "v": {"1000000"}, key: {value}, "pv": {pv}})
			if p.status != 200 || !strings.Contains(p.body, ">Saved<") {
				t.Fatalf("save %s: %d %.300s", field, p.status, p.body)
			}
			return p
		}

		p := save(clin, pv, "general_examination_performed", "true")
		want := fmt.Sprintf("%d of %d answered", answered+1, expected)
		if got := p.doc.Find("#count-" + fpa).Text(); got != want {
			t.Errorf("count after the save: %q, want %q", got, want)
		}
		if got := strings.TrimSpace(p.doc.Find("#status-" + fpa).Text()); got != "In progress" {
			t.Errorf("status after the save: %q, want In progress", got)
		}
		// One more answer moves the percentage, not the sections completed.
		sections, _, _ := strings.Cut(overall, "(")
		if got := p.doc.Find("#progress-overall").Text(); got == overall || !strings.HasPrefix(got, sections) {
			t.Errorf("overall line after the save: %q, before %q", got, overall)
		}
		if got, want := strings.Join(progressIDs(p.doc), " "), "progress-overall count-"+fpa+" status-"+fpa; got != want {
			t.Errorf("task-list parts sent: %q, want %q", got, want)
		}
		p.doc.Find(`[id^="count-"], [id^="status-"], #progress-overall, #progress-v`).Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("hx-swap-oob", "") != "true" {
				t.Errorf("#%s is not swapped out of band", s.AttrOr("id", ""))
			}
		})
		// The current form's marker is the page's: the fragment has none.
		if p.doc.Find("[aria-current], .app-task-current").Length() != 0 {
			t.Errorf("the fragment carries the current-form marker: %.500s", p.body)
		}
		old, _ := strconv.ParseInt(pv, 10, 64)
		pv = p.doc.Find("#progress-v").AttrOr("value", "")
		if pv != strconv.FormatInt(old+1, 10) {
			t.Fatalf("#progress-v after the save: %q, want %d", pv, old+1)
		}

		// Another answer of the same form: its count changes, its status
		// and the sections completed do not.
		p = save(clin, pv, "neurological_examination_performed", "true")
		want = fmt.Sprintf("%d of %d answered", answered+2, expected)
		if got := p.doc.Find("#count-" + fpa).Text(); got != want {
			t.Errorf("count after the second save: %q, want %q", got, want)
		}
		for _, id := range progressIDs(p.doc) {
			if id != "count-"+fpa && id != "status-"+fpa && id != "progress-overall" {
				t.Errorf("the second save sent #%s", id)
			}
		}
		pv = p.doc.Find("#progress-v").AttrOr("value", "")

		// The same answer again changes nothing: no line of the list is sent.
		p = save(clin, pv, "neurological_examination_performed", "true")
		if ids := progressIDs(p.doc); len(ids) != 0 || p.doc.Find("#progress-v").AttrOr("value", "") != pv {
			t.Errorf("the same answer again sent %v, #progress-v %q (was %s)", ids, p.doc.Find("#progress-v").AttrOr("value", ""), pv)
		}

		// Someone else writes: this page's progress is now a version behind,
		// so its next save gets the whole list, with the current form marked.
		other := signIn(t, newBrowser(t, app), "other@nca.example")
		other.get(base)
		save(other, "0", "developmental_learning_or_schooling_problems", "true")
		p = save(clin, pv, "behavioural_or_emotional_problems", "true")
		list := p.doc.Find("#audit-progress")
		if list.Length() != 1 || list.AttrOr("hx-swap-oob", "") != "true" {
			t.Fatalf("no whole task list after someone else's write: %.500s", p.body)
		}
		if n := list.Find(`[id^="count-"]`).Length(); n != 7 {
			t.Errorf("the whole list has %d counts, want 7", n)
		}
		want = fmt.Sprintf("%d of %d answered", answered+4, expected)
		if got := list.Find("#count-" + fpa).Text(); got != want {
			t.Errorf("count in the whole list: %q, want %q", got, want)
		}
		if got := list.Find(`a[aria-current="page"]`).AttrOr("aria-describedby", ""); got != "status-"+fpa {
			t.Errorf("the current form in the whole list: %q", got)
		}
		// A save with no pv (an older page) gets the whole list too.
		key := fpa + ".0.general_examination_performed"
		p = clin.htmxPost(base+"/answer", url.Values{"key": {key}, "v": {"1000000"}, key: {"false"}})
		if p.status != 200 || p.doc.Find("#audit-progress").Length() != 1 {
			t.Errorf("a save without pv: %d %.300s", p.status, p.body)
		}
	})
}
