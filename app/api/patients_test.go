package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type patient struct {
	ID          int64  `json:"id"`
	RegistryID  string `json:"registry_id"`
	Version     int64  `json:"version"`
	Identified  bool   `json:"identified"`
	FirstName   string `json:"first_name"`
	Surname     string `json:"surname"`
	DateOfBirth string `json:"date_of_birth"`
	YearOfBirth int    `json:"year_of_birth"`
	Deleted     bool   `json:"deleted"`
}

type patientPage struct {
	Items      []patient `json:"items"`
	NextCursor string    `json:"next_cursor"`
}

func ann(n int) map[string]any {
	return map[string]any{"first_name": "Ann", "surname": fmt.Sprintf("Api%c", 'a'+n%26) + strings.Repeat("x", n/26),
		"date_of_birth": fmt.Sprintf("2015-0%d-1%d", 1+n%9, n%10), "sex": "2"}
}

func TestPatients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"

		// Create, with its ETag and Location.
		res := e.call("POST", coll, w, ann(0))
		if res.Status != 201 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var p patient
		res.json(t, &p)
		if p.FirstName != "Ann" || p.DateOfBirth != "2015-01-10" || !p.Identified || !strings.HasPrefix(p.RegistryID, "R") {
			t.Errorf("created %+v", p)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("%s/patients/%d", api.Prefix, p.ID) {
			t.Errorf("Location = %q", loc)
		}
		etag := res.Header.Get("ETag")

		// Read: the same record and ETag; a viewer sees no identifiers.
		one := api.Prefix + fmt.Sprintf("/patients/%d", p.ID)
		if res = e.call("GET", one, w, nil); res.Status != 200 || res.Header.Get("ETag") != etag {
			t.Errorf("get: %d, ETag %q want %q", res.Status, res.Header.Get("ETag"), etag)
		}
		v := e.token(access.RegistryViewer, api.AccessRead, api.DomainRegistry)
		res = e.call("GET", one, v, nil)
		var seenByViewer patient
		res.json(t, &seenByViewer)
		if res.Status != 200 || seenByViewer.Identified || seenByViewer.FirstName != "" || seenByViewer.DateOfBirth != "" || seenByViewer.YearOfBirth != 2015 {
			t.Errorf("viewer's get: %d %s", res.Status, res.Body)
		}
		if res = e.call("GET", api.Prefix+"/patients/999999", w, nil); res.Status != 404 {
			t.Errorf("get of no patient: %d", res.Status)
		}
		res.problem(t)
		if res = e.call("GET", api.Prefix+"/patients/abc", w, nil); res.Status != 400 {
			t.Errorf("get of a bad id: %d", res.Status)
		}
		if pr := res.problem(t); len(pr.Errors) == 0 || pr.Errors[0].Field != "id" {
			t.Errorf("bad id problem = %+v", pr)
		}

		// The page's duplicate warning: 409 unless confirm.
		if res = e.call("POST", coll, w, ann(0)); res.Status != 409 {
			t.Errorf("duplicate: %d %s", res.Status, res.Body)
		}
		res.problem(t)
		confirmed := ann(0)
		confirmed["confirm"] = true
		if res = e.call("POST", coll, w, confirmed); res.Status != 201 {
			t.Errorf("duplicate confirmed: %d %s", res.Status, res.Body)
		}

		// Bad values: the registry's own messages, field by field (422).
		bad := map[string]any{"surname": "Api", "date_of_birth": "2015-02-31", "sex": "7"}
		res = e.call("POST", coll, w, bad)
		if res.Status != 422 {
			t.Fatalf("bad values: %d %s", res.Status, res.Body)
		}
		got := res.problem(t).Errors
		_, want := (&registry.Service{Store: s, Now: time.Now}).AddPatient(context.Background(), access.Me{Actor: access.Actor{Role: access.RegistryManager}},
			e.slug, registry.PatientInput{Surname: "Api", DateOfBirth: registry.DateInput{Day: "31", Month: "2", Year: "2015"}, Sex: "7"}, false, registry.CauseForm)
		fe, _ := want.(children.FieldErrors)
		if len(fe) == 0 || len(got) != len(fe) {
			t.Fatalf("API errors %+v, the page's %+v", got, fe)
		}
		for i := range fe {
			if got[i].Field != fe[i].Field || got[i].Message != fe[i].Message {
				t.Errorf("error %d: API %+v, page %+v", i, got[i], fe[i])
			}
		}
		// A date not as YYYY-MM-DD is named.
		res = e.call("POST", coll, w, map[string]any{"first_name": "A", "surname": "B", "date_of_birth": "4 June 2016", "sex": "1"})
		if pr := res.problem(t); res.Status != 422 || pr.Errors[0].Field != "date_of_birth" {
			t.Errorf("date not ISO: %d %+v", res.Status, pr)
		}
		// Outside the contract (an unknown field, a wrong type): 400 naming it.
		res = e.call("POST", coll, w, map[string]any{"first_name": 5, "surname": "B"})
		if pr := res.problem(t); res.Status != 400 || len(pr.Errors) == 0 || pr.Errors[0].Field != "first_name" {
			t.Errorf("wrong type: %d %+v", res.Status, pr)
		}
		res = e.call("POST", coll, w, []byte(`{"first_name": "A", "shoe_size": 9}`))
		if pr := res.problem(t); res.Status != 400 || !strings.Contains(string(res.Body), "shoe_size") {
			t.Errorf("unknown field: %d %+v", res.Status, pr)
		}
		// No such registry.
		if res = e.call("POST", api.Prefix+"/registries/nope/patients", w, ann(1)); res.Status != 404 {
			t.Errorf("create in no registry: %d", res.Status)
		}
		if res = e.call("GET", api.Prefix+"/registries/nope/patients", w, nil); res.Status != 404 {
			t.Errorf("list of no registry: %d", res.Status)
		}

		// Delete: If-Match must be the version now (412 when stale).
		res = e.call("DELETE", one, w, nil, "If-Match", `"v999"`)
		if res.Status != 412 || res.Header.Get("ETag") != etag {
			t.Errorf("stale delete: %d, ETag %q", res.Status, res.Header.Get("ETag"))
		}
		res.problem(t)
		if res = e.call("DELETE", one, w, nil); res.Status != 400 {
			t.Errorf("delete without If-Match: %d", res.Status)
		}
		if res = e.call("DELETE", one, w, nil, "If-Match", etag); res.Status != 204 {
			t.Errorf("delete: %d %s", res.Status, res.Body)
		}
		res = e.call("GET", one, w, nil)
		if res.json(t, &p); !p.Deleted {
			t.Errorf("after delete, the manager reads %s", res.Body)
		}
		if res = e.call("DELETE", one, w, nil, "If-Match", res.Header.Get("ETag")); res.Status != 404 {
			t.Errorf("delete of a deleted patient: %d", res.Status)
		}
		if res = e.call("DELETE", api.Prefix+"/patients/999999", w, nil, "If-Match", etag); res.Status != 404 {
			t.Errorf("delete of no patient: %d", res.Status)
		}
	})
}

func TestPatientListByCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		const n = registry.PageSize + 3
		for i := range n {
			if res := e.call("POST", coll, w, ann(i)); res.Status != 201 {
				t.Fatalf("create %d: %d %s", i, res.Status, res.Body)
			}
		}
		ids := map[int64]bool{}
		url, pages := coll, 0
		for {
			res := e.call("GET", url, w, nil)
			if res.Status != 200 {
				t.Fatalf("list: %d %s", res.Status, res.Body)
			}
			var pg patientPage
			res.json(t, &pg)
			for _, p := range pg.Items {
				ids[p.ID] = true
			}
			pages++
			if pg.NextCursor == "" {
				break
			}
			url = coll + "?cursor=" + pg.NextCursor
		}
		if len(ids) != n || pages != 2 {
			t.Errorf("listed %d patients in %d pages, want %d in 2", len(ids), pages, n)
		}
		res := e.call("GET", coll+"?cursor=bogus", w, nil)
		if pr := res.problem(t); res.Status != 400 || pr.Errors[0].Field != "cursor" {
			t.Errorf("bogus cursor: %d %+v", res.Status, pr)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		first := e.call("POST", coll, w, ann(3), "Idempotency-Key", "k-1")
		again := e.call("POST", coll, w, ann(3), "Idempotency-Key", "k-1")
		if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) || again.Header.Get("Location") != first.Header.Get("Location") || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d %s then %d %s", first.Status, first.Body, again.Status, again.Body)
		}
		var pg patientPage
		e.call("GET", coll, w, nil).json(t, &pg)
		if len(pg.Items) != 1 {
			t.Errorf("after a retried create, %d patients", len(pg.Items))
		}
		// The key reused for another body is refused; another token's key is its own.
		if res := e.call("POST", coll, w, ann(4), "Idempotency-Key", "k-1"); res.Status != 422 {
			t.Errorf("key reused: %d %s", res.Status, res.Body)
		}
		w2 := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		if res := e.call("POST", coll, w2, ann(4), "Idempotency-Key", "k-1"); res.Status != 201 {
			t.Errorf("another token's same key: %d %s", res.Status, res.Body)
		}
	})
}

// A create whose key is held by a request still in progress is a 409 (the
// retry comes later), and adds nothing; copies sent at once add one.
func TestIdempotencyKeyInProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ctx := context.Background()
		e.users[access.LeadClinician] = e.clinician(access.LeadClinician, "RM332")
		plain, tokenID, err := e.tokens.Create(ctx, e.users[access.RegistryManager], api.TokenInput{Name: "k", Access: "write", Domain: "registry", Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		audit, auditID, err := e.tokens.Create(ctx, e.users[access.LeadClinician], api.TokenInput{Name: "k", Access: "write", Domain: "audit", Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		var c contact
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/contacts", plain, map[string]any{"first_name": "K", "surname": "Ey"}).json(t, &c)
		var p patient
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", plain, ann(7)).json(t, &p)
		// Hold each key as a request in flight would.
		for _, r := range []struct {
			token   string
			tokenID int64
			path    string
			body    any
		}{
			{plain, tokenID, api.Prefix + "/registries/" + e.slug + "/patients", ann(8)},
			{plain, tokenID, api.Prefix + "/registries/" + e.slug + "/contacts", map[string]any{"first_name": "A", "surname": "B"}},
			{plain, tokenID, fmt.Sprintf("%s/patients/%d/relationships", api.Prefix, p.ID), map[string]any{"contact_id": c.ID, "type": "other"}},
			{audit, auditID, api.Prefix + "/children", childBody("9434765919")},
		} {
			key := fmt.Sprint("held-", r.path)
			raw, _ := json.Marshal(r.body)
			sum := sha256.Sum256(raw)
			n, err := s.ClaimAPIIdempotency(ctx, store.ClaimAPIIdempotencyParams{TokenID: r.tokenID, Key: key, Fingerprint: "POST " + r.path + " " + hex.EncodeToString(sum[:]),
				CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().UTC().Add(time.Minute)})
			if err != nil || n != 1 {
				t.Fatalf("claim: %d %v", n, err)
			}
			res := e.call("POST", r.path, r.token, raw, "Idempotency-Key", key)
			if res.Status != 409 || res.Header.Get("Retry-After") == "" {
				t.Errorf("POST %s while its key is held: %d %s", r.path, res.Status, res.Body)
			}
			res.problem(t)
		}

		// Copies of one create sent at once: one patient.
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		var wg sync.WaitGroup
		statuses := make([]int, 6)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.call("POST", coll, plain, ann(9), "Idempotency-Key", "burst").Status
			}()
		}
		wg.Wait()
		var pg patientPage
		e.call("GET", coll, plain, nil).json(t, &pg)
		same := 0
		for _, it := range pg.Items {
			var full patient
			e.call("GET", fmt.Sprintf("%s/patients/%d", api.Prefix, it.ID), plain, nil).json(t, &full)
			if full.DateOfBirth == ann(9)["date_of_birth"] && full.Surname == ann(9)["surname"] {
				same++
			}
		}
		if same != 1 {
			t.Errorf("copies sent at once (answers %v) added %d patients", statuses, same)
		}
	})
}
