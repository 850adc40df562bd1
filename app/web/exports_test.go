package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/export"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// Record exports through the pages: ask, watch, download (only the
// owner, only when ready), de-identified, and the limits.
func TestRecordExportPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		makeStaff(t, s, a, "clin@rgt.example", access.Clinician, "RGT01")
		makeStaff(t, s, a, "full@e12.example", access.NationalFull, "")
		publishtest.Child(t, s, "RGT01", nil)
		publishtest.Child(t, s, "RGT01", nil)
		publishtest.Child(t, s, "RM332", nil)
		lead := signIn(t, newBrowser(t, app), "lead@rgt.example")

		p := lead.get("/exports")
		if p.status != 200 || p.doc.Find("#export-empty").Length() != 1 || p.doc.Find("#nav-exports").Length() != 1 ||
			p.doc.Find(`#organisation option[value="RGT01"]`).Length() != 1 || p.doc.Find(`#organisation option[value="RM332"]`).Length() != 0 ||
			p.doc.Find("#kind-deidentified[checked]").Length() != 1 {
			t.Fatalf("exports page: %d %s", p.status, p.doc.Find("main").Text())
		}
		if r := signIn(t, newBrowser(t, app), "clin@rgt.example").get("/exports"); r.status != 403 {
			t.Errorf("a clinician sees the exports page: %d", r.status)
		}
		form := func(kv ...string) url.Values {
			v := url.Values{"format": {"csv"}, "kind": {"deidentified"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		if r := lead.post("/exports", form("csrf", "stale")); r.status != 403 {
			t.Errorf("no CSRF token: %d", r.status)
		}
		for _, tt := range []struct {
			form  url.Values
			field string
		}{
			{form("format", "pdf"), "format"}, {form("kind", "maybe"), "kind"},
			{form("organisation", "RM332"), "organisation"}, {form("organisation", "NOPE1"), "organisation"}, {form("cohort", "x"), "cohort"},
		} {
			r := lead.post("/exports", tt.form)
			if r.status != 422 || r.doc.Find(`.nhsuk-error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
				t.Errorf("%v: %d %s", tt.form, r.status, r.doc.Find(".nhsuk-error-summary").Text())
			}
		}
		lead.get("/exports")
		r := lead.post("/exports", form())
		if loc := r.header.Get("Location"); r.status != 303 || !strings.HasPrefix(loc, "/exports?asked=") {
			t.Fatalf("ask: %d %q %s", r.status, loc, r.doc.Find("main").Text())
		}
		var id int64
		fmt.Sscanf(strings.TrimPrefix(r.header.Get("Location"), "/exports?asked="), "%d", &id)
		p = lead.htmxGet("/exports")
		if trig := p.doc.Find("#export-list").AttrOr("hx-trigger", ""); trig != "every 2s" || !strings.Contains(p.doc.Find(fmt.Sprintf("#export-%d", id)).Text(), "Waiting to start") ||
			p.doc.Find("header").Length() != 0 {
			t.Errorf("while waiting: trigger %q, %s", trig, p.body)
		}
		download := fmt.Sprintf("/exports/%d/download", id)
		if r := lead.get(download); r.status != 409 {
			t.Errorf("download before ready: %d", r.status)
		}

		runner := &export.Runner{Store: s, Answers: &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}}
		if err := runner.RunExport(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		p = lead.get("/exports")
		if _, polling := p.doc.Find("#export-list").Attr("hx-trigger"); polling || p.doc.Find(fmt.Sprintf("#download-%d", id)).Length() != 1 {
			t.Errorf("ready: polling %v, %s", polling, p.doc.Find("#export-list").Text())
		}
		r = lead.get(download)
		if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			r.header.Get("Content-Disposition") != `attachment; filename="children-all-all-cohorts-deidentified-`+time.Now().UTC().Format("2006-01-02")+`.csv"` {
			t.Fatalf("download: %d %s %s", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		pseudonyms := map[string]bool{}
		for _, row := range rows[1:] {
			pseudonyms[row[0]] = true
			if row[1] != "RGT01" {
				t.Errorf("another trust's child: %v", row)
			}
		}
		if len(pseudonyms) != 2 {
			t.Errorf("%d children, want RGT01's 2", len(pseudonyms))
		}
		for _, v := range []string{"Pubby", "Testchild", "2015-05-03", "CB20QQ", "PTEST"} {
			if strings.Contains(r.body, v) {
				t.Errorf("the de-identified export contains %q", v)
			}
		}
		// Compressed for a client that takes gzip: the same file.
		req := httptest.NewRequest("GET", download, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		for k, v := range lead.jar {
			req.Header.Add("Cookie", k+"="+v)
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		} else if zr, err := gzip.NewReader(bytes.NewReader(raw)); err != nil {
			t.Error(err)
		} else if plain, _ := io.ReadAll(zr); string(plain) != r.body {
			t.Error("the gzip download differs from the plain one")
		}

		// Only the owner.
		full := signIn(t, newBrowser(t, app), "full@e12.example")
		if r := full.get(download); r.status != 404 {
			t.Errorf("another user downloads the export: %d", r.status)
		}
		if r := lead.get("/exports/abc/download"); r.status != 404 {
			t.Errorf("/exports/abc/download: %d", r.status)
		}
		// At most three being prepared at once.
		for i := range export.MaxUnfinished + 1 {
			want := 303
			if i == export.MaxUnfinished {
				want = 429
			}
			lead.get("/exports")
			if r := lead.post("/exports", form("format", "jsonl", "kind", "identifiable")); r.status != want {
				t.Errorf("export %d: %d, want %d", i+1, r.status, want)
			}
		}
	})
}

// matrixExport is a ready export (an empty CSV) of the access matrix's
// actor called name ("signed out": the national team's): written
// directly, since export.Ask refuses the roles the route must refuse.
func matrixExport(t *testing.T, s store.Store, name string) int64 {
	t.Helper()
	ctx := context.Background()
	if name == "signed out" {
		name = string(access.NationalFull)
	}
	u, err := s.GetUserByEmail(ctx, name+"@actor.example")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	id, err := s.InsertRecordExport(ctx, store.InsertRecordExportParams{UserID: u.ID, Format: export.CSV, Deidentified: true,
		RequestedAt: now, ExpiresAt: now.Add(export.Retention)})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("child,lead_organisation,section,row,field,value\r\n"))
	zw.Close()
	if err := s.InsertRecordExportChunk(ctx, store.InsertRecordExportChunkParams{ExportID: id, Data: b.Bytes()}); err != nil {
		t.Fatal(err)
	}
	// Written for the actor's reach, as the job records it.
	a, err := access.ActorFor(ctx, s, u)
	if err != nil {
		t.Fatal(err)
	}
	scope := a.Trust + a.HealthBoard // at most one is set; "" national
	if err := s.FinishRecordExport(ctx, store.FinishRecordExportParams{ID: id, FinishedAt: &now, Size: 48, Chunks: 1, Scope: &scope}); err != nil {
		t.Fatal(err)
	}
	return id
}
