package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The API's route × role matrix: each operation for each kind of token
// (role × scope), and no token, a revoked one, an expired one. The
// expectations are written out, not derived from the policy code.
func TestAPIMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		mgr := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		res := e.call("POST", coll, mgr, ann(1))
		var p patient
		res.json(t, &p)
		one := fmt.Sprintf("%s/patients/%d", api.Prefix, p.ID)
		contacts := api.Prefix + "/registries/" + e.slug + "/contacts"
		newContact := func(i int) int64 {
			var c contact
			e.call("POST", contacts, mgr, map[string]any{"first_name": "C", "surname": fmt.Sprint("S", i), "confirm": true}).json(t, &c)
			return c.ID
		}
		aContact := fmt.Sprintf("%s/contacts/%d", api.Prefix, newContact(0))
		rels := one + "/relationships"
		var rel relationship
		e.call("POST", rels, mgr, map[string]any{"contact_id": newContact(1), "type": "carer"}).json(t, &rel)
		aRel := fmt.Sprintf("%s/relationships/%d", api.Prefix, rel.ID)
		// Files and notifications: a file of the patient, a contact the
		// registry writes to.
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		fileList := one + "/files"
		var f apiFile
		e.upload(mgr, p.ID, part{"file", "a.txt", "text"}, part{"kind", "", "letter"}).json(t, &f)
		aFile := fmt.Sprintf("%s/files/%d", api.Prefix, f.ID)
		var reachable contact
		e.call("POST", contacts, mgr, map[string]any{"first_name": "R", "surname": "Each", "email": "r@example.org", "phone": "07700 900123",
			"may_contact": true, "confirm": true}).json(t, &reachable)
		e.call("POST", rels, mgr, map[string]any{"contact_id": reachable.ID, "type": "mother"})

		type caller struct {
			name  string
			token string
		}
		callers := []caller{
			{"manager write registry", mgr},
			{"manager read registry", e.token(access.RegistryManager, api.AccessRead, api.DomainRegistry)},
			{"manager write audit", e.token(access.RegistryManager, api.AccessWrite, api.DomainAudit)},
			{"viewer write registry", e.token(access.RegistryViewer, api.AccessWrite, api.DomainRegistry)},
			{"national write registry", e.token(access.NationalFull, api.AccessWrite, api.DomainRegistry)},
			{"no token", ""},
			{"not a token", "clinaudit_pat_nothing"},
		}
		// Want, per operation, per caller (in the order above).
		ops := []struct {
			op, method, path string
			body             any
			want             []int
		}{
			{"ListPatients", "GET", coll, nil, []int{200, 200, 403, 200, 403, 401, 401}},
			{"GetPatient", "GET", one, nil, []int{200, 200, 403, 200, 403, 401, 401}},
			{"CreatePatient", "POST", coll, nil, []int{201, 403, 403, 403, 403, 401, 401}},
			{"ListContacts", "GET", contacts, nil, []int{200, 200, 403, 403, 403, 401, 401}},
			{"GetContact", "GET", aContact, nil, []int{200, 200, 403, 403, 403, 401, 401}},
			{"CreateContact", "POST", contacts, nil, []int{201, 403, 403, 403, 403, 401, 401}},
			{"UpdateContact", "PATCH", aContact, nil, []int{200, 403, 403, 403, 403, 401, 401}},
			{"DeleteContact", "DELETE", aContact, nil, []int{204, 403, 403, 403, 403, 401, 401}},
			{"ListRelationships", "GET", rels, nil, []int{200, 200, 403, 200, 403, 401, 401}},
			{"CreateRelationship", "POST", rels, nil, []int{201, 403, 403, 403, 403, 401, 401}},
			{"DeleteRelationship", "DELETE", aRel, nil, []int{204, 403, 403, 403, 403, 401, 401}},
			{"ListPatientFiles", "GET", fileList, nil, []int{200, 200, 403, 403, 403, 401, 401}},
			{"GetFile", "GET", aFile, nil, []int{200, 200, 403, 403, 403, 401, 401}},
			{"GetFileContent", "GET", aFile + "/content", nil, []int{200, 200, 403, 403, 403, 401, 401}},
			{"UploadPatientFile", "POST", fileList, nil, []int{201, 403, 403, 403, 403, 401, 401}},
			{"SendEmail", "POST", api.Prefix + "/notifications/emails", map[string]any{"contact_id": reachable.ID, "subject": "S", "body": "B"}, []int{202, 403, 403, 403, 403, 401, 401}},
			{"SendSMS", "POST", api.Prefix + "/notifications/sms", map[string]any{"contact_id": reachable.ID, "body": "B"}, []int{202, 403, 403, 403, 403, 401, 401}},
			{"UpdatePatient", "PATCH", one, nil, []int{200, 403, 403, 403, 403, 401, 401}},
			{"DeletePatient", "DELETE", one, nil, []int{204, 403, 403, 403, 403, 401, 401}},
		}
		registryOps := 0
		for op := range api.Scopes {
			if api.ScopeOf(op) == api.DomainRegistry {
				registryOps++
			}
		}
		if len(ops) != registryOps {
			t.Fatalf("the matrix has %d operations, api.Scopes %d of the registry", len(ops), registryOps)
		}
		for _, o := range ops {
			if _, ok := api.Scopes[o.op]; !ok {
				t.Errorf("%s has no scope", o.op)
			}
			// The refusals first, then the one caller allowed to change.
			for i := len(callers) - 1; i >= 0; i-- {
				c := callers[i]
				var hdr []string
				if o.method == "DELETE" || o.method == "PATCH" {
					hdr = []string{"If-Match", "*"}
				}
				body := o.body
				switch o.op {
				case "CreatePatient":
					body = ann(10 + i)
				case "CreateContact":
					body = map[string]any{"first_name": "N", "surname": fmt.Sprint("New", i), "confirm": true}
				case "UpdatePatient", "UpdateContact":
					body = map[string]any{"notes": fmt.Sprint("note ", i)}
				case "CreateRelationship":
					body = map[string]any{"contact_id": newContact(100 + i), "type": "other"}
				case "UploadPatientFile":
					var ct string
					body, ct = form(part{"file", "b.txt", fmt.Sprint("text ", i)}, part{"kind", "", "other"})
					hdr = []string{"Content-Type", ct}
				}
				res := e.call(o.method, o.path, c.token, body, hdr...)
				if res.Status != o.want[i] {
					t.Errorf("%s by %s: %d, want %d (%s)", o.op, c.name, res.Status, o.want[i], res.Body)
				}
				if res.Status >= 400 {
					res.problem(t)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("%s by %s: Cache-Control %q, want no-store", o.op, c.name, res.Header.Get("Cache-Control"))
				}
				if res.Status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s by %s: 401 without WWW-Authenticate", o.op, c.name)
				}
			}
		}

		// A revoked token, an expired token, a deactivated account: 401.
		ctx := context.Background()
		plain, id, err := e.tokens.Create(ctx, e.users[access.RegistryManager], api.TokenInput{Name: "r", Access: "read", Domain: "registry", Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		if res := e.call("GET", coll, plain, nil); res.Status != 200 {
			t.Fatalf("before revoking: %d", res.Status)
		}
		if err := e.tokens.Revoke(ctx, e.users[access.RegistryManager], id); err != nil {
			t.Fatal(err)
		}
		if res := e.call("GET", coll, plain, nil); res.Status != 401 {
			t.Errorf("revoked token: %d", res.Status)
		}
		later := &api.Tokens{Store: s, Now: func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }}
		plain, _, _ = e.tokens.Create(ctx, e.users[access.RegistryManager], api.TokenInput{Name: "r", Access: "read", Domain: "registry", Days: 7})
		if _, err := later.Authenticate(ctx, plain); err != api.ErrBadToken {
			t.Errorf("a token past its expiry: %v", err)
		}
		if err := s.SetUserActive(ctx, store.SetUserActiveParams{IsActive: false, UpdatedAt: time.Now(), ID: e.users[access.RegistryViewer]}); err != nil {
			t.Fatal(err)
		}
		if res := e.call("GET", coll, callers[3].token, nil); res.Status != 401 {
			t.Errorf("a deactivated account's token: %d", res.Status)
		}
	})
}

// Cookies are not read under /api/v1: a signed-in browser's session
// cookie does not authenticate a call, so there is nothing to forge.
func TestNoCookiesOnTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		res := e.call("GET", api.Prefix+"/registries/"+e.slug+"/patients", "", nil, "Cookie", "session=anything; csrf=x")
		if res.Status != 401 {
			t.Errorf("with a cookie and no token: %d", res.Status)
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("the API set a cookie: %q", res.Header.Get("Set-Cookie"))
		}
	})
}

func TestRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 3)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		for i, want := range []string{`"per-token";r=2;`, `"per-token";r=1;`, `"per-token";r=0;`} {
			res := e.call("GET", coll, w, nil)
			if res.Status != 200 || !strings.HasPrefix(res.Header.Get("RateLimit"), want) || res.Header.Get("RateLimit-Policy") != `"per-token";q=3;w=60` {
				t.Errorf("call %d: %d RateLimit %q Policy %q", i, res.Status, res.Header.Get("RateLimit"), res.Header.Get("RateLimit-Policy"))
			}
		}
		// Every operation of the document is refused over the limit.
		for _, path := range e.spec.Doc.Paths.InMatchingOrder() {
			for method, op := range e.spec.Doc.Paths.Value(path).Operations() {
				if op.OperationID == "issueToken" {
					continue // no token to count yet: TestClientCredentials
				}
				if api.Public[strings.ToUpper(op.OperationID[:1])+op.OperationID[1:]] {
					continue // no token: their pages' limits (onboarding_test.go)
				}
				url := api.Prefix + strings.NewReplacer("{registry}", e.slug, "{id}", "1").Replace(path)
				res := e.call(method, url, w, ann(1), "If-Match", "*")
				if res.Status != 429 || res.Header.Get("Retry-After") == "" {
					t.Errorf("%s %s over the limit: %d, Retry-After %q", method, url, res.Status, res.Header.Get("Retry-After"))
				}
				res.problem(t)
			}
		}
		// Another token has its own allowance.
		if res := e.call("GET", coll, e.token(access.RegistryManager, api.AccessRead, api.DomainRegistry), nil); res.Status != 200 {
			t.Errorf("another token: %d", res.Status)
		}
	})
}

// The access log names the token by id and never holds the token.
func TestAccessLogHasTokenID(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	e := newEnv(t, s, 0)
	var buf bytes.Buffer
	logged := newEnvLogged(t, e, &buf)
	plain, id, err := e.tokens.Create(context.Background(), e.users[access.RegistryManager], api.TokenInput{Name: "log", Access: "read", Domain: "registry", Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	logged.call("GET", api.Prefix+"/registries/"+e.slug+"/patients", plain, nil)
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "request" {
			line = m
		}
	}
	if line == nil || line["api_token_id"] != float64(id) {
		t.Errorf("access log line %v, want api_token_id %d", line, id)
	}
	if strings.Contains(buf.String(), strings.TrimPrefix(plain, api.TokenPrefix)) {
		t.Error("the log holds the token")
	}
}
