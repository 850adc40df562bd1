package web

import (
	"errors"
	"strconv"

	"clinaudit/app/api"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The account page's personal API tokens (docs/api.md): created and
// revoked here, the token shown once.

var (
	tokenAccessChoices = []registry.Choice{{Code: api.AccessRead, Label: "Read only"}, {Code: api.AccessWrite, Label: "Read and write"}}
	tokenDomainChoices = []registry.Choice{{Code: api.DomainRegistry, Label: "The registry"}, {Code: api.DomainAudit, Label: "The audit"}}
	tokenDaysChoices   = func() []registry.Choice {
		var out []registry.Choice
		for _, d := range api.TokenLifetimes {
			out = append(out, registry.Choice{Code: strconv.Itoa(d), Label: strconv.Itoa(d) + " days"})
		}
		return out
	}()
)

// tokensSection is the account page's API token part.
type tokensSection struct {
	Tokens                      []store.APIToken
	NewToken                    string // the token just made, shown once
	Form                        api.TokenInput
	Days                        string
	Errors                      fieldErrs
	Access, Domain, DaysChoices []registry.Choice
}

func (s *server) tokensSection(c *fiber.Ctx, userID int64) (tokensSection, error) {
	ts, err := s.api.Tokens().List(c.UserContext(), userID)
	return tokensSection{Tokens: ts, Access: tokenAccessChoices, Domain: tokenDomainChoices, DaysChoices: tokenDaysChoices, Days: "90",
		Form: api.TokenInput{Access: api.AccessRead, Domain: api.DomainRegistry}}, err
}

// handleTokenCreate issues a token and shows it once on the account page.
func (s *server) handleTokenCreate(c *fiber.Ctx) error {
	id := signedIn(c)
	days, _ := strconv.Atoi(c.FormValue("days"))
	in := api.TokenInput{Name: c.FormValue("name"), Access: c.FormValue("access"), Domain: c.FormValue("domain"), Days: days}
	plain, _, err := s.api.Tokens().Create(c.UserContext(), id.User.ID, in)
	var fe children.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return err
	}
	sec, lerr := s.tokensSection(c, id.User.ID)
	if lerr != nil {
		return lerr
	}
	status := fiber.StatusOK
	if len(fe) > 0 {
		sec.Form, sec.Days, sec.Errors = in, c.FormValue("days"), toFieldErrs(fe)
		status = fiber.StatusUnprocessableEntity
	} else {
		sec.NewToken = plain
	}
	return s.renderAccount(c.Status(status), accountPage{API: sec, apiLoaded: true})
}

// handleTokenRevoke ends one of the user's tokens.
func (s *server) handleTokenRevoke(c *fiber.Ctx) error {
	id := signedIn(c)
	tok, err := strconv.ParseInt(c.Params("token"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.api.Tokens().Revoke(c.UserContext(), id.User.ID, tok); err != nil {
		return err
	}
	return c.Redirect("/account#api-tokens", fiber.StatusSeeOther)
}
