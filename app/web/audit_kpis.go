package web

import (
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The Performance summary: each KPI's outcome for the child as the answers
// stand now (the engine is a pure function, so the page scores the record
// itself rather than wait for the job), why, and links to the answers that
// decided it.

type kpiView struct {
	Number, Title, Outcome, OutcomeText, Tag, Reason string
	Headline                                         bool
	Links                                            []kpiLink
}

type kpiLink struct{ Label, Href string }

type kpiPage struct {
	auditPage
	Measures []kpiView
	// Stored is what the background job last stored, for the dashboards.
	StoredAt    string
	StoredRules string
	// Freshness is the stored copy's state: "up-to-date", "recalculating"
	// (a kpi_score job is queued or running), "out-of-date" (no job can
	// be queued here: the daily reconciliation will) or "not-registered".
	Freshness string
}

var outcomeView = map[kpi.Outcome][2]string{
	kpi.Pass:       {"Achieved", "nhsuk-tag--green"},
	kpi.Fail:       {"Not achieved", "nhsuk-tag--red"},
	kpi.Ineligible: {"Not eligible", "nhsuk-tag--grey"},
	kpi.NotScored:  {"Not scored yet", "nhsuk-tag--white"},
}

func (s *server) handleAuditKPIs(c *fiber.Ctx) error {
	l, p, err := s.loadAuditPage(c, "Performance summary")
	if err != nil {
		return err
	}
	res := kpi.Score(l.Audit)
	page := kpiPage{auditPage: p}
	for _, info := range kpi.Measures() {
		o := res.Outcome(info.Measure)
		e := res.Explanation(info.Measure)
		page.Measures = append(page.Measures, kpiView{Number: info.Number, Title: info.Title, Outcome: o.String(),
			OutcomeText: outcomeView[o][0], Tag: outcomeView[o][1], Reason: e.Reason, Headline: info.Headline,
			Links: kpiLinks(l, e.Fields)})
	}
	stored, err := s.Store.GetKPIResult(c.UserContext(), l.Child.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		page.StoredAt = stored.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04")
		page.StoredRules = stored.RulesVersion
	}
	switch {
	case l.Child.RegisteredAt == nil || l.Child.OptedOutAt != nil:
		page.Freshness = "not-registered"
	case err == nil && s.answers().Fresh(l, stored):
		page.Freshness = "up-to-date"
	default:
		// Behind the answers (or the calendar): make sure a rescoring is
		// queued, so that "being recalculated" is true. The job is unique
		// per child, so this adds one only when none waits.
		page.Freshness = "recalculating"
		err := s.Store.InTx(c.UserContext(), func(tx store.Tx) error { return scorequeue.Later(c.UserContext(), tx, l.Child.ID) })
		if errors.Is(err, store.ErrJobsNotConfigured) {
			page.Freshness = "out-of-date"
		} else if err != nil {
			return err
		}
	}
	return renderPage(c, "pages/audit_kpis", page)
}

// kpiLinks turns the document paths an explanation read into links to the
// questions that ask them, once each.
func kpiLinks(l *answers.Loaded, paths []string) []kpiLink {
	base := "/children/" + strconv.FormatInt(l.Child.ID, 10)
	var out []kpiLink
	seen := map[string]bool{}
	add := func(label, href string) {
		if !seen[href+label] {
			seen[href+label] = true
			out = append(out, kpiLink{Label: label, Href: href})
		}
	}
	for _, path := range paths {
		switch {
		case strings.HasPrefix(path, "case."):
			add(fieldLabel(strings.TrimPrefix(path, "case.")), base+"/edit")
			continue
		case strings.HasPrefix(path, "registration."):
			add(fieldLabel(strings.TrimPrefix(path, "registration.")), base+"/register")
			continue
		}
		place, ok := forms.PlaceOf(l.Record, path)
		if !ok {
			continue
		}
		href := base + "/forms/" + place.Form.ID
		k := place.Key
		if place.List {
			if lists := place.Lists(); len(lists) > 0 {
				add(place.Form.Title+": "+lists[0].Label, href+"#"+listID(lists[0]))
			}
			continue
		}
		label := fieldLabel(k.Field)
		if q := place.Form.Question(k); q != nil {
			label = q.Label
		}
		if k.Row != 0 {
			label = sectionLabel(k.Section) + ": " + label
		}
		add(label, href+"#q-"+k.ID())
	}
	return out
}

// fieldLabel is a field name made readable, for the few answers that are
// not form questions (date of birth, the first assessment's date).
func fieldLabel(field string) string { return capitalise(strings.ReplaceAll(field, "_", " ")) }
