package web

import (
	"bytes"
	"strconv"

	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/chart"
	"clinaudit/app/export"
	"clinaudit/app/refdata/data"
	"clinaudit/app/report"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The registry's reports and the audit's demographic breakdowns
// (docs/reporting.md): sections of counts (package report), each a chart
// and a table, and the same rows as CSV or XLSX (?format=).

type reportRow struct {
	Label, Share string
	Count        int64
}

type sectionView struct {
	ID, Title, Of, Group string
	Total                int64
	Rows                 []reportRow
	Chart                chart.Layout
}

// sectionViews lays out each section: bars are shares of its total.
func sectionViews(sections []report.Section) []sectionView {
	out := make([]sectionView, len(sections))
	for i, s := range sections {
		v := sectionView{ID: "report-" + s.ID, Title: s.Title, Of: s.Of, Group: s.Group, Total: s.Total()}
		var bars []chart.Bar
		for j, r := range s.Rows {
			v.Rows = append(v.Rows, reportRow{Label: r.Label, Count: r.Count, Share: s.ShareText(j)})
			p, ok := s.Share(j)
			bars = append(bars, chart.Bar{Label: r.Label, Value: p, HasValue: ok})
		}
		title := s.Title
		if s.Group != "" {
			title += ", " + s.Group
		}
		v.Chart = chart.Horizontal(title+": share of "+s.Of, bars, nil, "")
		v.Chart.ID = "chart-" + s.ID
		out[i] = v
	}
	return out
}

// sendSections answers ?format=csv|xlsx with the sections as a download
// named name; ok false when no format was asked for.
func sendSections(c *fiber.Ctx, name string, sections []report.Section) (bool, error) {
	format := c.Query("format")
	var b bytes.Buffer
	var err error
	switch format {
	case "":
		return false, nil
	case "csv":
		err = export.WriteSectionsCSV(&b, sections)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	case "xlsx":
		err = export.WriteSectionsXLSX(&b, "Report", sections)
		c.Set(fiber.HeaderContentType, xlsxType)
	default:
		return true, apperr.New(apperr.Invalid, "Say which format to download: format=csv or format=xlsx.")
	}
	if err != nil {
		return true, err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+"."+format+`"`)
	return true, c.Send(b.Bytes())
}

// handleRegistryReports is the registry's reports page, for its managers
// and viewers: counts only, so viewers see it whole.
func (s *server) handleRegistryReports(c *fiber.Ctx) error {
	p, err := s.registryPage(c, "Reports")
	if err != nil {
		return err
	}
	_, sections, err := s.registry().Report(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	if sent, err := sendSections(c, "registry-"+p.Registry.Slug+"-report-"+s.Now().Format("2006-01-02"), sections); sent {
		return err
	}
	return renderPage(c, "pages/registry_reports", registryReportsPage{p, sectionViews(sections)})
}

type registryReportsPage struct {
	registryPage
	Sections []sectionView
}

// demographicsPage is an organisation's demographic breakdowns at one of
// its levels.
type demographicsPage struct {
	page
	Org      store.Organisation
	Cohort   int
	Cohorts  []cohortView
	Level    aggregate.Level
	Levels   []optionView
	Group    string
	Sections []sectionView
}

// handleDemographics shows the children of a cohort counted at the
// organisation, or at one of its levels (its trust, ICB, ..., nationally),
// by sex, ethnicity, age at first assessment and deprivation quintile.
func (s *server) handleDemographics(c *fiber.Ctx) error {
	ctx := c.UserContext()
	o, err := s.dashboardOrganisation(c)
	if err != nil {
		return err
	}
	chosen, cohorts, err := s.cohortChoice(c)
	if err != nil {
		return err
	}
	level := aggregate.Organisation
	if q := c.Query("level"); q != "" {
		if level, err = aggregate.ParseLevel(q); err != nil {
			return apperr.New(apperr.Invalid, msgBadLevel())
		}
	}
	p := demographicsPage{page: s.page(c, o.Name+": demographics", "dashboards"), Org: o, Cohort: int(chosen), Cohorts: cohorts, Level: level}
	key, ok := aggregate.EntityOf(level, o)
	for _, l := range aggregate.Levels() {
		if _, has := aggregate.EntityOf(l, o); has {
			p.Levels = append(p.Levels, optionView{Value: string(l), Label: l.Label() + ": " + entityName(l, o), Checked: l == level})
		}
	}
	if !ok {
		return apperr.New(apperr.NotFound, o.Name+" belongs to no "+level.Label()+".")
	}
	n := int64(chosen)
	counts, err := s.Store.CountChildDemographics(ctx, &n)
	if err != nil {
		return err
	}
	orgs, err := s.Store.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", PageLimit: 100000})
	if err != nil {
		return err
	}
	members := map[int64]bool{}
	for _, other := range orgs {
		if k, has := aggregate.EntityOf(level, other); has && k == key {
			members[other.ID] = true
		}
	}
	p.Group = level.Label() + ": " + entityName(level, o)
	sections := report.Demographics(counts, func(id int64) bool { return members[id] }, ethnicityLabels, p.Group)
	if sent, err := sendSections(c, "demographics-cohort-"+strconv.Itoa(int(chosen))+"-"+o.ODSCode+"-"+string(level), sections); sent {
		return err
	}
	p.Sections = sectionViews(sections)
	return renderPage(c, "pages/dashboard_demographics", p)
}

// entityName is the name of the entity of level l that o belongs to.
func entityName(l aggregate.Level, o store.Organisation) string {
	switch l {
	case aggregate.Organisation:
		return o.Name
	case aggregate.Trust:
		return o.TrustName
	case aggregate.LocalHealthBoard:
		return o.HealthBoardName
	case aggregate.ICB:
		return o.ICBName
	case aggregate.NHSEnglandRegion:
		return o.RegionName
	case aggregate.OpenUKNetwork:
		return o.NetworkName
	case aggregate.Country:
		return o.CountryName
	}
	return aggregate.NationalName
}

// ethnicityLabels names the ETHNICITIES codes as the demographics form does.
var ethnicityLabels = func() map[string]string {
	m := map[string]string{}
	for _, c := range data.ChoiceList("ETHNICITIES") {
		m[c.Code] = c.Label
	}
	return m
}()
