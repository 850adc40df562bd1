package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"strings"

	"clinaudit/app/auth"

	"github.com/gofiber/fiber/v2"
)

// The families' passwordless sign-in: an email address, then the link or
// the 6-digit code from the email; the authenticator app when the registry
// requires it or the family set one up.

type familySignInPage struct {
	page
	Email   string
	Errors  fieldErrs
	Notice  string
	Expired bool
	Sent    bool // the code page: "check your email"
}

func (s *server) handleFamilySignInForm(c *fiber.Ctx) error {
	if familySignedIn(c) != nil {
		return c.Redirect("/family", fiber.StatusSeeOther)
	}
	data := familySignInPage{page: s.familyPage(c, "Sign in to the registry", "signin"), Expired: c.Query("expired") != ""}
	if c.Query("done") == "signed-out" {
		data.Notice = "You have signed out."
	}
	return renderPage(c, "pages/family_sign_in", data)
}

// handleFamilySignIn asks for the email. The answer is the same whether or
// not the address has an account: the page only counts the request
// against the limits and queues the job that sends the email (or not).
func (s *server) handleFamilySignIn(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	data := familySignInPage{page: s.familyPage(c, "Sign in to the registry", "signin"), Email: email}
	if email == "" || !strings.Contains(email, "@") || len(email) > 254 {
		data.Title = "Error: " + data.Title
		data.Errors = errorOn("email", "Enter your email address, like name@example.com")
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/family_sign_in", data)
	}
	err := s.Auth.QueueFamilySignIn(c.UserContext(), registrySlug(), email, s.client(c))
	var limit *auth.SendLimitError
	switch {
	case errors.As(err, &limit):
		data.Title = "Error: " + data.Title
		data.Errors = errorOn("email", "You have asked for several sign-in emails in a short time. Use the latest email, or try again after "+familyUntil(limit.Until)+".")
		c.Status(fiber.StatusTooManyRequests)
		return renderPage(c, "pages/family_sign_in", data)
	case err != nil:
		return err
	}
	data.Title, data.Sent = "Check your email", true
	return renderPage(c, "pages/family_code", data)
}

// handleFamilyCode signs in with the typed code.
func (s *server) handleFamilyCode(c *fiber.Ctx) error {
	email, code := strings.TrimSpace(c.FormValue("email")), strings.TrimSpace(c.FormValue("code"))
	data := familySignInPage{page: s.familyPage(c, "Check your email", "signin"), Email: email, Sent: true}
	if code == "" {
		data.Errors = errorOn("code", "Enter the 6-digit code from the email")
	}
	if email == "" {
		data.Errors = append(data.Errors, fieldErr{Field: "email", Message: "Enter your email address"})
	}
	if len(data.Errors) > 0 {
		data.Title = "Error: " + data.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/family_code", data)
	}
	token, a, err := s.Auth.FamilySignInByCode(c.UserContext(), registrySlug(), email, code, s.client(c))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		data.Title = "Error: " + data.Title
		data.Errors = errorOn("code", "Too many codes have been tried. Try again after "+familyUntil(locked.Until)+".")
		c.Status(fiber.StatusTooManyRequests)
		return renderPage(c, "pages/family_code", data)
	case errors.Is(err, auth.ErrBadCode):
		data.Title = "Error: " + data.Title
		data.Errors = errorOn("code", "The code is wrong, has been used or has expired. Check the latest email, or ask for a new one.")
		c.Status(fiber.StatusUnauthorized)
		return renderPage(c, "pages/family_code", data)
	case err != nil:
		return err
	}
	return s.startFamilySession(c, token, !s.Auth.FamilyNeedsSecondFactor(c.UserContext(), a))
}

// handleFamilyLinkForm shows a button, not a sign-in: a link followed by a
// mail scanner must not spend it.
func (s *server) handleFamilyLinkForm(c *fiber.Ctx) error {
	return renderPage(c, "pages/family_link", familySignInPage{page: s.familyPage(c, "Sign in to the registry", "signin")})
}

func (s *server) handleFamilyLink(c *fiber.Ctx) error {
	token, a, err := s.Auth.FamilySignInByLink(c.UserContext(), c.Params("token"), s.client(c))
	if errors.Is(err, auth.ErrBadToken) {
		data := familySignInPage{page: s.familyPage(c, "Error: Sign in to the registry", "signin")}
		data.Errors = errorOn("link", "This sign-in link has expired or has been used. Ask for a new email below.")
		c.Status(fiber.StatusGone)
		return renderPage(c, "pages/family_sign_in", data)
	}
	if err != nil {
		return err
	}
	return s.startFamilySession(c, token, !s.Auth.FamilyNeedsSecondFactor(c.UserContext(), a))
}

type familyTwoFactorPage struct {
	page
	Start  bool // no app yet: the button that sets one up (a POST)
	Enrol  bool // setting up the app, not using it
	Secret string
	QRCode template.URL
	Errors fieldErrs
	SMS    familySMSPart // family_sms.go
	// SMSCode: the session awaits a code texted to the family's number.
	SMSCode bool
}

// handleFamilyTwoFactorForm asks for the app's code, or offers to set the
// app up: at sign-in when the registry requires it, or later by choice.
// A GET changes nothing: the secret is made by the POST that starts.
func (s *server) handleFamilyTwoFactorForm(c *fiber.Ctx) error {
	id := familyIdentity(c)
	part, err := s.familySMSPart(c)
	if err != nil {
		return err
	}
	if c.Query("sms") == "manage" && part.Offered && (id.Session.TwoFactorOk || id.Account.TotpConfirmedAt == nil && !part.Uses) {
		part.Manage = true
		return s.renderFamilyTwoFactor(c, nil, part)
	}
	if id.Account.TotpConfirmedAt != nil && id.Session.TwoFactorOk {
		return c.Redirect("/family", fiber.StatusSeeOther)
	}
	if id.Account.TotpConfirmedAt == nil && id.Session.TwoFactorOk && c.Query("setup") == "" {
		return c.Redirect("/family/profile", fiber.StatusSeeOther)
	}
	var errs fieldErrs
	if c.Query("sms") == "not-sent" && part.Uses {
		errs = errorOn("code", "We could not text you a code just now. Ask for a new one below.")
	}
	return s.renderFamilyTwoFactor(c, errs, part)
}

func (s *server) showFamilyTwoFactor(c *fiber.Ctx, errs fieldErrs) error {
	part, err := s.familySMSPart(c)
	if err != nil {
		return err
	}
	return s.renderFamilyTwoFactor(c, errs, part)
}

// renderFamilyTwoFactor shows the app's code (or its set-up), or the SMS
// code when that is the family's second factor, or the SMS set-up.
func (s *server) renderFamilyTwoFactor(c *fiber.Ctx, errs fieldErrs, part familySMSPart) error {
	id := familyIdentity(c)
	data := familyTwoFactorPage{page: s.familyPage(c, "Your authenticator app", ""), Errors: errs, SMS: part}
	if part.Manage || part.Uses && !id.Session.TwoFactorOk {
		data.Title = "Text message codes"
	}
	if len(errs) > 0 {
		data.Title = "Error: " + data.Title
	}
	if part.Manage || part.Uses && !id.Session.TwoFactorOk {
		data.SMSCode = !part.Manage
		return renderPage(c, "pages/family_two_factor", data)
	}
	if id.Account.TotpConfirmedAt == nil {
		e, ok := auth.PendingFamilyTOTP(id.Account)
		if !ok {
			data.Start = true
			return renderPage(c, "pages/family_two_factor", data)
		}
		data.Enrol, data.Secret = true, e.Secret
		data.QRCode = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRCodePNG))
	}
	return renderPage(c, "pages/family_two_factor", data)
}

func (s *server) handleFamilyTwoFactor(c *fiber.Ctx) error {
	id := familyIdentity(c)
	if c.FormValue("action") == "start" {
		if _, err := s.Auth.StartFamilyTOTP(c.UserContext(), *id); err != nil && !errors.Is(err, auth.ErrEnrolled) {
			return err
		}
		return c.Redirect(familyTwoFactorURL+"?setup=1", fiber.StatusSeeOther)
	}
	code := c.FormValue("code")
	var token string
	var err error
	if c.FormValue("method") == "sms" {
		token, err = s.Auth.VerifyFamilySMSCode(c.UserContext(), *id, code, s.client(c))
		if errors.Is(err, auth.ErrBadCode) {
			c.Status(fiber.StatusUnauthorized)
			return s.showFamilyTwoFactor(c, errorOn("code", "The code is wrong or has expired. Check the newest text message, or ask for a new code."))
		}
	} else if id.Account.TotpConfirmedAt != nil {
		token, err = s.Auth.VerifyFamilyTOTP(c.UserContext(), *id, code, s.client(c))
	} else {
		token, err = s.Auth.ConfirmFamilyTOTP(c.UserContext(), *id, code, s.client(c))
	}
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		c.Status(fiber.StatusTooManyRequests)
		return s.showFamilyTwoFactor(c, errorOn("code", "Too many wrong codes. Try again after "+familyUntil(locked.Until)+"."))
	case errors.Is(err, auth.ErrBadCode):
		c.Status(fiber.StatusUnauthorized)
		return s.showFamilyTwoFactor(c, errorOn("code", "Enter the 6-digit code your app shows now"))
	case errors.Is(err, auth.ErrEnrolled):
		return c.Redirect("/family", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return s.startFamilySession(c, token, true)
}
