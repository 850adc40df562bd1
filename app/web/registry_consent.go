package web

import (
	"encoding/json"
	"errors"
	"strconv"

	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Consent pages (issue 17, docs/registry.md "Consent versions",
// "Withdrawal policy", "Subject access"): the registry's consent versions
// and settings, a patient's consent with withdrawal, and a contact's
// subject access. Package registry decides who may do what.

type consentPage struct {
	registryPage
	Versions     []store.ConsentVersion
	Settings     registry.Settings
	Text         string
	Errors       fieldErrs
	Policies     []registry.Choice
	SecondFactor []registry.Choice
	Hours, Days  string
}

func (s *server) showConsent(c *fiber.Ctx, text string, errs fieldErrs, set *registry.SettingsInput) error {
	svc := s.registry()
	vs, err := svc.ConsentVersions(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	st, err := svc.Settings(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, "Consent and settings")
	if err != nil {
		return err
	}
	if errs != nil {
		data.Title = "Error: " + data.Title
	}
	out := consentPage{registryPage: data, Versions: vs, Settings: st, Text: text, Errors: errs, Policies: registry.Policies,
		SecondFactor: registry.SecondFactorChoices, Hours: strconv.Itoa(int(st.VerificationTTL.Hours())),
		Days: strconv.Itoa(int(st.DeleteAfter.Hours() / 24))}
	if set != nil {
		out.Hours, out.Days = set.VerificationHours, set.DeleteAfterDays
		out.Settings.WithdrawalPolicy, out.Settings.FamilySecondFactor = set.WithdrawalPolicy, set.FamilySecondFactor
	}
	if out.Text == "" && len(vs) > 0 {
		out.Text = vs[0].Text
	}
	return renderPage(c, "pages/registry_consent", out)
}

func (s *server) handleConsentPage(c *fiber.Ctx) error { return s.showConsent(c, "", nil, nil) }

func (s *server) handleConsentPublish(c *fiber.Ctx) error {
	text := c.FormValue("text")
	_, err := s.registry().PublishConsent(c.UserContext(), me(c), registrySlug(), text, requestIDOf(c))
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.showConsent(c, text, toFieldErrs(fe), nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/registry/consent?done=published", fiber.StatusSeeOther)
}

func (s *server) handleSettingsSave(c *fiber.Ctx) error {
	in := registry.SettingsInput{VerificationHours: c.FormValue("verification_hours"), WithdrawalPolicy: c.FormValue("withdrawal_policy"),
		DeleteAfterDays: c.FormValue("delete_after_days"), FamilySecondFactor: c.FormValue("family_second_factor")}
	err := s.registry().SaveSettings(c.UserContext(), me(c), registrySlug(), in, requestIDOf(c))
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.showConsent(c, "", toFieldErrs(fe), &in)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/registry/consent?done=settings", fiber.StatusSeeOther)
}

type patientConsentPage struct {
	registryPage
	Patient  registry.Patient
	Consent  registry.Consent
	History  []store.PatientConsent
	Parts    []registry.Choice
	Methods  []registry.Choice
	Policy   string
	Form     registry.WithdrawalInput
	Errors   fieldErrs
	Contacts []store.RegistryLink
}

func yesNoWord(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// YesNo is a flag as people read it.
func (patientConsentPage) YesNo(b bool) string { return yesNoWord(b) }

// How is a withdrawal's method as people read it.
func (patientConsentPage) How(code string) string {
	return registry.Label(registry.WithdrawalMethods, code)
}

func (s *server) showPatientConsent(c *fiber.Ctx, id int64, in registry.WithdrawalInput, errs fieldErrs) error {
	svc := s.registry()
	p, err := svc.GetPatient(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	cons, hist, err := svc.PatientConsent(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	st, err := svc.Settings(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	title := "Consent"
	if p.Identified {
		title = "Consent: " + p.FirstName + " " + p.Surname
	}
	data, err := s.registryPage(c, title)
	if err != nil {
		return err
	}
	if errs != nil {
		data.Title = "Error: " + data.Title
	}
	var links []store.RegistryLink
	for _, l := range p.Links {
		if l.EndDate == nil && (l.LegalAuthority || l.MayAct) {
			links = append(links, l)
		}
	}
	return renderPage(c, "pages/registry_patient_consent", patientConsentPage{registryPage: data, Patient: p, Consent: cons, History: hist,
		Parts: registry.ConsentParts, Methods: registry.WithdrawalMethods, Policy: registry.Label(registry.Policies, st.WithdrawalPolicy),
		Form: in, Errors: errs, Contacts: links})
}

func (s *server) handlePatientConsent(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.showPatientConsent(c, id, registry.WithdrawalInput{}, nil)
}

func (s *server) handlePatientWithdraw(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := registry.WithdrawalInput{Part: c.FormValue("part"), By: c.FormValue("withdrawn_by"), How: c.FormValue("how"),
		ReceivedOn: registry.DateInput{Day: c.FormValue("received_on-day"), Month: c.FormValue("received_on-month"), Year: c.FormValue("received_on-year")}}
	err = s.registry().Withdraw(c.UserContext(), me(c), id, in, requestIDOf(c))
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.showPatientConsent(c, id, in, toFieldErrs(fe))
	}
	if err != nil {
		return err
	}
	return c.Redirect(patientURL(id)+"/consent?done=withdrawn", fiber.StatusSeeOther)
}

func (s *server) handlePatientConsentRecord(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	contact, _ := strconv.ParseInt(c.FormValue("contact"), 10, 64)
	ans := registry.ConsentAnswers{TakePart: c.FormValue("take_part") == "yes", ResearchContact: c.FormValue("research_contact") == "yes",
		ShareDeidentified: c.FormValue("share_deidentified") == "yes"}
	if err := s.registry().RecordConsent(c.UserContext(), me(c), id, contact, ans, requestIDOf(c)); err != nil {
		return err
	}
	return c.Redirect(patientURL(id)+"/consent?done=consented", fiber.StatusSeeOther)
}

type subjectAccessPage struct {
	registryPage
	registry.SubjectAccess
	ContactID int64
	// Family: the families' own download (family_consent.go), without the
	// registry's links; JSONURL is the JSON download's address.
	Family  bool
	JSONURL string
}

// Label of a code of the registry's lists, for the readable page.
func (subjectAccessPage) Relation(code string) string {
	return registry.Label(registry.RelationshipTypes, code)
}

// Deref is an optional trail value as text.
func (subjectAccessPage) Deref(v *string) string {
	if v == nil {
		return "(none)"
	}
	return *v
}

func (s *server) handleSubjectAccess(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sa, err := s.registry().SubjectAccess(c.UserContext(), me(c), id, requestIDOf(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Query("format") == "json" {
		b, err := json.MarshalIndent(sa, "", "  ")
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="subject-access-`+strconv.FormatInt(id, 10)+`.json"`)
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(b)
	}
	data, err := s.registryPage(c, "Subject access: "+sa.Contact.FirstName+" "+sa.Contact.Surname)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/registry_subject_access", subjectAccessPage{registryPage: data, SubjectAccess: sa, ContactID: id,
		JSONURL: contactURL(id) + "/subject-access?format=json"})
}
