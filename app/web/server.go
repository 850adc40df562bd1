// Package web is clinaudit's HTTP interface: a Fiber app serving full pages
// and the HTMX partials that update them. Handlers are thin: they read the
// request, call the store or a domain package, and render.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/api"
	"clinaudit/app/auth"
	"clinaudit/app/clientip"
	"clinaudit/app/files"
	"clinaudit/app/notify"
	"clinaudit/app/staff"
	"clinaudit/app/store"
	"clinaudit/static"
	"clinaudit/templates"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/valyala/fasthttp"
)

// Deps is what the web app needs from the rest of the program.
type Deps struct {
	Store   store.Store
	Logger  *slog.Logger
	Version string
	Demo    bool
	// SuppressBelow is the public pages' small-number threshold: counts
	// from 1 to SuppressBelow-1 show as "fewer than SuppressBelow"
	// (publish.Suppression); 0 is publish.DefaultSuppressBelow, 1 is off.
	SuppressBelow int64
	// Auth signs users in and resolves their sessions.
	Auth *auth.Service
	// Staff administers accounts.
	Staff *staff.Service
	// JobsUI is the job monitor (River's UI, built by the caller), mounted
	// at JobsUIPath for those who may view jobs; nil leaves it out. The
	// handler serves under that path: it is not stripped.
	JobsUI     http.Handler
	JobsUIPath string
	// HTTPS turns on Secure and __Host- cookies and HSTS.
	HTTPS bool
	// TrustedProxies are the reverse proxies whose ProxyHeader names the
	// client (clientip.Resolve); none: the connection's peer is the client.
	TrustedProxies []netip.Prefix
	ProxyHeader    clientip.Header // X-Forwarded-For when empty
	// NotifyCallbackToken is the bearer token GOV.UK Notify's delivery
	// receipts carry (--notify-callback-token); empty refuses them all.
	NotifyCallbackToken string
	// Files keeps uploaded documents (files.go); nil leaves the files
	// sections out.
	Files *files.Service
	// Now is the clock; tests replace it.
	Now func() time.Time
	// APIRatePerMinute is each API token's calls a minute (0: api's default).
	APIRatePerMinute int
}

// server carries Deps to the handlers.
type server struct {
	Deps
	// api serves /api/v1 (app/api); the account page issues its tokens.
	api     *api.API
	centres centreCache
	// progress lets a save recompute only its form's progress
	// (answers.ProgressCache), across the requests of this process.
	progress *answers.ProgressCache
	// plans are the public pages' suppression plans by publication id
	// (publish.Plan): a publication never changes.
	plans sync.Map
}

// New builds the Fiber app with every route and middleware.
func New(d Deps) *fiber.App {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ProxyHeader == "" {
		d.ProxyHeader = clientip.XForwardedFor
	}
	if d.Staff == nil && d.Auth != nil {
		d.Staff = &staff.Service{Store: d.Store, Auth: d.Auth, Now: d.Now}
	}
	s := &server{Deps: d, progress: answers.NewProgressCache(0)}
	var err error
	// The contract is embedded and checked by app/api's tests: failing to
	// load it is a build that must not start.
	if s.api, err = api.New(api.Deps{Store: d.Store, Logger: d.Logger, Now: d.Now, RatePerMinute: d.APIRatePerMinute,
		Children: s.children, Answers: s.answers, Files: d.Files,
		// The public operations: the pages' services, limits and client address.
		Registry: s.registry(), Surveys: s.surveys, Auth: d.Auth, ClientIP: s.clientIP}); err != nil {
		panic(err)
	}

	app := s.newFiber()
	s.routes(app)
	return app
}

func (s *server) newFiber() *fiber.App {
	engine := html.NewFileSystem(http.FS(templates.FS), ".html")
	engine.AddFuncMap(templateFuncs())
	app := fiber.New(fiber.Config{
		Views:                 views{engine},
		ViewsLayout:           "layouts/base",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           2 * time.Minute,
		BodyLimit:             s.bodyLimit(),
		// A multipart body is kept as it came, not pre-parsed: fasthttp
		// would otherwise re-serialise the whole form (file included, in
		// random part order) at every read of the body, which the API's
		// validation, Idempotency-Key and upload each make. The pages'
		// FormFile parses it on demand from the body as read.
		DisablePreParseMultipartForm: true,
		// Handlers may keep request strings past the handler (logs, jobs);
		// fasthttp reuses their buffers otherwise.
		Immutable: true,
	})
	firstRender(app)
	return app
}

// bodyLimit leaves room for an upload of twice the files' limit, so one
// somewhat too big gets its message by the field rather than a bare 413.
func (s *server) bodyLimit() int {
	if s.Files == nil {
		return 4 << 20
	}
	return int(max(4<<20, 2*s.Files.Max()+1<<20))
}

// firstRender renders once before the app serves: Fiber fills a list it
// reads on every Render lazily, on the first Render, without a lock, so
// first renders at the same moment race (they did when the database went
// away and every request rendered its first error fragment at once).
func firstRender(app *fiber.App) {
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	_ = c.Render("partials/error_message", errorPage{}, "")
}

// templateFuncs are the functions templates may call (also read by the
// templates' type check in tests).
func templateFuncs() template.FuncMap {
	return template.FuncMap{"asset": static.Path, "dict": dict, "sub": func(a, b int) int { return a - b },
		"roleLabel":    func(r string) string { return access.Role(r).Label() },
		"registryRole": func(r string) bool { return access.Role(r).Registry() },
		"eventLabel":   auth.EventLabel,
		"list":         func(items ...string) []string { return items },
		"maskAddress":  notify.MaskAddress,
		"options":      options,
		"yesIf":        yesIf,
		"nhsNumber":    nhsNumberOf,
		"longDate":     longDate,
		"title":        capitalise}
}

// options are a select's options from value, label pairs, the one whose
// value is selected marked Checked.
func options(selected string, pairs ...string) []optionView {
	out := make([]optionView, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, optionView{Value: pairs[i], Label: pairs[i+1], Checked: pairs[i] == selected})
	}
	return out
}

// dict builds a map for passing several values to a partial template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}
