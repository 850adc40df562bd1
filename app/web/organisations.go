package web

import (
	"strconv"
	"strings"

	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

const orgPageSize = 25

type organisationsPage struct {
	page
	Query, Country  string
	Countries       []store.Country
	Organisations   []store.Organisation
	Total, From, To int64
	List            listNav
}

// handleOrganisations lists organisations with search, a country filter and
// pages, all kept in the URL so a link reproduces the view. An htmx request
// gets just the results fragment.
func (s *server) handleOrganisations(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 100 {
		q = q[:100]
	}
	country := c.Query("country")
	pageNo, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || pageNo < 1 {
		pageNo = 1
	}

	pattern := "%" + escapeLike(strings.ToLower(q)) + "%"
	total, err := s.Store.CountOrganisations(ctx, store.CountOrganisationsParams{Pattern: pattern, CountryCode: country})
	if err != nil {
		return err
	}
	lastPage := max(1, int((total+orgPageSize-1)/orgPageSize))
	pageNo = min(pageNo, lastPage)
	offset := int64(pageNo-1) * orgPageSize
	orgs, err := s.Store.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: pattern, CountryCode: country, PageLimit: orgPageSize, PageOffset: offset})
	if err != nil {
		return err
	}

	data := organisationsPage{page: s.page(c, "Organisations", "organisations"), Query: q, Country: country,
		Organisations: orgs, Total: total}
	if total > 0 {
		data.From, data.To = offset+1, offset+int64(len(orgs))
	}
	data.List = newListNav("#org-results", pageNo, lastPage, func(page int) string { return orgURL(q, country, page) })
	data.List.Numbered = true
	if isHTMX(c) {
		return renderPartial(c, "partials/organisation_results", data)
	}
	if data.Countries, err = s.Store.ListAuditCountries(ctx); err != nil {
		return err
	}
	return renderPage(c, "pages/organisations", data)
}

func orgURL(q, country string, pageNo int) string {
	return listURL("/organisations", map[string]string{"q": q, "country": country}, "", "", false, pageNo)
}

// escapeLike stops a user's % and _ acting as wildcards. The shared SQL uses
// LIKE without an ESCAPE clause on both engines, so they are dropped instead.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "", "\\", "").Replace(s)
}
