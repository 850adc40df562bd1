package web

import (
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The registry's staff pages (issue 16, docs/registry.md): patients,
// contacts and the relationships between them. Package registry checks
// access on every call and redacts what a registry viewer may not see;
// handlers read the request and render. URLs carry only numeric ids.

func (s *server) registry() *registry.Service {
	svc := &registry.Service{Store: s.Store, Now: s.Now}
	if s.Auth != nil {
		svc.BaseURL = s.Auth.Config.BaseURL // links in the registry's emails
	}
	return svc
}

// registrySlug is the registry these pages show: the one this binary hosts
// (a second would add a choice, not pages).
func registrySlug() string { return registry.Slugs()[0] }

// registryPage is what every registry page shares.
type registryPage struct {
	page
	Registry registry.Registry
	CanEdit  bool
	// Identified: the viewer sees names and contact details.
	Identified bool
	Notice     string
}

func (s *server) registryPage(c *fiber.Ctx, title string) (registryPage, error) {
	a := actor(c)
	reg, err := s.registry().Get(c.UserContext(), a, registrySlug())
	if err != nil {
		return registryPage{}, err
	}
	return registryPage{page: s.page(c, title, "registry"), Registry: reg, CanEdit: a.Can(access.EditRegistry),
		Identified: a.Can(access.ViewRegistryIDs), Notice: registryNotices[c.Query("done")]}, nil
}

// addForm is an add page: its title, its template, and its view of the
// form with field errors or a duplicate warning.
type addForm[T any] struct {
	Title, Page string
	View        func(registryPage, fieldErrs, []registry.Match) T
}

// showAddForm shows an add page: empty (err nil; editors only), or again
// after err, with field errors (422) or a duplicate warning (409). Other
// errors pass.
func showAddForm[T any](s *server, c *fiber.Ctx, f addForm[T], err error) error {
	var fe registry.FieldErrors
	var de *registry.DuplicateError
	if err != nil && !errors.As(err, &fe) && !errors.As(err, &de) {
		return err
	}
	data, perr := s.registryPage(c, f.Title)
	if perr != nil {
		return perr
	}
	if !data.CanEdit {
		return apperr.ErrForbidden
	}
	var errs fieldErrs
	var dups []registry.Match
	switch {
	case de != nil:
		dups = de.Matches
		c.Status(fiber.StatusConflict)
	case err != nil:
		errs = toFieldErrs(fe)
		data.Title = "Error: " + f.Title
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return renderPage(c, f.Page, f.View(data, errs, dups))
}

var registryNotices = map[string]string{
	"added":     "Patient added to the registry.",
	"contact":   "Contact added.",
	"linked":    "Relationship added.",
	"unlinked":  "Relationship removed.",
	"finding":   "Genetic finding saved.",
	"removed":   "Genetic finding removed.",
	"deleted":   "Deleted. It can be restored here for 30 days; after that it is removed for good.",
	"restored":  "Restored.",
	"onboarded": "Approved: the family has been emailed an invitation to sign in. Their consent is recorded below.",
	"rejected":  "Rejected: the family has been emailed the reason.",
	"published": "New consent version published. Families under an older version are being emailed to consent again.",
	"settings":  "Settings saved.",
	"withdrawn": "Withdrawal recorded. Contact it covers stops now.",
	"consented": "Consent recorded.",
	"merged":    "Contacts merged. The other contact's relationships now belong to this one; the merge is in its history.",
}

// requireRegistry guards the registry's pages: registry roles and
// superusers only (audit roles get 403).
func (s *server) requireRegistry(c *fiber.Ctx) error {
	if !actor(c).Can(access.ViewRegistry) {
		return apperr.ErrForbidden
	}
	return c.Next()
}

func (s *server) handleRegistryHome(c *fiber.Ctx) error {
	return c.Redirect("/registry/patients", fiber.StatusSeeOther)
}

// landing is where a sign-in goes when it was not asked to go anywhere:
// registry roles have nothing of the audit, so their pages.
func landing(next, role string) string {
	if next == "/" && access.Role(role).Registry() {
		return "/registry/patients"
	}
	return next
}

func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

func patientURL(id int64) string { return "/registry/patients/" + strconv.FormatInt(id, 10) }
func contactURL(id int64) string { return "/registry/contacts/" + strconv.FormatInt(id, 10) }

// The patient list.

type patientListPage struct {
	registryPage
	registry.PatientPage
	List     listNav
	Statuses []registry.Choice
	Filtered bool
	// Identified is both embedded pages' (the same answer).
	Identified bool
}

var patientColumnLabels = map[string]string{"registry_ref": "Registry ID", "surname": "Name",
	"date_of_birth": "Date of birth", "updated_at": "Last changed"}

func (p patientListPage) SexLabel(code int64) string {
	return registry.Label(registry.Sexes, strconv.FormatInt(code, 10))
}

// StatusOptions are the clinical status filter's choices.
func (p patientListPage) StatusOptions() []optionView {
	out := []optionView{{Label: "Any status", Checked: p.Filter.Status == ""}}
	for _, s := range p.Statuses {
		out = append(out, optionView{Value: s.Code, Label: s.Label, Checked: s.Code == p.Filter.Status})
	}
	return out
}

func (p patientListPage) StatusLabel(code string) string {
	return registry.Label(p.Registry.ClinicalStatuses, code)
}

func (s *server) handleRegistryPatients(c *fiber.Ctx) error {
	data, err := s.registryPage(c, "Registry patients")
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.Query("page"))
	f := registry.PatientFilter{Query: c.Query("q"), Status: c.Query("status"), Deleted: c.Query("deleted") == "yes",
		Sort: c.Query("sort"), Desc: c.Query("dir") == "desc", Page: page}
	keys := []string{"registry_ref", "surname", "date_of_birth", "updated_at"}
	def := "surname"
	if !data.Identified {
		// Sorting by a name a viewer cannot see would still reveal it.
		keys, def = []string{"registry_ref", "date_of_birth", "updated_at"}, "registry_ref"
		if f.Sort == "" || f.Sort == "surname" {
			f.Sort = def
		}
	}
	p, err := s.registry().ListPatients(c.UserContext(), actor(c), registrySlug(), f)
	if err != nil {
		return err
	}
	if p.Filter.Sort == "name" {
		p.Filter.Sort = "surname"
	}
	out := patientListPage{registryPage: data, PatientPage: p, Identified: p.Identified, Statuses: data.Registry.ClinicalStatuses,
		Filtered: p.Filter.Query != "" || p.Filter.Status != "" || p.Filter.Deleted}
	g := p.Filter
	out.List = sortedListNav("#patient-results", g.Sort, g.Desc, g.Page, p.Pages, keys, patientColumnLabels,
		listAt{"/registry/patients", map[string]string{"q": g.Query, "status": g.Status, "deleted": yesIf(g.Deleted)}, def}.url)
	if isHTMX(c) {
		return renderPartial(c, "partials/registry_patient_results", out)
	}
	return renderPage(c, "pages/registry_patients", out)
}

// The contact list and its review queue.

type contactListPage struct {
	registryPage
	registry.ContactPage
	List listNav
}

func (s *server) handleRegistryContacts(c *fiber.Ctx) error {
	data, err := s.registryPage(c, "Registry contacts")
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.Query("page"))
	f := registry.ContactFilter{Query: c.Query("q"), Review: c.Query("review") == "yes", Deleted: c.Query("deleted") == "yes",
		Sort: c.Query("sort"), Desc: c.Query("dir") == "desc", Page: page}
	p, err := s.registry().ListContacts(c.UserContext(), actor(c), registrySlug(), f)
	if err != nil {
		return err
	}
	out := contactListPage{registryPage: data, ContactPage: p}
	g := p.Filter
	out.List = sortedListNav("#contact-results", g.Sort, g.Desc, g.Page, p.Pages, registry.ContactSorts, patientColumnLabels,
		listAt{"/registry/contacts", map[string]string{"q": g.Query, "review": yesIf(g.Review), "deleted": yesIf(g.Deleted)}, "surname"}.url)
	if isHTMX(c) {
		return renderPartial(c, "partials/registry_contact_results", out)
	}
	return renderPage(c, "pages/registry_contacts", out)
}

func yesIf(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// History of a patient or a contact.

type registryHistoryPage struct {
	registryPage
	Back, BackLabel, Heading string
	Changes                  []registryChangeRow
}

type registryChangeRow struct {
	store.RegistryChange
	What, Old, New, At, By string
}

func (s *server) handleRegistryHistory(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		data, err := s.registryPage(c, "History")
		if err != nil {
			return err
		}
		svc := s.registry()
		out := registryHistoryPage{registryPage: data}
		var changes []store.RegistryChange
		if kind == registry.EntityPatient {
			p, err := svc.GetPatient(c.UserContext(), actor(c), id)
			if err != nil {
				return err
			}
			out.Back, out.BackLabel, out.Heading = patientURL(id), "Back to the patient", "History of "+p.FirstName+" "+p.Surname+" ("+p.RegistryRef+")"
			changes, err = svc.History(c.UserContext(), me(c), id, 0)
			if err != nil {
				return err
			}
		} else {
			ct, err := svc.GetContact(c.UserContext(), actor(c), id)
			if err != nil {
				return err
			}
			out.Back, out.BackLabel, out.Heading = contactURL(id), "Back to the contact", "History of "+ct.FirstName+" "+ct.Surname
			changes, err = svc.History(c.UserContext(), me(c), 0, id)
			if err != nil {
				return err
			}
		}
		out.Title = out.Heading
		for _, ch := range changes {
			out.Changes = append(out.Changes, registryChangeRow{RegistryChange: ch, What: changeWhat(ch), Old: deref(ch.OldValue),
				New: deref(ch.NewValue), At: ch.ChangedAt.In(londonTime).Format("2 January 2006 15:04"), By: orSystem(ch.ChangedByName)})
		}
		return renderPage(c, "pages/registry_history", out)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func orSystem(name string) string {
	if strings.TrimSpace(name) == "" {
		return "The system"
	}
	return name
}

// changeWhat names a trail row's record and field as a person reads them.
func changeWhat(ch store.RegistryChange) string {
	field := strings.ReplaceAll(ch.Field, "_", " ")
	switch ch.Entity {
	case registry.EntityRelationship:
		return "Relationship: " + field
	case registry.EntityFinding:
		return "Genetic finding: " + field
	}
	return capitalise(field)
}
