package web

import (
	"errors"
	"strconv"

	"clinaudit/app/api"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/staff"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// OAuth clients on a staff member's page (docs/api.md): whoever may manage
// the account registers a system to act as it, and sees the secret once.

// clientsSection is the staff page's API client part; Shown only to those
// who may manage the account.
type clientsSection struct {
	Shown            bool
	Clients          []store.APIClient
	NewID, NewSecret string
	Form             api.ClientInput
	Errors           fieldErrs
	Access, Domain   []fieldChoice
}

// fieldChoice is a radio's code and label.
type fieldChoice = struct{ Code, Label string }

func (s *server) clientsSection(c *fiber.Ctx, acc staff.Account) (clientsSection, error) {
	sec := clientsSection{Form: api.ClientInput{Access: api.AccessRead, Domain: api.DomainAudit}}
	for _, ch := range tokenAccessChoices {
		sec.Access = append(sec.Access, fieldChoice{ch.Code, ch.Label})
	}
	for _, ch := range tokenDomainChoices {
		sec.Domain = append(sec.Domain, fieldChoice{ch.Code, ch.Label})
	}
	if !acc.CanManage || acc.User.ID == signedIn(c).User.ID {
		return sec, nil
	}
	sec.Shown = true
	var err error
	sec.Clients, err = s.api.Tokens().Clients(c.UserContext(), acc.User.ID)
	return sec, err
}

// managedAccount is the account in the URL, for someone who may manage
// it (not themselves).
func (s *server) managedAccount(c *fiber.Ctx) (staff.Account, error) {
	acc, err := s.staffAccount(c)
	if err != nil {
		return acc, err
	}
	if !acc.CanManage || acc.User.ID == signedIn(c).User.ID {
		return acc, apperr.ErrForbidden
	}
	return acc, nil
}

// handleClientCreate registers a client for the account and shows its
// secret once.
func (s *server) handleClientCreate(c *fiber.Ctx) error {
	acc, err := s.managedAccount(c)
	if err != nil {
		return err
	}
	in := api.ClientInput{Name: c.FormValue("name"), Access: c.FormValue("access"), Domain: c.FormValue("domain")}
	id, secret, err := s.api.Tokens().RegisterClient(c.UserContext(), signedIn(c).User.ID, acc.User.ID, in)
	var fe children.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return err
	}
	sec, err := s.clientsSection(c, acc)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		sec.Form, sec.Errors = in, toFieldErrs(fe)
		c.Status(fiber.StatusUnprocessableEntity)
	} else {
		sec.NewID, sec.NewSecret = id, secret
	}
	return renderPage(c, "pages/staff_show", staffShowPage{page: s.page(c, acc.User.FirstName+" "+acc.User.Surname, "staff"),
		Account: acc, Clients: sec})
}

// handleClientRevoke ends a client and the tokens issued to it.
func (s *server) handleClientRevoke(c *fiber.Ctx) error {
	acc, err := s.managedAccount(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("client"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	if err := s.api.Tokens().RevokeClient(c.UserContext(), acc.User.ID, id); err != nil {
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(acc.User.ID, 10)+"#api-clients", fiber.StatusSeeOther)
}
