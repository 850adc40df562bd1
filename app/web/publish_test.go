package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// publicCellText is the text of a measure's cell at a level on an
// organisation's public page.
func publicCellText(doc *goquery.Document, measure kpi.Measure, level aggregate.Level) string {
	col := -1
	doc.Find("#public-kpi-table thead th").Each(func(i int, th *goquery.Selection) {
		if th.AttrOr("data-level", "") == string(level) {
			col = i
		}
	})
	if col < 0 {
		return "(no column " + string(level) + ")"
	}
	cell := doc.Find("#kpi-" + measure.ID()).Children().Eq(col).Clone()
	cell.Find(".nhsuk-u-visually-hidden").Remove()
	return strings.TrimSpace(cell.Text())
}

func levelsShown(doc *goquery.Document) string {
	var out []string
	doc.Find("#public-kpi-table thead th[data-level]").Each(func(_ int, th *goquery.Selection) {
		out = append(out, th.AttrOr("data-level", ""))
	})
	return strings.Join(out, " ")
}

// Publishing, and the public pages: they show the latest publication and
// never figures that were not published, however the data and the
// aggregation move on.
func TestPublishAndPublicPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := publishtest.Cohort()
		// Small-number suppression off: this test's few children make
		// exact figures to follow through publishing;
		// TestPublicPagesSuppressSmallNumbers tests the suppression.
		app, a := appSuppressing(t, s, 1)
		makeStaff(t, s, a, "publisher@e12.example", access.NationalFull, "")
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		anon := newBrowser(t, app)

		if p := anon.get("/public"); p.status != 200 || p.doc.Find("#nothing-published").Length() != 1 || p.doc.Find("#nav-public").Length() != 1 {
			t.Fatalf("/public before publishing: %d %s", p.status, p.doc.Find("main").Text())
		}
		never := func(when string) {
			t.Helper()
			p := anon.get("/public/organisations/rgt01")
			if got := strings.TrimSpace(p.doc.Find("#never-published").Text()); p.status != 200 || got != "Figures for ADDENBROOKE'S HOSPITAL have never been published." {
				t.Errorf("%s: %d %q", when, p.status, got)
			}
			if p.doc.Find("#public-kpi-table").Length() != 0 || strings.Contains(p.body, "%") {
				t.Errorf("%s: the public page shows figures", when)
			}
		}
		never("before any aggregation")
		if p := anon.get("/public/organisations/NOPE1"); p.status != 404 {
			t.Errorf("unknown organisation: %d", p.status)
		}

		for _, ecg := range []int64{1, 1, 0} {
			publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: ecg, kpi.MRI: 2})
		}
		publishtest.Child(t, s, "7A4H1", map[kpi.Measure]int64{kpi.ECG: 1})
		if _, err := aggregate.Run(ctx, s, c); err != nil {
			t.Fatal(err)
		}
		never("aggregated, not published")

		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		if p := lead.get("/dashboards/publish"); p.status != 403 {
			t.Errorf("a lead clinician sees the publish page: %d", p.status)
		}
		if p := lead.post("/dashboards/publish", url.Values{"cohort": {fmt.Sprint(int(c))}}); p.status != 403 {
			t.Errorf("a lead clinician publishes: %d", p.status)
		}
		if p := lead.get("/"); p.doc.Find("#nav-publish").Length() != 0 {
			t.Error("a lead clinician is offered the Publish link")
		}

		pub := signIn(t, newBrowser(t, app), "publisher@e12.example")
		p := pub.get("/dashboards/publish")
		if p.status != 200 || p.doc.Find(fmt.Sprintf("#publish-%d", c)).Length() != 1 || p.doc.Find(fmt.Sprintf("#never-%d", c)).Length() != 1 ||
			p.doc.Find("#nav-publish").Length() != 1 {
			t.Fatalf("publish page: %d %s", p.status, p.doc.Find("main").Text())
		}
		if r := pub.post("/dashboards/publish", url.Values{"cohort": {fmt.Sprint(int(c))}, "csrf": {"wrong"}}); r.status != 403 {
			t.Errorf("publish without the CSRF token: %d", r.status)
		}
		for _, bad := range []string{"", "abc", "2"} {
			if r := pub.post("/dashboards/publish", url.Values{"cohort": {bad}}); r.status != 400 || !strings.Contains(r.doc.Find("main").Text(), "Choose a cohort") {
				t.Errorf("publish cohort %q: %d %s", bad, r.status, r.doc.Find("main").Text())
			}
		}
		if r := pub.post("/dashboards/publish", url.Values{"cohort": {fmt.Sprint(int(c) + 1)}}); r.status != 409 {
			t.Errorf("publish a cohort with no figures: %d", r.status)
		}
		publishNow := func() {
			t.Helper()
			pub.get("/dashboards/publish")
			r := pub.post("/dashboards/publish", url.Values{"cohort": {fmt.Sprint(int(c))}})
			if loc := r.header.Get("Location"); r.status != 303 || !strings.HasPrefix(loc, "/dashboards/publish?published=") {
				t.Fatalf("publish: %d %q", r.status, loc)
			}
			if r = pub.get(r.header.Get("Location")); r.doc.Find("#published-notice").Length() != 1 {
				t.Errorf("no notice after publishing: %s", r.doc.Find("main").Text())
			}
		}
		publishNow()

		// Published: the list, its search, the organisation's table.
		p = anon.get("/public")
		if p.doc.Find(`#public-organisations li[data-ods="RGT01"] a[href="/public/organisations/RGT01"]`).Length() != 1 {
			t.Errorf("/public lacks RGT01: %s", p.doc.Find("main").Text())
		}
		p = anon.htmxGet("/public?q=addenbrooke")
		if n := p.doc.Find("#public-organisations li").Length(); n != 1 || p.doc.Find("header").Length() != 0 {
			t.Errorf("search for addenbrooke: %d organisations (htmx fragment: %v)", n, p.doc.Find("header").Length() == 0)
		}
		if p = anon.get("/public?q=zzzz"); p.doc.Find("#public-organisations").Length() != 0 || !strings.Contains(p.body, "No organisations match") {
			t.Error("a search matching nothing")
		}
		p = anon.get("/public/organisations/RGT01")
		if !strings.HasPrefix(strings.TrimSpace(p.doc.Find("#published-on").Text()), "Published on ") {
			t.Errorf("published page: %q", p.doc.Find("#published-on").Text())
		}
		if got := levelsShown(p.doc); got != "organisation trust icb nhs_england_region open_uk_network country national" {
			t.Errorf("RGT01's levels: %s", got)
		}
		if got := publicCellText(p.doc, kpi.ECG, aggregate.Organisation); got != "67% (3)" {
			t.Errorf("RGT01 ECG: %q", got)
		}
		if got := publicCellText(p.doc, kpi.ECG, aggregate.National); got != "75% (4)" {
			t.Errorf("national ECG: %q", got)
		}
		if got := publicCellText(p.doc, kpi.MRI, aggregate.Organisation); got != "No eligible children to score" {
			t.Errorf("RGT01 MRI: %q", got)
		}
		if n := p.doc.Find("#public-kpi-table tbody tr").Length(); n != 12 {
			t.Errorf("%d measures shown, want the 12 headline ones", n)
		}
		if p := anon.get("/public/organisations/7A4H1"); levelsShown(p.doc) != "organisation local_health_board open_uk_network country national" {
			t.Errorf("7A4H1's levels: %s", levelsShown(p.doc))
		}

		// The data change and the aggregation runs again, twice: the public
		// page still shows what was published.
		for range 3 {
			publishtest.Child(t, s, "RGT01", map[kpi.Measure]int64{kpi.ECG: 1, kpi.MRI: 1})
		}
		for range 2 {
			if _, err := aggregate.Run(ctx, s, c); err != nil {
				t.Fatal(err)
			}
		}
		p = anon.get("/public/organisations/RGT01")
		if got := publicCellText(p.doc, kpi.ECG, aggregate.Organisation); got != "67% (3)" {
			t.Errorf("after new data and runs, not published: RGT01 ECG %q, want the published 67%% (3)", got)
		}
		if got := publicCellText(p.doc, kpi.MRI, aggregate.Organisation); got != "No eligible children to score" {
			t.Errorf("after new data and runs, not published: RGT01 MRI %q", got)
		}
		// Published again: the new figures; the history keeps both.
		publishNow()
		p = anon.get("/public/organisations/RGT01")
		if got := publicCellText(p.doc, kpi.ECG, aggregate.Organisation); got != "83% (6)" {
			t.Errorf("republished: RGT01 ECG %q", got)
		}
		if got := publicCellText(p.doc, kpi.MRI, aggregate.Organisation); got != "100% (3)" {
			t.Errorf("republished: RGT01 MRI %q", got)
		}
		if n := pub.get("/dashboards/publish").doc.Find(fmt.Sprintf("#publications-%d tbody tr", c)).Length(); n != 2 {
			t.Errorf("%d publications listed, want 2", n)
		}
		if p := anon.get(fmt.Sprintf("/public/organisations/RGT01?cohort=%d", c)); p.status != 200 || publicCellText(p.doc, kpi.ECG, aggregate.Organisation) != "83% (6)" {
			t.Errorf("?cohort=%d: %d", c, p.status)
		}
		if p := anon.get("/public/organisations/RGT01?cohort=999"); p.status != 404 {
			t.Errorf("?cohort=999: %d", p.status)
		}
		if p := anon.get("/public/organisations/RGT01?cohort=abc"); p.status != 400 {
			t.Errorf("?cohort=abc: %d", p.status)
		}
	})
}
