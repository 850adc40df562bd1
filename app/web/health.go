package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// handleHealthz answers while the process is up, for liveness probes.
func (s *server) handleHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReadyz answers 200 only when the database is reachable, can take
// saves (on SQLite: enough free disk) and is fully migrated, for readiness
// probes and load balancers. A 503 takes the instance out of rotation; it
// comes back by itself once the database does.
func (s *server) handleReadyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ready(ctx); err != nil {
		// Probes come every few seconds: one WARN each, no stack.
		s.log(c).Warn("readyz: database not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "database unavailable"})
	}
	pending, err := s.Store.MigrationsPending(ctx)
	if err != nil {
		s.log(c).Warn("readyz: migration status", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "migration status unknown"})
	}
	if pending {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "migrations pending"})
	}
	return c.JSON(fiber.Map{"status": "ready", "engine": s.Store.Engine()})
}
