package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

// downStore fails every session lookup, as a database that went away does,
// with the error the adapters give for it.
type downStore struct {
	store.Store
	down atomic.Bool
}

func (d *downStore) GetSessionIdentity(ctx context.Context, id string) (store.SessionIdentity, error) {
	if d.down.Load() {
		return store.SessionIdentity{}, store.Unavailable(errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"))
	}
	return d.Store.GetSessionIdentity(ctx, id)
}

// logLines are the JSON log lines written to a buffer.
func logLines(t *testing.T, raw string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(raw), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// faultApp is the app on s with its log in logs, and a clinician at RM332.
func faultApp(t *testing.T, s store.Store, logs *lockedBuffer) (*fiber.App, *browser) {
	t.Helper()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	app := New(Deps{Store: s, Version: "test", Auth: a, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	makeStaff(t, s, a, "clin@fault.example", access.Clinician, "RM332")
	return app, signIn(t, newBrowser(t, app), "clin@fault.example")
}

func saveForm(value string) url.Values {
	key := "first_paediatric_assessment.0.general_examination_performed"
	return url.Values{"key": {key}, key: {value}, "v": {"1000000"}}
}

func savePath(child int64) string {
	return fmt.Sprintf("/children/%d/forms/first_paediatric_assessment/answer", child)
}

// When the database cannot be reached, a save answers 503 with Retry-After
// (the autosave then shows "Not saved – retry" and retries by itself), a
// page answers a 503 page without internals, and each failed request logs
// one WARN line with the cause: no ERROR, no stack.
func TestDatabaseUnavailableIs503(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		d := &downStore{Store: s}
		var logs lockedBuffer
		_, b := faultApp(t, d, &logs)
		child := registeredChild(t, s, "9434765919")
		b.get("/children") // for its CSRF token
		if r := b.htmxPost(savePath(child), saveForm("true")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
			t.Fatalf("save before the outage: %d %.300s", r.status, r.body)
		}
		d.down.Store(true)
		logs.mu.Lock()
		logs.b.Reset()
		logs.mu.Unlock()

		r := b.htmxPost(savePath(child), saveForm("false"))
		if r.status != 503 || r.header.Get("Retry-After") != "5" {
			t.Errorf("save during the outage: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
		if msg := text(r, `[role="alert"]`); !strings.Contains(msg, "was not saved") || strings.Contains(r.body, "<html") {
			t.Errorf("save's fragment: %q", r.body)
		}
		if strings.Contains(r.body, ">Saved<") || strings.Contains(r.body, "connection refused") {
			t.Errorf("save's fragment says Saved or leaks the cause: %q", r.body)
		}
		lines := logLines(t, logs.String())
		if len(lines) != 1 || lines[0]["level"] != "WARN" || !strings.Contains(fmt.Sprint(lines[0]["err"]), "connection refused") ||
			lines[0]["status"] != float64(503) {
			t.Errorf("log of one failed save, want one WARN line with the cause: %s", logs.String())
		}

		p := b.get("/children")
		if p.status != 503 || p.header.Get("Retry-After") == "" || !strings.Contains(text(p, "h1"), "unavailable") ||
			strings.Contains(p.body, "goroutine") || strings.Contains(p.body, "connection refused") {
			t.Errorf("page during the outage: %d %q", p.status, text(p, "h1"))
		}

		d.down.Store(false)
		if r := b.htmxPost(savePath(child), saveForm("false")); r.status != 200 || !strings.Contains(r.body, ">Saved<") {
			t.Errorf("save after the outage: %d %.300s", r.status, r.body)
		}
		ans, err := s.GetChild(context.Background(), child)
		if err != nil || ans.ID != child {
			t.Fatal(err)
		}
	})
}

// The request's deadline turns a wait for the database into a 503.
func TestRequestDeadlineIsUnavailable(t *testing.T) {
	err := fmt.Errorf("list children: %w", context.DeadlineExceeded)
	if !store.IsUnavailable(err) {
		t.Error("a passed deadline is not unavailable")
	}
	if store.IsUnavailable(errors.New("syntax error")) || store.IsUnavailable(store.ErrConflict) {
		t.Error("an ordinary failure counts as unavailable")
	}
}

// Readiness probes come from every load balancer and orchestrator at once:
// probes at the same moment must not hold each other up (a migration lock
// taken by one made the others wait its retry period and answer 503).
func TestConcurrentReadinessProbes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app := newTestApp(s)
		const n = 8
		codes := make(chan int, n)
		for range n {
			go func() {
				resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/readyz", nil), -1)
				if err != nil {
					codes <- -1
					return
				}
				resp.Body.Close()
				codes <- resp.StatusCode
			}()
		}
		for range n {
			if code := <-codes; code != 200 {
				t.Errorf("a concurrent /readyz answered %d", code)
			}
		}
	})
}

// When the database goes away, every request at once renders its first
// error fragment: Fiber fills a list on its first Render without a lock,
// which the race detector caught (TestPostgresOutageRecovers under -race).
// The app renders once before serving, so first renders at once are safe.
// (Run with -race, as make test does, for this test to mean anything.)
func TestFirstRendersAtOnce(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	srv := &server{Deps: Deps{Store: s, Version: "test", Logger: slog.New(slog.DiscardHandler), Now: time.Now}}
	app := srv.newFiber()
	const n = 8
	var arrived sync.WaitGroup
	arrived.Add(n)
	app.Get("/together", func(c *fiber.Ctx) error {
		arrived.Done()
		arrived.Wait() // every request is here: they render at the same moment
		return renderPartial(c, "partials/error_message", errorPage{Message: "m"})
	})
	done := make(chan int, n)
	for range n {
		go func() {
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/together", nil), -1)
			if err != nil {
				done <- -1
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	for range n {
		if code := <-done; code != 200 {
			t.Errorf("status %d", code)
		}
	}
}
