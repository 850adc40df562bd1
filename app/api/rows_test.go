package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/api"
	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// The audit forms' lists through the API: a row added and removed as by
// the form's buttons, with the page's refusals.
func TestRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		e := newEnv(t, s, 0)
		e.users[access.LeadClinician] = e.clinician(access.LeadClinician, "RM332")
		w := e.token(access.LeadClinician, api.AccessWrite, api.DomainAudit)
		ro := e.token(access.LeadClinician, api.AccessRead, api.DomainAudit)
		other := e.staffAt(access.Clinician, "RGT01", "clin@rgt.example")
		viewer := e.staffAt(access.NationalView, "", "view@national.example")
		rng := rand.New(rand.NewPCG(22, 22))
		today := time.Now().In(londonTZ(t)).Format("2006-01-02")
		registered := func() string {
			t.Helper()
			res := e.call("POST", api.Prefix+"/children", w, childBody(nhsnumber.Generate(rng)))
			one := res.Header.Get("Location")
			if res = e.call("POST", one+"/registration", w, map[string]any{"eligibility_confirmed": true, "first_paediatric_assessment_date": today}); res.Status != 200 {
				t.Fatalf("register: %d %s", res.Status, res.Body)
			}
			return one
		}
		one := registered()
		id := idOf(t, one)
		rows := one + "/forms/multiaxial_diagnosis/rows"
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
		episodes := func() []int64 {
			t.Helper()
			l, err := svc.Load(ctx, e.me(e.users[access.LeadClinician]).Actor, id)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range l.Record.RowsOf("episodes") {
				ids = append(ids, r.ID)
			}
			return ids
		}
		before := len(episodes())

		var added struct {
			RowID   int64 `json:"row_id"`
			Version int64 `json:"version"`
		}
		res := e.call("POST", rows, w, map[string]any{"list": "episodes", "client_key": "k1"})
		if res.json(t, &added); res.Status != 201 || added.RowID == 0 || res.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, added.Version) {
			t.Fatalf("add row: %d %s", res.Status, res.Body)
		}
		// The same key again: the same row, none added.
		first := added.RowID
		res = e.call("POST", rows, w, map[string]any{"list": "episodes", "client_key": "k1"})
		if res.json(t, &added); added.RowID != first {
			t.Errorf("the same client_key added another row: %d %s", res.Status, res.Body)
		}
		if got := episodes(); len(got) != before+1 {
			t.Errorf("episodes after adding one, twice with one key: %v (before %d)", got, before)
		}
		jobs, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_score"))
		if err != nil || len(jobs.Jobs) == 0 {
			t.Errorf("no kpi_score job after adding a row (%v)", err)
		}
		// The row's answers are saved with keys naming it.
		key := fmt.Sprintf("episodes.%d.has_description_of_the_episode_or_episodes_been_gathered", first)
		res = e.call("POST", one+"/forms/multiaxial_diagnosis/answers", w, map[string]any{"key": key, "inputs": map[string][]string{key: {"true"}}})
		if res.Status != 200 {
			t.Errorf("an answer of the new row: %d %s", res.Status, res.Body)
		}

		// Refusals: a list the form lacks (422), one it does not show now
		// (409, the page's), a form that does not exist (404).
		res = e.call("POST", rows, w, map[string]any{"list": "nothing"})
		if pr := res.problem(t); res.Status != 422 || len(pr.Errors) != 1 || pr.Errors[0].Field != "list" {
			t.Errorf("no such list: %d %+v", res.Status, pr)
		}
		if res = e.call("POST", rows, w, map[string]any{"list": "syndromes"}); res.Status != 409 || res.problem(t).Detail != answers.ErrNoSuchList.Error() {
			t.Errorf("a list not shown now: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", one+"/forms/nope/rows", w, map[string]any{"list": "episodes"}); res.Status != 404 {
			t.Errorf("no such form: %d", res.Status)
		}
		if res = e.call("DELETE", one+"/forms/nope/rows/1", w, nil); res.Status != 404 {
			t.Errorf("remove in no such form: %d", res.Status)
		}
		for _, b := range []map[string]any{{}, {"list": "episodes", "client_key": ""}, {"list": "episodes", "row": 1}} {
			if res = e.call("POST", rows, w, b); res.Status != 400 {
				t.Errorf("add %v: %d", b, res.Status)
			}
		}

		// Remove: gone with its answers; again, no error.
		for i := 0; i < 2; i++ {
			if res = e.call("DELETE", fmt.Sprintf("%s/%d", rows, first), w, nil); res.Status != 204 {
				t.Errorf("remove row (%d): %d %s", i, res.Status, res.Body)
			}
		}
		if got := episodes(); len(got) != before {
			t.Errorf("episodes after removing: %v (before %d)", got, before)
		}

		// An opted-out child's lists are closed (409).
		out := registered()
		e.call("POST", out+"/opt-out", w, nil)
		if res = e.call("POST", out+"/forms/multiaxial_diagnosis/rows", w, map[string]any{"list": "episodes"}); res.Status != 409 {
			t.Errorf("add to an opted-out child: %d %s", res.Status, res.Body)
		}
		if res = e.call("DELETE", out+"/forms/multiaxial_diagnosis/rows/1", w, nil); res.Status != 409 {
			t.Errorf("remove from an opted-out child: %d %s", res.Status, res.Body)
		}

		// Callers: another trust 404, a viewer or a read token 403, none 401, bad ids 400.
		for _, o := range []struct {
			method, path string
			body         any
		}{{"POST", rows, map[string]any{"list": "episodes"}}, {"DELETE", rows + "/1", nil}} {
			for i, want := range []struct {
				tok    string
				status int
			}{{other, 404}, {viewer, 403}, {ro, 403}, {"", 401}} {
				res := e.call(o.method, o.path, want.tok, o.body)
				if res.Status != want.status {
					t.Errorf("%s %s by caller %d: %d, want %d (%s)", o.method, o.path, i, res.Status, want.status, res.Body)
				}
				res.problem(t)
			}
		}
		for _, path := range []string{api.Prefix + "/children/x/forms/multiaxial_diagnosis/rows/1", rows + "/x"} {
			if res = e.call("DELETE", path, w, nil); res.Status != 400 {
				t.Errorf("DELETE %s: %d", path, res.Status)
			}
		}
	})
}
