package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The public operations (Public): a family's onboarding form and its
// email verification, and survey answers by a survey link. No token is
// asked for or read; each has its page's abuse controls instead
// (docs/api.md "Public endpoints: onboarding and survey responses").

type clientIPKey struct{}

// clientIPOf is a public call's client address (set by authenticate).
func clientIPOf(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// publicOperation reports whether the request is for one of Public's
// operations (by the document's routes, so a path is public only as the
// document says).
func (a *API) publicOperation(c *fiber.Ctx) bool {
	return a.spec.PublicOperation(c.Method(), c.Path())
}

// PublicOperation reports whether method and path (under Prefix) are one
// of Public's operations.
func (s *Spec) PublicOperation(method, path string) bool {
	if method != fiber.MethodPost {
		return false // every public operation is a POST
	}
	r := &http.Request{Method: method, URL: &url.URL{Path: strings.TrimPrefix(path, Prefix)}, Header: http.Header{}}
	route, _, err := s.router.FindRoute(r)
	if err != nil || route.Operation == nil {
		return false
	}
	return Public[operationName(route.Operation.OperationID)]
}

// operationName is the generated interface's name of an operationId.
func operationName(id string) string {
	if id == "" {
		return ""
	}
	return strings.ToUpper(id[:1]) + id[1:]
}

// limited spends one use of key under the page's limit (auth.Limit: n an
// hour, then an hour's refusal); refused, a 429 with Retry-After.
func (a *API) limited(ctx context.Context, key string, n int, detail string) error {
	if a.deps.Auth == nil {
		return nil
	}
	until := a.deps.Auth.Limit(ctx, key, n, time.Hour, time.Hour)
	if until == nil {
		return nil
	}
	secs := int((time.Until(*until) + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	p := problem(fiber.StatusTooManyRequests, detail+" Try again in "+itoa((secs+59)/60)+" minutes.")
	p.header = map[string]string{fiber.HeaderRetryAfter: itoa(secs)}
	return p
}
