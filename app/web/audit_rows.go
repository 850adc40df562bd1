package web

import (
	"errors"
	"strconv"

	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/forms"

	"github.com/gofiber/fiber/v2"
)

// listOf finds the Rows question of a form by its container id.
func listOf(f *forms.Form, id string) *forms.Question {
	var found *forms.Question
	var visit func([]*forms.Question)
	visit = func(qs []*forms.Question) {
		for _, q := range qs {
			if q.Kind == forms.Rows && listID(q) == id {
				found = q
			}
			visit(q.FollowUps)
		}
	}
	visit(f.Questions)
	return found
}

func (s *server) handleAuditAddRow(c *fiber.Ctx) error {
	f, id, err := formAndChild(c)
	if err != nil {
		return err
	}
	list := listOf(f, c.FormValue("list"))
	key := c.FormValue("client_key")
	if list == nil || key == "" || len(key) > 64 {
		return apperr.New(apperr.Unprocessable, "The request did not say which list to add to.")
	}
	saved, _, err := s.answers().AddRow(c.UserContext(), me(c), answers.AddRow{ChildID: id, Form: f, List: list, ClientKey: key, RequestID: requestIDOf(c)})
	if err != nil {
		return s.rowRefused(c, listID(list), err)
	}
	return s.renderList(c, saved, f, list)
}

func (s *server) handleAuditRemoveRow(c *fiber.Ctx) error {
	f, id, err := formAndChild(c)
	if err != nil {
		return err
	}
	rowID, err := strconv.ParseInt(c.Params("row"), 10, 64)
	if err != nil || rowID <= 0 {
		return apperr.ErrNotFound
	}
	list := listOf(f, c.FormValue("list"))
	if list == nil {
		return apperr.New(apperr.Unprocessable, "The request did not say which list the row is in.")
	}
	saved, err := s.answers().RemoveRow(c.UserContext(), me(c), id, f, rowID, requestIDOf(c))
	if err != nil {
		return s.rowRefused(c, listID(list), err)
	}
	return s.renderList(c, saved, f, list)
}

// rowRefused says why a row was not added or removed in the list's status
// line, not in place of the list.
func (s *server) rowRefused(c *fiber.Ctx, list string, err error) error {
	switch {
	case errors.Is(err, answers.ErrNoSuchList), children.IsConflict(err):
		c.Set("HX-Retarget", "#st-"+list)
		c.Set("HX-Reswap", "innerHTML")
		c.Status(fiber.StatusConflict)
		return renderPartial(c, "partials/audit_error", err.Error())
	}
	return err
}

// renderList answers an add or remove with the list as it is now, and the
// progress out of band.
func (s *server) renderList(c *fiber.Ctx, saved *answers.Saved, f *forms.Form, list *forms.Question) error {
	centres, err := s.centreOptions(c)
	if err != nil {
		return err
	}
	v := newFormView(saved.Loaded, f, false, centres)
	pv := newProgressView(saved.Loaded, f.ID)
	pv.OOB = true
	return renderPartial(c, "partials/audit_list_saved", struct {
		List     questionView
		Progress progressView
	}{v.question(list, nil), pv})
}
