package web

import (
	"fmt"
	"slices"
	"strconv"

	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/publish"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Publishing (spec §8.4, docs/publishing.md): the national team with full
// access publishes a cohort's current figures for the public pages. The
// page lists each cohort with figures, when they were computed, and the
// cohort's publications, newest first.

type publicationView struct {
	ID                      int64
	PublishedAt, ComputedAt string
	By                      string
	Children                int64
}

type publishCohortView struct {
	Cohort       int64
	ComputedAt   string // the current run's; "" when the cohort has none
	Children     int64
	Publications []publicationView
}

type publishPage struct {
	page
	Cohorts []publishCohortView
	Notice  string
}

func publicationOf(p store.KPIPublication) publicationView {
	v := publicationView{ID: p.ID, PublishedAt: p.PublishedAt.In(londonTime).Format("2 January 2006 at 15:04"),
		ComputedAt: p.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04"), By: p.PublishedByName, Children: p.Children}
	if v.By == "" {
		v.By = "A former user"
	}
	return v
}

func (s *server) handlePublishPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	runs, err := aggregate.Cohorts(ctx, s.Store)
	if err != nil {
		return err
	}
	latest, err := publish.Cohorts(ctx, s.Store)
	if err != nil {
		return err
	}
	var views []publishCohortView
	for _, r := range runs {
		views = append(views, publishCohortView{Cohort: r.Cohort, ComputedAt: r.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04"), Children: r.Children})
	}
	for _, p := range latest { // published once, not aggregated now: history only
		if !slices.ContainsFunc(views, func(v publishCohortView) bool { return v.Cohort == p.Cohort }) {
			views = append(views, publishCohortView{Cohort: p.Cohort})
		}
	}
	slices.SortFunc(views, func(a, b publishCohortView) int { return int(b.Cohort - a.Cohort) })
	for i := range views {
		hist, err := publish.History(ctx, s.Store, cohort.Cohort(views[i].Cohort), 20)
		if err != nil {
			return err
		}
		for _, p := range hist {
			views[i].Publications = append(views[i].Publications, publicationOf(p))
		}
	}
	data := publishPage{page: s.page(c, "Publish results", "publish"), Cohorts: views}
	if id, err := strconv.ParseInt(c.Query("published"), 10, 64); err == nil {
		for _, v := range views {
			if len(v.Publications) > 0 && v.Publications[0].ID == id {
				data.Notice = fmt.Sprintf("Cohort %d is published. The public pages now show its figures of %s.", v.Cohort, v.Publications[0].ComputedAt)
			}
		}
	}
	return renderPage(c, "pages/publish", data)
}

func (s *server) handlePublish(c *fiber.Ctx) error {
	n, err := cohort.Parse(c.FormValue("cohort"))
	if err != nil {
		return apperr.New(apperr.Invalid, "Choose a cohort to publish from the list.")
	}
	pub, err := publish.Publish(c.UserContext(), s.Store, me(c), n)
	if err != nil {
		return err
	}
	s.log(c).Info("published", "cohort", int(n), "publication", pub.ID, "run", pub.RunID)
	return c.Redirect("/dashboards/publish?published="+strconv.FormatInt(pub.ID, 10), fiber.StatusSeeOther)
}
