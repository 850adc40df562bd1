package web

import (
	"errors"
	"strconv"

	"clinaudit/app/apperr"
	"clinaudit/app/registry"

	"github.com/gofiber/fiber/v2"
)

// Registry contacts: adding one, its page, merging two duplicates, and
// linking a contact (existing or new) to a patient.

func readContact(c *fiber.Ctx) registry.ContactInput {
	return registry.ContactInput{FirstName: c.FormValue("first_name"), Surname: c.FormValue("surname"), Email: c.FormValue("email"),
		Phone: c.FormValue("phone"), Address: c.FormValue("address"), Postcode: c.FormValue("postcode"),
		PreferredLanguage: c.FormValue("preferred_language"), PreferredChannel: c.FormValue("preferred_channel"),
		MayContact: c.FormValue("may_contact") != "no", Notes: c.FormValue("notes")}
}

type contactFormPage struct {
	registryPage
	Form       registry.ContactInput
	Errors     fieldErrs
	Duplicates []registry.Match
	Channels   []registry.Choice
	YesNo      []registry.Choice
}

// Flag is a yes/no answer as its radios name it.
func (contactFormPage) Flag(b bool) string { return flag(b) }

func contactForm(in registry.ContactInput) addForm[contactFormPage] {
	return addForm[contactFormPage]{Title: "Add a contact", Page: "pages/registry_contact_new",
		View: func(data registryPage, errs fieldErrs, dups []registry.Match) contactFormPage {
			return contactFormPage{registryPage: data, Form: in, Errors: errs, Duplicates: dups, Channels: registry.Channels, YesNo: yesNo}
		}}
}

func (s *server) handleContactNew(c *fiber.Ctx) error {
	return showAddForm(s, c, contactForm(registry.ContactInput{MayContact: true}), nil)
}

func (s *server) handleContactCreate(c *fiber.Ctx) error {
	in := readContact(c)
	ct, err := s.registry().AddContact(c.UserContext(), me(c), registrySlug(), in, c.FormValue("confirm") == "yes", "")
	if err != nil {
		return showAddForm(s, c, contactForm(in), err)
	}
	return c.Redirect(contactURL(ct.ID)+"?done=contact", fiber.StatusSeeOther)
}

type contactShowPage struct {
	registryPage
	Contact    registry.Contact
	Questions  []questionView
	Summary    []summaryRow
	Links      []linkView
	Candidates []registry.Match
	DeletedOn  string
}

func (s *server) handleContactShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	svc := s.registry()
	ct, err := svc.GetContact(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, ct.FirstName+" "+ct.Surname)
	if err != nil {
		return err
	}
	out := contactShowPage{registryPage: data, Contact: ct, Links: linkViews(registry.Patient{}, false, ct.Links)}
	if ct.DeletedAt != nil {
		out.DeletedOn = ct.DeletedAt.In(londonTime).Format("2 January 2006")
	}
	if ct.CanEdit {
		out.Questions = contactQuestions(ct)
		if out.Candidates, err = svc.FindContactDuplicates(c.UserContext(), actor(c), registrySlug(), id, registry.ContactInputOf(ct.RegistryContact)); err != nil {
			var fe registry.FieldErrors
			if !errors.As(err, &fe) { // a contact stored before a check tightened: no candidates
				return err
			}
		}
	} else {
		in := registry.ContactInputOf(ct.RegistryContact)
		for _, f := range contactSpecs {
			out.Summary = append(out.Summary, summaryRow{f.Label, shownValue(f, contactValue(in, f.Field).Text)})
		}
	}
	return renderPage(c, "pages/registry_contact", out)
}

// Merging two contacts: the preview, then the merge.

type mergePage struct {
	registryPage
	registry.MergePreview
	Rows  []mergeRow
	Moves []linkView
	Error string
}

type mergeRow struct {
	Label, Keep, Away, Result string
	Filled                    bool
}

func (s *server) showMerge(c *fiber.Ctx, keep, away int64, message string, status int) error {
	pv, err := s.registry().PreviewMerge(c.UserContext(), actor(c), keep, away)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, "Merge two contacts")
	if err != nil {
		return err
	}
	out := mergePage{registryPage: data, MergePreview: pv, Error: message, Moves: linkViews(registry.Patient{}, false, pv.Moving)}
	filled := map[string]bool{}
	for _, f := range pv.Filled {
		filled[f] = true
	}
	k, w, r := registry.ContactInputOf(pv.Keep), registry.ContactInputOf(pv.Away), registry.ContactInputOf(pv.Result)
	for _, f := range contactSpecs {
		out.Rows = append(out.Rows, mergeRow{Label: f.Label, Keep: shownValue(f, contactValue(k, f.Field).Text),
			Away: shownValue(f, contactValue(w, f.Field).Text), Result: shownValue(f, contactValue(r, f.Field).Text), Filled: filled[f.Field]})
	}
	c.Status(status)
	return renderPage(c, "pages/registry_merge", out)
}

func (s *server) handleMergePreview(c *fiber.Ctx) error {
	keep, err := idParam(c, "id")
	if err != nil {
		return err
	}
	away, err := strconv.ParseInt(c.Query("with"), 10, 64)
	if err != nil || away <= 0 {
		return apperr.New(apperr.Invalid, "Choose the contact to merge into this one from the contact's page.")
	}
	return s.showMerge(c, keep, away, "", fiber.StatusOK)
}

func (s *server) handleMerge(c *fiber.Ctx) error {
	keep, err := idParam(c, "id")
	if err != nil {
		return err
	}
	away, _ := strconv.ParseInt(c.FormValue("away"), 10, 64)
	seenKeep, _ := strconv.ParseInt(c.FormValue("seen_keep"), 10, 64)
	seenAway, _ := strconv.ParseInt(c.FormValue("seen_away"), 10, 64)
	err = s.registry().MergeContacts(c.UserContext(), me(c), keep, away, seenKeep, seenAway, requestIDOf(c))
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Conflict {
		return s.showMerge(c, keep, away, ae.Message, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	return c.Redirect(contactURL(keep)+"?done=merged", fiber.StatusSeeOther)
}

// Linking a contact to a patient.

type linkPage struct {
	registryPage
	Patient    registry.Patient
	Query      string
	Contacts   []contactChoice
	Chosen     string // a contact id, or "new"
	Contact    registry.ContactInput
	Rel        registry.RelationshipInput
	Errors     fieldErrs
	Duplicates []registry.Match
	Types      []registry.Choice
	YesNo      []registry.Choice
}

// Flag is a yes/no answer as its radios name it.
func (linkPage) Flag(b bool) string { return flag(b) }

type contactChoice struct {
	ID                  int64
	Name, Email, Reason string
}

func readRelationship(c *fiber.Ctx) registry.RelationshipInput {
	return registry.RelationshipInput{Type: c.FormValue("type"), LegalAuthority: c.FormValue("legal_authority") == "yes",
		MayAct: c.FormValue("may_act") == "yes", IsPrimary: c.FormValue("is_primary") == "yes",
		StartDate: readDate(c, "start_date"), EndDate: readDate(c, "end_date")}
}

func (s *server) showLink(c *fiber.Ctx, id int64, out linkPage, status int) error {
	svc := s.registry()
	p, err := s.editablePatient(c, id)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, "Add a relationship")
	if err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		data.Title = "Error: " + data.Title
	}
	out.registryPage, out.Patient, out.Types, out.YesNo = data, p, registry.RelationshipTypes, yesNo
	list, err := svc.ListContacts(c.UserContext(), actor(c), registrySlug(), registry.ContactFilter{Query: out.Query})
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, m := range out.Duplicates {
		seen[m.ID] = true
		out.Contacts = append(out.Contacts, contactChoice{ID: m.ID, Name: m.Name, Reason: m.Reason})
	}
	for _, ct := range list.Contacts {
		if !seen[ct.ID] {
			out.Contacts = append(out.Contacts, contactChoice{ID: ct.ID, Name: ct.FirstName + " " + ct.Surname, Email: ct.Email})
		}
	}
	c.Status(status)
	return renderPage(c, "pages/registry_link", out)
}

func (s *server) handleLinkForm(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.showLink(c, id, linkPage{Query: c.Query("q"), Contact: registry.ContactInput{MayContact: true}}, fiber.StatusOK)
}

func (s *server) handleLink(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	svc := s.registry()
	chosen := c.FormValue("contact")
	out := linkPage{Query: c.FormValue("q"), Chosen: chosen, Contact: readContact(c), Rel: readRelationship(c)}
	errs := svc.CheckRelationship(out.Rel)
	var contactID int64
	switch chosen {
	case "new":
		errs = append(registry.CheckContact(out.Contact), errs...)
	case "":
		errs = append(registry.FieldErrors{{Field: "contact", Message: "Choose a contact, or add a new one"}}, errs...)
	default:
		if contactID, err = strconv.ParseInt(chosen, 10, 64); err != nil {
			errs = append(registry.FieldErrors{{Field: "contact", Message: "Choose a contact, or add a new one"}}, errs...)
		}
	}
	if len(errs) > 0 {
		out.Errors = toFieldErrs(errs)
		return s.showLink(c, id, out, fiber.StatusUnprocessableEntity)
	}
	if chosen == "new" {
		ct, err := svc.AddContact(c.UserContext(), me(c), registrySlug(), out.Contact, c.FormValue("confirm") == "yes", "")
		var de *registry.DuplicateError
		if errors.As(err, &de) {
			out.Duplicates = de.Matches
			return s.showLink(c, id, out, fiber.StatusConflict)
		}
		if err != nil {
			return err
		}
		contactID = ct.ID
	}
	_, err = svc.Link(c.UserContext(), me(c), id, contactID, out.Rel, "")
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		out.Errors = toFieldErrs(fe)
		return s.showLink(c, id, out, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect(patientURL(id)+"?done=linked#relationships", fiber.StatusSeeOther)
}
