package web

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/files"
	"clinaudit/app/postcode"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Children: the case list, adding a child, the child's page, editing
// demographics, registration, and lock/unlock. The children service checks
// access on every call; URLs carry only the child's numeric id, never a name
// or NHS number (the list's search box is the user's own words, kept in the
// URL so filters survive paging; the access log never logs query strings).

func (s *server) children() *children.Service {
	svc := &children.Service{Store: s.Store, Now: s.Now}
	if s.Auth != nil {
		svc.BaseURL = s.Auth.Config.BaseURL
	}
	svc.Progress = (&answers.Service{Store: s.Store, Children: svc}).AuditProgress // Lock's completeness check
	return svc
}

// childConflict answers a write refused because of the child's state (409)
// with a page that says why and leads back to the child.
func (s *server) childConflict(c *fiber.Ctx, id int64, err error) error {
	if isHTMX(c) {
		return err // errors.go: 409 with the message
	}
	c.Status(fiber.StatusConflict)
	return renderPage(c, "pages/child_conflict", struct {
		page
		ID      int64
		Message string
	}{s.page(c, "Your change was not saved", "children"), id, apperr.MessageOf(err)})
}

// writeError renders a refused write: conflicts as a page, the rest by
// errors.go.
func (s *server) writeError(c *fiber.Ctx, id int64, err error) error {
	if children.IsConflict(err) {
		return s.childConflict(c, id, err)
	}
	return err
}

func childID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

func childURL(id int64) string { return "/children/" + strconv.FormatInt(id, 10) }

// The case list.

type childFormPage struct {
	page
	Editing bool
	Child   *children.Child
	Form    children.Demographics
	Lead    string // ODS code of the lead organisation (adding only)
	// RecordVersion is the child's version the form was opened on (named
	// so as not to hide page.Version, the app's version in the footer).
	RecordVersion int64
	Jersey        bool // editing a child in Jersey: reference number, not NHS number
	Errors        fieldErrs
	Orgs          []store.OrganisationChoice
	Sexes         []children.Choice
	Ethnicities   []children.Choice
	Unknown       []postcode.UnknownCode
}

func (s *server) renderChildForm(c *fiber.Ctx, data childFormPage, status int) error {
	if !data.Editing {
		var err error
		if data.Orgs, err = s.children().OrganisationsInScope(c.UserContext(), actor(c)); err != nil {
			return err
		}
	}
	data.Sexes, data.Ethnicities, data.Unknown = children.Sexes, children.Ethnicities, postcode.UnknownCodes()
	c.Status(status)
	return renderPage(c, "pages/child_form", data)
}

func readDemographics(c *fiber.Ctx) children.Demographics {
	return children.Demographics{FirstName: c.FormValue("first_name"), Surname: c.FormValue("surname"),
		NHSNumber: c.FormValue("nhs_number"), UniqueReferenceNumber: c.FormValue("unique_reference_number"),
		DateOfBirth: readDate(c, "date_of_birth"), Sex: c.FormValue("sex"), Ethnicity: c.FormValue("ethnicity"),
		Postcode: c.FormValue("postcode")}
}

func readDate(c *fiber.Ctx, field string) children.DateInput {
	return children.DateInput{Day: c.FormValue(field + "-day"), Month: c.FormValue(field + "-month"), Year: c.FormValue(field + "-year")}
}

func (s *server) handleChildNew(c *fiber.Ctx) error {
	a := actor(c)
	if !a.Can(access.EditDemographics) {
		return apperr.ErrForbidden
	}
	data := childFormPage{page: s.page(c, "Add a child", "children")}
	if !a.National() {
		if o, err := s.Store.GetOrganisation(c.UserContext(), a.Organisation); err == nil {
			data.Lead = o.ODSCode
		}
	}
	return s.renderChildForm(c, data, fiber.StatusOK)
}

func (s *server) handleChildCreate(c *fiber.Ctx) error {
	n := children.NewChild{Demographics: readDemographics(c), LeadOrganisation: c.FormValue("lead_organisation")}
	id, err := s.children().Create(c.UserContext(), me(c), n)
	var fe children.FieldErrors
	if errors.As(err, &fe) {
		return s.renderChildForm(c, childFormPage{page: s.page(c, "Add a child", "children"), Form: n.Demographics,
			Lead: strings.ToUpper(strings.TrimSpace(n.LeadOrganisation)), Errors: toFieldErrs(fe)}, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect(childURL(id)+"?done=created", fiber.StatusSeeOther)
}

// loadChild reads the child named in the URL for the actor.
func (s *server) loadChild(c *fiber.Ctx) (children.Child, error) {
	id, err := childID(c)
	if err != nil {
		return children.Child{}, err
	}
	ch, err := s.children().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return children.Child{}, err
	}
	c.Locals(localViewedChild, ch.AuditID)
	return ch, nil
}

type childShowPage struct {
	page
	Child  children.Child
	Notice string
	// Lifecycle: transfers, opt-out and deletion (children_lifecycle.go).
	Lifecycle children.Lifecycle
	// Files is the files section (files.go); nil hides it.
	Files *filesView
}

var childNotices = map[string]string{
	"created":    "Child added. They can now be registered in the audit.",
	"saved":      "Changes saved.",
	"registered": "Child registered.",
	"locked":     "Record locked. It can be unlocked, to make changes, until the submission deadline.",
	"unlocked":   "Record unlocked. It can be changed again.",

	"transfer-requested": "Transfer requested. Both organisations' lead clinicians have been emailed; the child stays here until the other organisation accepts.",
	"transfer-accepted":  "Transfer accepted. This organisation now leads the child's care, and both organisations' lead clinicians have been emailed.",
	"transfer-cancelled": "Transfer cancelled. The child stays with their lead organisation.",
	"opted-out":          "Child opted out. Their details and registration have been removed.",
	"uploaded":           "File uploaded.",
	"restored":           "Record restored. It is back in the case list as it was when it was deleted.",
}

var childListNotices = map[string]string{
	"deleted": "Record deleted. The national audit team can restore it within 30 days; after that it is removed for good.",
}

func (s *server) handleChildShow(c *fiber.Ctx) error {
	ch, lc, err := s.loadLifecycle(c)
	if err != nil {
		return err
	}
	title := ch.FirstName + " " + ch.Surname
	if ch.OptedOut() {
		title = "Opted-out child " + ch.AuditID
	}
	fv, err := s.filesSection(c, files.Owner{Kind: store.FileOwnerChild, ID: ch.ID})
	if err != nil {
		return err
	}
	return renderPage(c, "pages/child_show", childShowPage{page: s.page(c, title, "children"),
		Child: ch, Notice: childNotices[c.Query("done")], Lifecycle: lc, Files: fv})
}

// mayChange refuses a form for a child the actor may not change:
// ErrForbidden when the role does not allow it, the conflict the write
// would get when the child's state does not. Answer it with writeError.
func mayChange(c *fiber.Ctx, ch children.Child, action access.Action, allowed bool) error {
	if !access.Allowed(actor(c), action, access.PlaceOfOrganisation(ch.Organisation)) {
		return apperr.ErrForbidden
	}
	if !allowed {
		return whyNot(ch, action)
	}
	return nil
}

// whyNot is the refusal a write to ch would get.
func whyNot(ch children.Child, action access.Action) error {
	switch {
	case action == access.LockChild && ch.Locked():
		return children.ErrAlreadyLocked
	case action == access.LockChild && !ch.Registered():
		return children.ErrNotRegistered
	case ch.ReadOnly != nil:
		return ch.ReadOnly
	case action == access.RegisterChild && ch.Registered():
		return children.ErrAlreadyRegistered
	}
	return children.ErrLocked
}

// changeForm answers the GET of a form that changes the child of the URL:
// the child's page with the refusal when the actor may not take action or
// the record's state forbids it (allowed), else render.
func (s *server) changeForm(c *fiber.Ctx, action access.Action, allowed func(children.Child) bool, render func(children.Child) error) error {
	ch, err := s.loadChild(c)
	if err != nil {
		return err
	}
	if err := mayChange(c, ch, action, allowed(ch)); err != nil {
		return s.writeError(c, ch.ID, err)
	}
	return render(ch)
}

// changeDone answers the POST of a form that changed child id with err:
// field errors show the form again (rerender, with the child reloaded),
// other errors the error page, success the child's page with the
// banner done.
func (s *server) changeDone(c *fiber.Ctx, id int64, err error, done string, rerender func(children.Child, fieldErrs) error) error {
	var fe children.FieldErrors
	if errors.As(err, &fe) {
		ch, gerr := s.loadChild(c)
		if gerr != nil {
			return gerr
		}
		return rerender(ch, toFieldErrs(fe))
	}
	if err != nil {
		return s.writeError(c, id, err)
	}
	return c.Redirect(childURL(id)+"?done="+done, fiber.StatusSeeOther)
}

// childAction answers a POST that acts on the child of the URL with act,
// a form of one button: the error page on a refusal, else the child's
// page with the banner done.
func (s *server) childAction(c *fiber.Ctx, done string, act func(context.Context, children.Me, int64) error) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	if err := act(c.UserContext(), me(c), id); err != nil {
		return s.writeError(c, id, err)
	}
	return c.Redirect(childURL(id)+"?done="+done, fiber.StatusSeeOther)
}

func (s *server) handleChildEdit(c *fiber.Ctx) error {
	return s.changeForm(c, access.EditDemographics, func(ch children.Child) bool { return ch.CanEdit }, func(ch children.Child) error {
		return s.renderChildForm(c, childFormPage{page: s.page(c, "Change details", "children"), Editing: true, Child: &ch,
			Form: children.DemographicsOf(ch.Child), RecordVersion: ch.Version, Jersey: ch.Jersey()}, fiber.StatusOK)
	})
}

func (s *server) handleChildUpdate(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	d := readDemographics(c)
	err = s.children().Update(c.UserContext(), me(c), id, version, d)
	return s.changeDone(c, id, err, "saved", func(ch children.Child, errs fieldErrs) error {
		return s.renderChildForm(c, childFormPage{page: s.page(c, "Change details", "children"), Editing: true, Child: &ch,
			Form: d, RecordVersion: version, Jersey: ch.Jersey(), Errors: errs}, fiber.StatusUnprocessableEntity)
	})
}

// Registration.
