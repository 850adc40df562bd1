package staff

import (
	"context"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// PageSize is how many accounts a page of the staff list shows.
const PageSize = 25

// Sortable columns of the staff list.
var SortColumns = []string{"name", "email", "role", "organisation", "status", "last_sign_in"}

// Filter is the staff list's query, as kept in the URL.
type Filter struct {
	Query  string // name or email
	Org    string // ODS code; empty for all in scope
	Role   string
	Status string // "active", "inactive" or ""
	Sort   string // one of SortColumns
	Desc   bool
	Page   int
}

// Normalise makes any input a valid filter: unknown values fall back to
// their defaults rather than failing.
func (f Filter) Normalise() Filter {
	f.Query, f.Org = listfilter.Cap(strings.TrimSpace(f.Query)), listfilter.ODS(f.Org)
	if _, ok := access.ParseRole(f.Role); !ok {
		f.Role = ""
	}
	if f.Status != "active" && f.Status != "inactive" {
		f.Status = ""
	}
	f.Sort, f.Desc = listfilter.Sort(f.Sort, f.Desc, SortColumns)
	f.Page = listfilter.Page(f.Page)
	return f
}

// Page is one page of the staff list.
type Page struct {
	Filter Filter
	Users  []store.UserListItem
	Total  int64
	Pages  int
}

// List returns the accounts the actor may see that match f. Choosing an
// organisation outside the actor's scope is refused, however it was sent.
// A registry manager (manage_registry_users without view_users) sees the
// registry's accounts alone, which belong to no organisation. Errors:
// apperr.ErrForbidden, the store's.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) (Page, error) {
	registryOnly := !a.Can(access.ViewUsers)
	if registryOnly && !a.Can(access.ManageRegistryUsers) {
		return Page{}, apperr.ErrForbidden
	}
	f = f.Normalise()
	trust, board := a.QueryScope()
	if registryOnly {
		if f.Org != "" {
			return Page{}, apperr.ErrForbidden
		}
		trust, board = "", ""
	}
	var orgID int64
	if f.Org != "" {
		o, err := s.Store.GetOrganisationByODS(ctx, f.Org)
		if err != nil || !a.InScope(access.PlaceOfOrganisation(o)) {
			return Page{}, apperr.ErrForbidden
		}
		orgID = o.ID
	}
	pattern := "%" + strings.NewReplacer("%", "", "_", "", "\\", "").Replace(strings.ToLower(f.Query)) + "%"
	total, err := s.Store.CountUsers(ctx, store.CountUsersParams{ScopeTrust: trust, ScopeBoard: board, Pattern: pattern,
		OrganisationID: orgID, Role: f.Role, RegistryOnly: registryOnly, Status: f.Status})
	if err != nil {
		return Page{}, err
	}
	pages := max(1, int((total+PageSize-1)/PageSize))
	f.Page = min(f.Page, pages)
	users, err := s.Store.ListUsers(ctx, store.ListUsersParams{Now: ptr(s.now()), Descending: f.Desc, SortColumn: f.Sort,
		ScopeTrust: trust, ScopeBoard: board, Pattern: pattern, OrganisationID: orgID, Role: f.Role, RegistryOnly: registryOnly, Status: f.Status,
		PageOffset: int64(f.Page-1) * PageSize, PageLimit: PageSize})
	if err != nil {
		return Page{}, err
	}
	return Page{Filter: f, Users: users, Total: total, Pages: pages}, nil
}
