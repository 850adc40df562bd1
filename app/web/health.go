package web

import (
	"context"
	"time"

	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// handleHealthz answers while the process is up, for liveness probes.
func (s *server) handleHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReadyz answers 200 only when the database is reachable and fully
// migrated, for readiness probes and load balancers.
func (s *server) handleReadyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		s.log(c).Warn("readyz: database unreachable", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "database unreachable"})
	}
	st, err := s.Store.MigrationStatus(ctx)
	if err != nil {
		s.log(c).Warn("readyz: migration status", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "migration status unknown"})
	}
	if store.Pending(st) {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "migrations pending"})
	}
	return c.JSON(fiber.Map{"status": "ready", "engine": s.Store.Engine()})
}
