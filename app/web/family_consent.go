package web

import (
	"encoding/json"
	"errors"

	"clinaudit/app/apperr"
	"clinaudit/app/family"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// Consent and data in the private area: what has been agreed for each
// patient (version, date, parts), a new consent when the registry
// publishes a new version, a withdrawal, and the subject access download.

// familyHomeExtra is what the home page shows beside the patients: each
// patient's consent as it summarises it, and the surveys to answer.
type familyHomeExtra struct {
	Consents []familyConsentRow
	// Surveys are the family's surveys still to answer (issue 19).
	Surveys []store.OpenSurvey
}

type familyConsentRow struct {
	Patient store.FamilyPatient
	registry.Consent
}

func (s *server) familyHomeExtra(c *fiber.Ctx, a store.FamilyAccount, ps []store.FamilyPatient) (familyHomeExtra, error) {
	var out familyHomeExtra
	for _, p := range ps {
		con, err := registry.ConsentOf(c.UserContext(), s.Store, p.ID)
		if err != nil {
			return out, err
		}
		out.Consents = append(out.Consents, familyConsentRow{Patient: p, Consent: con})
	}
	var err error
	out.Surveys, err = survey.OpenForContact(c.UserContext(), s.Store, a.ContactID, s.Now().UTC())
	return out, err
}

type familyConsentPage struct {
	page
	Patient registry.Patient
	family.PatientConsent
	Parts  []registry.Choice
	Notice string
	Errors fieldErrs
}

// Agreed reports whether the consent in force agrees to part.
func (p familyConsentPage) Agreed(part string) bool {
	switch part {
	case registry.PartTakePart:
		return p.Recorded && p.TakePart
	case registry.PartResearchContact:
		return p.Recorded && p.ResearchContact
	}
	return p.Recorded && p.ShareDeidentified
}

func (s *server) handleFamilyConsent(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a := familyAccount(c)
	p, _, err := s.family().Patient(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	con, err := s.family().Consent(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	data := familyConsentPage{page: s.familyPage(c, "Consent for "+p.FirstName, "family"), Patient: p, PatientConsent: con, Parts: registry.ConsentParts}
	switch c.Query("done") {
	case "consented":
		data.Notice = "Thank you. Your consent has been recorded."
	case "withdrawn":
		data.Notice = "Your withdrawal has been recorded. The registry will not contact you about it from now on."
	}
	return renderPage(c, "pages/family_consent", data)
}

func (s *server) handleFamilyConsentGive(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ans := registry.ConsentAnswers{TakePart: c.FormValue(registry.PartTakePart) == "yes",
		ResearchContact: c.FormValue(registry.PartResearchContact) == "yes", ShareDeidentified: c.FormValue(registry.PartShareDeidentified) == "yes"}
	if err := s.family().GiveConsent(c.UserContext(), familyAccount(c), id, ans, requestIDOf(c)); err != nil {
		return err
	}
	return c.Redirect(familyPatientURL(id)+"/consent?done=consented", fiber.StatusSeeOther)
}

func (s *server) handleFamilyWithdraw(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.family().Withdraw(c.UserContext(), familyAccount(c), id, c.FormValue("part"), requestIDOf(c))
	var ae *apperr.Error
	var fe registry.FieldErrors
	switch {
	case errors.As(err, &ae) && ae.Code == apperr.Invalid:
		return apperr.New(apperr.Unprocessable, "Choose what to withdraw from the list on the consent page.")
	case errors.As(err, &fe) && len(fe) > 0: // withdrawn already (a second click)
		return apperr.New(apperr.Unprocessable, fe[0].Message)
	}
	if err != nil {
		return err
	}
	return c.Redirect(familyPatientURL(id)+"/consent?done=withdrawn", fiber.StatusSeeOther)
}

// handleFamilyData is the subject access download: the readable page, or
// JSON with ?format=json.
func (s *server) handleFamilyData(c *fiber.Ctx) error {
	a := familyAccount(c)
	sa, err := s.family().SubjectAccess(c.UserContext(), a, requestIDOf(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Query("format") == "json" {
		b, err := json.MarshalIndent(sa, "", "  ")
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="registry-data.json"`)
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(b)
	}
	return renderPage(c, "pages/registry_subject_access", subjectAccessPage{registryPage: registryPage{page: s.familyPage(c, "Everything the registry holds about you", "family")},
		SubjectAccess: sa, Family: true, JSONURL: "/family/data?format=json"})
}
