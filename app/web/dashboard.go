package web

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The KPI dashboards: an organisation's KPI table across the levels that
// apply to it, and one measure compared across every entity of a level.
// The figures are the cohort's current aggregation run (package aggregate,
// computed by a background job); pages say when it was computed.

// cellView is one measure at one entity, as spec §8.3 shows it.
type cellView struct {
	Text    string // "75% (12)", or "No eligible children to score"
	Detail  string // the counts behind it
	Percent float64
	Scored  bool
}

func cellOf(c aggregate.Counts) cellView {
	v := cellView{Detail: fmt.Sprintf("%d of %d eligible passed; %d ineligible; %d not scored",
		c.Passed, c.TotalEligible, c.Ineligible, c.Incomplete)}
	v.Percent, v.Scored = c.Percent()
	v.Text = c.Shown()
	return v
}

type cohortView struct {
	Number                          int
	Start, End, Deadline            string
	DaysRemaining                   int
	Grace, Selected, Default, Fresh bool
	ComputedAt                      string
}

// cohortChoice reads ?cohort= (default: §7's dashboard cohort) and lists
// the cohorts to choose from: those aggregated, and today's open ones.
func (s *server) cohortChoice(c *fiber.Ctx) (cohort.Cohort, []cohortView, error) {
	today := s.Now()
	roles := cohort.RolesOn(today)
	chosen := roles.DashboardDefault()
	if q := c.Query("cohort"); q != "" {
		n, err := cohort.Parse(q)
		if err != nil {
			return 0, nil, apperr.New(apperr.Invalid, msgBadCohort)
		}
		chosen = n
	}
	runs, err := aggregate.Cohorts(c.UserContext(), s.Store)
	if err != nil {
		return 0, nil, err
	}
	numbers := append(roles.Open(), roles.DashboardDefault(), chosen)
	computed := map[cohort.Cohort]time.Time{}
	for _, r := range runs {
		numbers = append(numbers, cohort.Cohort(r.Cohort))
		computed[cohort.Cohort(r.Cohort)] = r.ComputedAt
	}
	slices.Sort(numbers)
	numbers = slices.Compact(numbers)
	slices.Reverse(numbers)
	var out []cohortView
	for _, n := range numbers {
		if n < cohort.First {
			continue
		}
		v := cohortView{Number: int(n), Start: n.Start().Format("2 January 2006"), End: n.End().Format("2 January 2006"),
			Deadline: n.SubmissionDeadline().Format("2 January 2006"), DaysRemaining: n.DaysRemaining(today),
			Grace: roles.InGracePeriod && n == roles.Grace, Selected: n == chosen, Default: n == roles.DashboardDefault()}
		if at, ok := computed[n]; ok {
			v.Fresh, v.ComputedAt = true, at.In(londonTime).Format("2 January 2006 at 15:04")
		}
		out = append(out, v)
	}
	return chosen, out, nil
}

// dashboardOrganisation is the organisation of :ods, if the user may see
// its dashboard (their own trust or health board; everything nationally).
func (s *server) dashboardOrganisation(c *fiber.Ctx) (store.Organisation, error) {
	o, err := s.Store.GetOrganisationByODS(c.UserContext(), c.Params("ods"))
	if err != nil {
		return o, err // store.ErrNotFound: 404 (errors.go)
	}
	if !access.Allowed(actor(c), access.ViewDashboards, access.PlaceOfOrganisation(o)) {
		return o, apperr.ErrNotFound // as for a child out of scope: no hint it exists
	}
	return o, nil
}

// handleDashboards sends users to their organisation's dashboard; national
// users without one choose an organisation.
func (s *server) handleDashboards(c *fiber.Ctx) error {
	if !actor(c).Can(access.ViewDashboards) {
		return apperr.ErrForbidden
	}
	id := signedIn(c)
	if id.User.OrganisationID != nil {
		o, err := s.Store.GetOrganisation(c.UserContext(), *id.User.OrganisationID)
		if err != nil {
			return err
		}
		return c.Redirect("/dashboards/organisations/"+o.ODSCode+cohortQuery(c), fiber.StatusSeeOther)
	}
	orgs, err := s.Store.ListTransferOrganisations(c.UserContext())
	if err != nil {
		return err
	}
	p := struct {
		page
		Organisations []optionView
	}{page: s.page(c, "KPI dashboards", "dashboards")}
	for _, o := range orgs {
		p.Organisations = append(p.Organisations, optionView{Value: o.ODSCode, Label: o.Name + " (" + o.ODSCode + ")"})
	}
	return renderPage(c, "pages/dashboard_choose", p)
}

// handleDashboardGo is the organisation chooser's submit.
func (s *server) handleDashboardGo(c *fiber.Ctx) error {
	ods := c.Query("ods")
	if ods == "" || strings.ContainsAny(ods, "/?#") {
		return apperr.New(apperr.Invalid, "Choose an organisation.")
	}
	return c.Redirect("/dashboards/organisations/"+url.PathEscape(ods)+cohortQuery(c), fiber.StatusSeeOther)
}

func cohortQuery(c *fiber.Ctx) string {
	if q := c.Query("cohort"); q != "" {
		return "?cohort=" + url.QueryEscape(q)
	}
	return ""
}

type levelColumn struct {
	Level, Label, Name, Key string
	Registered, Complete    int64
	Counted                 int64
	CompletePercent         string
	Cells                   []cellView
}

type measureRow struct {
	ID, Number, Title string
	Headline          bool
	Cells             []cellView
}

type dashboardPage struct {
	page
	Org        store.Organisation
	Cohort     cohort.Cohort
	Cohorts    []cohortView
	Current    *cohortView
	NotRun     bool
	ComputedAt string
	Columns    []levelColumn
	Rows       []measureRow
	CanRun     bool
	CanCompare bool
}

func (s *server) handleOrganisationDashboard(c *fiber.Ctx) error {
	o, err := s.dashboardOrganisation(c)
	if err != nil {
		return err
	}
	chosen, cohorts, err := s.cohortChoice(c)
	if err != nil {
		return err
	}
	p := dashboardPage{page: s.page(c, o.Name+": KPI dashboard", "dashboards"), Org: o, Cohort: chosen, Cohorts: cohorts,
		CanRun: actor(c).Can(access.RecalculateKPIs)}
	for i := range cohorts {
		if cohorts[i].Selected {
			p.Current = &cohorts[i]
		}
	}
	report, err := aggregate.ForOrganisation(c.UserContext(), s.Store, chosen, o.ID)
	if errors.Is(err, aggregate.ErrNotRun) {
		p.NotRun = true
		return renderPage(c, "pages/dashboard_organisation", p)
	}
	if err != nil {
		return err
	}
	p.ComputedAt = report.Run.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04")
	for _, f := range report.Levels {
		col := levelColumn{Level: string(f.Level), Label: f.Level.Label(), Name: f.Name, Key: f.Key,
			Registered: f.Registered, Complete: f.Complete, Counted: f.Counted}
		if f.Registered > 0 {
			col.CompletePercent = strconv.FormatFloat(math.Round(1000*float64(f.Complete)/float64(f.Registered))/10, 'f', -1, 64) + "%"
		}
		p.Columns = append(p.Columns, col)
	}
	for _, info := range kpi.Measures() {
		row := measureRow{ID: info.ID, Number: info.Number, Title: info.Title, Headline: info.Headline}
		for _, f := range report.Levels {
			row.Cells = append(row.Cells, cellOf(f.Measure(info.Measure)))
		}
		p.Rows = append(p.Rows, row)
	}
	return renderPage(c, "pages/dashboard_organisation", p)
}

// handleAggregateNow queues an aggregation of the cohort now (an admin's
// "update the figures").
func (s *server) handleAggregateNow(c *fiber.Ctx) error {
	n, err := cohort.Parse(c.FormValue("cohort"))
	if err != nil {
		return apperr.New(apperr.Invalid, "Choose a cohort to update.")
	}
	if err := jobargs.AggregateNow(c.UserContext(), s.Store, int64(n)); err != nil {
		return err
	}
	return c.Redirect(localTarget(c.FormValue("back"), "/dashboards"), fiber.StatusSeeOther)
}
