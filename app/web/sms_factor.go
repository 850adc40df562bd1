package web

import (
	"errors"
	"strings"

	"clinaudit/app/auth"

	"github.com/gofiber/fiber/v2"
)

// SMS codes as a staff second factor (auth/sms.go): the account page's
// part (set up, change, remove) and the messages both it and the sign-in
// page show. Nothing is shown without an SMS provider or to privileged
// roles, who keep the authenticator app.

type smsSection struct {
	Offered bool
	Factor  auth.SMSFactor
	Notice  string
}

func (s *server) smsSectionFor(c *fiber.Ctx, notice string) (smsSection, error) {
	id := signedIn(c)
	sec := smsSection{Offered: s.Auth.SMSOffered(id.User), Notice: notice}
	if !sec.Offered {
		return sec, nil
	}
	var err error
	sec.Factor, err = s.Auth.StaffSMS(c.UserContext(), id.User)
	return sec, err
}

// smsError is the message for an SMS factor's error on field, with its
// status; ok is false for errors that are not the person's to fix.
func (s *server) smsError(err error) (msg string, status int, ok bool) {
	var locked *auth.LockedError
	var limited *auth.SendLimitError
	switch {
	case errors.Is(err, auth.ErrBadPhone):
		return "Enter a mobile number, like 07700 900123 or +44 7700 900123", fiber.StatusUnprocessableEntity, true
	case errors.Is(err, auth.ErrBadCode):
		return "The code is wrong or has expired. Check the newest text message, or ask for a new code.", fiber.StatusUnprocessableEntity, true
	case errors.As(err, &locked):
		return "Too many wrong codes. Try again after " + clock(locked.Until) + ".", fiber.StatusTooManyRequests, true
	case errors.As(err, &limited):
		return "We have sent you several codes in the last few minutes. Use the newest one, or wait until " + clock(limited.Until) + " to ask for another.", fiber.StatusTooManyRequests, true
	case errors.Is(err, auth.ErrSMSRefused), errors.Is(err, auth.ErrSMSUnavailable):
		return "Text message codes are not available for your account. Use your authenticator app.", fiber.StatusForbidden, true
	case errors.Is(err, auth.ErrNoSMS):
		return "You have no verified mobile number. Use your authenticator app or a backup code.", fiber.StatusConflict, true
	}
	return "", 0, false
}

// handleAccountSMS sends a code to a mobile number the user typed.
func (s *server) handleAccountSMS(c *fiber.Ctx) error {
	id := signedIn(c)
	err := s.Auth.StartStaffSMS(c.UserContext(), *id, c.FormValue("sms_phone"), s.client(c))
	return s.renderAccountSMS(c, err, "sms_phone", "We have sent a 6-digit code by text message. Type it below to confirm the number. It expires in 5 minutes.")
}

// handleAccountSMSConfirm checks the code sent to the new number.
func (s *server) handleAccountSMSConfirm(c *fiber.Ctx) error {
	id := signedIn(c)
	_, err := s.Auth.ConfirmStaffSMS(c.UserContext(), *id, strings.TrimSpace(c.FormValue("sms_code")), s.client(c))
	return s.renderAccountSMS(c, err, "sms_code", "Your mobile number is verified. We will text you a code when you sign in.")
}

// handleAccountSMSRemove removes the SMS factor.
func (s *server) handleAccountSMSRemove(c *fiber.Ctx) error {
	if err := s.Auth.RemoveStaffSMS(c.UserContext(), *signedIn(c)); err != nil {
		return err
	}
	return s.renderAccountSMS(c, nil, "", "Text message codes are turned off. Sign in with your authenticator app.")
}

func (s *server) renderAccountSMS(c *fiber.Ctx, err error, field, done string) error {
	p := accountPage{}
	notice := done
	if err != nil {
		msg, status, ok := s.smsError(err)
		if !ok {
			return err
		}
		p.Errors, notice = errorOn(field, msg), ""
		c.Status(status)
	}
	sec, err := s.smsSectionFor(c, notice)
	if err != nil {
		return err
	}
	p.SMS = sec
	return s.renderAccount(c, p)
}

// handleTwoFactorSMS is the first sign-in's other choice: SMS codes
// instead of an authenticator app (action start: a number; confirm: its
// code, which completes the sign-in).
func (s *server) handleTwoFactorSMS(c *fiber.Ctx) error {
	id := identity(c)
	ctx := c.UserContext()
	next := safeNext(c.FormValue("next"))
	if c.FormValue("action") == "confirm" {
		token, err := s.Auth.ConfirmStaffSMS(ctx, *id, strings.TrimSpace(c.FormValue("sms_code")), s.client(c))
		if err != nil {
			return s.enrolmentSMSError(c, id, "sms_code", err)
		}
		s.setCookie(c, "session", token, 0)
		s.newCSRF(c)
		return c.Redirect(landing(next, id.User.Role), fiber.StatusSeeOther)
	}
	if err := s.Auth.StartStaffSMS(ctx, *id, c.FormValue("sms_phone"), s.client(c)); err != nil {
		return s.enrolmentSMSError(c, id, "sms_phone", err)
	}
	return s.renderEnrolmentWith(c, id, nil, fiber.StatusOK, "We have sent a 6-digit code by text message. Type it below. It expires in 5 minutes.")
}

func (s *server) enrolmentSMSError(c *fiber.Ctx, id *auth.Identity, field string, err error) error {
	msg, status, ok := s.smsError(err)
	if !ok {
		return err
	}
	return s.renderEnrolmentWith(c, id, errorOn(field, msg), status, "")
}
