package web

import (
	"context"
	"strconv"
	"time"

	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// writeDeadline bounds a save's (any POST's) work, database waits
// included: a save that cannot get the database (a write lock held
// elsewhere, PostgreSQL not answering) answers 503 within it rather than
// hanging until the page's own 15 s timeout. Pages (GET) have none: a
// download streams from the database after its handler returns, and on
// SQLite reads do not wait for the writer; PostgreSQL's connect timeout
// bounds their wait for a connection.
const writeDeadline = 10 * time.Second

// retryAfter is the Retry-After of a 503: about how long a PostgreSQL
// restart or a lock holder takes; the page retries on its own back-off.
const retryAfter = 5 * time.Second

const localUnavailable = "unavailable"

// deadline bounds a POST's context (see writeDeadline).
func (s *server) deadline(c *fiber.Ctx) error {
	if m := c.Method(); m == fiber.MethodGet || m == fiber.MethodHead {
		return c.Next()
	}
	// A person waits on this write: on SQLite it goes ahead of queued
	// background work (store.Interactive).
	ctx, cancel := context.WithTimeout(store.Interactive(c.UserContext()), writeDeadline)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// markUnavailable sets what a 503 for an unreachable database carries:
// Retry-After for clients and proxies, and the cause for the access log's
// one WARN line (an outage is expected operations, not a bug, and one line
// per request keeps the log readable while it lasts).
func markUnavailable(c *fiber.Ctx, err error) {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(retryAfter/time.Second)))
	c.Locals(localUnavailable, err.Error())
}

func unavailableCause(c *fiber.Ctx) string {
	v, _ := c.Locals(localUnavailable).(string)
	return v
}
