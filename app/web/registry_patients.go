package web

import (
	"errors"
	"strconv"

	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// A registry patient: adding one (with duplicate warnings), its page
// (details that save themselves, genetic findings, relationships), and
// soft delete and restore.

type patientFormPage struct {
	registryPage
	Form       registry.PatientInput
	Errors     fieldErrs
	Duplicates []registry.Match
	Sexes      []registry.Choice
}

func readPatient(c *fiber.Ctx) registry.PatientInput {
	return registry.PatientInput{FirstName: c.FormValue("first_name"), Surname: c.FormValue("surname"),
		DateOfBirth: readDate(c, "date_of_birth"), Sex: c.FormValue("sex"), NHSNumber: c.FormValue("nhs_number"),
		Postcode: c.FormValue("postcode"), DiagnosisDate: readDate(c, "diagnosis_date"),
		DiagnosisConfirmation: c.FormValue("diagnosis_confirmation"), ClinicalStatus: c.FormValue("clinical_status"),
		Notes: c.FormValue("notes")}
}

func patientForm(in registry.PatientInput) addForm[patientFormPage] {
	return addForm[patientFormPage]{Title: "Add a patient", Page: "pages/registry_patient_new",
		View: func(data registryPage, errs fieldErrs, dups []registry.Match) patientFormPage {
			return patientFormPage{registryPage: data, Form: in, Errors: errs, Duplicates: dups, Sexes: registry.Sexes}
		}}
}

func (s *server) handlePatientNew(c *fiber.Ctx) error {
	return showAddForm(s, c, patientForm(registry.PatientInput{}), nil)
}

func (s *server) handlePatientCreate(c *fiber.Ctx) error {
	in := readPatient(c)
	p, err := s.registry().AddPatient(c.UserContext(), me(c), registrySlug(), in, c.FormValue("confirm") == "yes", "")
	if err != nil {
		return showAddForm(s, c, patientForm(in), err)
	}
	return c.Redirect(patientURL(p.ID)+"?done=added", fiber.StatusSeeOther)
}

type patientShowPage struct {
	registryPage
	Patient   registry.Patient
	Questions []questionView
	Summary   []summaryRow
	Links     []linkView
	Findings  []findingView
	// The form that adds a genetic finding.
	Finding         registry.FindingInput
	Errors          fieldErrs
	Genes           []string
	Classifications []registry.Choice
	DeletedOn       string
	// Consent in force (issue 17), for those who see identifiers.
	Consent registry.Consent
}

type summaryRow struct{ Label, Value string }

type linkView struct {
	store.RegistryLink
	TypeLabel, Start, End string
	Current               bool
	Questions             []questionView
}

type findingView struct {
	store.RegistryFinding
	ClassificationLabel string
}

func dateText(d *store.Date) string {
	if d == nil {
		return ""
	}
	return longDate(*d)
}

func linkQuestions(patientID int64, l store.RegistryLink) []questionView {
	in := registry.RelationshipInput{Type: l.Type, LegalAuthority: l.LegalAuthority, MayAct: l.MayAct, IsPrimary: l.IsPrimary,
		StartDate: registry.DateInputOf(l.StartDate), EndDate: registry.DateInputOf(l.EndDate)}
	var out []questionView
	for _, f := range relationshipSpecs {
		out = append(out, fieldQuestion(f, relKey(l.ID, f.Field), patientURL(patientID)+"/field", l.Version, relationshipValue(in, f.Field)))
	}
	return out
}

func linkViews(p registry.Patient, edit bool, links []store.RegistryLink) []linkView {
	var out []linkView
	for _, l := range links {
		v := linkView{RegistryLink: l, TypeLabel: registry.Label(registry.RelationshipTypes, l.Type), Start: dateText(l.StartDate),
			End: dateText(l.EndDate), Current: l.EndDate == nil}
		if edit {
			v.Questions = linkQuestions(p.ID, l)
		}
		out = append(out, v)
	}
	return out
}

// showPatient renders a patient's page; errs are the finding form's.
func (s *server) showPatient(c *fiber.Ctx, id int64, finding registry.FindingInput, errs fieldErrs, status int) error {
	p, err := s.registry().GetPatient(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, p.RegistryRef)
	if err != nil {
		return err
	}
	if p.Identified {
		data.Title = p.FirstName + " " + p.Surname + " (" + p.RegistryRef + ")"
	}
	if len(errs) > 0 {
		data.Title = "Error: " + data.Title
	}
	d := data.Registry.Definition
	out := patientShowPage{registryPage: data, Patient: p, Finding: finding, Errors: errs, Genes: d.Genes,
		Classifications: d.VariantClassifications, Links: linkViews(p, p.CanEdit, p.Links)}
	if p.DeletedAt != nil {
		out.DeletedOn = p.DeletedAt.In(londonTime).Format("2 January 2006")
	}
	if p.Identified {
		if out.Consent, err = registry.ConsentOf(c.UserContext(), s.Store, id); err != nil {
			return err
		}
	}
	if p.CanEdit {
		out.Questions = patientQuestions(d, p)
	} else {
		out.Summary = patientSummary(d, p)
	}
	for _, f := range p.Findings {
		out.Findings = append(out.Findings, findingView{RegistryFinding: f, ClassificationLabel: registry.Label(d.VariantClassifications, f.Classification)})
	}
	c.Status(status)
	return renderPage(c, "pages/registry_patient", out)
}

// patientSummary is the patient's details for someone who may not change
// them; a registry viewer sees no identifiers (package registry blanks
// them, and they are left out here).
func patientSummary(d registry.Definition, p registry.Patient) []summaryRow {
	var out []summaryRow
	add := func(label, value string) {
		if value == "" {
			value = "Not recorded"
		}
		out = append(out, summaryRow{label, value})
	}
	if p.Identified {
		add("Name", p.FirstName+" "+p.Surname)
		add("Date of birth", longDate(p.DateOfBirth))
		add("NHS number", nhsNumberOf(p.NHSNumber))
		add("Postcode", registry.PatientInputOf(p.RegistryPatient).Postcode)
	} else {
		add("Year of birth", strconv.Itoa(p.YearOfBirth))
	}
	add("Sex", registry.Label(registry.Sexes, strconv.FormatInt(p.Sex, 10)))
	add("Date of diagnosis", dateText(p.DiagnosisDate))
	add("How the diagnosis was confirmed", registry.Label(d.DiagnosisConfirmations, p.DiagnosisConfirmation))
	add("Clinical status", registry.Label(d.ClinicalStatuses, p.ClinicalStatus))
	add("Date of death", dateText(p.DateOfDeath))
	if p.Identified {
		add("Notes", p.Notes)
	}
	return out
}

func (s *server) handlePatientShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.showPatient(c, id, registry.FindingInput{}, nil, fiber.StatusOK)
}

func (s *server) handleFindingAdd(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := registry.FindingInput{Gene: c.FormValue("gene"), Variant: c.FormValue("variant"), Classification: c.FormValue("classification"),
		SourceReport: c.FormValue("source_report"), ConfirmedBy: c.FormValue("confirmed_by")}
	_, err = s.registry().SaveFinding(c.UserContext(), me(c), id, 0, 0, in, "")
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		return s.showPatient(c, id, in, toFieldErrs(fe), fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect(patientURL(id)+"?done=finding#findings", fiber.StatusSeeOther)
}

// editablePatient is a patient for someone who may change it (403 else).
func (s *server) editablePatient(c *fiber.Ctx, id int64) (registry.Patient, error) {
	p, err := s.registry().GetPatient(c.UserContext(), actor(c), id)
	if err == nil && !p.CanEdit {
		err = apperr.ErrForbidden
	}
	return p, err
}

// handlePatientPartRemove removes a part of a patient's page (a finding,
// a relationship: param names its id) and goes back to it, done saying so.
func (s *server) handlePatientPartRemove(param, done string, remove func(c *fiber.Ctx, patient, part int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		part, err := idParam(c, param)
		if err != nil {
			return err
		}
		if err := remove(c, id, part); err != nil {
			return err
		}
		return c.Redirect(patientURL(id)+"?done="+done, fiber.StatusSeeOther)
	}
}

func (s *server) handleFindingRemove() fiber.Handler {
	return s.handlePatientPartRemove("finding", "removed#findings", func(c *fiber.Ctx, patient, id int64) error {
		return s.registry().RemoveFinding(c.UserContext(), me(c), patient, id)
	})
}

// handleRegistryLifecycle deletes or restores a patient or a contact, and
// goes back to its page, which says what happened.
func (s *server) handleRegistryLifecycle(kind, action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		svc, ctx, m, rid := s.registry(), c.UserContext(), me(c), requestIDOf(c)
		url := patientURL(id)
		switch {
		case kind == registry.EntityPatient && action == "delete":
			err = svc.DeletePatient(ctx, m, id, rid)
		case kind == registry.EntityPatient:
			err = svc.RestorePatient(ctx, m, id, rid)
		case action == "delete":
			url, err = contactURL(id), svc.DeleteContact(ctx, m, id, rid)
		default:
			url, err = contactURL(id), svc.RestoreContact(ctx, m, id, rid)
		}
		var fe registry.FieldErrors
		if errors.As(err, &fe) && len(fe) > 0 {
			return apperr.New(apperr.Conflict, fe[0].Message) // a restore whose NHS number is taken since
		}
		if err != nil {
			return err
		}
		done := "deleted"
		if action == "restore" {
			done = "restored"
		}
		return c.Redirect(url+"?done="+done, fiber.StatusSeeOther)
	}
}

func (s *server) handleRelationshipRemove() fiber.Handler {
	return s.handlePatientPartRemove("rel", "unlinked#relationships", func(c *fiber.Ctx, _, rel int64) error {
		return s.registry().Unlink(c.UserContext(), me(c), rel, requestIDOf(c))
	})
}
