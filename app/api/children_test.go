package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/auth"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

type child struct {
	ID               int64  `json:"id"`
	AuditID          string `json:"audit_id"`
	Version          int64  `json:"version"`
	LeadOrganisation string `json:"lead_organisation"`
	Registered       bool   `json:"registered"`
	Cohort           int    `json:"cohort"`
}

// clinician adds an account of role at ods to e.
func (e *env) clinician(role access.Role, ods string) int64 {
	ctx := context.Background()
	var id int64
	err := e.s.InTx(ctx, func(tx store.Tx) error {
		u, err := e.auth.CreateUser(ctx, tx, auth.NewUser{Email: fmt.Sprintf("%s-%s@api.example", role, ods), FirstName: "Cli", Surname: "Nician",
			Role: role, Organisation: ods, TwoFactorSkip: true})
		id = u.ID
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func childBody(nhs string) map[string]any {
	return map[string]any{"first_name": "Ava", "surname": "Api", "nhs_number": nhs, "date_of_birth": "2015-05-03",
		"sex": "2", "ethnicity": "A", "postcode": "M6 8HD", "lead_organisation": "RM332"}
}

func TestChildrenAndAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ctx := context.Background()
		lead := e.clinician(access.LeadClinician, "RM332")
		e.users[access.LeadClinician] = lead
		e.users[access.Clinician] = e.clinician(access.Clinician, "RGT01")
		w := e.token(access.LeadClinician, api.AccessWrite, api.DomainAudit)
		other := e.token(access.Clinician, api.AccessWrite, api.DomainAudit) // another trust
		rng := rand.New(rand.NewPCG(20, 20))

		res := e.call("POST", api.Prefix+"/children", w, childBody(nhsnumber.Generate(rng)), "Idempotency-Key", "child-1")
		if res.Status != 201 {
			t.Fatalf("create child: %d %s", res.Status, res.Body)
		}
		var c child
		res.json(t, &c)
		if c.LeadOrganisation != "RM332" || c.Registered || c.AuditID == "" {
			t.Errorf("created %+v", c)
		}
		one := fmt.Sprintf("%s/children/%d", api.Prefix, c.ID)
		// The case form's checks, field by field.
		bad := childBody("123")
		bad["postcode"] = "nowhere"
		res = e.call("POST", api.Prefix+"/children", w, bad)
		if pr := res.problem(t); res.Status != 422 || len(pr.Errors) < 2 || pr.Errors[0].Field != "nhs_number" {
			t.Errorf("bad child: %d %+v", res.Status, pr)
		}
		if res = e.call("POST", api.Prefix+"/children", w, map[string]any{"sex": 2}); res.Status != 400 {
			t.Errorf("sex as a number: %d", res.Status)
		}
		if res = e.call("GET", one, w, nil); res.Status != 200 {
			t.Errorf("get child: %d", res.Status)
		}
		// Another trust's clinician does not reach it.
		if res = e.call("GET", one, other, nil); res.Status != 404 && res.Status != 403 {
			t.Errorf("another trust's get: %d", res.Status)
		}
		if res = e.call("GET", api.Prefix+"/children/x", w, nil); res.Status != 400 {
			t.Errorf("bad id: %d", res.Status)
		}
		var pg struct {
			Items      []child `json:"items"`
			NextCursor string  `json:"next_cursor"`
		}
		res = e.call("GET", api.Prefix+"/children", w, nil)
		if res.json(t, &pg); res.Status != 200 || len(pg.Items) != 1 || pg.Items[0].ID != c.ID {
			t.Errorf("list: %d %s", res.Status, res.Body)
		}
		e.call("GET", api.Prefix+"/children", other, nil).json(t, &pg)
		if len(pg.Items) != 0 {
			t.Errorf("another trust lists %d children", len(pg.Items))
		}
		if res = e.call("GET", api.Prefix+"/children?cursor=nope", w, nil); res.Status != 400 {
			t.Errorf("bad cursor: %d", res.Status)
		}

		// Register: the registration page's rules.
		reg := one + "/registration"
		if res = e.call("POST", reg, w, map[string]any{"first_paediatric_assessment_date": time.Now().Format("2006-01-02")}); res.Status != 422 {
			t.Errorf("register without confirming eligibility: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", reg, w, map[string]any{"eligibility": true}); res.Status != 400 {
			t.Errorf("unknown field: %d", res.Status)
		}
		if res = e.call("POST", api.Prefix+"/children/999999/registration", w, map[string]any{"eligibility_confirmed": true}); res.Status != 404 {
			t.Errorf("register no child: %d", res.Status)
		}
		today := time.Now().In(londonTZ(t)).Format("2006-01-02")
		res = e.call("POST", reg, w, map[string]any{"eligibility_confirmed": true, "first_paediatric_assessment_date": today})
		if res.Status != 200 {
			t.Fatalf("register: %d %s", res.Status, res.Body)
		}
		res.json(t, &c)
		if !c.Registered || c.Cohort == 0 {
			t.Errorf("registered %+v", c)
		}
		if res = e.call("POST", reg, w, map[string]any{"eligibility_confirmed": true, "first_paediatric_assessment_date": today}); res.Status != 409 && res.Status != 422 {
			t.Errorf("registering twice: %d %s", res.Status, res.Body)
		}

		// One answer, as the form's autosave: checks, conflict, trail, scoring job.
		answers := one + "/forms/assessment/answers"
		key := "assessment.0.consultant_paediatrician_referral_made"
		etag := e.call("GET", one, w, nil).Header.Get("ETag")
		res = e.call("POST", answers, w, map[string]any{"key": key, "inputs": map[string][]string{key: {"true"}}}, "If-Match", etag)
		if res.Status != 200 {
			t.Fatalf("save: %d %s", res.Status, res.Body)
		}
		var saved struct {
			Version int64 `json:"version"`
			Changed bool  `json:"changed"`
		}
		if res.json(t, &saved); !saved.Changed || saved.Version <= c.Version {
			t.Errorf("saved %+v after version %d", saved, c.Version)
		}
		jobs, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_score"))
		if err != nil || len(jobs.Jobs) == 0 {
			t.Errorf("no kpi_score job after the save (%v)", err)
		}
		// Another person's change since the ETag sent: a conflict (409).
		e.users[access.NationalFull] = e.users[access.NationalFull]
		nat := e.token(access.NationalFull, api.AccessWrite, api.DomainAudit)
		if res = e.call("POST", answers, nat, map[string]any{"key": key, "inputs": map[string][]string{key: {"false"}}}, "If-Match", etag); res.Status != 409 {
			t.Errorf("a stale save by another: %d %s", res.Status, res.Body)
		}
		res.problem(t)
		for _, b := range []map[string]any{{"key": key, "inputs": map[string][]string{key: {"maybe"}}}, {"key": "nothing.0.here"}} {
			if res = e.call("POST", answers, w, b); res.Status != 422 {
				t.Errorf("bad answer %v: %d %s", b, res.Status, res.Body)
			}
		}
		if res = e.call("POST", answers, w, map[string]any{"inputs": map[string][]string{}}); res.Status != 400 {
			t.Errorf("no key: %d", res.Status)
		}
		if res = e.call("POST", one+"/forms/nope/answers", w, map[string]any{"key": key}); res.Status != 404 {
			t.Errorf("no such form: %d", res.Status)
		}

		// KPI results, as the performance summary scores them.
		var k struct {
			Measures []struct{ Number, Title, Outcome string } `json:"measures"`
		}
		res = e.call("GET", one+"/kpis", w, nil)
		if res.json(t, &k); res.Status != 200 || len(k.Measures) == 0 || k.Measures[0].Outcome == "" {
			t.Errorf("kpis: %d %s", res.Status, res.Body)
		}
		for _, path := range []string{api.Prefix + "/children/999999/kpis", api.Prefix + "/children/x/kpis"} {
			if res = e.call("GET", path, w, nil); res.Status != 404 && res.Status != 400 {
				t.Errorf("GET %s: %d", path, res.Status)
			}
		}
		// A registry token has no audit scope; a read token cannot write.
		if res = e.call("GET", one, e.token(access.LeadClinician, api.AccessWrite, api.DomainRegistry), nil); res.Status != 403 {
			t.Errorf("registry token on a child: %d", res.Status)
		}
		ro := e.token(access.LeadClinician, api.AccessRead, api.DomainAudit)
		for _, r := range []struct {
			path string
			body map[string]any
		}{{api.Prefix + "/children", childBody(nhsnumber.Generate(rng))}, {reg, map[string]any{}}, {answers, map[string]any{"key": key}}} {
			if res = e.call("POST", r.path, ro, r.body); res.Status != 403 {
				t.Errorf("read token POST %s: %d", r.path, res.Status)
			}
		}

		// The audit's operations × callers: no token, a registry role's
		// audit token (registry roles have no audit actions), a registry
		// token of an audit role (out of scope). A child out of the
		// account's reach is a 404, as on the pages.
		regRole := e.token(access.RegistryManager, api.AccessWrite, api.DomainAudit)
		wrongScope := e.token(access.LeadClinician, api.AccessWrite, api.DomainRegistry)
		for _, o := range []struct {
			method, path string
			body         any
			want         [3]int
		}{
			{"GET", api.Prefix + "/children", nil, [3]int{401, 403, 403}},
			{"POST", api.Prefix + "/children", childBody(nhsnumber.Generate(rng)), [3]int{401, 403, 403}},
			{"GET", one, nil, [3]int{401, 404, 403}},
			{"POST", reg, map[string]any{}, [3]int{401, 404, 403}},
			{"POST", answers, map[string]any{"key": key}, [3]int{401, 404, 403}},
			{"GET", one + "/kpis", nil, [3]int{401, 404, 403}},
		} {
			for i, tok := range []string{"", regRole, wrongScope} {
				res := e.call(o.method, o.path, tok, o.body)
				if res.Status != o.want[i] {
					t.Errorf("%s %s by caller %d: %d, want %d (%s)", o.method, o.path, i, res.Status, o.want[i], res.Body)
				}
				res.problem(t)
			}
		}
	})
}

func londonTZ(t *testing.T) *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return l
}
