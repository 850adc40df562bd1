package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"clinaudit/app/api"
	"clinaudit/app/children"

	"github.com/gofiber/fiber/v2"
)

const (
	headerRequestID = "X-Request-ID"
	localRequestID  = "request_id"
)

// requestID gives every request an ID, returned in X-Request-ID and attached
// to every log line about the request. An ID sent by a trusted proxy is kept
// when it looks like one; anything else is replaced so logs stay clean.
func (s *server) requestID(c *fiber.Ctx) error {
	setRequestID(c)
	return c.Next()
}

func setRequestID(c *fiber.Ctx) {
	id := c.Get(headerRequestID)
	if !validRequestID(id) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(headerRequestID, id)
	c.SetUserContext(children.WithRequestID(c.UserContext(), id)) // for the child's trail
}

func validRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// log is the logger for this request.
func (s *server) log(c *fiber.Ctx) *slog.Logger {
	return s.Logger.With("request_id", requestIDOf(c))
}

// accessLog writes one line per request. It logs the path but never the
// query string, which can carry search terms about patients.
func (s *server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Render the error now so the logged status is the one sent.
		if herr := s.handleError(c, err); herr != nil {
			s.log(c).Error("error handler failed", "err", herr)
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	attrs := []any{"method", c.Method(), "path", loggedPath(c), "status", status,
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
		"bytes", len(c.Response().Body()), "ip", s.clientIP(c),
		"htmx", c.Get("HX-Request") == "true"}
	if token, ok := c.Locals(api.LocalTokenID).(int64); ok {
		attrs = append(attrs, "api_token_id", token) // the token's id, never the token
	}
	if cause := unavailableCause(c); cause != "" {
		// The database was unavailable: this line is the only one.
		level = slog.LevelWarn
		attrs = append(attrs, "err", cause)
	} else if status >= 500 {
		level = slog.LevelError
	}
	s.log(c).Log(c.UserContext(), level, "request", attrs...)
	return nil
}

// loggedPath is the path as the access log records it. A set-password
// link, a registry's onboarding verification link, a family's sign-in link,
// a carer's invitation, a file's signed link and a survey's personal link
// carry a token in the path, and logs must never hold one.
func loggedPath(c *fiber.Ctx) string {
	p := c.Path()
	for _, tokenRoute := range []string{"/account/set-password/", "/files/download/", "/files/upload/",
		"/family/sign-in/link/", "/family/join/", "/family/files/download/"} {
		if strings.HasPrefix(p, tokenRoute) {
			return tokenRoute + ":token"
		}
	}
	if strings.HasPrefix(p, "/registries/") {
		if i := strings.Index(p, "/verify/"); i >= 0 {
			return p[:i] + "/verify/:token"
		}
	}
	// A survey's personal link (survey_public.go).
	if rest, ok := strings.CutPrefix(p, "/s/"); ok {
		_, action, _ := strings.Cut(rest, "/")
		return strings.TrimSuffix("/s/:token/"+action, "/")
	}
	return p
}

// recoverPanic turns a panic into a 500 with the stack in the log only.
func (s *server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log(c).Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fiber.ErrInternalServerError
		}
	}()
	return c.Next()
}

// securityHeaders are set on every response. The CSP allows only our own
// scripts and styles: assets are vendored and no template has inline script.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders' work, also done by the error
// handler: the server answers some requests (a body over the limit, bad
// headers) itself, on a fresh context that no middleware has seen.
func (s *server) setSecurityHeaders(c *fiber.Ctx) {
	if s.HTTPS {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
}
