package web

import (
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

func (s *server) handleHome(c *fiber.Ctx) error {
	counts, err := s.Store.CountReferenceData(c.UserContext())
	if err != nil {
		return err
	}
	return renderPage(c, "pages/home", struct {
		page
		Counts store.ReferenceCounts
	}{s.page(c, "", "home"), counts})
}
