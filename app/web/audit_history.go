package web

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// historyRow is one change as the History page lists it: an answer's, or
// the child's own (details, registration, lock, transfer, opt-out,
// deletion).
type historyRow struct {
	When, Who, Section, Question, Row, Old, New, Cause, RequestID string
	Note                                                          string
	at                                                            time.Time
}

type historyPage struct {
	auditPage
	Rows     []historyRow
	Sections []optionView
	Authors  []optionView
	Kinds    []optionView
	Section  string
	Field    string
	By       int64
	Kind     string
	// CanSeeViews: the viewer may read the record-view log (a link to this
	// child's views).
	CanSeeViews bool
}

// kindAnswers is the history filter's kind for the audit answers' trail;
// the others are children.Kinds.
const kindAnswers = "answers"

var causeText = map[string]string{"answer": "Answered", "cleared": "Cleared by another answer", "row_added": "Row added",
	"row_removed": "Row removed", "import": "Imported"}

// addAuthors puts the authors of one trail into the history's "changed
// by" choices, by user id.
func addAuthors(into map[int64]string, authors []store.ChangeAuthor) {
	for _, a := range authors {
		if a.ID != nil {
			into[*a.ID] = a.Name
		}
	}
}

func (s *server) handleAuditHistory(c *fiber.Ctx) error {
	l, p, err := s.loadAuditPage(c, "History of changes")
	if err != nil {
		return err
	}
	by, _ := strconv.ParseInt(c.Query("by"), 10, 64)
	kind := c.Query("kind")
	f := answers.HistoryFilter{Section: c.Query("section"), Field: c.Query("field"), By: by}
	page := historyPage{auditPage: p, Section: f.Section, Field: f.Field, By: by, Kind: kind,
		CanSeeViews: actor(c).Can(access.ViewRecordViews)}
	page.Kinds = append(page.Kinds, optionView{Value: kindAnswers, Label: "Audit answers", Checked: kind == kindAnswers})
	for _, k := range children.Kinds {
		page.Kinds = append(page.Kinds, optionView{Value: k, Label: children.KindLabel(k), Checked: k == kind})
	}
	authors := map[int64]string{}
	// The answers' trail, unless only a kind of change to the child is asked for.
	if kind == "" || kind == kindAnswers {
		h, err := s.answers().History(c.UserContext(), actor(c), l.Child.ID, f)
		if err != nil {
			return err
		}
		addAuthors(authors, h.Authors)
		for _, ch := range h.Changes {
			page.Rows = append(page.Rows, historyRowOf(ch))
		}
	}
	// The child's own trail, unless only answers (a section, a question) are asked for.
	if kind != kindAnswers && f.Section == "" && f.Field == "" {
		cf := children.ChangeFilter{Kind: kind, By: by}
		if !slices.Contains(children.Kinds, kind) {
			cf.Kind = ""
		}
		h, err := s.children().Changes(c.UserContext(), actor(c), l.Child.ID, cf)
		if err != nil {
			return err
		}
		addAuthors(authors, h.Authors)
		for _, ch := range h.Rows {
			cause := ch.Cause
			if ch.Note != "" {
				cause += ": " + ch.Note
			}
			page.Rows = append(page.Rows, historyRow{When: ch.At.In(londonTime).Format("2 Jan 2006 15:04:05"), at: ch.At, Who: ch.Who,
				Section: ch.Kind, Question: ch.Field, Old: ch.Old, New: ch.New, Cause: cause, RequestID: ch.RequestID})
		}
	}
	// Newest first; the sort is stable, so each trail keeps its own order
	// (by id) within one instant.
	sort.SliceStable(page.Rows, func(i, j int) bool { return page.Rows[i].at.After(page.Rows[j].at) })
	for _, form := range forms.All() {
		for _, sec := range form.Sections() {
			page.Sections = append(page.Sections, optionView{Value: sec, Label: sectionLabel(sec), Checked: sec == f.Section})
		}
	}
	for id, name := range authors {
		page.Authors = append(page.Authors, optionView{Value: strconv.FormatInt(id, 10), Label: name, Checked: id == by})
	}
	sort.Slice(page.Authors, func(i, j int) bool { return page.Authors[i].Label < page.Authors[j].Label })
	return renderPage(c, "pages/audit_history", page)
}

func historyRowOf(ch store.ListAnswerChangesRow) historyRow {
	k := forms.Key{Section: ch.Section, Row: ch.RowID, Field: ch.Field}
	var q *forms.Question
	if f := forms.ForSection(ch.Section); f != nil && ch.Field != "" {
		q = f.Question(k)
	}
	r := historyRow{When: ch.ChangedAt.In(londonTime).Format("2 Jan 2006 15:04:05"), at: ch.ChangedAt, Who: ch.ChangedByName,
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
