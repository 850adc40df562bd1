package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"strings"
	"time"

	"clinaudit/app/auth"

	"github.com/gofiber/fiber/v2"
)

type signInPage struct {
	page
	Email   string
	Next    string
	Errors  fieldErrs
	Notice  string
	Expired bool
}

func (s *server) handleSignInForm(c *fiber.Ctx) error {
	if signedIn(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	data := signInPage{page: s.page(c, "Sign in", "signin"), Next: safeNext(c.Query("next")), Expired: c.Query("expired") != ""}
	switch c.Query("done") {
	case "password":
		data.Notice = "Your password is set. Sign in with it now."
	case "signed-out":
		data.Notice = "You have signed out."
	}
	return renderPage(c, "pages/sign_in", data)
}

func (s *server) handleSignIn(c *fiber.Ctx) error {
	email, pw := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	data := signInPage{page: s.page(c, "Sign in", "signin"), Email: email, Next: safeNext(c.FormValue("next"))}
	if email == "" {
		data.Errors = append(data.Errors, fieldErr{Field: "email", Message: "Enter your email address"})
	}
	if pw == "" {
		data.Errors = append(data.Errors, fieldErr{Field: "password", Message: "Enter your password"})
	}
	if len(data.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/sign_in", data)
	}
	res, err := s.Auth.SignIn(c.UserContext(), email, pw, s.client(c))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		data.Errors = errorOn("email", s.lockedMessage(locked))
		c.Status(fiber.StatusTooManyRequests)
		return renderPage(c, "pages/sign_in", data)
	case errors.Is(err, auth.ErrBadCredentials):
		data.Errors = errorOn("email", "Enter a correct email address and password")
		c.Status(fiber.StatusUnauthorized)
		return renderPage(c, "pages/sign_in", data)
	case errors.Is(err, auth.ErrDeactivated):
		data.Errors = errorOn("email", "This account has been deactivated. Ask your lead clinician or the national audit team if you need it again.")
		c.Status(fiber.StatusForbidden)
		return renderPage(c, "pages/sign_in", data)
	case err != nil:
		return err
	}
	if res.ResetToken != "" {
		return c.Redirect("/account/set-password/"+res.ResetToken+"?expired=1", fiber.StatusSeeOther)
	}
	s.setCookie(c, "session", res.Token, 0)
	s.newCSRF(c)
	if res.NeedsTwoFactor && s.Auth.StaffUsesSMS(c.UserContext(), res.User) {
		// The second factor is SMS: text the code now, in this POST. A
		// refusal (limits) is shown on the code page, not here.
		sent := "sent"
		if err := s.Auth.SendStaffSMSCode(c.UserContext(), auth.Identity{User: res.User}, s.client(c)); err != nil {
			if _, _, ok := s.smsError(err); !ok {
				return err
			}
			sent = "not-sent"
		}
		return c.Redirect("/sign-in/two-factor?method=sms&sms="+sent+"&next="+urlQueryEscape(data.Next), fiber.StatusSeeOther)
	}
	if res.NeedsTwoFactor && !auth.HasTOTP(res.User) {
		// First sign-in: start enrolling an authenticator app now, in this POST.
		if _, ok := auth.PendingTOTP(res.User); !ok {
			if _, err := s.Auth.StartTOTP(c.UserContext(), auth.Identity{User: res.User}); err != nil {
				return err
			}
		}
	}
	if res.NeedsTwoFactor {
		return c.Redirect("/sign-in/two-factor?next="+urlQueryEscape(data.Next), fiber.StatusSeeOther)
	}
	return c.Redirect(landing(data.Next, res.User.Role), fiber.StatusSeeOther)
}

func (s *server) handleSignOut(c *fiber.Ctx) error {
	if id := identity(c); id != nil {
		if err := s.Auth.SignOut(c.UserContext(), *id, s.client(c)); err != nil {
			return err
		}
	}
	s.clearCookie(c, "session")
	// A new CSRF cookie also makes Chromium drop the signed-in pages from
	// its back/forward cache (an HttpOnly cookie changed), so Back does not
	// show them; session.js reloads such a page too.
	s.newCSRF(c)
	return c.Redirect("/sign-in?done=signed-out", fiber.StatusSeeOther)
}

// handleExtend is the "Stay signed in" button: it records activity and
// answers with the new expiry for the page's timer.
func (s *server) handleExtend(c *fiber.Ctx) error {
	id := signedIn(c)
	if err := s.Auth.Extend(c.UserContext(), *id); err != nil {
		return err
	}
	exp := s.Now().Add(s.Auth.Config.IdleTimeout)
	if id.Session.ExpiresAt.Before(exp) {
		exp = id.Session.ExpiresAt
	}
	return c.JSON(fiber.Map{"expires": exp.UTC().Format(time.RFC3339)})
}

type twoFactorPage struct {
	page
	Method   string // "totp", "email" or "backup"
	Next     string
	Errors   fieldErrs
	Notice   string
	HasTOTP  bool
	Email    string
	Enrol    *auth.Enrolment
	QRCode   template.URL // data: URL of the QR code PNG (ours, so trusted)
	Codes    []string
	Continue string
	// SMSPhone is the verified number, masked, when the second factor is
	// SMS; SMSFailed says why the latest code was not delivered.
	SMSPhone  string
	SMSFailed string
	// SMSOffered and SMSPending: the set-up page's choice of SMS codes.
	SMSOffered bool
	SMSPending string
}

// pendingIdentity is a session that has passed its password but not its
// second factor; other requests are sent to sign in.
func (s *server) requirePending(c *fiber.Ctx) error {
	if id := identity(c); id != nil && !id.Session.TwoFactorOk {
		return c.Next()
	}
	if signedIn(c) != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return c.Redirect("/sign-in", fiber.StatusSeeOther)
}

func (s *server) handleTwoFactorForm(c *fiber.Ctx) error {
	id := identity(c)
	usesSMS := s.Auth.StaffUsesSMS(c.UserContext(), id.User)
	if !auth.HasTOTP(id.User) && !usesSMS {
		return s.renderEnrolment(c, id, nil, fiber.StatusOK)
	}
	// SMS users are asked for the texted code unless they choose otherwise.
	method := c.Query("method")
	switch {
	case method == "email" || method == "backup" || method == "sms" && usesSMS:
	case usesSMS && (method == "" || !auth.HasTOTP(id.User)):
		method = "sms"
	default:
		method = "totp"
	}
	data := twoFactorPage{page: s.page(c, "Enter your security code", "signin"), Method: method, Next: safeNext(c.Query("next")), HasTOTP: auth.HasTOTP(id.User), Email: id.User.Email}
	if err := s.smsStatus(c, id, &data); err != nil {
		return err
	}
	if c.Query("sms") == "not-sent" && method == "sms" {
		data.Errors = errorOn("code", "We could not text you a code just now. Ask for a new one below, or use a backup code.")
	}
	return renderPage(c, "pages/two_factor", data)
}

func (s *server) handleTwoFactor(c *fiber.Ctx) error {
	id := identity(c)
	ctx := c.UserContext()
	method := c.FormValue("method")
	next := safeNext(c.FormValue("next"))
	data := twoFactorPage{page: s.page(c, "Enter your security code", "signin"), Method: method, Next: next, HasTOTP: auth.HasTOTP(id.User), Email: id.User.Email}
	if err := s.smsStatus(c, id, &data); err != nil {
		return err
	}
	if method == "send-sms" {
		data.Method = "sms"
		if err := s.Auth.SendStaffSMSCode(ctx, *id, s.client(c)); err != nil {
			return s.twoFactorError(c, data, err)
		}
		data.Notice = "We have texted a 6-digit code to " + data.SMSPhone + ". It expires in 5 minutes."
		return renderPage(c, "pages/two_factor", data)
	}
	if method == "send-email" {
		if err := s.Auth.SendEmailCode(ctx, *id, s.client(c)); err != nil {
			return s.twoFactorError(c, data, err)
		}
		data.Method, data.Notice = "email", "We have emailed a 6-digit code to "+id.User.Email+". It expires in 5 minutes."
		return renderPage(c, "pages/two_factor", data)
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		data.Errors = errorOn("code", "Enter the code")
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/two_factor", data)
	}
	var token string
	var err error
	switch method {
	case "email":
		token, err = s.Auth.VerifyEmailCode(ctx, *id, code, s.client(c))
	case "backup":
		token, err = s.Auth.VerifyBackupCode(ctx, *id, code, s.client(c))
	case "sms":
		token, err = s.Auth.VerifySMSCode(ctx, *id, code, s.client(c))
	default:
		data.Method = "totp"
		token, err = s.Auth.VerifyTOTP(ctx, *id, code, s.client(c))
	}
	if err != nil {
		return s.twoFactorError(c, data, err)
	}
	s.setCookie(c, "session", token, 0)
	s.newCSRF(c)
	return c.Redirect(landing(next, id.User.Role), fiber.StatusSeeOther)
}

// smsStatus fills in the SMS number and the latest code's failure, if any.
func (s *server) smsStatus(c *fiber.Ctx, id *auth.Identity, data *twoFactorPage) error {
	if !s.Auth.StaffUsesSMS(c.UserContext(), id.User) {
		return nil
	}
	f, err := s.Auth.StaffSMS(c.UserContext(), id.User)
	if err != nil {
		return err
	}
	data.SMSPhone = f.Phone
	d, err := s.Auth.StaffSMSDelivery(c.UserContext(), id.User)
	if d.Failed() {
		data.SMSFailed = smsFailedMessage(d, f.Phone)
	}
	return err
}

func smsFailedMessage(d auth.SMSDelivery, phone string) string {
	msg := "Our last text message to " + phone + " could not be delivered"
	if d.Reason != "" {
		msg += " (" + d.Reason + ")"
	}
	return msg + ". Ask for a new code, or use another way to sign in."
}

func (s *server) twoFactorError(c *fiber.Ctx, data twoFactorPage, err error) error {
	var locked *auth.LockedError
	var limited *auth.SendLimitError
	switch {
	case errors.As(err, &locked):
		data.Errors = errorOn("code", "Too many wrong codes. Try again after "+clock(locked.Until)+".")
		c.Status(fiber.StatusTooManyRequests)
	case errors.As(err, &limited):
		if data.Method != "sms" {
			data.Method = "email"
		}
		data.Errors = errorOn("code", sendLimitMessage(limited))
		c.Status(fiber.StatusTooManyRequests)
	case errors.Is(err, auth.ErrBadCode):
		data.Errors = errorOn("code", "The code is wrong or has expired. Check it and try again.")
		c.Status(fiber.StatusUnprocessableEntity)
	default:
		msg, status, ok := s.smsError(err)
		if !ok {
			return err
		}
		data.Errors = errorOn("code", msg)
		c.Status(status)
	}
	return renderPage(c, "pages/two_factor", data)
}

// renderEnrolment shows the authenticator set-up: the QR code and the
// secret to type, kept from the first visit so a reload shows the same one.
// The secret is created by a POST (the sign-in itself, or the "Set up"
// button): a GET never changes state.
func (s *server) renderEnrolment(c *fiber.Ctx, id *auth.Identity, errs fieldErrs, status int) error {
	return s.renderEnrolmentWith(c, id, errs, status, "")
}

// renderEnrolmentWith is renderEnrolment with a notice, and the choice of
// SMS codes instead (sms_factor.go) where offered.
func (s *server) renderEnrolmentWith(c *fiber.Ctx, id *auth.Identity, errs fieldErrs, status int, notice string) error {
	data := twoFactorPage{page: s.page(c, "Set up your authenticator app", "signin"), Errors: errs, Next: safeNext(c.Query("next")), Notice: notice}
	if data.SMSOffered = s.Auth.SMSOffered(id.User); data.SMSOffered {
		f, err := s.Auth.StaffSMS(c.UserContext(), id.User)
		if err != nil {
			return err
		}
		data.SMSPending = f.Pending
	}
	if e, ok := auth.PendingTOTP(id.User); ok {
		data.Enrol = &e
		data.QRCode = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRCodePNG))
	}
	c.Status(status)
	return renderPage(c, "pages/two_factor_setup", data)
}

// handleTwoFactorStart creates a new authenticator secret to enrol.
func (s *server) handleTwoFactorStart(c *fiber.Ctx) error {
	id := identity(c)
	if auth.HasTOTP(id.User) {
		return c.Redirect("/sign-in/two-factor", fiber.StatusSeeOther)
	}
	if _, err := s.Auth.StartTOTP(c.UserContext(), *id); err != nil {
		return err
	}
	return c.Redirect("/sign-in/two-factor?next="+urlQueryEscape(safeNext(c.FormValue("next"))), fiber.StatusSeeOther)
}

func (s *server) handleTwoFactorSetup(c *fiber.Ctx) error {
	id := identity(c)
	if auth.HasTOTP(id.User) {
		// Enrolled: codes are checked on the sign-in step, never here.
		return c.Redirect("/sign-in/two-factor", fiber.StatusSeeOther)
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		return s.renderEnrolment(c, id, errorOn("code", "Enter the 6-digit code from your authenticator app"), fiber.StatusUnprocessableEntity)
	}
	codes, token, err := s.Auth.ConfirmTOTP(c.UserContext(), *id, code, s.client(c))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		return s.renderEnrolment(c, id, errorOn("code", "Too many wrong codes. Try again after "+clock(locked.Until)+"."), fiber.StatusTooManyRequests)
	case errors.Is(err, auth.ErrBadCode):
		return s.renderEnrolment(c, id, errorOn("code", "The code is wrong or has expired. Check the time on your phone is right, then enter the newest code."), fiber.StatusUnprocessableEntity)
	case errors.Is(err, auth.ErrEnrolled):
		return c.Redirect("/sign-in/two-factor", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	s.setCookie(c, "session", token, 0)
	s.newCSRF(c)
	if id, err := s.Auth.Authenticate(c.UserContext(), token); err == nil {
		c.Locals(localIdentity, &id) // the page below is the signed-in user's
	}
	data := twoFactorPage{page: s.page(c, "Save your backup codes", ""), Codes: codes, Continue: safeNext(c.FormValue("next"))}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return renderPage(c, "pages/backup_codes", data)
}

// clock formats a time for messages, in UK local time.
func clock(t time.Time) string {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		t = t.In(loc)
	}
	return t.Format("15:04")
}
