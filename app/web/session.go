package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/netip"
	"net/url"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/clientip"

	"github.com/gofiber/fiber/v2"
)

const (
	localIdentity     = "identity"
	localActor        = "actor"
	localSessionEnded = "session_ended" // the request's cookie named a session that has ended
)

// cookieName uses the __Host- prefix over HTTPS: the browser then refuses
// the cookie unless it is Secure, host-only and for the whole site.
func (s *server) cookieName(base string) string {
	if s.HTTPS {
		return "__Host-" + base
	}
	return base
}

func (s *server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: s.cookieName(name), Value: value, Path: "/", HTTPOnly: true, Secure: s.HTTPS,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(maxAge.Seconds()),
	})
}

func (s *server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(name), Value: "", Path: "/", HTTPOnly: true, Secure: s.HTTPS,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1, Expires: time.Unix(1, 0)})
}

func (s *server) client(c *fiber.Ctx) auth.Client {
	return auth.Client{IP: s.clientIP(c), UserAgent: c.Get(fiber.HeaderUserAgent)}
}

// clientIP is the address the request comes from, through trusted proxies:
// what sign-in throttling, the sign-in trail and the access log record.
func (s *server) clientIP(c *fiber.Ctx) string {
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.IP()
	}
	var values []string
	if len(s.TrustedProxies) > 0 {
		for _, v := range c.Request().Header.PeekAll(string(s.ProxyHeader)) {
			values = append(values, string(v))
		}
	}
	return clientip.Resolve(remote, s.ProxyHeader, values, s.TrustedProxies).String()
}

// loadIdentity resolves the session cookie, if any, for every request. A
// cookie that no longer names a session is cleared.
func (s *server) loadIdentity(c *fiber.Ctx) error {
	token := c.Cookies(s.cookieName("session"))
	if token == "" {
		return c.Next()
	}
	id, err := s.Auth.Authenticate(c.UserContext(), token)
	switch {
	case err == nil:
		c.Locals(localIdentity, &id)
		actor := access.ActorAt(id.User, id.Place)
		c.Locals(localActor, &actor)
		// Pages of a signed-in user are never cached: not by the browser's
		// back button after sign-out, not by a shared proxy.
		c.Set(fiber.HeaderCacheControl, "no-store")
	case errors.Is(err, auth.ErrSessionEnded):
		s.clearCookie(c, "session")
		c.Locals(localSessionEnded, true)
	default:
		return err
	}
	return c.Next()
}

// identity is the request's session, complete or awaiting its second
// factor, or nil.
func identity(c *fiber.Ctx) *auth.Identity {
	id, _ := c.Locals(localIdentity).(*auth.Identity)
	return id
}

// signedIn is the fully signed-in identity (second factor passed), or nil.
func signedIn(c *fiber.Ctx) *auth.Identity {
	if id := identity(c); id != nil && id.Session.TwoFactorOk {
		return id
	}
	return nil
}

// actor is the signed-in user's access actor; the zero Actor (which may do
// nothing) when signed out or half signed in.
func actor(c *fiber.Ctx) access.Actor {
	if signedIn(c) == nil {
		return access.Actor{}
	}
	a, _ := c.Locals(localActor).(*access.Actor)
	if a == nil {
		return access.Actor{}
	}
	return *a
}

// me is the signed-in user as the domain services take them.
func me(c *fiber.Ctx) access.Me {
	id := signedIn(c)
	return access.Me{ID: id.User.ID, Actor: actor(c)}
}

// requireSignedIn guards every page that needs an account. A browser is sent
// to sign in and back; an htmx request gets 401 and a header the page's
// script reacts to, never the sign-in page swapped into a field.
func (s *server) requireSignedIn(c *fiber.Ctx) error {
	if signedIn(c) != nil {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Trigger", "session-ended")
		return c.Status(fiber.StatusUnauthorized).SendString("You were signed out; your last answer was not saved. Sign in again to carry on.")
	}
	if id := identity(c); id != nil {
		return c.Redirect("/sign-in/two-factor", fiber.StatusSeeOther)
	}
	target := "/sign-in?next=" + url.QueryEscape(c.OriginalURL())
	if ended, _ := c.Locals(localSessionEnded).(bool); ended {
		target += "&expired=1" // the sign-in page says why
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// requireAction refuses (403) a signed-in user whose role lacks action.
func (s *server) requireAction(action access.Action) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !actor(c).Can(action) {
			return apperr.ErrForbidden
		}
		return c.Next()
	}
}

// sameOrigin refuses a state-changing request that a browser says came
// from another site (Origin, or Sec-Fetch-Site), for routes that cannot
// carry the CSRF token. A request with neither header is refused too.
func sameOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if site := c.Get("Sec-Fetch-Site"); site != "" {
		if site == "same-origin" {
			return c.Next()
		}
		return apperr.ErrForbidden
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin == c.BaseURL() {
		return c.Next()
	}
	return apperr.ErrForbidden
}

const csrfField = "csrf"

// csrf protects every state-changing request with a double-submit token:
// a random value in an HttpOnly, SameSite cookie that the page repeats in a
// form field (plain forms) or the X-CSRF-Token header (htmx, set once on
// <body>). A cross-site page can neither read the cookie nor set the header.
// A new value is issued at sign-in.
func (s *server) csrf(c *fiber.Ctx) error {
	token := c.Cookies(s.cookieName("csrf"))
	if token == "" {
		token = s.newCSRF(c)
	}
	c.Locals(csrfField, token)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	sent := c.Get("X-CSRF-Token")
	if sent == "" {
		sent = c.FormValue(csrfField)
	}
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(c.Cookies(s.cookieName("csrf")))) != 1 {
		s.log(c).Warn("csrf token missing or wrong", "path", loggedPath(c))
		if c.Get("HX-Request") == "true" {
			// The page's token is stale (a new one was issued): reload it.
			c.Set("HX-Refresh", "true")
		}
		return errCSRF
	}
	return c.Next()
}

// errCSRF refuses a state-changing request without the page's token; its
// page says how to recover (errors.go).
var errCSRF = &apperr.Error{Code: apperr.Forbidden, Err: errors.New("csrf token missing or wrong")}

func (s *server) newCSRF(c *fiber.Ctx) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(c, "csrf", token, 0)
	c.Locals(csrfField, token)
	return token
}

func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(csrfField).(string)
	return t
}
