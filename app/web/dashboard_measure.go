package web

import (
	"errors"
	"slices"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/chart"
	"clinaudit/app/kpi"

	"github.com/gofiber/fiber/v2"
)

// One measure compared across every entity of one level, best first, with
// the national figure as the reference line.

// levelsFor lists the levels a user may compare (aggregate.Comparable).
func levelsFor(a access.Actor) []aggregate.Level {
	return aggregate.ComparableLevels(a.Can(access.ViewNational))
}

type entityRow struct {
	Name, Key string
	Counted   int64
	Cell      cellView
	Highlight bool
}

type measurePage struct {
	page
	Measure    kpi.MeasureInfo
	Measures   []kpi.MeasureInfo
	Level      aggregate.Level
	Levels     []optionView
	Cohort     int
	Cohorts    []cohortView
	NotRun     bool
	ComputedAt string
	Rows       []entityRow
	National   *cellView
	Chart      chart.Layout
	Highlight  string
	CanE12     bool // may download Epilepsy12's workbook (national roles)
}

func (s *server) handleMeasureDashboard(c *fiber.Ctx) error {
	a := actor(c)
	if !a.Can(access.ViewDashboards) {
		return apperr.ErrForbidden
	}
	m, ok := kpi.MeasureByID(c.Params("measure"))
	if !ok {
		return apperr.ErrNotFound
	}
	allowed := levelsFor(a)
	level := aggregate.ICB
	if q := c.Query("level"); q != "" {
		l, err := aggregate.ParseLevel(q)
		if err != nil {
			return apperr.New(apperr.Invalid, msgBadLevel())
		}
		level = l
	}
	if !slices.Contains(allowed, level) {
		return apperr.New(apperr.Forbidden, "Comparing every "+level.Label()+" is for the national audit team.")
	}
	chosen, cohorts, err := s.cohortChoice(c)
	if err != nil {
		return err
	}
	p := measurePage{page: s.page(c, m.Title()+": "+level.Label()+" comparison", "dashboards"), Measure: m.Info(),
		Measures: kpi.Measures(), Level: level, Cohort: int(chosen), Cohorts: cohorts, Highlight: c.Query("highlight"),
		CanE12: a.Can(access.ViewNational)}
	for _, l := range allowed {
		p.Levels = append(p.Levels, optionView{Value: string(l), Label: l.Label(), Checked: l == level})
	}
	report, err := aggregate.ForLevel(c.UserContext(), s.Store, chosen, level, m)
	if errors.Is(err, aggregate.ErrNotRun) {
		p.NotRun = true
		return renderPage(c, "pages/dashboard_measure", p)
	}
	if err != nil {
		return err
	}
	p.ComputedAt = report.Run.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04")
	for _, e := range report.Entities {
		p.Rows = append(p.Rows, entityRow{Name: e.Name, Key: e.Key, Counted: e.Counted, Cell: cellOf(e.Counts), Highlight: e.Key == p.Highlight})
	}
	sortByPercent(p.Rows)
	var reference *float64
	if level != aggregate.National {
		nat, _, ok, err := aggregate.ForEntity(c.UserContext(), s.Store, chosen, aggregate.National, aggregate.NationalKey)
		if err != nil {
			return err
		}
		if ok {
			cell := cellOf(nat.Measure(m))
			p.National = &cell
			if cell.Scored {
				reference = &cell.Percent
			}
		}
	}
	bars := make([]chart.Bar, len(p.Rows))
	for i, r := range p.Rows {
		bars[i] = chart.Bar{Label: r.Name, Value: r.Cell.Percent, HasValue: r.Cell.Scored, Highlight: r.Highlight}
	}
	p.Chart = chart.Horizontal(m.Title()+", by "+level.Label()+", "+chosen.String(), bars, reference, "National")
	return renderPage(c, "pages/dashboard_measure", p)
}

// sortByPercent orders the entities best first; those with nobody
// eligible go last, by name.
func sortByPercent(rows []entityRow) {
	slices.SortStableFunc(rows, func(a, b entityRow) int {
		switch {
		case a.Cell.Scored != b.Cell.Scored:
			if a.Cell.Scored {
				return -1
			}
			return 1
		case a.Cell.Percent != b.Cell.Percent:
			if a.Cell.Percent > b.Cell.Percent {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
}
