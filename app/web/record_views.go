package web

import (
	"clinaudit/app/recordviews"

	"github.com/gofiber/fiber/v2"
)

// The record-view log (docs/security.md): every page of a child's record a
// signed-in user is shown is logged, once per page (a full-page GET): the
// htmx requests of a page already logged (autosaves, follow-up questions)
// are not. The national audit team with full access reads it on
// /admin/record-views.

// localViewedChild is the audit ID of the child a handler loaded, so that
// logging the view needs no second read.
const localViewedChild = "viewed_child"

// logView runs the page, then logs the view if the page was shown (200): a
// refused or missing child is not a view.
func (s *server) logView(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() != fiber.StatusOK || isHTMX(c) || signedIn(c) == nil {
		return nil
	}
	id, err := childID(c)
	if err != nil {
		return nil
	}
	auditID, _ := c.Locals(localViewedChild).(string)
	if auditID == "" {
		ch, err := s.Store.GetChild(c.UserContext(), id)
		if err != nil {
			return nil
		}
		auditID = ch.AuditID
	}
	v := recordviews.View{UserID: me(c).ID, ChildID: id, AuditID: auditID, Route: c.Path(), At: s.Now()}
	if err := recordviews.Log(c.UserContext(), s.Store, v); err != nil {
		// The page has been rendered; the failure is logged for the
		// operator rather than shown to the user.
		s.log(c).Error("record view not logged", "child", id, "error", err)
	}
	return nil
}

type recordViewRow struct {
	When, Who, Email, AuditID, Route string
	ChildID                          int64
}

type recordViewsPage struct {
	page
	Email, AuditID string
	Rows           []recordViewRow
	UnknownEmail   bool
	Max            int
}

func (s *server) handleRecordViews(c *fiber.Ctx) error {
	f := recordviews.Filter{Email: c.Query("email"), AuditID: c.Query("child")}
	got, err := recordviews.List(c.UserContext(), s.Store, actor(c), f)
	if err != nil {
		return err
	}
	p := recordViewsPage{page: s.page(c, "Who opened which record", "record-views"), Email: f.Email, AuditID: f.AuditID,
		UnknownEmail: got.UnknownEmail, Max: recordviews.MaxShown}
	for _, v := range got.Views {
		p.Rows = append(p.Rows, recordViewRow{When: v.ViewedAt.In(londonTime).Format("2 Jan 2006 15:04:05"), Who: v.UserName,
			Email: v.UserEmail, AuditID: v.AuditID, Route: v.Route, ChildID: v.ChildID})
	}
	return renderPage(c, "pages/record_views", p)
}
