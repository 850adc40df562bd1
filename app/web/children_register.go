package web

import (
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Registration, and locking a record for submission.

type registerForm struct {
	Eligible bool
	FPA      children.DateInput
	Lead     string
}

type childRegisterPage struct {
	page
	Child    children.Child
	Form     registerForm
	Errors   fieldErrs
	Orgs     []store.OrganisationChoice
	Earliest string
}

func (s *server) renderRegister(c *fiber.Ctx, ch children.Child, f registerForm, errs fieldErrs, status int) error {
	svc := s.children()
	a := actor(c)
	orgs, err := svc.OrganisationsInScope(c.UserContext(), a)
	if err != nil {
		return err
	}
	// A child keeps to organisations on its side of the Jersey line.
	var same []store.OrganisationChoice
	for _, o := range orgs {
		if (o.ODSCode == "RGT1W") == ch.Jersey() {
			same = append(same, o)
		}
	}
	c.Status(status)
	return renderPage(c, "pages/child_register", childRegisterPage{page: s.page(c, "Register "+ch.FirstName+" "+ch.Surname, "children"),
		Child: ch, Form: f, Errors: errs, Orgs: same, Earliest: svc.EarliestFirstAssessment(a, ch)})
}

func (s *server) handleChildRegisterForm(c *fiber.Ctx) error {
	return s.changeForm(c, access.RegisterChild, func(ch children.Child) bool { return ch.CanRegister }, func(ch children.Child) error {
		f := registerForm{Lead: ch.Organisation.ODSCode, Eligible: ch.EligibilityConfirmed,
			FPA: children.DateInputOf(ch.FirstPaediatricAssessmentDate)}
		return s.renderRegister(c, ch, f, nil, fiber.StatusOK)
	})
}

func (s *server) handleChildRegister(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	f := registerForm{Eligible: c.FormValue("eligibility") == "yes", FPA: readDate(c, "first_paediatric_assessment_date"),
		Lead: strings.ToUpper(strings.TrimSpace(c.FormValue("lead_organisation")))}
	err = s.children().Register(c.UserContext(), me(c), id, children.Registration{EligibilityConfirmed: f.Eligible,
		FirstAssessment: f.FPA, LeadOrganisation: f.Lead})
	return s.changeDone(c, id, err, "registered", func(ch children.Child, errs fieldErrs) error {
		return s.renderRegister(c, ch, f, errs, fiber.StatusUnprocessableEntity)
	})
}

// Lock and unlock.

func (s *server) handleChildUnlock(c *fiber.Ctx) error {
	return s.childAction(c, "unlocked", s.children().Unlock)
}
