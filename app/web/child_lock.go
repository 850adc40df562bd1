package web

import (
	"errors"
	"fmt"
	"strconv"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/forms"

	"github.com/gofiber/fiber/v2"
)

// Locking (submission): the "check the record before locking it" page
// shows the details, the registration and every audit answer, form by
// form; a child whose audit is incomplete cannot be locked (the server
// refuses, children.ErrIncomplete), and the page lists what is missing,
// each linked to its question.

type summaryItem struct{ Label, Value string }

type formSummary struct {
	Title, URL, Status string
	Items              []summaryItem
}

type lockPage struct {
	page
	Child    children.Child
	Forms    []formSummary
	Missing  []kpiLink
	Complete bool
	// Refused is why the lock just asked for was refused, if it was.
	Refused string
}

func (s *server) handleChildLockForm(c *fiber.Ctx) error {
	return s.changeForm(c, access.LockChild, func(ch children.Child) bool { return ch.CanLock }, func(ch children.Child) error {
		return s.renderLockPage(c, ch, "", fiber.StatusOK)
	})
}

func (s *server) handleChildLock(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	err = s.children().Lock(c.UserContext(), me(c), id, version)
	if errors.Is(err, children.ErrIncomplete) {
		// The check page again, with what is missing.
		ch, gerr := s.loadChild(c)
		if gerr != nil {
			return gerr
		}
		return s.renderLockPage(c, ch, err.Error(), fiber.StatusConflict)
	}
	if err != nil {
		return s.writeError(c, id, err)
	}
	return c.Redirect(childURL(id)+"?done=locked", fiber.StatusSeeOther)
}

func (s *server) renderLockPage(c *fiber.Ctx, ch children.Child, refused string, status int) error {
	l, err := s.answers().Load(c.UserContext(), actor(c), ch.ID)
	if err != nil {
		return err
	}
	p := lockPage{page: s.page(c, "Check the record before locking", "children"), Child: ch,
		Complete: l.Progress.Complete, Refused: refused}
	var paths []string
	for _, fp := range l.Progress.Forms {
		for _, g := range fp.Missing {
			paths = append(paths, g.Path)
		}
	}
	p.Missing = kpiLinks(l, paths)
	opts, err := s.centreOptions(c)
	if err != nil {
		return err
	}
	centres := make(map[string]string, len(opts))
	for _, o := range opts {
		centres[o.Value] = o.Label
	}
	for _, f := range forms.All() {
		p.Forms = append(p.Forms, formSummary{Title: f.Title, URL: fmt.Sprintf("/children/%d/forms/%s", ch.ID, f.ID),
			Status: formStatus(l, f), Items: answerSummary(l, f, centres)})
	}
	c.Status(status)
	return renderPage(c, "pages/child_lock", p)
}

// formStatus is the form's task-list status in words.
func formStatus(l *answers.Loaded, f *forms.Form) string {
	for _, fp := range l.Progress.Forms {
		if fp.Form.ID() == f.ID {
			return statusText(fp.Status)
		}
	}
	return ""
}

// answerSummary is every question the form shows for the record, with its
// answer in words ("Not answered" when there is none; a centre by its name,
// from centres), rows numbered as on the form.
func answerSummary(l *answers.Loaded, f *forms.Form, centres map[string]string) []summaryItem {
	var out []summaryItem
	var walk func(qs []*forms.Question, row *forms.Row, parent forms.Literal, prefix string)
	walk = func(qs []*forms.Question, row *forms.Row, parent forms.Literal, prefix string) {
		for _, q := range qs {
			if !q.ShownUnder(parent) {
				continue
			}
			if q.Kind == forms.Rows {
				n := 0
				for _, r := range l.Record.RowsOf(q.RowSection) {
					if q.RowFilter != nil && string(r.Answers[q.RowFilter.Field]) != q.RowFilter.Value {
						continue
					}
					n++
					walk(q.RowItems, r, nil, fmt.Sprintf("%s %d: ", capitalise(q.RowNoun), n))
				}
				if n == 0 {
					out = append(out, summaryItem{Label: prefix + q.Label, Value: "None added"})
				}
				continue
			}
			ans := f.Answer(l.Record, q, row)
			v := answerText(q, ans)
			if name, ok := centres[v]; ok && q.Kind == forms.Centre {
				v = name
			}
			out = append(out, summaryItem{Label: prefix + q.Label, Value: v})
			walk(q.FollowUps, row, ans, prefix)
		}
	}
	walk(f.Questions, nil, nil, "")
	return out
}
