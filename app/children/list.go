package children

import (
	"context"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/listfilter"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
)

// PageSize is how many children a page of the case list shows (§10.1).
const PageSize = 50

// SortColumns are the case list's columns, every one sortable: each has
// its own queries and indexes (app/store/internal/listgen).
var SortColumns = store.ChildSortColumns

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
	f.Query, f.Org = listfilter.Cap(strings.Join(strings.Fields(f.Query), " ")), listfilter.ODS(f.Org)
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
	f.Sort, f.Desc = listfilter.Sort(f.Sort, f.Desc, SortColumns)
	f.Page = listfilter.Page(f.Page)
	return f
}

// Filtered reports whether anything narrows the list beyond the scope.
func (f Filter) Filtered() bool {
	return f.Query != "" || f.Org != "" || f.Cohort != 0 || f.Registered != "" || f.Locked != "" || f.OptedOut != ""
}

// search is the query as ranges of the list's indexes. Every kind of
// search is a prefix, so each is one range of one index and the children
// matching are found without reading the others:
//   - a name: the start of "surname first name" or "first name surname",
//     case-insensitive;
//   - an NHS number (spaces and dashes removed) or a Jersey reference
//     number (upper-case): the start of it, from 3 characters; 10 digits
//     find that one child;
//   - an audit ID, read the forgiving way (NormaliseAuditID): the start of
//     it, from 3 characters ("C" and two more), since every ID starts
//     with C.
//
// A kind that does not apply keeps empty bounds, which match nothing.
type search struct {
	nameFrom, nameTo, numberFrom, numberTo, auditFrom, auditTo string
}

// beyond follows every string that starts with a prefix it is appended to:
// the highest code point, in UTF-8, compared byte by byte (SQLite's
// binary collation, PostgreSQL's "C" of the key columns).
const beyond = "\U0010FFFF"

// minPrefix is the shortest number, reference or audit ID prefix searched.
const minPrefix = 3

func searchFor(q string) (search, bool) {
	q = strings.NewReplacer("%", "", "_", "", "\\", "").Replace(q)
	if q == "" {
		return search{}, false
	}
	name := strings.ToLower(q)
	s := search{nameFrom: name, nameTo: name + beyond}
	number := nhsnumber.Normalise(q)
	if strings.Trim(number, "0123456789") != "" {
		number = strings.ToUpper(q) // a Jersey reference number
	}
	if len(number) >= minPrefix {
		s.numberFrom, s.numberTo = number, number+beyond
	}
	// Audit IDs have one length and an alphabet of digits and capitals, so
	// the IDs starting with id lie between id padded with the lowest and
	// with the highest character, in any collation.
	if id, ok := NormaliseAuditID(q); ok && len(id) >= minPrefix {
		s.auditFrom = id + strings.Repeat(auditIDAlphabet[:1], AuditIDLength-len(id))
		s.auditTo = id + strings.Repeat(auditIDAlphabet[len(auditIDAlphabet)-1:], AuditIDLength-len(id))
	}
	return s, true
}

// Row is one child in the case list, as on the day the list was read
// (Today, in the UK).
type Row struct {
	store.ChildListItem
	Today time.Time
}

// ProgressDisplay is how much of the audit is answered, "45%", as the KPI
// scoring job last stored it; "" for a child not registered or not scored
// since the column was added (a KPI recalculation fills it).
func (r Row) ProgressDisplay() string {
	if !r.Registered || r.AuditProgress == nil {
		return ""
	}
	return strconv.FormatInt(*r.AuditProgress, 10) + "%"
}

// DaysRemaining is the days from today to the submission deadline of the
// child's cohort (spec §10.1; 0 on the day, negative after it), and false
// for a child not registered.
func (r Row) DaysRemaining() (int, bool) {
	if r.Cohort == nil {
		return 0, false
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	return int(day(cohort.Cohort(*r.Cohort).SubmissionDeadline()).Sub(day(r.Today)).Hours() / 24), true
}

// DaysRemainingDisplay is DaysRemaining as the list shows it: "12 days",
// "1 day", "Today", "Deadline passed", or "" for a child not registered.
func (r Row) DaysRemainingDisplay() string {
	n, ok := r.DaysRemaining()
	switch {
	case !ok:
		return ""
	case n < 0:
		return "Deadline passed"
	case n == 0:
		return "Today"
	case n == 1:
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// SubmittedDisplay is the day the record was submitted (locked), "3 May
// 2026" in the UK; "" while it is not.
func (r Row) SubmittedDisplay() string {
	if r.LockedAt == nil {
		return ""
	}
	return r.LockedAt.In(london).Format("2 January 2006")
}

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
// Errors: apperr.ErrForbidden.
//
// The figures come from child_counts (a few thousand rows, kept exact by
// triggers) and a page from one index walk (docs/performance.md): without a
// search, ListChildrenSorted nationally, or ListChildrenInScopeSorted
// within the actor's trust or health board or, with an organisation
// chosen, within that organisation's; with a search, the matches are found
// as index ranges and counted from the indexes (by name, only when the
// first page is full).
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) (Page, error) {
	if !a.Can(access.ViewChild) {
		return Page{}, apperr.ErrForbidden
	}
	f = f.Normalise()
	scope := a.ScopeCode()
	var orgID int64
	listScope := scope
	if f.Org != "" {
		o, err := s.Store.GetOrganisationByODS(ctx, f.Org)
		if err != nil || !a.InScope(access.PlaceOfOrganisation(o)) {
			return Page{}, apperr.ErrForbidden
		}
		orgID = o.ID
		// The organisation's own trust or health board: its children are
		// all there, and the walk is of that scope, not of the country.
		place := access.PlaceOfOrganisation(o)
		listScope = place.Trust + place.HealthBoard
	}
	all, err := s.Store.ChildTotals(ctx, store.ChildTotalsParams{Scope: scope})
	if err != nil {
		return Page{}, err
	}
	p := Page{Totals: all, NoChildren: all.Total == 0, Pages: 1}
	if p.NoChildren {
		f.Page = 1
		p.Filter = f
		return p, nil
	}
	if orgID != 0 {
		if p.Totals, err = s.Store.ChildTotals(ctx, store.ChildTotalsParams{OrganisationID: orgID}); err != nil {
			return Page{}, err
		}
	}
	q, searching := searchFor(f.Query)
	m := store.ListChildrenMatchingParams{Descending: f.Desc, SortColumn: f.Sort,
		NameFrom: q.nameFrom, NameTo: q.nameTo, NumberFrom: q.numberFrom, NumberTo: q.numberTo,
		AuditIDFrom: q.auditFrom, AuditIDTo: q.auditTo, Scope: scope, OrganisationID: orgID,
		Cohort: int64(f.Cohort), Registered: f.Registered, Locked: f.Locked, OptedOut: f.OptedOut, PageLimit: PageSize}
	var rows []store.ChildListItem
	switch {
	case !searching:
		p.Total, err = s.Store.CountChildren(ctx, store.CountChildrenParams{Scope: scope, OrganisationID: orgID,
			Cohort: m.Cohort, Registered: m.Registered, Locked: m.Locked, OptedOut: m.OptedOut})
	case f.Page == 1 && f.Sort == "name":
		// Most searches find one child or a few: then the first page
		// says how many.
		if rows, err = s.matches(ctx, m); err == nil && len(rows) == PageSize {
			p.Total, err = s.countMatches(ctx, m)
		} else {
			p.Total = int64(len(rows))
		}
	default:
		p.Total, err = s.countMatches(ctx, m)
	}
	if err != nil {
		return Page{}, err
	}
	p.Pages = max(1, int((p.Total+PageSize-1)/PageSize))
	f.Page = min(f.Page, p.Pages) // past the end: the last page
	p.Filter = f
	m.PageOffset = int64(f.Page-1) * PageSize
	// A search sorted by name pages its matches from the name indexes. By
	// another column, either every match is read and sorted, or the
	// column's index is walked, testing each child, until the page is
	// full: whichever reads fewer rows, the walk being about (offset + a
	// page) × children in scope ÷ matches.
	walk := !searching
	if searching && f.Sort != "name" && p.Total > 0 {
		walk = (m.PageOffset+PageSize)*p.Totals.Total/p.Total < p.Total
	}
	sorted := store.ChildListInScopeParams{Scope: listScope, Searching: searching,
		NameFrom: m.NameFrom, NameTo: m.NameTo, NumberFrom: m.NumberFrom, NumberTo: m.NumberTo,
		AuditIDFrom: m.AuditIDFrom, AuditIDTo: m.AuditIDTo, OrganisationID: orgID, Cohort: m.Cohort,
		Registered: m.Registered, Locked: m.Locked, OptedOut: m.OptedOut, PageOffset: m.PageOffset, PageLimit: PageSize}
	switch {
	case p.Total == 0 || rows != nil:
	case !walk:
		rows, err = s.matches(ctx, m)
	case listScope == "":
		rows, err = store.ListChildrenSorted(ctx, s.Store, f.Sort, f.Desc, store.ChildListParams{Searching: sorted.Searching,
			NameFrom: sorted.NameFrom, NameTo: sorted.NameTo, NumberFrom: sorted.NumberFrom, NumberTo: sorted.NumberTo,
			AuditIDFrom: sorted.AuditIDFrom, AuditIDTo: sorted.AuditIDTo, OrganisationID: orgID, Cohort: m.Cohort,
			Registered: m.Registered, Locked: m.Locked, OptedOut: m.OptedOut, PageOffset: m.PageOffset, PageLimit: PageSize})
	default:
		rows, err = store.ListChildrenInScopeSorted(ctx, s.Store, f.Sort, f.Desc, sorted)
	}
	if err != nil {
		return Page{}, err
	}
	p.Rows = make([]Row, len(rows))
	today := s.today()
	for i, r := range rows {
		p.Rows[i] = Row{ChildListItem: r, Today: today}
	}
	return p, nil
}

// matches is a page of a search: by name (the default) from the indexes
// alone, by another column reading every match.
func (s *Service) matches(ctx context.Context, m store.ListChildrenMatchingParams) ([]store.ChildListItem, error) {
	if m.SortColumn != "name" {
		return s.Store.ListChildrenMatching(ctx, m)
	}
	byName := store.ListChildrenMatchingByNameParams{PageOffset: m.PageOffset, PageLimit: m.PageLimit,
		NameFrom: m.NameFrom, NameTo: m.NameTo, Scope: m.Scope, OrganisationID: m.OrganisationID, Cohort: m.Cohort,
		Registered: m.Registered, Locked: m.Locked, OptedOut: m.OptedOut, NumberFrom: m.NumberFrom, NumberTo: m.NumberTo,
		AuditIDFrom: m.AuditIDFrom, AuditIDTo: m.AuditIDTo}
	if m.Descending {
		return s.Store.ListChildrenMatchingByNameDesc(ctx, byName)
	}
	return s.Store.ListChildrenMatchingByNameAsc(ctx, byName)
}

func (s *Service) countMatches(ctx context.Context, m store.ListChildrenMatchingParams) (int64, error) {
	return s.Store.CountChildrenMatching(ctx, store.CountChildrenMatchingParams{NameFrom: m.NameFrom, NameTo: m.NameTo,
		Scope: m.Scope, OrganisationID: m.OrganisationID, Cohort: m.Cohort, Registered: m.Registered, Locked: m.Locked,
		OptedOut: m.OptedOut, NumberFrom: m.NumberFrom, NumberTo: m.NumberTo, AuditIDFrom: m.AuditIDFrom, AuditIDTo: m.AuditIDTo})
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
