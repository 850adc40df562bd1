package web

import (
	"errors"
	"strconv"

	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// handleFamilySurvey opens one of the family's surveys: a new personal
// link to the same answering pages an emailed link reaches, so answers
// given either way are one response.
func (s *server) handleFamilySurvey(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	link, err := s.surveys().LinkForContact(c.UserContext(), familyAccount(c).ContactID, id)
	if errors.Is(err, survey.ErrUnknownLink) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(link, fiber.StatusSeeOther)
}
