package children

import (
	"context"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/cohort"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/staff"
	"clinaudit/app/store"
)

// PageSize is how many children a page of the case list shows (§10.1).
const PageSize = 50

// SortColumns are the case list's columns, every one sortable.
var SortColumns = []string{"audit_id", "name", "nhs_number", "date_of_birth", "cohort", "organisation", "status"}

// Filter is the case list's query, as kept in the URL.
type Filter struct {
	Query      string // a name, an NHS number (any spacing), a Jersey reference or an audit ID
	Org        string // lead organisation's ODS code; empty for all in scope
	Cohort     int    // 0 for any
	Registered string // "yes", "no" or ""
	Locked     string // "yes", "no" or ""
	OptedOut   string // "" leaves opted-out children out (§11.2), "yes" shows only them, "all" both
	Sort       string // one of SortColumns
	Desc       bool
	Page       int
}

// Normalise makes any input a valid filter: unknown values fall back to
// their defaults rather than failing.
func (f Filter) Normalise() Filter {
	f.Query = strings.Join(strings.Fields(f.Query), " ")
	if len(f.Query) > 100 {
		f.Query = f.Query[:100]
	}
	f.Org = cleanODS(f.Org)
	if f.Cohort < int(cohort.First) || f.Cohort > 999 {
		f.Cohort = 0
	}
	yesNo := func(s string) string {
		if s == "yes" || s == "no" {
			return s
		}
		return ""
	}
	f.Registered, f.Locked = yesNo(f.Registered), yesNo(f.Locked)
	if f.OptedOut != "yes" && f.OptedOut != "all" {
		f.OptedOut = ""
	}
	valid := false
	for _, c := range SortColumns {
		valid = valid || c == f.Sort
	}
	if !valid {
		f.Sort, f.Desc = "name", false
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return f
}

// Filtered reports whether anything narrows the list beyond the scope.
func (f Filter) Filtered() bool {
	return f.Query != "" || f.Org != "" || f.Cohort != 0 || f.Registered != "" || f.Locked != "" || f.OptedOut != ""
}

// search is the query as the list's patterns: each applies to one kind of
// identifier, and one that does not apply is "" (which matches nothing).
type search struct {
	on                             bool
	name, number, reference, audit string
}

func searchFor(q string) search {
	if q == "" {
		return search{}
	}
	q = strings.NewReplacer("%", "", "_", "", "\\", "").Replace(q)
	s := search{on: true, name: "%" + strings.ToLower(q) + "%", reference: "%" + strings.ToUpper(q) + "%"}
	if digits := nhsnumber.Normalise(q); digits != "" && strings.Trim(digits, "0123456789") == "" {
		s.number = "%" + digits + "%"
	}
	if id, ok := NormaliseAuditID(q); ok {
		s.audit = id + "%"
	}
	return s
}

// Row is one child in the case list.
type Row struct{ store.ChildListItem }

// NHSNumberDisplay is "999 123 4560", or the Jersey reference number.
func (r Row) NHSNumberDisplay() string { return numberDisplay(r.NHSNumber, r.UniqueReferenceNumber) }

// DateOfBirthDisplay is "3 May 2015".
func (r Row) DateOfBirthDisplay() string { return dateDisplay(r.DateOfBirth) }

// Name is "First Surname".
func (r Row) Name() string { return strings.TrimSpace(r.FirstName + " " + r.Surname) }

// CohortNumber is the cohort as text, "" when not registered.
func (r Row) CohortNumber() string {
	if r.Cohort == nil {
		return ""
	}
	return strconv.FormatInt(*r.Cohort, 10)
}

// Page is one page of the case list.
type Page struct {
	Filter Filter
	Rows   []Row
	Total  int64 // children matching the filter
	Pages  int
	// Totals counts every child in scope (of the chosen organisation, if
	// one is chosen) and those registered, whatever the other filters.
	Totals store.ChildTotals
	// NoChildren: the actor's scope has no children at all, as opposed to
	// none matching the filters.
	NoChildren bool
}

// List returns the children the actor may see that match f. Choosing an
// organisation outside the actor's scope is refused, however it was sent.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) (Page, error) {
	if !a.Can(access.ViewChild) {
		return Page{}, ErrForbidden
	}
	f = f.Normalise()
	var orgID int64
	if f.Org != "" {
		o, err := s.Store.GetOrganisationByODS(ctx, f.Org)
		if err != nil || !a.InScope(staff.PlaceOfOrganisation(o)) {
			return Page{}, ErrForbidden
		}
		orgID = o.ID
	}
	trust, board := scope(a)
	all, err := s.Store.ChildTotals(ctx, store.ChildTotalsParams{ScopeTrust: trust, ScopeBoard: board})
	if err != nil {
		return Page{}, err
	}
	p := Page{Totals: all, NoChildren: all.Total == 0}
	if orgID != 0 {
		if p.Totals, err = s.Store.ChildTotals(ctx, store.ChildTotalsParams{ScopeTrust: trust, ScopeBoard: board, OrganisationID: orgID}); err != nil {
			return Page{}, err
		}
	}
	q := searchFor(f.Query)
	p.Total, err = s.Store.CountChildren(ctx, store.CountChildrenParams{ScopeTrust: trust, ScopeBoard: board, Search: q.on,
		NamePattern: q.name, NumberPattern: q.number, ReferencePattern: q.reference, AuditIDPattern: q.audit,
		OrganisationID: orgID, Cohort: int64(f.Cohort), Registered: f.Registered, Locked: f.Locked, OptedOut: f.OptedOut})
	if err != nil {
		return Page{}, err
	}
	p.Pages = max(1, int((p.Total+PageSize-1)/PageSize))
	f.Page = min(f.Page, p.Pages)
	p.Filter = f
	rows, err := s.Store.ListChildren(ctx, store.ListChildrenParams{Descending: f.Desc, SortColumn: f.Sort,
		ScopeTrust: trust, ScopeBoard: board, Search: q.on, NamePattern: q.name, NumberPattern: q.number,
		ReferencePattern: q.reference, AuditIDPattern: q.audit, OrganisationID: orgID, Cohort: int64(f.Cohort),
		Registered: f.Registered, Locked: f.Locked, OptedOut: f.OptedOut, PageOffset: int64(f.Page-1) * PageSize, PageLimit: PageSize})
	if err != nil {
		return Page{}, err
	}
	p.Rows = make([]Row, len(rows))
	for i, r := range rows {
		p.Rows[i] = Row{r}
	}
	return p, nil
}

// CohortChoices are the cohorts the list can filter by: the first of the
// audit to the one recruiting today, newest first.
func (s *Service) CohortChoices() []cohort.Cohort {
	var out []cohort.Cohort
	for c := cohort.RolesOn(s.today()).Recruiting; c >= cohort.First; c-- {
		out = append(out, c)
	}
	return out
}
