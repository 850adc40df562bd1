package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"clinaudit/app/store"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// LocalTokenID is the fiber local holding the calling token's id, which
// the access log records (never the token).
const LocalTokenID = "api_token_id"

type callerKey struct{}

// callerOf is the request's caller, set by authenticate.
func callerOf(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// problems turns every error below it into a problem; a 500 is logged.
func (a *API) problems(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return send(c, problem(fe.Code, fe.Message))
	}
	if p := problemOf(err); p != nil {
		return send(c, p)
	}
	a.deps.Logger.ErrorContext(c.UserContext(), "api call failed", "path", c.Path(), "err", err)
	return send(c, problem(fiber.StatusInternalServerError, "Something went wrong on our side; it is logged"))
}

// authenticate resolves the bearer token. Cookies are never read here: a
// browser's session cannot call the API, so there is nothing for another
// site to forge and no CSRF token is asked for.
func (a *API) authenticate(c *fiber.Ctx) error {
	// Answers carry records or say who may not see them: never cached, as
	// the pages of a signed-in user are not.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if a.tokenEndpoint(c) {
		return c.Next() // authenticated by the client's credentials
	}
	if a.publicOperation(c) {
		// No token, and one sent is not read: the caller is its address.
		c.SetUserContext(context.WithValue(c.UserContext(), clientIPKey{}, a.deps.ClientIP(c)))
		return c.Next()
	}
	h := c.Get(fiber.HeaderAuthorization)
	bearer, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="clinaudit"`)
		return problem(fiber.StatusUnauthorized, "Send a personal API token: Authorization: Bearer <token>")
	}
	caller, err := a.tokens.Authenticate(c.UserContext(), strings.TrimSpace(bearer))
	if errors.Is(err, ErrBadToken) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="clinaudit", error="invalid_token"`)
		return problem(fiber.StatusUnauthorized, "The token is unknown, revoked or expired")
	}
	if err != nil {
		return err
	}
	caller.RequestID = string(c.Response().Header.Peek("X-Request-ID"))
	c.Locals(LocalTokenID, caller.TokenID)
	c.SetUserContext(context.WithValue(c.UserContext(), callerKey{}, caller))
	return c.Next()
}

// rateLimit spends one of the token's calls, answering 429 when none is
// left; every answer says what is left (RateLimit, RateLimit-Policy).
func (a *API) rateLimit(c *fiber.Ctx) error {
	if callerOf(c.UserContext()).TokenID == 0 {
		return c.Next() // the token endpoint: secrets of 256 bits are not guessed
	}
	ok, left, reset := a.limit.take(callerOf(c.UserContext()).TokenID, a.deps.Now())
	c.Set("RateLimit-Policy", a.limit.policy())
	c.Set("RateLimit", rateLimitHeader(left, reset))
	if !ok {
		c.Set(fiber.HeaderRetryAfter, itoa(reset))
		return problem(fiber.StatusTooManyRequests, "This token made too many calls: wait "+itoa(reset)+" s")
	}
	return c.Next()
}

// validate checks the request against the contract: parameters, headers
// and the body's shape. The values' rules are the domain's (422).
func (a *API) validate(c *fiber.Ctx) error {
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(c.Context(), &r, false); err != nil {
		return problem(fiber.StatusBadRequest, "The request could not be read")
	}
	r.URL.Path = strings.TrimPrefix(r.URL.Path, Prefix)
	route, params, err := a.spec.router.FindRoute(&r)
	if err != nil {
		return problem(fiber.StatusNotFound, "No such operation: see "+Prefix+"/docs")
	}
	// A multipart body (a file) is validated from the request's buffer
	// without copies (multipart.go); kin-openapi checks the rest.
	_, multi := isMultipart(c.Get(fiber.HeaderContentType))
	err = openapi3filter.ValidateRequest(c.UserContext(), &openapi3filter.RequestValidationInput{Request: &r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true, ExcludeRequestBody: multi}})
	if err != nil {
		return contractProblem(err)
	}
	if multi {
		if p := validateMultipart(route, c.Get(fiber.HeaderContentType), c.Body()); p != nil {
			return p
		}
	}
	return c.Next()
}

// contractProblem names the fields the contract refused.
func contractProblem(err error) *Problem {
	p := problem(fiber.StatusBadRequest, "The request does not match the API's contract ("+Prefix+"/openapi.json)")
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		var re *openapi3filter.RequestError
		var se *openapi3.SchemaError
		switch {
		case errors.As(err, &me):
			for _, e := range me {
				walk(e)
			}
		case errors.As(err, &re) && re.Parameter != nil:
			p.Errors = append(p.Errors, FieldIssue{Field: re.Parameter.Name, Message: firstLine(re.Err)})
		case errors.As(err, &se):
			p.Errors = append(p.Errors, FieldIssue{Field: strings.Join(se.JSONPointer(), "/"), Message: se.Reason})
		case errors.As(err, &re) && re.Err != nil && !errors.Is(re.Err, err):
			walk(re.Err)
		default:
			p.Errors = append(p.Errors, FieldIssue{Field: "body", Message: firstLine(err)})
		}
	}
	walk(err)
	return p
}

func firstLine(err error) string {
	if err == nil {
		return ""
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// IdempotencyTTL is how long a create's first response is kept for retries.
const IdempotencyTTL = 24 * time.Hour

// claimTTL bounds a claim of a key whose request never finished (a crash):
// after it, the key may be claimed again.
const claimTTL = time.Minute

// idempotent answers a create retried with the same Idempotency-Key with
// its first response, and refuses the key reused for another request.
func (a *API) idempotent(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if c.Method() != fiber.MethodPost || key == "" || callerOf(c.UserContext()).TokenID == 0 {
		return c.Next()
	}
	ctx := c.UserContext()
	token := callerOf(ctx).TokenID
	fp := c.Method() + " " + c.Path() + " " + bodyDigest(c.Get(fiber.HeaderContentType), c.Body())
	now := a.deps.Now().UTC()
	// Claim the key first, so that two copies of a request arriving at once
	// cannot both create: the second finds the claim (409, retry later).
	n, err := a.deps.Store.ClaimAPIIdempotency(ctx, store.ClaimAPIIdempotencyParams{TokenID: token, Key: key, Fingerprint: fp,
		CreatedAt: now, ExpiresAt: now.Add(claimTTL)})
	if err != nil {
		return err
	}
	if n == 0 {
		prev, err := a.deps.Store.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: token, Key: key, Now: now})
		switch {
		case errors.Is(err, store.ErrNotFound):
			return problem(fiber.StatusConflict, "A request with this Idempotency-Key just ended: send it again")
		case err != nil:
			return err
		case prev.Fingerprint != fp:
			return problem(fiber.StatusUnprocessableEntity, "This Idempotency-Key was used for another request: use a new key")
		case prev.Status == 0:
			c.Set(fiber.HeaderRetryAfter, "1")
			return problem(fiber.StatusConflict, "A request with this Idempotency-Key is in progress: send it again shortly")
		}
		if prev.Location != "" {
			c.Set(fiber.HeaderLocation, prev.Location)
		}
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Status(int(prev.Status)).SendString(prev.Body)
	}
	release := func() error {
		return a.deps.Store.ReleaseAPIIdempotency(context.WithoutCancel(ctx), store.ReleaseAPIIdempotencyParams{TokenID: token, Key: key})
	}
	if err := c.Next(); err != nil {
		_ = release()
		return err
	}
	status := c.Response().StatusCode()
	if status < 200 || status > 299 {
		return release() // a refusal is not kept: the retry is checked afresh
	}
	return a.deps.Store.PutAPIIdempotency(ctx, store.PutAPIIdempotencyParams{TokenID: token, Key: key, Fingerprint: fp,
		Status: int64(status), Body: string(c.Response().Body()), Location: string(c.Response().Header.Peek(fiber.HeaderLocation)),
		CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)})
}
