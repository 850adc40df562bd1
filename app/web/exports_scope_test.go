package web

import (
	"context"
	"fmt"
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

// TestExportDownloadRechecksReach: a lead clinician's exports (all they
// can reach, and one organisation's) download while they are at RGT01;
// moved to another trust's organisation, the same session gets 404 for
// both, as for any record out of reach; moved back, 200 again.
func TestExportDownloadRechecksReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		publishtest.Child(t, s, "RGT01", nil)
		lead := signIn(t, newBrowser(t, app), "lead@rgt.example")
		runner := &export.Runner{Store: s, Answers: &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}}
		var downloads []string
		for _, org := range []string{"", "RGT01"} {
			lead.get("/exports")
			r := lead.post("/exports", url.Values{"format": {"jsonl"}, "kind": {"identifiable"}, "organisation": {org}})
			var id int64
			if _, err := fmt.Sscanf(strings.TrimPrefix(r.header.Get("Location"), "/exports?asked="), "%d", &id); r.status != 303 || err != nil {
				t.Fatalf("ask (organisation %q): %d %s", org, r.status, r.doc.Find("main").Text())
			}
			if err := runner.RunExport(ctx, id, true); err != nil {
				t.Fatal(err)
			}
			downloads = append(downloads, fmt.Sprintf("/exports/%d/download", id))
		}
		u, err := s.GetUserByEmail(ctx, "lead@rgt.example")
		if err != nil {
			t.Fatal(err)
		}
		move := func(ods string) {
			o, err := s.GetOrganisationByODS(ctx, ods)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.UpdateUserAccess(ctx, store.UpdateUserAccessParams{Role: string(access.LeadClinician), OrganisationID: &o.ID, UpdatedAt: time.Now(), ID: u.ID}); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range downloads {
			if r := lead.get(d); r.status != 200 || !strings.Contains(r.body, "Testchild") {
				t.Fatalf("%s at RGT01: %d", d, r.status)
			}
		}
		move("RM332") // another trust
		for _, d := range downloads {
			if r := lead.get(d); r.status != 404 || strings.Contains(r.body, "Testchild") {
				t.Errorf("%s after moving to another trust: %d, want 404", d, r.status)
			}
		}
		// The list no longer offers them, and says why.
		p := lead.get("/exports")
		if p.doc.Find(`a[href$="/download"]`).Length() != 0 || !strings.Contains(p.doc.Find("#export-table").Text(), "Your access has changed since this export was written") {
			t.Errorf("exports page after the move: %s", strings.Join(strings.Fields(p.doc.Find("#export-list").Text()), " "))
		}
		move("RGT01")
		for _, d := range downloads {
			if r := lead.get(d); r.status != 200 {
				t.Errorf("%s back at RGT01: %d", d, r.status)
			}
		}
	})
}
