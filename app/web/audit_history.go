package web

import (
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// historyRow is one change as the History page lists it.
type historyRow struct {
	When, Who, Section, Question, Row, Old, New, Cause, RequestID string
}

type historyPage struct {
	auditPage
	Rows     []historyRow
	Sections []optionView
	Authors  []optionView
	Section  string
	Field    string
	By       int64
}

var causeText = map[string]string{"answer": "Answered", "cleared": "Cleared by another answer", "row_added": "Row added",
	"row_removed": "Row removed", "import": "Imported"}

func (s *server) handleAuditHistory(c *fiber.Ctx) error {
	l, err := s.loadAnswers(c)
	if err != nil {
		return err
	}
	by, _ := strconv.ParseInt(c.Query("by"), 10, 64)
	f := answers.HistoryFilter{Section: c.Query("section"), Field: c.Query("field"), By: by}
	h, err := s.answers().History(c.UserContext(), actor(c), l.Child.ID, f)
	if err != nil {
		return childError(err)
	}
	p, err := s.auditPage(c, l, "History of changes", "")
	if err != nil {
		return err
	}
	page := historyPage{auditPage: p, Section: f.Section, Field: f.Field, By: by}
	for _, form := range forms.All() {
		for _, sec := range form.Sections() {
			page.Sections = append(page.Sections, optionView{Value: sec, Label: sectionLabel(sec), Checked: sec == f.Section})
		}
	}
	for _, a := range h.Authors {
		if a.ID != nil {
			page.Authors = append(page.Authors, optionView{Value: strconv.FormatInt(*a.ID, 10), Label: a.Name, Checked: *a.ID == by})
		}
	}
	for _, ch := range h.Changes {
		page.Rows = append(page.Rows, historyRowOf(ch))
	}
	return renderPage(c, "pages/audit_history", page)
}

func historyRowOf(ch store.ListAnswerChangesRow) historyRow {
	k := forms.Key{Section: ch.Section, Row: ch.RowID, Field: ch.Field}
	var q *forms.Question
	if f := forms.ForSection(ch.Section); f != nil && ch.Field != "" {
		q = f.Question(k)
	}
	r := historyRow{When: ch.ChangedAt.In(londonTime).Format("2 Jan 2006 15:04:05"), Who: ch.ChangedByName,
		Section: sectionLabel(ch.Section), Question: ch.Field, Cause: causeText[ch.Cause], RequestID: ch.RequestID}
	if r.Who == "" {
		r.Who = "The system"
	}
	if q != nil {
		r.Question = q.Label
		if q.Kind == forms.Laterality {
			// One answer is stored as three yes/no fields: name the side.
			r.Question += " (" + choiceLabel(q, strings.TrimPrefix(ch.Field, "focal_onset_")) + ")"
		}
	}
	if ch.RowID != 0 {
		r.Row = "Row " + strconv.FormatInt(ch.RowID, 10)
	}
	lit := func(p *string) forms.Literal {
		if p == nil {
			return nil
		}
		return forms.Literal(*p)
	}
	r.Old, r.New = answerText(q, lit(ch.OldValue)), answerText(q, lit(ch.NewValue))
	if ch.Cause == "cleared" && ch.NewValue != nil {
		// The app set it (the other sides of a laterality, the valproate
		// programme): nothing was cleared.
		r.Cause = "Set by another answer"
	}
	return r
}

func sectionLabel(section string) string {
	switch section {
	case "sites":
		return "Milestones: centres"
	case "episodes":
		return "Episodes"
	case "syndromes":
		return "Syndromes"
	case "comorbidities":
		return "Comorbidities"
	case "antiepilepsy_medicines":
		return "Medicines"
	}
	if f := forms.ForSection(section); f != nil {
		return f.Title
	}
	return section
}
