package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// The child's record after it is added, through the API: the case form's
// edit, lock and unlock, transfer, opt-out and delete, each with the
// page's rules and refusals.
func TestChildAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		e := newEnv(t, s, 0)
		e.users[access.LeadClinician] = e.clinician(access.LeadClinician, "RM332")
		w := e.token(access.LeadClinician, api.AccessWrite, api.DomainAudit)
		ro := e.token(access.LeadClinician, api.AccessRead, api.DomainAudit)
		other := e.staffAt(access.Clinician, "RGT01", "clin@rgt.example")       // another trust: 404
		rgtLead := e.staffAt(access.LeadClinician, "RGT01", "lead@rgt.example") // a transfer's receiving side
		viewer := e.staffAt(access.NationalView, "", "view@national.example")   // sees every child, changes none: 403
		rng := rand.New(rand.NewPCG(21, 21))
		newChild := func() (string, string) {
			t.Helper()
			res := e.call("POST", api.Prefix+"/children", w, childBody(nhsnumber.Generate(rng)))
			if res.Status != 201 {
				t.Fatalf("create child: %d %s", res.Status, res.Body)
			}
			return res.Header.Get("Location"), res.Header.Get("ETag")
		}
		get := func(path, tok string) (adminChild, string) {
			t.Helper()
			var c adminChild
			res := e.call("GET", path, tok, nil)
			res.json(t, &c)
			return c, res.Header.Get("ETag")
		}

		// PATCH: the fields sent change, the others stay; trail row.
		one, etag := newChild()
		res := e.call("PATCH", one, w, map[string]any{"first_name": "Ada", "date_of_birth": "2015-06-04"}, "If-Match", etag)
		if res.Status != 200 {
			t.Fatalf("update child: %d %s", res.Status, res.Body)
		}
		var c adminChild
		if res.json(t, &c); c.FirstName != "Ada" || c.DateOfBirth != "2015-06-04" || c.Surname != "Api" || res.Header.Get("ETag") == etag {
			t.Errorf("after the update %+v, ETag %q (was %q)", c, res.Header.Get("ETag"), etag)
		}
		svc := &children.Service{Store: s, Now: time.Now}
		lead := e.me(e.users[access.LeadClinician])
		trail, err := svc.Changes(ctx, lead.Actor, c.ID, children.ChangeFilter{Kind: children.KindDemographics})
		if err != nil || len(trail.Rows) == 0 || trail.Rows[0].RequestID == "" {
			t.Errorf("no demographics trail row with the request's ID after the update: %+v %v", trail.Rows, err)
		}
		// The ETag read before is stale now: 412, nothing saved.
		if res = e.call("PATCH", one, w, map[string]any{"first_name": "Old"}, "If-Match", etag); res.Status != 412 {
			t.Errorf("stale update: %d %s", res.Status, res.Body)
		}
		res.problem(t)
		if c, _ = get(one, w); c.FirstName != "Ada" {
			t.Errorf("a stale update saved: %+v", c)
		}
		// The case form's checks, with the case form's messages.
		_, etag = get(one, w)
		res = e.call("PATCH", one, w, map[string]any{"nhs_number": "123", "postcode": "nowhere"}, "If-Match", etag)
		got := res.problem(t).Errors
		cur, err := svc.Get(ctx, lead.Actor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := children.DemographicsOf(cur.Child)
		d.NHSNumber, d.Postcode = "123", "nowhere"
		want, _ := svc.Update(ctx, lead, c.ID, cur.Version, d).(children.FieldErrors)
		if res.Status != 422 || len(want) == 0 || len(got) != len(want) {
			t.Fatalf("bad values: %d API %+v, the page's %+v", res.Status, got, want)
		}
		for i := range want {
			if got[i].Field != want[i].Field || got[i].Message != want[i].Message {
				t.Errorf("error %d: API %+v, page %+v", i, got[i], want[i])
			}
		}
		if res = e.call("PATCH", one, w, map[string]any{"date_of_birth": "4 June 2015"}, "If-Match", etag); res.Status != 422 ||
			res.problem(t).Errors[0].Field != "date_of_birth" {
			t.Errorf("a date not as YYYY-MM-DD: %d %s", res.Status, res.Body)
		}
		for _, b := range []map[string]any{{}, {"audit_id": "X"}, {"sex": 2}} {
			if res = e.call("PATCH", one, w, b, "If-Match", etag); res.Status != 400 {
				t.Errorf("PATCH %v: %d", b, res.Status)
			}
		}
		if res = e.call("PATCH", one, w, map[string]any{"first_name": "No"}); res.Status != 400 {
			t.Errorf("PATCH without If-Match: %d", res.Status)
		}

		// Lock: registered and complete only; If-Match is what was checked.
		if res = e.call("POST", one+"/lock", w, nil, "If-Match", etag); res.Status != 409 {
			t.Errorf("lock of an unregistered child: %d %s", res.Status, res.Body)
		}
		today := time.Now().In(londonTZ(t)).Format("2006-01-02")
		if res = e.call("POST", one+"/registration", w, map[string]any{"eligibility_confirmed": true, "first_paediatric_assessment_date": today}); res.Status != 200 {
			t.Fatalf("register: %d %s", res.Status, res.Body)
		}
		_, etag = get(one, w)
		res = e.call("POST", one+"/lock", w, nil, "If-Match", etag)
		if pr := res.problem(t); res.Status != 409 || len(pr.Errors) == 0 || pr.Errors[0].Field == "" {
			t.Errorf("lock of an incomplete audit: %d %+v", res.Status, pr)
		}
		done := fmt.Sprintf("%s/children/%d", api.Prefix, completeChild(t, s, "RM332", 3))
		_, detag := get(done, w)
		if res = e.call("POST", done+"/lock", w, nil, "If-Match", `"v1"`); res.Status != 412 {
			t.Errorf("lock with a stale If-Match: %d %s", res.Status, res.Body)
		}
		res = e.call("POST", done+"/lock", w, nil, "If-Match", detag)
		if res.json(t, &c); res.Status != 200 || !c.Locked {
			t.Fatalf("lock: %d %s", res.Status, res.Body)
		}
		detag = res.Header.Get("ETag")
		if res = e.call("POST", done+"/lock", w, nil, "If-Match", detag); res.Status != 409 {
			t.Errorf("lock twice: %d", res.Status)
		}
		if res = e.call("PATCH", done, w, map[string]any{"first_name": "Locked"}, "If-Match", detag); res.Status != 409 {
			t.Errorf("update of a locked child: %d %s", res.Status, res.Body)
		}
		res = e.call("POST", done+"/unlock", w, nil)
		if res.json(t, &c); res.Status != 200 || c.Locked {
			t.Errorf("unlock: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", done+"/unlock", w, nil); res.Status != 409 {
			t.Errorf("unlock twice: %d", res.Status)
		}

		// Transfer: asked by the lead organisation, answered by the other.
		moving, _ := newChild()
		tr := moving + "/transfer"
		bad := map[string]any{"organisation": "ZZZZZ"}
		res = e.call("POST", tr, w, bad)
		tgot := res.problem(t).Errors
		mid := idOf(t, moving)
		twant, _ := svc.RequestTransfer(ctx, lead, mid, "ZZZZZ").(children.FieldErrors)
		if res.Status != 422 || len(twant) != 1 || len(tgot) != 1 || tgot[0] != (api.FieldIssue{Field: twant[0].Field, Message: twant[0].Message}) {
			t.Errorf("transfer to no such organisation: %d API %+v, page %+v", res.Status, tgot, twant)
		}
		if res = e.call("POST", tr, w, map[string]any{"organisation": 5}); res.Status != 400 {
			t.Errorf("organisation as a number: %d", res.Status)
		}
		var tf transfer
		res = e.call("POST", tr, w, map[string]any{"organisation": "rgt01"})
		if res.json(t, &tf); res.Status != 201 || tf.Status != "pending" || tf.From != "RM332" || tf.To != "RGT01" || tf.ChildID != mid {
			t.Fatalf("transfer: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", tr, w, map[string]any{"organisation": "RGT01"}); res.Status != 409 {
			t.Errorf("a second transfer while one waits: %d", res.Status)
		}
		if res = e.call("POST", tr+"/maybe", rgtLead, nil); res.Status != 400 {
			t.Errorf("an unknown answer: %d", res.Status)
		}
		res = e.call("POST", tr+"/reject", rgtLead, nil)
		if res.json(t, &tf); res.Status != 200 || tf.Status != "rejected" {
			t.Errorf("reject: %d %s", res.Status, res.Body)
		}
		if res = e.call("GET", moving, rgtLead, nil); res.Status != 404 {
			t.Errorf("the receiving side sees the child after rejecting: %d", res.Status)
		}
		if res = e.call("POST", tr+"/cancel", w, nil); res.Status != 409 {
			t.Errorf("cancel with no transfer waiting: %d", res.Status)
		}
		e.call("POST", tr, w, map[string]any{"organisation": "RGT01"})
		res = e.call("POST", tr+"/accept", rgtLead, nil)
		if res.json(t, &tf); res.Status != 200 || tf.Status != "accepted" {
			t.Errorf("accept: %d %s", res.Status, res.Body)
		}
		if c, _ = get(moving, rgtLead); c.LeadOrganisation != "RGT01" {
			t.Errorf("after accepting, the lead organisation is %q", c.LeadOrganisation)
		}
		if res = e.call("GET", moving, w, nil); res.Status != 404 {
			t.Errorf("the old lead organisation still reaches the child: %d", res.Status)
		}
		jobs, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_score"))
		if err != nil || len(jobs.Jobs) == 0 {
			t.Errorf("no kpi_score job after the transfer (%v)", err)
		}

		// Opt-out: for good; every change after it is refused.
		out, oetag := newChild()
		res = e.call("POST", out+"/opt-out", w, nil)
		var oc adminChild // the details are absent, not emptied
		if res.json(t, &oc); res.Status != 200 || !oc.OptedOut || oc.FirstName != "" || oc.DateOfBirth != "" {
			t.Fatalf("opt-out: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", out+"/opt-out", w, nil); res.Status != 409 {
			t.Errorf("opt-out twice: %d", res.Status)
		}
		if res = e.call("PATCH", out, w, map[string]any{"first_name": "Back"}, "If-Match", "*"); res.Status != 409 {
			t.Errorf("update of an opted-out child: %d", res.Status)
		}
		if res = e.call("DELETE", out, w, nil, "If-Match", "*"); res.Status != 409 {
			t.Errorf("delete of an opted-out child: %d", res.Status)
		}
		if res = e.call("PATCH", out, w, map[string]any{"first_name": "Back"}, "If-Match", oetag); res.Status != 412 {
			t.Errorf("update of an opted-out child with the ETag before: %d", res.Status)
		}

		// Delete: soft, with If-Match; gone from reach after.
		gone, getag := newChild()
		e.call("PATCH", gone, w, map[string]any{"surname": "Twice"}, "If-Match", getag)
		if res = e.call("DELETE", gone, w, nil, "If-Match", getag); res.Status != 412 {
			t.Errorf("delete with a stale If-Match: %d", res.Status)
		}
		if res = e.call("DELETE", gone, w, nil); res.Status != 400 {
			t.Errorf("delete without If-Match: %d", res.Status)
		}
		_, getag = get(gone, w)
		if res = e.call("DELETE", gone, w, nil, "If-Match", getag); res.Status != 204 {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		for _, tok := range []string{w, viewer} {
			if res = e.call("GET", gone, tok, nil); res.Status != 404 {
				t.Errorf("a deleted child: %d", res.Status)
			}
		}
		if res = e.call("DELETE", gone, w, nil, "If-Match", "*"); res.Status != 404 {
			t.Errorf("delete twice: %d", res.Status)
		}
		// Restore: the national audit team only (403 first for everyone
		// else, as on the page), within 30 days.
		nat := e.token(access.NationalFull, api.AccessWrite, api.DomainAudit)
		for i, tok := range []string{w, viewer, ro, ""} {
			res = e.call("POST", gone+"/restore", tok, nil)
			if want := []int{403, 403, 403, 401}[i]; res.Status != want {
				t.Errorf("restore by caller %d: %d, want %d", i, res.Status, want)
			}
			res.problem(t)
		}
		res = e.call("POST", gone+"/restore", nat, nil)
		if res.json(t, &c); res.Status != 200 || c.Surname != "Twice" {
			t.Errorf("restore: %d %s", res.Status, res.Body)
		}
		if res = e.call("GET", gone, w, nil); res.Status != 200 {
			t.Errorf("the restored child: %d", res.Status)
		}
		for _, path := range []string{gone, api.Prefix + "/children/999999"} {
			if res = e.call("POST", path+"/restore", nat, nil); res.Status != 404 {
				t.Errorf("restore of a child not deleted: %d", res.Status)
			}
		}
		if res = e.call("POST", api.Prefix+"/children/x/restore", nat, nil); res.Status != 400 {
			t.Errorf("restore of a bad id: %d", res.Status)
		}
		old, _ := newChild()
		then := &children.Service{Store: s, Now: func() time.Time { return time.Now().Add(-children.RestoreWindow - 24*time.Hour) }}
		och, err := svc.Get(ctx, lead.Actor, idOf(t, old))
		if err != nil {
			t.Fatal(err)
		}
		if err := then.Delete(ctx, lead, och.ID, och.Version); err != nil {
			t.Fatal(err)
		}
		if res = e.call("POST", old+"/restore", nat, nil); res.Status != 409 {
			t.Errorf("restore after the 30 days: %d %s", res.Status, res.Body)
		}

		// Each operation × callers: another trust (404), a role that may
		// only view (403), a read token (403), no token (401), a bad id (400).
		x := api.Prefix + "/children/x"
		for _, o := range []struct {
			method, path string
			body         any
			hdr          []string
		}{
			{"PATCH", one, map[string]any{"first_name": "Z"}, []string{"If-Match", "*"}},
			{"DELETE", one, nil, []string{"If-Match", "*"}},
			{"POST", one + "/lock", nil, []string{"If-Match", "*"}},
			{"POST", done + "/unlock", nil, nil},
			{"POST", one + "/opt-out", nil, nil},
			{"POST", one + "/transfer", map[string]any{"organisation": "RGT01"}, nil},
			{"POST", one + "/transfer/cancel", nil, nil},
		} {
			for i, want := range []struct {
				tok    string
				status int
			}{{other, 404}, {viewer, 403}, {ro, 403}, {"", 401}} {
				res := e.call(o.method, o.path, want.tok, o.body, o.hdr...)
				if res.Status != want.status {
					t.Errorf("%s %s by caller %d: %d, want %d (%s)", o.method, o.path, i, res.Status, want.status, res.Body)
				}
				res.problem(t)
			}
			path := x + o.path[len(one):]
			if o.path == done+"/unlock" {
				path = x + "/unlock"
			}
			if res := e.call(o.method, path, w, o.body, o.hdr...); res.Status != 400 {
				t.Errorf("%s %s: %d, want 400", o.method, path, res.Status)
			}
		}
	})
}
