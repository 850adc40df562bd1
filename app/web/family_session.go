package web

import (
	"errors"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/family"

	"github.com/gofiber/fiber/v2"
)

// Families' sessions (docs/registry.md, "Family sign-in"). A family account
// signs in to /family only, with a cookie of its own ("family"): the staff
// guards read the "session" cookie and know nothing of it, and these
// guards know nothing of staff sessions, so neither kind opens the other's
// pages (app/web/family_matrix_test.go).

const (
	familyCookie       = "family"
	localFamily        = "family_identity"
	localFamilyEnded   = "family_session_ended"
	familySignInURL    = "/family/sign-in"
	familyTwoFactorURL = "/family/two-factor"
)

func (s *server) family() *family.Service {
	return &family.Service{Store: s.Store, Registry: s.registry(), Now: s.Now, BaseURL: s.Auth.Config.BaseURL,
		InviteTTL: s.Auth.Config.Family.InviteTTL}
}

// loadFamily resolves the family cookie, if any, on /family pages.
func (s *server) loadFamily(c *fiber.Ctx) error {
	token := c.Cookies(s.cookieName(familyCookie))
	if token == "" {
		return c.Next()
	}
	id, err := s.Auth.AuthenticateFamily(c.UserContext(), token)
	switch {
	case err == nil:
		c.Locals(localFamily, &id)
		c.Set(fiber.HeaderCacheControl, "no-store")
	case errors.Is(err, auth.ErrSessionEnded):
		s.clearCookie(c, familyCookie)
		c.Locals(localFamilyEnded, true)
	default:
		return err
	}
	return c.Next()
}

// familyIdentity is the request's family session, complete or awaiting its
// second factor, or nil.
func familyIdentity(c *fiber.Ctx) *auth.FamilyIdentity {
	id, _ := c.Locals(localFamily).(*auth.FamilyIdentity)
	return id
}

// familySignedIn is the complete family session, or nil.
func familySignedIn(c *fiber.Ctx) *auth.FamilyIdentity {
	if id := familyIdentity(c); id != nil && id.Session.TwoFactorOk {
		return id
	}
	return nil
}

// requireFamily guards the private area: a complete family session. A
// staff session is no family session: it is sent to the families' sign-in
// like anyone signed out.
func (s *server) requireFamily(c *fiber.Ctx) error {
	if familySignedIn(c) != nil {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Trigger", "session-ended")
		return c.Status(fiber.StatusUnauthorized).SendString("You were signed out; your last change was not saved. Sign in again to carry on.")
	}
	if familyIdentity(c) != nil {
		return c.Redirect(familyTwoFactorURL, fiber.StatusSeeOther)
	}
	target := familySignInURL
	if ended, _ := c.Locals(localFamilyEnded).(bool); ended {
		target += "?expired=1"
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// requireFamilyAny guards the second-factor pages: a family session,
// complete or not.
func (s *server) requireFamilyAny(c *fiber.Ctx) error {
	if familyIdentity(c) != nil {
		return c.Next()
	}
	return c.Redirect(familySignInURL, fiber.StatusSeeOther)
}

// startFamilySession sets the family cookie and sends the family on: to the
// second factor when the session awaits it.
func (s *server) startFamilySession(c *fiber.Ctx, token string, complete bool) error {
	s.setCookie(c, familyCookie, token, 0)
	s.newCSRF(c)
	if !complete {
		q, err := s.sendFamilySMSAtSignIn(c, token)
		if err != nil {
			return err
		}
		return c.Redirect(familyTwoFactorURL+q, fiber.StatusSeeOther)
	}
	return c.Redirect("/family", fiber.StatusSeeOther)
}

// familyNav are the private area's header links.
var familyNav = []struct{ Section, Label, Href, ID string }{
	{"family", "Your family", "/family", "nav-family"},
	{"profile", "Your details", "/family/profile", "nav-profile"},
}

// familyPage is the layout's data for a family page: its own header links
// and sign-out, nothing of the staff's.
func (s *server) familyPage(c *fiber.Ctx, title, nav string) page {
	p := page{Title: title, Version: s.Version, Demo: s.Demo, CSRF: csrfToken(c)}
	if s.Demo {
		p.Nav = append(p.Nav, navItem{Label: "Demo mailbox", Href: "/demo/mailbox"})
	}
	id := familySignedIn(c)
	if id == nil {
		p.Nav = append(p.Nav, navItem{Label: "Sign in", Href: familySignInURL, Current: nav == "signin"})
		return p
	}
	for _, l := range familyNav {
		p.Nav = append(p.Nav, navItem{Label: l.Label, Href: l.Href, ID: l.ID, Current: l.Section == nav})
	}
	p.UserName = id.Account.FirstName + " " + id.Account.Surname
	p.SignOutURL = "/family/sign-out"
	return p
}

func (s *server) handleFamilySignOut(c *fiber.Ctx) error {
	if id := familyIdentity(c); id != nil {
		if err := s.Auth.SignOutFamily(c.UserContext(), *id); err != nil {
			return err
		}
	}
	s.clearCookie(c, familyCookie)
	s.newCSRF(c)
	return c.Redirect(familySignInURL+"?done=signed-out", fiber.StatusSeeOther)
}

// familyUntil is a time as the family pages say it.
func familyUntil(t time.Time) string { return t.In(londonTime).Format("15:04") }
