package web

import (
	"context"
	"strconv"
	"strings"

	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/kpi"
	"clinaudit/app/publish"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The public pages (spec §10.5, docs/publishing.md): no sign-in; they read
// publications only, never an aggregation run, so nothing unpublished is
// ever shown. /public lists the organisations with published figures;
// an organisation's page shows the latest publication of a cohort.

type publicListPage struct {
	page
	Query         string
	Published     bool
	Organisations []store.PublishedOrganisation
}

func (s *server) handlePublicList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 100 {
		q = q[:100]
	}
	pubs, err := publish.Cohorts(ctx, s.Store)
	if err != nil {
		return err
	}
	data := publicListPage{page: s.page(c, "Published results", "public"), Query: q, Published: len(pubs) > 0}
	if data.Published {
		orgs, err := s.Store.ListPublishedOrganisations(ctx)
		if err != nil {
			return err
		}
		data.Organisations = publish.Search(orgs, q)
	}
	if isHTMX(c) {
		return renderPartial(c, "partials/public_results", data)
	}
	return renderPage(c, "pages/public_list", data)
}

// publicColumn is one level of the organisation's published table; its
// counts as the page shows them (publish.Suppression).
type publicColumn struct {
	Level               aggregate.Level
	Label, Name         string
	Registered, Counted string
}

type publicRow struct {
	ID, Number, Title string
	Cells             []publicCell
}

type publicCell struct {
	Text, Detail string
}

type publicCohortLink struct {
	Cohort   int64
	Selected bool
}

type publicOrgPage struct {
	page
	Org         store.Organisation
	Published   bool
	Cohort      int64
	PublishedOn string
	ComputedAt  string
	Below       int64 // the small-number threshold; 1: off
	SmallMax    int64 // the largest count withheld: Below-1
	Cohorts     []publicCohortLink
	Columns     []publicColumn
	Rows        []publicRow
}

func (s *server) handlePublicOrganisation(c *fiber.Ctx) error {
	ctx := c.UserContext()
	o, err := s.Store.GetOrganisationByODS(ctx, strings.ToUpper(strings.TrimSpace(c.Params("ods"))))
	if err != nil {
		return err // store.ErrNotFound: 404 (errors.go)
	}
	var want int64
	if q := c.Query("cohort"); q != "" {
		n, err := cohort.Parse(q)
		if err != nil {
			return apperr.New(apperr.Invalid, msgBadCohort)
		}
		want = int64(n)
	}
	pubs, err := publish.Cohorts(ctx, s.Store)
	if err != nil {
		return err
	}
	data := publicOrgPage{page: s.page(c, o.Name+": published results", "public"), Org: o}
	pub, ok := publish.Choose(pubs, want)
	if !ok && want != 0 && len(pubs) > 0 {
		return apperr.New(apperr.NotFound, "Cohort "+strconv.FormatInt(want, 10)+" has not been published.")
	}
	if ok {
		rep, err := publish.ForOrganisation(ctx, s.Store, pub, o.ID)
		if err != nil {
			return err
		}
		if rep.Published() {
			plan, err := s.publicPlan(ctx, pub)
			if err != nil {
				return err
			}
			data.fill(rep, pubs, plan)
		}
	}
	return renderPage(c, "pages/public_organisation", data)
}

// suppression is the public pages' small-number rule.
func (s *server) suppression() publish.Suppression {
	if s.SuppressBelow == 0 {
		return publish.Suppression{Below: publish.DefaultSuppressBelow}
	}
	return publish.Suppression{Below: s.SuppressBelow}
}

// headlineMeasures are the measures the public pages show.
func headlineMeasures() []kpi.Measure {
	var out []kpi.Measure
	for _, info := range kpi.Measures() {
		if info.Headline {
			out = append(out, info.Measure)
		}
	}
	return out
}

// publicPlan is publication pub's suppression plan, worked out from the
// whole publication the first time a page asks (a few hundred
// organisations: milliseconds) and kept.
func (s *server) publicPlan(ctx context.Context, pub store.KPIPublication) (*publish.Plan, error) {
	if p, ok := s.plans.Load(pub.ID); ok {
		return p.(*publish.Plan), nil
	}
	rows, err := s.Store.ListKPIPublished(ctx, pub.ID)
	if err != nil {
		return nil, err
	}
	figs, err := aggregate.GroupFigures(rows)
	if err != nil {
		return nil, err
	}
	levels, err := s.Store.ListOrganisationLevels(ctx)
	if err != nil {
		return nil, err
	}
	p := publish.NewPlan(s.suppression(), figs, levels, headlineMeasures())
	s.plans.Store(pub.ID, p)
	return p, nil
}

// fill lays the report out as the KPI table of §8.4: the headline measures
// down, the levels across, every count and percentage as plan shows it.
func (p *publicOrgPage) fill(rep publish.Report, pubs []store.KPIPublication, plan *publish.Plan) {
	p.Below, p.SmallMax = plan.Below(), plan.Below()-1
	p.Published, p.Cohort = true, rep.Publication.Cohort
	p.PublishedOn = rep.Publication.PublishedAt.In(londonTime).Format("2 January 2006")
	p.ComputedAt = rep.Publication.ComputedAt.In(londonTime).Format("2 January 2006 at 15:04")
	for _, pub := range pubs {
		p.Cohorts = append(p.Cohorts, publicCohortLink{Cohort: pub.Cohort, Selected: pub.ID == rep.Publication.ID})
	}
	headline := headlineMeasures()
	for _, f := range rep.Levels {
		p.Columns = append(p.Columns, publicColumn{Level: f.Level, Label: f.Level.Label(), Name: f.Name,
			Registered: plan.Registered(f), Counted: plan.Counted(f, headline)}) // "": withheld
	}
	// Only what the cell says: the ineligible and not-scored counts are
	// not published, since one of them and the totals would give the other.
	for _, m := range headline {
		info := m.Info()
		row := publicRow{ID: info.ID, Number: info.Number, Title: info.Title}
		for _, f := range rep.Levels {
			text, detail := plan.Cell(f, m)
			row.Cells = append(row.Cells, publicCell{Text: text, Detail: detail})
		}
		p.Rows = append(p.Rows, row)
	}
}
