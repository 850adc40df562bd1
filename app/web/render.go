package web

import (
	"strings"
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
	// Nav is the header's links this person may follow, the last to their
	// account (signed in) or to sign in.
	Nav []navItem
	// CanSeeRecordViews shows the links to the record-view log.
	CanSeeRecordViews bool
	// SignOutURL is where the header's sign-out posts: the families'
	// pages sign a family out ("" is the staff's /sign-out).
	SignOutURL string
}

// navItem is one link of the header. Current marks the section the page
// belongs to; ID, where set, is the link's id.
type navItem struct {
	Label, Href, ID string
	Current         bool
}

// navLink is one header link and who may see it: Section names the pages
// it is current on ("" for a link that never is).
type navLink struct {
	Section, Label, Href, ID string
	Shown                    func(s *server, c *fiber.Ctx, a access.Actor) bool
}

func anyone(*server, *fiber.Ctx, access.Actor) bool { return true }

func signedInOnly(_ *server, c *fiber.Ctx, _ access.Actor) bool { return signedIn(c) != nil }

// auditOnly: signed in with an audit role (registry roles have no audit
// pages to go to).
func auditOnly(_ *server, c *fiber.Ctx, a access.Actor) bool {
	return signedIn(c) != nil && (!a.Role.Registry() || a.Superuser)
}

func demoOnly(s *server, _ *fiber.Ctx, _ access.Actor) bool { return s.Demo }

func allowed(p access.Action) func(*server, *fiber.Ctx, access.Actor) bool {
	return func(_ *server, c *fiber.Ctx, a access.Actor) bool { return signedIn(c) != nil && a.Can(p) }
}

// jobsUIHref stands for the job monitor's path, which cli chooses.
const jobsUIHref = "$jobs-ui"

// navLinks are the header's links in order; the account or sign-in link
// follows them, then the sign-out button.
var navLinks = []navLink{
	{"home", "Home", "/", "", anyone},
	{"organisations", "Organisations", "/organisations", "", anyone},
	{"public", "Published results", "/public", "nav-public", anyone},
	{"", "Demo mailbox", "/demo/mailbox", "", demoOnly},
	{"children", "Children", "/children", "nav-children", auditOnly},
	{"dashboards", "Dashboards", "/dashboards", "nav-dashboards", auditOnly},
	{"registry", "Registry", "/registry/patients", "nav-registry", allowed(access.ViewRegistry)},
	{"publish", "Publish", "/dashboards/publish", "nav-publish", allowed(access.Publish)},
	{"exports", "Exports", "/exports", "nav-exports", allowed(access.ExportRecords)},
	{"", "Jobs", jobsUIHref, "", func(s *server, c *fiber.Ctx, a access.Actor) bool {
		return s.JobsUI != nil && s.JobsUIPath != "" && allowed(access.ViewJobs)(s, c, a)
	}},
	{"recalc", "KPI recalculation", "/admin/kpi-recalculation", "nav-recalc", allowed(access.RecalculateKPIs)},
	{"notifications", "Notifications", "/admin/notifications", "nav-notifications", allowed(access.ViewJobs)},
	{"record-views", "Record views", "/admin/record-views", "nav-record-views", allowed(access.ViewRecordViews)},
	{"staff", "Staff", "/admin/users", "", func(_ *server, c *fiber.Ctx, a access.Actor) bool { return signedIn(c) != nil && mayListStaff(a) }},
}

// page is the layout's data for a page titled title in the header's
// section nav.
func (s *server) page(c *fiber.Ctx, title, nav string) page {
	p := page{Title: title, Version: s.Version, Demo: s.Demo, CSRF: csrfToken(c)}
	a := actor(c)
	for _, l := range navLinks {
		if l.Shown(s, c, a) {
			href := l.Href
			if href == jobsUIHref {
				href = strings.TrimSuffix(s.JobsUIPath, "/") + "/" // where cli mounted it
			}
			p.Nav = append(p.Nav, navItem{Label: l.Label, Href: href, ID: l.ID, Current: l.Section != "" && l.Section == nav})
		}
	}
	account := navItem{Label: "Sign in", Href: "/sign-in", Current: nav == "signin"}
	if id := signedIn(c); id != nil {
		p.UserName = id.User.FirstName + " " + id.User.Surname
		p.UserID = id.User.ID
		p.SessionExpires = id.ExpiresAt.UTC().Format(time.RFC3339)
		account = navItem{Label: p.UserName, Href: "/account", ID: "nav-account", Current: nav == "account"}
		p.CanSeeRecordViews = a.Can(access.ViewRecordViews)
	}
	p.Nav = append(p.Nav, account)
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
