package web

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/staff"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

type staffListPage struct {
	page
	staff.Page
	Orgs      []store.OrganisationChoice
	Roles     []access.Role
	CanInvite bool
	// Organisations: the organisation filter and column; a registry
	// manager's list is of registry accounts, which have none.
	Organisations bool
	List          listNav
}

// mayListStaff: the staff list is for those who view accounts and for
// registry managers (registry accounts only: staff.List).
func mayListStaff(a access.Actor) bool {
	return a.Can(access.ViewUsers) || a.Can(access.ManageRegistryUsers)
}

var columnLabels = map[string]string{"name": "Name", "email": "Email", "role": "Role", "organisation": "Organisation", "status": "Status", "last_sign_in": "Last signed in"}

func staffFilter(c *fiber.Ctx) staff.Filter {
	page, _ := strconv.Atoi(c.Query("page"))
	return staff.Filter{Query: c.Query("q"), Org: c.Query("org"), Role: c.Query("role"), Status: c.Query("status"),
		Sort: c.Query("sort"), Desc: c.Query("dir") == "desc", Page: page}.Normalise()
}

// RoleOptions are the role filter's choices, any role first.
func (p staffListPage) RoleOptions() []optionView {
	out := []optionView{{Value: "", Label: "Any role"}}
	for _, r := range p.Roles {
		out = append(out, optionView{Value: string(r), Label: r.Label(), Checked: string(r) == p.Filter.Role})
	}
	return out
}

func staffAt(f staff.Filter) listAt {
	return listAt{"/admin/users", map[string]string{"q": f.Query, "org": f.Org, "role": f.Role, "status": f.Status}, "name"}
}

func (s *server) handleStaffList(c *fiber.Ctx) error {
	a := actor(c)
	p, err := s.Staff.List(c.UserContext(), a, staffFilter(c))
	if err != nil {
		return err
	}
	data := staffListPage{page: s.page(c, "Staff", "staff"), Page: p, Roles: access.Roles, CanInvite: access.MayManageAccounts(a),
		Organisations: a.Can(access.ViewUsers)}
	if !data.Organisations {
		data.Roles = assignable(a) // the registry's two
	}
	f := p.Filter
	columns := staff.SortColumns
	if !data.Organisations {
		columns = slices.DeleteFunc(slices.Clone(columns), func(k string) bool { return k == "organisation" })
	}
	data.List = sortedListNav("#staff-results", f.Sort, f.Desc, f.Page, p.Pages, columns, columnLabels, staffAt(f).url)
	if isHTMX(c) {
		return renderPartial(c, "partials/staff_results", data)
	}
	if data.Organisations {
		if data.Orgs, err = s.Staff.OrganisationsInScope(c.UserContext(), a); err != nil {
			return err
		}
	}
	return renderPage(c, "pages/staff_list", data)
}

type staffFormPage struct {
	page
	Editing   bool
	Account   *staff.Account
	Form      staffForm
	Errors    fieldErrs
	Orgs      []store.OrganisationChoice
	Roles     []access.Role
	Superuser bool // the viewer may grant the superuser flag
	National  bool // the viewer may give national roles (no organisation)
	// Organisations: the form has the organisation field. A registry
	// manager gives registry roles alone, which have no organisation.
	Organisations bool
}

type staffForm struct {
	Email, FirstName, Surname, Role, Org string
	Superuser                            bool
}

// assignable are the roles the actor may give.
func assignable(a access.Actor) []access.Role {
	var out []access.Role
	for _, r := range access.Roles {
		if access.MayAssignRole(a, r, false) {
			out = append(out, r)
		}
	}
	return out
}

func (s *server) renderStaffForm(c *fiber.Ctx, data staffFormPage, status int) error {
	a := actor(c)
	data.Roles, data.Superuser, data.National, data.Organisations = assignable(a), a.Superuser, a.Can(access.ManageNational), a.Can(access.ManageUsers)
	if data.Organisations {
		var err error
		if data.Orgs, err = s.Staff.OrganisationsInScope(c.UserContext(), a); err != nil {
			return err
		}
	}
	c.Status(status)
	return renderPage(c, "pages/staff_form", data)
}

func (s *server) handleStaffNew(c *fiber.Ctx) error {
	a := actor(c)
	if !access.MayManageAccounts(a) {
		return apperr.ErrForbidden
	}
	form := staffForm{Role: string(access.Clinician)}
	if !a.Can(access.ManageUsers) {
		form.Role = string(access.RegistryViewer)
	} else if !a.National() {
		if o, err := s.Store.GetOrganisation(c.UserContext(), a.Organisation); err == nil {
			form.Org = o.ODSCode
		}
	}
	return s.renderStaffForm(c, staffFormPage{page: s.page(c, "Add a member of staff", "staff"), Form: form}, fiber.StatusOK)
}

func readStaffForm(c *fiber.Ctx) staffForm {
	return staffForm{Email: strings.TrimSpace(c.FormValue("email")), FirstName: strings.TrimSpace(c.FormValue("first_name")),
		Surname: strings.TrimSpace(c.FormValue("surname")), Role: c.FormValue("role"), Org: c.FormValue("organisation"),
		Superuser: c.FormValue("superuser") == "yes"}
}

func (s *server) handleStaffCreate(c *fiber.Ctx) error {
	f := readStaffForm(c)
	data := staffFormPage{page: s.page(c, "Add a member of staff", "staff"), Form: f}
	for _, req := range []struct{ field, value, msg string }{
		{"email", f.Email, "Enter an email address"}, {"first_name", f.FirstName, "Enter a first name"}, {"surname", f.Surname, "Enter a surname"},
	} {
		if req.value == "" {
			data.Errors = append(data.Errors, fieldErr{Field: req.field, Message: req.msg})
		}
	}
	if len(data.Errors) > 0 {
		return s.renderStaffForm(c, data, fiber.StatusUnprocessableEntity)
	}
	u, err := s.Staff.Invite(c.UserContext(), me(c), auth.NewUser{Email: f.Email, FirstName: f.FirstName, Surname: f.Surname,
		Role: access.Role(f.Role), Organisation: f.Org, Superuser: f.Superuser})
	var fe *staff.FieldError
	if errors.As(err, &fe) {
		data.Errors = errorOn(fe.Field, fe.Message)
		return s.renderStaffForm(c, data, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=invited", fiber.StatusSeeOther)
}

func userID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// staffAccount reads the account the address names, as the signed-in user
// may see it.
func (s *server) staffAccount(c *fiber.Ctx) (staff.Account, error) {
	id, err := userID(c)
	if err != nil {
		return staff.Account{}, err
	}
	return s.Staff.Get(c.UserContext(), actor(c), id)
}

type staffShowPage struct {
	page
	Account staff.Account
	Notice  string
	IsMe    bool
	Clients clientsSection // staff_clients.go
}

var staffNotices = map[string]string{
	"invited": "Account created. We have emailed an invite link, valid for 72 hours.", "saved": "Changes saved.",
	"deactivate": "Account deactivated. Any signed-in session has ended.", "reactivate": "Account reactivated.",
	"resend-invite": "A new invite link has been emailed. The old one no longer works.", "unlock": "Account unlocked.",
	"reset-two-factor": "Second factor reset. They will set up a new authenticator app at their next sign-in.",
}

func (s *server) handleStaffShow(c *fiber.Ctx) error {
	acc, err := s.staffAccount(c)
	if err != nil {
		return err
	}
	clients, err := s.clientsSection(c, acc)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/staff_show", staffShowPage{page: s.page(c, acc.User.FirstName+" "+acc.User.Surname, "staff"),
		Account: acc, Notice: staffNotices[c.Query("done")], IsMe: acc.User.ID == signedIn(c).User.ID, Clients: clients})
}

func (s *server) handleStaffEdit(c *fiber.Ctx) error {
	acc, err := s.staffAccount(c)
	if err != nil {
		return err
	}
	if !acc.CanManage || acc.User.ID == signedIn(c).User.ID {
		return apperr.ErrForbidden
	}
	f := staffForm{Email: acc.User.Email, FirstName: acc.User.FirstName, Surname: acc.User.Surname, Role: acc.User.Role, Superuser: acc.User.IsSuperuser}
	if acc.Organisation != nil {
		f.Org = acc.Organisation.ODSCode
	}
	return s.renderStaffForm(c, staffFormPage{page: s.page(c, "Change access", "staff"), Editing: true, Account: &acc, Form: f}, fiber.StatusOK)
}

func (s *server) handleStaffUpdate(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	f := readStaffForm(c)
	err = s.Staff.UpdateAccess(c.UserContext(), me(c), id, access.Role(f.Role), f.Org, f.Superuser)
	var fe *staff.FieldError
	if errors.As(err, &fe) {
		acc, gerr := s.Staff.Get(c.UserContext(), actor(c), id)
		if gerr != nil {
			return gerr
		}
		f.Email, f.FirstName, f.Surname = acc.User.Email, acc.User.FirstName, acc.User.Surname
		return s.renderStaffForm(c, staffFormPage{page: s.page(c, "Change access", "staff"), Editing: true, Account: &acc, Form: f,
			Errors: errorOn(fe.Field, fe.Message)}, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done=saved", fiber.StatusSeeOther)
}

// handleStaffAction runs one of the buttons on an account's page.
func (s *server) handleStaffAction(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	ctx, m, action := c.UserContext(), me(c), c.Params("action")
	switch action {
	case "deactivate":
		err = s.Staff.SetActive(ctx, m, id, false)
	case "reactivate":
		err = s.Staff.SetActive(ctx, m, id, true)
	case "resend-invite":
		err = s.Staff.ResendInvite(ctx, m, id)
	case "unlock":
		err = s.Staff.Unlock(ctx, m, id, s.client(c))
	case "reset-two-factor":
		err = s.Staff.ResetTwoFactor(ctx, m, id)
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done="+action, fiber.StatusSeeOther)
}
