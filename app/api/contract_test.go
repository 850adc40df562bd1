package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/web"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gofiber/fiber/v2"
)

// The contract tests: every call a test makes goes through the whole app
// (web.New: access log, API middleware, handlers), and every answer to an
// operation of the document is validated against the document's response
// for it (kin-openapi). TestMain then fails unless each operation and each
// of its documented statuses was seen: implementation and document cannot
// drift apart either way.

var (
	seenMu sync.Mutex
	seen   = map[string]bool{} // "operationId status"
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if missing := unseen(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: documented answers no test saw (operation status): %s\n", strings.Join(missing, ", "))
			code = 1
		}
	}
	os.Exit(code)
}

func unseen() []string {
	spec, err := api.LoadSpec()
	if err != nil {
		return []string{err.Error()}
	}
	var missing []string
	for _, path := range spec.Doc.Paths.InMatchingOrder() {
		for _, op := range spec.Doc.Paths.Value(path).Operations() {
			for status := range op.Responses.Map() {
				if !seen[op.OperationID+" "+status] {
					missing = append(missing, op.OperationID+" "+status)
				}
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// env is one engine's app with a registry and an account of each kind.
type env struct {
	t      *testing.T
	s      store.Store
	app    *fiber.App
	spec   *api.Spec
	tokens *api.Tokens
	users  map[access.Role]int64
	slug   string
	auth   *auth.Service
	files  *files.Service
}

// newEnvLogged is e's app again, logging as JSON to w.
func newEnvLogged(t *testing.T, e *env, w io.Writer) *env {
	c := *e
	c.app = web.New(web.Deps{Store: e.s, Version: "test", Auth: e.auth, Logger: slog.New(slog.NewJSONHandler(w, nil)), Files: e.files})
	return &c
}

func newEnv(t *testing.T, s store.Store, rate int) *env {
	ctx := context.Background()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := registry.Install(ctx, s, time.Now()); err != nil {
		t.Fatal(err)
	}
	fs := newFiles(t, s)
	e := &env{t: t, s: s, app: web.New(web.Deps{Store: s, Version: "test", Auth: a, APIRatePerMinute: rate, Files: fs}), files: fs,
		tokens: &api.Tokens{Store: s, Now: time.Now}, users: map[access.Role]int64{}, slug: registry.Slugs()[0], auth: a}
	if e.spec, err = api.LoadSpec(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []access.Role{access.RegistryManager, access.RegistryViewer, access.NationalFull} {
		err := s.InTx(ctx, func(tx store.Tx) error {
			u, err := a.CreateUser(ctx, tx, auth.NewUser{Email: string(r) + "@api.example", FirstName: "Api", Surname: "User", Role: r, TwoFactorSkip: true})
			e.users[r] = u.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// token issues a token for the role's account.
func (e *env) token(r access.Role, acc, domain string) string {
	plain, _, err := e.tokens.Create(context.Background(), e.users[r], api.TokenInput{Name: "test", Access: acc, Domain: domain, Days: 30})
	if err != nil {
		e.t.Fatal(err)
	}
	return plain
}

// answer is a response read whole.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.Body, v); err != nil {
		t.Fatalf("body %s: %v", a.Body, err)
	}
}

// problem reads a problem answer, checking its media type.
func (a answer) problem(t *testing.T) api.Problem {
	t.Helper()
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json (status %d, body %s)", ct, a.Status, a.Body)
	}
	var p api.Problem
	a.json(t, &p)
	if p.Status != a.Status || p.Title == "" || p.Type == "" {
		t.Errorf("problem %+v does not match status %d", p, a.Status)
	}
	return p
}

// call sends a request through the app and checks the answer against the
// document when the path is one of its operations.
func (e *env) call(method, path, token string, body any, header ...string) answer {
	t := e.t
	t.Helper()
	var rd io.Reader
	var raw []byte
	if body != nil {
		if b, ok := body.([]byte); ok {
			raw = b
		} else {
			raw, _ = json.Marshal(body)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := answer{Status: resp.StatusCode, Header: resp.Header, Body: b}

	// Validate against the document: the operation's own response.
	vreq := httptest.NewRequest(method, strings.TrimPrefix(path, api.Prefix), bytes.NewReader(raw))
	vreq.Header = req.Header.Clone()
	route, params, err := e.spec.Router().FindRoute(vreq)
	if err != nil {
		return out // not an operation (openapi.json, docs, an unknown path)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{RequestValidationInput: in,
		Status: out.Status, Header: out.Header, Body: io.NopCloser(bytes.NewReader(b)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}); err != nil {
		t.Errorf("%s %s: the answer (%d %s) does not match the document: %v", method, path, out.Status, b, err)
	}
	seenMu.Lock()
	seen[route.Operation.OperationID+" "+fmt.Sprint(out.Status)] = true
	seenMu.Unlock()
	return out
}

// The contract is served as JSON, and the reference page, rendered from
// it, names every operation.
func TestContractServed(t *testing.T) {
	e := newEnv(t, storetestOpen(t), 0)
	res := e.call("GET", api.Prefix+"/openapi.json", "", nil)
	var doc map[string]any
	res.json(t, &doc)
	if res.Status != 200 || doc["openapi"] != "3.0.3" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("openapi.json: %d %v", res.Status, doc["openapi"])
	}
	page := e.call("GET", api.Prefix+"/docs", "", nil)
	if page.Status != 200 || !strings.Contains(string(page.Body), "clinaudit API") {
		t.Fatalf("docs: %d", page.Status)
	}
	for _, path := range e.spec.Doc.Paths.InMatchingOrder() {
		for _, op := range e.spec.Doc.Paths.Value(path).Operations() {
			if !strings.Contains(string(page.Body), `id="`+op.OperationID+`"`) {
				t.Errorf("the reference page lacks %s", op.OperationID)
			}
		}
	}
	if strings.Contains(string(page.Body), "<script") || strings.Contains(string(page.Body), "<style") || strings.Contains(string(page.Body), "https://") ||
		!strings.Contains(string(page.Body), `<link rel="stylesheet" href="/static/`) {
		t.Error("the reference page loads something from elsewhere, or inline, or not the app's stylesheet")
	}
	if res := e.call("GET", api.Prefix+"/nothing", "x", nil); res.Status != 401 {
		t.Errorf("an unknown path without a good token: %d", res.Status)
	}
	tok := e.token(access.RegistryViewer, api.AccessRead, api.DomainRegistry)
	if res := e.call("GET", api.Prefix+"/nothing", tok, nil); res.Status != 404 {
		t.Errorf("an unknown path: %d", res.Status)
	} else {
		res.problem(t)
	}
}

func storetestOpen(t *testing.T) store.Store { return storetest.Open(t, store.SQLite) }

// The hourly purge deletes the idempotency keys past their 24 hours, and
// a retry after that is a new create.
func TestIdempotencyPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		if res := e.call("POST", coll, w, ann(5), "Idempotency-Key", "p"); res.Status != 201 {
			t.Fatalf("create: %d", res.Status)
		}
		worker := api.NewPurgeWorker(s, nil)
		worker.Now = func() time.Time { return time.Now().Add(api.IdempotencyTTL - time.Minute) }
		if err := worker.Work(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if res := e.call("POST", coll, w, ann(5), "Idempotency-Key", "p"); res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("before the 24 hours, the retry was not replayed: %d", res.Status)
		}
		worker.Now = func() time.Time { return time.Now().Add(api.IdempotencyTTL + time.Minute) }
		if err := worker.Work(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteExpiredAPIIdempotency(context.Background(), time.Now().Add(48*time.Hour))
		if err != nil || n != 0 {
			t.Errorf("after the purge, %d keys were left (%v)", n, err)
		}
	})
}
