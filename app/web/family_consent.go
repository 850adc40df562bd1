package web

import (
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// familyHomeExtra is what the family's home page shows beside their
// patients once consent and subject access exist (famA's part of #17).
type familyHomeExtra struct{}

func (s *server) familyHomeExtra(c *fiber.Ctx, a store.FamilyAccount, ps []store.FamilyPatient) (familyHomeExtra, error) {
	return familyHomeExtra{}, nil
}
