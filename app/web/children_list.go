package web

import (
	"strconv"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The case list: search, filters, sort and paging, all kept in the URL.

type childListPage struct {
	page
	children.Page
	Orgs     []store.OrganisationChoice
	Cohorts  []cohort.Cohort
	CanAdd   bool
	List     listNav
	National bool
	// Notice confirms a deletion; Incoming counts the transfers waiting for
	// the viewer's answer; the links go to the transfers and deleted
	// children pages for those who may see them.
	Notice           string
	Incoming         int64
	CanViewTransfers bool
	CanViewDeleted   bool
}

var childColumnLabels = map[string]string{"audit_id": "Audit ID", "name": "Name", "nhs_number": "NHS number",
	"date_of_birth": "Date of birth", "cohort": "Cohort", "organisation": "Lead organisation", "status": "Status",
	"progress": "Audit progress", "days_remaining": "Days remaining", "submitted": "Date submitted"}

func childFilter(c *fiber.Ctx) children.Filter {
	page, _ := strconv.Atoi(c.Query("page"))
	co, _ := strconv.Atoi(c.Query("cohort"))
	return children.Filter{Query: c.Query("q"), Org: c.Query("org"), Cohort: co, Registered: c.Query("registered"),
		Locked: c.Query("locked"), OptedOut: c.Query("opted_out"), Sort: c.Query("sort"), Desc: c.Query("dir") == "desc",
		Page: page}.Normalise()
}

// CohortOptions are the cohort filter's choices, any cohort first.
func (p childListPage) CohortOptions() []optionView {
	out := []optionView{{Value: "", Label: "Any cohort"}}
	for _, c := range p.Cohorts {
		n := strconv.Itoa(int(c))
		out = append(out, optionView{Value: n, Label: "Cohort " + n, Checked: int(c) == p.Filter.Cohort})
	}
	return out
}

func childrenAt(f children.Filter) listAt {
	cohort := ""
	if f.Cohort != 0 {
		cohort = strconv.Itoa(f.Cohort)
	}
	return listAt{"/children", map[string]string{"q": f.Query, "org": f.Org, "cohort": cohort, "registered": f.Registered,
		"locked": f.Locked, "opted_out": f.OptedOut}, "name"}
}

func (s *server) handleChildList(c *fiber.Ctx) error {
	a := actor(c)
	svc := s.children()
	p, err := svc.List(c.UserContext(), a, childFilter(c))
	if err != nil {
		return err
	}
	data := childListPage{page: s.page(c, "Children", "children"), Page: p, CanAdd: a.Can(access.EditDemographics),
		Cohorts: svc.CohortChoices(), National: a.National()}
	f := p.Filter
	data.List = sortedListNav("#child-results", f.Sort, f.Desc, f.Page, p.Pages, children.SortColumns, childColumnLabels, childrenAt(f).url)
	if isHTMX(c) {
		return renderPartial(c, "partials/child_results", data)
	}
	if data.Orgs, err = svc.OrganisationsInScope(c.UserContext(), a); err != nil {
		return err
	}
	if data.Incoming, err = svc.IncomingTransfers(c.UserContext(), a); err != nil {
		return err
	}
	data.Notice, data.CanViewTransfers, data.CanViewDeleted = childListNotices[c.Query("done")], a.Can(access.TransferChild), a.Can(access.RestoreChild)
	return renderPage(c, "pages/child_list", data)
}

// Adding and editing demographics.
