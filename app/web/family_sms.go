package web

import (
	"errors"
	"strings"

	"clinaudit/app/auth"

	"github.com/gofiber/fiber/v2"
)

// A family's SMS codes (auth/family_sms.go) on the two-factor page: set
// up, change and remove the number (?sms=1), and at sign-in the code texted
// to it. Nothing shows without an SMS provider.

type familySMSPart struct {
	Offered bool
	Uses    bool // the sign-in waits for a texted code
	Factor  auth.SMSFactor
	Failed  string // the latest code was not delivered, and why
	Notice  string
	Manage  bool // the set-up part, not the sign-in code
}

func (s *server) familySMSPart(c *fiber.Ctx) (familySMSPart, error) {
	id := familyIdentity(c)
	p := familySMSPart{Offered: s.Auth.FamilySMSOffered()}
	if !p.Offered {
		return p, nil
	}
	var err error
	if p.Factor, err = s.Auth.FamilySMS(c.UserContext(), id.Account); err != nil {
		return p, err
	}
	p.Uses = p.Factor.Verified()
	d, err := s.Auth.FamilySMSDelivery(c.UserContext(), id.Account)
	if d.Failed() {
		p.Failed = smsFailedMessage(d, p.Factor.Phone+p.Factor.Pending)
	}
	return p, err
}

// sendFamilySMSAtSignIn texts the code to a family whose session now
// awaits it; a refusal is shown on the code page ("not-sent").
func (s *server) sendFamilySMSAtSignIn(c *fiber.Ctx, token string) (string, error) {
	id, err := s.Auth.AuthenticateFamily(c.UserContext(), token)
	if err != nil || !s.Auth.FamilyUsesSMS(c.UserContext(), id.Account) {
		return "", err
	}
	if err := s.Auth.SendFamilySMSCode(c.UserContext(), id, s.client(c)); err != nil {
		if _, _, ok := s.smsError(err); !ok {
			return "", err
		}
		return "?sms=not-sent", nil
	}
	return "?sms=sent", nil
}

// handleFamilySMS is the SMS part's form: action start (a number), confirm
// (its code), resend (a sign-in code), remove.
func (s *server) handleFamilySMS(c *fiber.Ctx) error {
	id := familyIdentity(c)
	ctx := c.UserContext()
	var err error
	var field, notice, token string
	switch c.FormValue("action") {
	case "start":
		field, notice = "sms_phone", "We have sent a 6-digit code by text message. Type it below to confirm the number. It expires in 5 minutes."
		err = s.Auth.StartFamilySMS(ctx, *id, c.FormValue("sms_phone"), s.client(c))
	case "confirm":
		field, notice = "sms_code", "Your mobile number is verified. We will text you a code each time you sign in."
		token, err = s.Auth.ConfirmFamilySMS(ctx, *id, strings.TrimSpace(c.FormValue("sms_code")), s.client(c))
	case "resend":
		field, notice = "code", "We have texted you a new 6-digit code. It expires in 5 minutes."
		err = s.Auth.SendFamilySMSCode(ctx, *id, s.client(c))
	case "remove":
		notice = "Text message codes are turned off."
		err = s.Auth.RemoveFamilySMS(ctx, *id)
	default:
		return fiber.ErrBadRequest
	}
	if err == nil && token != "" {
		return s.startFamilySession(c, token, true)
	}
	var errs fieldErrs
	if err != nil {
		msg, status, ok := s.smsError(err)
		if !ok {
			return err
		}
		if errors.Is(err, auth.ErrSMSRefused) {
			msg = "You cannot change how you sign in until you have finished signing in."
		}
		errs, notice = errorOn(field, msg), ""
		c.Status(status)
	}
	part, perr := s.familySMSPart(c)
	if perr != nil {
		return perr
	}
	part.Notice, part.Manage = notice, field != "code"
	return s.renderFamilyTwoFactor(c, errs, part)
}
