package web

import (
	"time"

	"clinaudit/app/access"

	"github.com/gofiber/fiber/v2"
)

// isHTMX reports whether the request came from htmx and wants a fragment.
// History restores ask for the whole page.
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") != "true"
}

// page holds what the base layout reads on every page.
type page struct {
	Title   string
	Nav     string
	Version string
	Demo    bool
	CSRF    string
	// UserName is the signed-in user's name, empty when signed out.
	UserName string
	// UserID is the signed-in user's id (0 when signed out), on <body> as
	// data-user: autosave.js applies answers stashed in the tab only for the
	// user who stashed them.
	UserID int64
	// SessionExpires (RFC 3339) lets the page warn before an idle sign-out.
	SessionExpires string
	// CanViewUsers shows the Staff link, CanViewJobs the Jobs link.
	CanViewUsers bool
	CanViewJobs  bool
	// CanRecalculate shows the KPI recalculation link.
	CanRecalculate bool
	// CanPublish shows the Publish link, CanExport the Exports link.
	CanPublish, CanExport bool
	// CanSeeRecordViews shows the links to the record-view log.
	CanSeeRecordViews bool
}

func (s *server) page(c *fiber.Ctx, title, nav string) page {
	p := page{Title: title, Nav: nav, Version: s.Version, Demo: s.Demo, CSRF: csrfToken(c)}
	if id := signedIn(c); id != nil {
		p.UserName = id.User.FirstName + " " + id.User.Surname
		p.UserID = id.User.ID
		p.SessionExpires = id.ExpiresAt.UTC().Format(time.RFC3339)
		p.CanViewUsers = actor(c).Can(access.ViewUsers)
		p.CanViewJobs = s.JobsUI != nil && actor(c).Can(access.ViewJobs)
		p.CanRecalculate = actor(c).Can(access.RecalculateKPIs)
		p.CanPublish = actor(c).Can(access.Publish)
		p.CanExport = actor(c).Can(access.ExportRecords)
		p.CanSeeRecordViews = actor(c).Can(access.ViewRecordViews)
	}
	return p
}

// renderPage renders a full page inside the base layout.
func renderPage(c *fiber.Ctx, name string, data any) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Render(name, data)
}

// renderPartial renders a fragment with no layout, for htmx to swap in.
func renderPartial(c *fiber.Ctx, name string, data any) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderVary, "HX-Request")
	return c.Render(name, data, "")
}
