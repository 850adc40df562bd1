package api

import (
	"log/slog"
	"strconv"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/api/apigen"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/files"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// Deps is what the API needs from the rest of the program.
type Deps struct {
	Store    store.Store
	Registry *registry.Service
	Logger   *slog.Logger
	Now      func() time.Time
	// Children and Answers build the audit's services as the pages do.
	Children func() *children.Service
	Answers  func() *answers.Service
	// Files is the files' service the pages use (nil: files are not set
	// up, and their operations answer 404).
	Files *files.Service
	// RatePerMinute is each token's calls a minute (0: DefaultRatePerMinute).
	RatePerMinute int

	// The public operations (public.go): Auth counts their limits with the
	// pages' (auth.Limit; none counted when nil), ClientIP is the caller's
	// address as the pages resolve it (trusted proxies; c.IP() when nil),
	// Surveys answers survey links as the survey pages do.
	Auth     *auth.Service
	ClientIP func(*fiber.Ctx) string
	Surveys  func() *survey.Service
}

// DefaultRatePerMinute is a token's calls a minute unless set.
const DefaultRatePerMinute = 600

// API serves /api/v1.
type API struct {
	deps   Deps
	spec   *Spec
	tokens *Tokens
	limit  *limiter
}

// New builds the API. Errors: the contract's (openapi.yaml invalid).
func New(d Deps) (*API, error) {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.RatePerMinute <= 0 {
		d.RatePerMinute = DefaultRatePerMinute
	}
	if d.Children == nil {
		d.Children = func() *children.Service {
			svc := &children.Service{Store: d.Store, Now: d.Now}
			svc.Progress = (&answers.Service{Store: d.Store, Children: svc}).AuditProgress // Lock's completeness check, as the pages'
			return svc
		}
	}
	if d.Answers == nil {
		d.Answers = func() *answers.Service { return &answers.Service{Store: d.Store, Children: d.Children()} }
	}
	if d.ClientIP == nil {
		d.ClientIP = func(c *fiber.Ctx) string { return c.IP() }
	}
	if d.Surveys == nil {
		d.Surveys = func() *survey.Service { return &survey.Service{Store: d.Store, Now: d.Now} }
	}
	if d.Registry == nil {
		d.Registry = &registry.Service{Store: d.Store, Now: d.Now}
	}
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	return &API{deps: d, spec: spec, tokens: &Tokens{Store: d.Store, Now: d.Now}, limit: newLimiter(d.RatePerMinute, time.Minute)}, nil
}

// Tokens issues and revokes personal API tokens (the account page).
func (a *API) Tokens() *Tokens { return a.tokens }

// Spec is the loaded contract.
func (a *API) Spec() *Spec { return a.spec }

// Mount serves the API under Prefix. It goes before the pages' session and
// CSRF middleware: nothing under Prefix reads a cookie.
func (a *API) Mount(app *fiber.App) {
	g := app.Group(Prefix, a.problems)
	g.Get("/openapi.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(a.spec.JSON)
	})
	g.Get("/docs", a.handleReference)
	g.Use(a.authenticate, a.rateLimit, a.validate, a.idempotent)
	apigen.RegisterHandlers(g, apigen.NewStrictHandler(a, []apigen.StrictMiddlewareFunc{a.scoped}))
	g.Use(func(c *fiber.Ctx) error {
		return problem(fiber.StatusNotFound, "No such operation: see "+Prefix+"/docs")
	})
}

// scope is what a token must allow for an operation.
type scope struct{ domain, access string }

// Scopes name every operation's scope; an operation missing here is
// refused to every token (a test checks each operation has one).
var Scopes = map[string]scope{
	"ListPatients":  {DomainRegistry, AccessRead},
	"GetPatient":    {DomainRegistry, AccessRead},
	"CreatePatient": {DomainRegistry, AccessWrite},
	"DeletePatient": {DomainRegistry, AccessWrite},
	"UpdatePatient": {DomainRegistry, AccessWrite},

	"ListContacts":  {DomainRegistry, AccessRead},
	"GetContact":    {DomainRegistry, AccessRead},
	"CreateContact": {DomainRegistry, AccessWrite},
	"DeleteContact": {DomainRegistry, AccessWrite},
	"UpdateContact": {DomainRegistry, AccessWrite},

	"ListRelationships":  {DomainRegistry, AccessRead},
	"CreateRelationship": {DomainRegistry, AccessWrite},
	"DeleteRelationship": {DomainRegistry, AccessWrite},

	"ListChildren":  {DomainAudit, AccessRead},
	"GetChild":      {DomainAudit, AccessRead},
	"GetChildKPIs":  {DomainAudit, AccessRead},
	"CreateChild":   {DomainAudit, AccessWrite},
	"RegisterChild": {DomainAudit, AccessWrite},
	"SaveAnswer":    {DomainAudit, AccessWrite},

	// The child's record after it is added (children_admin.go).
	"UpdateChild":          {DomainAudit, AccessWrite},
	"DeleteChild":          {DomainAudit, AccessWrite},
	"RestoreChild":         {DomainAudit, AccessWrite},
	"LockChild":            {DomainAudit, AccessWrite},
	"UnlockChild":          {DomainAudit, AccessWrite},
	"OptOutChild":          {DomainAudit, AccessWrite},
	"RequestChildTransfer": {DomainAudit, AccessWrite},
	"AnswerChildTransfer":  {DomainAudit, AccessWrite},
	"AddRow":               {DomainAudit, AccessWrite},
	"RemoveRow":            {DomainAudit, AccessWrite},
	// Files and notifications (issue #20): a registry patient's files,
	// messages to a registry contact.
	"ListPatientFiles":  {DomainRegistry, AccessRead},
	"GetFile":           {DomainRegistry, AccessRead},
	"GetFileContent":    {DomainRegistry, AccessRead},
	"UploadPatientFile": {DomainRegistry, AccessWrite},
	"SendEmail":         {DomainRegistry, AccessWrite},
	"SendSMS":           {DomainRegistry, AccessWrite},
}

// Public operations (public.go, docs/api.md "Public endpoints"): no token
// and so no scope; `security: []` in the document (a test checks that
// every operation is in exactly one of Scopes and Public, IssueToken
// aside, and that the document agrees). Each carries its page's limits.
var Public = map[string]bool{
	"SubmitOnboarding":      true,
	"VerifyOnboardingEmail": true,
	"SubmitSurveyResponse":  true,
}

// ScopeOf is the domain of an operation ("" for none).
func ScopeOf(op string) string { return Scopes[op].domain }

// scoped refuses an operation outside the token's scope; the account's
// own permissions are the domain services' to check, as for the pages.
func (a *API) scoped(f apigen.StrictHandlerFunc, op string) apigen.StrictHandlerFunc {
	return func(c *fiber.Ctx, req any) (any, error) {
		if op == "IssueToken" {
			return f(c, req) // no token yet: the client's credentials decide
		}
		if Public[op] {
			return f(c, req) // no token: the operation's own limits apply
		}
		sc, ok := Scopes[op]
		caller := callerOf(c.UserContext())
		if !ok || caller.Domain != sc.domain || (sc.access == AccessWrite && caller.Access != AccessWrite) {
			return nil, problem(fiber.StatusForbidden, "This token's scope ("+caller.Access+", "+caller.Domain+") does not allow this operation")
		}
		return f(c, req)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
