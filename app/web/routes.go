package web

import (
	"clinaudit/static"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// routes lists every route the app serves, in one place.
func (s *server) routes(app *fiber.App) {
	s.middleware(app)

	// Precompressed and content-hashed; served before the compressor.
	app.Use("/static", static.Handler())

	app.Get("/healthz", s.handleHealthz)
	app.Get("/readyz", s.handleReadyz)

	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Get("/", s.handleHome)
	app.Get("/organisations", s.handleOrganisations)

	app.Use(s.notFound)
}

// middleware runs on every request, in this order.
func (s *server) middleware(app *fiber.App) {
	app.Use(s.requestID, s.accessLog, s.recoverPanic, securityHeaders)
}
