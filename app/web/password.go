package web

import (
	"errors"
	"net/url"
	"strings"

	"clinaudit/app/auth"

	"github.com/gofiber/fiber/v2"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

type forgotPage struct {
	page
	Email  string
	Sent   bool
	Errors fieldErrs
}

func (s *server) handleForgotForm(c *fiber.Ctx) error {
	return renderPage(c, "pages/forgot_password", forgotPage{page: s.page(c, "Reset your password", "signin")})
}

// handleForgot answers the same whether or not the email has an account.
func (s *server) handleForgot(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	data := forgotPage{page: s.page(c, "Reset your password", "signin"), Email: email}
	if email == "" || !strings.Contains(email, "@") {
		data.Errors = errorOn("email", "Enter your email address, like name@nhs.net")
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/forgot_password", data)
	}
	// Only queued: the same work for every email, so the answer takes the
	// same time whether or not an account has it.
	if err := s.Auth.QueueReset(c.UserContext(), email, s.client(c)); err != nil {
		return err
	}
	data.Sent = true
	return renderPage(c, "pages/forgot_password", data)
}

type setPasswordPage struct {
	page
	Token   string
	Email   string
	Rules   []string
	Errors  fieldErrs
	Expired bool
	Invalid bool
}

// setPasswordData is the set-password page of the token in the path, with
// its account's email and password rules. ok is false when the token is
// not (or no longer) valid: the page then says so, answered 404.
func (s *server) setPasswordData(c *fiber.Ctx) (data setPasswordPage, ok bool, err error) {
	token := c.Params("token")
	data = setPasswordPage{page: s.page(c, "Set your password", "signin"), Token: token}
	u, err := s.Auth.TokenUser(c.UserContext(), token)
	if errors.Is(err, auth.ErrBadToken) {
		data.Invalid = true
		c.Status(fiber.StatusNotFound)
		return data, false, nil
	}
	if err != nil {
		return data, false, err
	}
	data.Email, data.Rules = u.Email, s.Auth.PasswordRules(u)
	// The token is in the path: keep it out of Referer headers and caches.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return data, true, nil
}

func (s *server) handleSetPasswordForm(c *fiber.Ctx) error {
	data, _, err := s.setPasswordData(c)
	if err != nil {
		return err
	}
	data.Expired = c.Query("expired") != ""
	return renderPage(c, "pages/set_password", data)
}

func (s *server) handleSetPassword(c *fiber.Ctx) error {
	pw, confirm := c.FormValue("password"), c.FormValue("confirm")
	data, ok, err := s.setPasswordData(c)
	if err != nil {
		return err
	}
	if !ok {
		return renderPage(c, "pages/set_password", data)
	}
	if pw != confirm {
		data.Errors = errorOn("confirm", "The passwords do not match")
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/set_password", data)
	}
	_, err = s.Auth.SetPassword(c.UserContext(), data.Token, pw, s.client(c))
	var perr *auth.PolicyError
	switch {
	case errors.As(err, &perr):
		for _, f := range perr.Failures {
			data.Errors = append(data.Errors, fieldErr{Field: "password", Message: f.Message})
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/set_password", data)
	case errors.Is(err, auth.ErrBadToken):
		data.Invalid = true
		c.Status(fiber.StatusNotFound)
		return renderPage(c, "pages/set_password", data)
	case err != nil:
		return err
	}
	// Setting a password ends every session: sign in afresh, second factor too.
	s.clearCookie(c, "session")
	return c.Redirect("/sign-in?done=password", fiber.StatusSeeOther)
}
