package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// The case list shows each child's audit progress, the days left to the
// cohort's submission deadline and the date the record was submitted
// (spec §10.1), and sorts by each through htmx.
func TestCaseListProgressDaysRemainingSubmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		first := registeredChild(t, s, "4857773456")
		second := registeredChild(t, s, "9434765919")
		for id, pct := range map[int64]int64{first: 64, second: 12} {
			c, err := s.GetChild(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{ID: id, Version: c.Version, AuditProgress: pct}); err != nil {
				t.Fatal(err)
			}
		}
		c, _ := s.GetChild(ctx, first)
		deadline := cohort.Cohort(*c.Cohort).SubmissionDeadline()
		now := time.Now().In(londonTime)
		days := int(time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 0, 0, 0, 0, time.UTC).
			Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)

		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		cell := func(tr *goquery.Selection, heading string) string {
			var out string
			tr.Find("td").Each(func(_ int, td *goquery.Selection) {
				if strings.TrimSpace(td.Find(".nhsuk-table-responsive__heading").Text()) == heading {
					out = strings.TrimSpace(strings.TrimPrefix(td.Text(), td.Find(".nhsuk-table-responsive__heading").Text()))
				}
			})
			return out
		}
		p := clin.get("/children")
		if p.status != 200 {
			t.Fatalf("case list: %d", p.status)
		}
		for _, h := range []string{"Audit progress", "Days remaining", "Date submitted"} {
			if p.doc.Find(`#child-table th a:contains("`+h+`")`).Length() != 1 {
				t.Errorf("no sortable %q column", h)
			}
		}
		row := p.doc.Find(fmt.Sprintf(`tr[data-child="%d"]`, first))
		if got := cell(row, "Audit progress"); got != "64%" {
			t.Errorf("audit progress %q, want 64%%", got)
		}
		if got, want := cell(row, "Days remaining"), fmt.Sprintf("%d days", days); got != want {
			t.Errorf("days remaining %q, want %q", got, want)
		}
		if got := cell(row, "Date submitted"); got != "" {
			t.Errorf("date submitted %q before locking", got)
		}

		// Sorted by progress, most first, through htmx.
		href := p.doc.Find(`#child-table th a[data-sort="progress"]`).AttrOr("hx-get", "")
		p = clin.htmxGet(href)
		if p.status != 200 || strings.Contains(p.body, "<html") {
			t.Fatalf("htmx sort: %d", p.status)
		}
		href = p.doc.Find(`#child-table th a[data-sort="progress"]`).AttrOr("hx-get", "")
		if !strings.Contains(href, "dir=desc") {
			t.Fatalf("the progress header, sorted ascending, links to %q", href)
		}
		p = clin.htmxGet(href)
		var order []string
		p.doc.Find("#child-table tbody tr").Each(func(_ int, tr *goquery.Selection) { order = append(order, cell(tr, "Audit progress")) })
		if strings.Join(order, ",") != "64%,12%" {
			t.Errorf("by progress, most first: %v", order)
		}
	})
}
