package web

import (
	"errors"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/registry"
	"clinaudit/app/registry/verification"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The registry's public pages for families joining (issue 17,
// docs/registry.md "Onboarding", docs/security.md "Registry onboarding"):
// the form, the "check your email" answer, and verification by link or
// typed code. Nothing here says whether an email or a patient is known:
// every accepted form gets the same redirect to the same page.

// Onboarding's limits, per client address and per email (hashed), counted
// in the sign-in limits' table (auth.Limit) under the keys the API's
// onboarding uses too: registry.JoinPerAddress and the others.

type joinPage struct {
	page
	Registry      registry.Registry
	Consent       store.ConsentVersion
	Form          registry.OnboardingInput
	Errors        fieldErrs
	Relationships []registry.Choice
	Channels      []registry.Choice
	Sexes         []registry.Choice
	YesNo         []registry.Choice
	Message       string // a refusal by a limit
}

// Authority is the legal authority radios' value: none chosen until the
// form was sent (no answer is chosen for people).
func (p joinPage) Authority() string {
	if p.Form.Relationship == "" && p.Form.Person.Email == "" && !p.Form.LegalAuthority {
		return ""
	}
	return flag(p.Form.LegalAuthority)
}

func readJoin(c *fiber.Ctx) registry.OnboardingInput {
	return registry.OnboardingInput{
		Person: registry.ContactInput{FirstName: c.FormValue("first_name"), Surname: c.FormValue("surname"), Email: c.FormValue("email"),
			Phone: c.FormValue("phone"), Address: c.FormValue("address"), Postcode: c.FormValue("postcode"),
			PreferredLanguage: c.FormValue("preferred_language"), PreferredChannel: c.FormValue("preferred_channel")},
		Relationship: c.FormValue("relationship"), LegalAuthority: c.FormValue("legal_authority") == "yes",
		Patient: registry.PatientInput{FirstName: c.FormValue("patient_first_name"), Surname: c.FormValue("patient_surname"),
			DateOfBirth: registry.DateInput{Day: c.FormValue("patient_date_of_birth-day"), Month: c.FormValue("patient_date_of_birth-month"),
				Year: c.FormValue("patient_date_of_birth-year")},
			Sex: c.FormValue("patient_sex"), NHSNumber: c.FormValue("patient_nhs_number"), Postcode: c.FormValue("patient_postcode")},
		Consent: registry.ConsentAnswers{TakePart: c.FormValue("consent") == "yes", ResearchContact: c.FormValue("research_contact") == "yes",
			ShareDeidentified: c.FormValue("share_deidentified") == "yes"},
	}
}

func (s *server) joinPage(c *fiber.Ctx, in registry.OnboardingInput) (joinPage, error) {
	reg, v, err := s.registry().JoinForm(c.UserContext(), c.Params("slug"))
	if err != nil {
		return joinPage{}, err
	}
	return joinPage{page: s.page(c, "Join the "+reg.Name, ""), Registry: reg, Consent: v, Form: in,
		Relationships: registry.OnboardingRelationships, Channels: registry.Channels, Sexes: registry.Sexes, YesNo: yesNo}, nil
}

func (s *server) handleJoinForm(c *fiber.Ctx) error {
	data, err := s.joinPage(c, registry.OnboardingInput{Consent: registry.ConsentAnswers{}})
	if err != nil {
		return err
	}
	return renderPage(c, "pages/registry_join", data)
}

func (s *server) handleJoin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in := readJoin(c)
	data, err := s.joinPage(c, in)
	if err != nil {
		return err
	}
	if until := s.Auth.Limit(ctx, registry.LimitJoinAddress+s.clientIP(c), registry.JoinPerAddress, time.Hour, time.Hour); until != nil {
		data.Message = "Too many forms have been sent from your network in the last hour. Try again after " + clock(*until) + "."
		c.Status(fiber.StatusTooManyRequests)
		return renderPage(c, "pages/registry_join", data)
	}
	sent := func() error { return c.Redirect(registry.JoinPath(data.Registry.Slug)+"/sent", fiber.StatusSeeOther) }
	// The honeypot: a field people never see, which robots fill in. They
	// get the same answer as everyone, and nothing is stored or sent.
	if c.FormValue("website") != "" {
		return sent()
	}
	svc := s.registry()
	if _, errs := registry.CheckOnboarding(data.Registry.Definition, in, svc.Today()); len(errs) > 0 {
		data.Errors, data.Title = toFieldErrs(errs), "Error: "+data.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/registry_join", data)
	}
	// An email asked for too often is not sent again, and the answer is
	// the same: a limit's refusal must not say that anyone used the address.
	if until := s.Auth.Limit(ctx, registry.LimitJoinEmail+auth.LimitKey(in.Person.Email), registry.JoinPerEmail, time.Hour, time.Hour); until != nil {
		return sent()
	}
	var fe registry.FieldErrors
	if err := svc.Submit(ctx, data.Registry.Slug, in); errors.As(err, &fe) {
		data.Errors = toFieldErrs(fe)
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/registry_join", data)
	} else if err != nil {
		return err
	}
	return sent()
}

type joinSentPage struct {
	page
	Registry registry.Registry
	CodeURL  string
}

func (s *server) handleJoinSent(c *fiber.Ctx) error {
	reg, _, err := s.registry().JoinForm(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return renderPage(c, "pages/registry_join_sent", joinSentPage{page: s.page(c, "Check your email", ""), Registry: reg,
		CodeURL: registry.VerifyPath(reg.Slug)})
}

// verifyPage is every verification page: the confirm button of a link,
// the code form, and the outcomes.
type verifyPage struct {
	page
	Registry registry.Registry
	Action   string // the form's address
	Token    bool   // a link's confirm button (else the code form)
	Outcome  string // "", "verified", "expired", "used", "invalid"
	Email    string
	Errors   fieldErrs
	Message  string
	JoinURL  string
}

func (s *server) verifyPage(c *fiber.Ctx, title string) (verifyPage, error) {
	reg, _, err := s.registry().JoinForm(c.UserContext(), c.Params("slug"))
	if err != nil {
		return verifyPage{}, err
	}
	return verifyPage{page: s.page(c, title, ""), Registry: reg, Action: registry.VerifyPath(reg.Slug), JoinURL: registry.JoinPath(reg.Slug)}, nil
}

// handleVerifyLinkForm shows a button, not the verification itself: mail
// scanners that open links must not use them up.
func (s *server) handleVerifyLinkForm(c *fiber.Ctx) error {
	data, err := s.verifyPage(c, "Confirm your email address")
	if err != nil {
		return err
	}
	data.Token, data.Action = true, data.Action+"/"+c.Params("token")
	return renderPage(c, "pages/registry_verify", data)
}

func (s *server) handleVerifyLink(c *fiber.Ctx) error {
	data, err := s.verifyPage(c, "Confirm your email address")
	if err != nil {
		return err
	}
	return s.verified(c, data, s.registry().VerifyLink(c.UserContext(), data.Registry.Slug, c.Params("token")))
}

// verified shows the outcome of a verification.
func (s *server) verified(c *fiber.Ctx, data verifyPage, err error) error {
	switch {
	case err == nil:
		data.Outcome, data.Title = "verified", "Email address confirmed"
	case errors.Is(err, verification.ErrExpired):
		data.Outcome, data.Title = "expired", "This link has expired"
		c.Status(fiber.StatusGone)
	case errors.Is(err, verification.ErrUsed):
		data.Outcome, data.Title = "used", "Your email address is already confirmed"
		c.Status(fiber.StatusConflict)
	case errors.Is(err, verification.ErrInvalid):
		data.Outcome, data.Title = "invalid", "This link does not work"
		c.Status(fiber.StatusNotFound)
	default:
		return err
	}
	return renderPage(c, "pages/registry_verify", data)
}

func (s *server) handleVerifyCodeForm(c *fiber.Ctx) error {
	data, err := s.verifyPage(c, "Enter the code from your email")
	if err != nil {
		return err
	}
	return renderPage(c, "pages/registry_verify", data)
}

func (s *server) handleVerifyCode(c *fiber.Ctx) error {
	ctx := c.UserContext()
	data, err := s.verifyPage(c, "Enter the code from your email")
	if err != nil {
		return err
	}
	email, code := c.FormValue("email"), c.FormValue("code")
	data.Email = email
	if until := s.Auth.Limit(ctx, registry.LimitVerifyAddress+s.clientIP(c), registry.VerifyPerAddress, time.Hour, time.Hour); until != nil {
		return s.codeRefused(c, data, *until)
	}
	if until := s.Auth.Limit(ctx, registry.LimitVerifyEmail+auth.LimitKey(email), registry.VerifyPerEmail, time.Hour, time.Hour); until != nil {
		return s.codeRefused(c, data, *until)
	}
	err = s.registry().VerifyCode(ctx, data.Registry.Slug, email, code)
	if errors.Is(err, verification.ErrInvalid) {
		data.Errors = errorOn("code", registry.MsgCodeRefused)
		data.Title = "Error: " + data.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/registry_verify", data)
	}
	if err != nil {
		return err
	}
	return s.verified(c, data, nil)
}

func (s *server) codeRefused(c *fiber.Ctx, data verifyPage, until time.Time) error {
	data.Message = "There have been too many tries. Try again after " + clock(until) + ", or use the link in the email."
	c.Status(fiber.StatusTooManyRequests)
	return renderPage(c, "pages/registry_verify", data)
}
