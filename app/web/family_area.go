package web

import (
	"errors"
	"slices"
	"strconv"

	"clinaudit/app/auth"
	"clinaudit/app/family"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The families' private area: their patients (package family decides
// which), each edited with the registry's autosave; their own details; an
// invitation for another carer. Every handler acts as the signed-in family
// account and no one else.

func familyPatientURL(id int64) string { return "/family/patients/" + strconv.FormatInt(id, 10) }

func familyAccount(c *fiber.Ctx) store.FamilyAccount { return familySignedIn(c).Account }

type familyHomePage struct {
	page
	Patients []store.FamilyPatient
	Notice   string
	HasApp   bool
	Extra    familyHomeExtra // consent and data (family_consent.go)
}

func (s *server) handleFamilyHome(c *fiber.Ctx) error {
	a := familyAccount(c)
	ps, err := s.family().Patients(c.UserContext(), a)
	if err != nil {
		return err
	}
	data := familyHomePage{page: s.familyPage(c, "Your family", "family"), Patients: ps, HasApp: a.TotpConfirmedAt != nil}
	switch c.Query("done") {
	case "deleted":
		data.Notice = "The record has been deleted. The registry team can restore it for 30 days if this was a mistake."
	case "joined":
		data.Notice = "Welcome. You can now see and update the records you were invited to."
	}
	if data.Extra, err = s.familyHomeExtra(c, a, ps); err != nil {
		return err
	}
	return renderPage(c, "pages/family_home", data)
}

// familyPatientSpecs are the registry's patient fields a family edits.
func familyPatientSpecs(d registry.Definition) []fieldSpec {
	var out []fieldSpec
	for _, f := range patientSpecs(d) {
		if slices.Contains(family.PatientFields, f.Field) {
			out = append(out, f)
		}
	}
	return out
}

func familyProfileSpecs() []fieldSpec {
	var out []fieldSpec
	for _, f := range contactSpecs {
		if slices.Contains(family.ProfileFields, f.Field) {
			if f.Field == registry.FieldMayContact {
				f.Label = "May the registry contact you?"
			}
			out = append(out, f)
		}
	}
	return out
}

type familyPatientPage struct {
	page
	Patient   registry.Patient
	Questions []questionView
	Links     []linkView
	Files     *familyFilesView
	Notice    string
}

func (s *server) familyPatientQuestions(c *fiber.Ctx, p registry.Patient) ([]questionView, error) {
	reg, err := s.registry().Get(c.UserContext(), registry.ForFamily(familyAccount(c).ID).Actor, registrySlug())
	if err != nil {
		return nil, err
	}
	in := registry.PatientInputOf(p.RegistryPatient)
	return recordQuestions(familyPatientSpecs(reg.Definition), familyPatientURL(p.ID)+"/field", p.Version,
		func(f string) fieldValue { return patientValue(in, f) }), nil
}

func (s *server) handleFamilyPatient(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, _, err := s.family().Patient(c.UserContext(), familyAccount(c), id)
	if err != nil {
		return err
	}
	qs, err := s.familyPatientQuestions(c, p)
	if err != nil {
		return err
	}
	data := familyPatientPage{page: s.familyPage(c, p.FirstName+" "+p.Surname, "family"), Patient: p, Questions: qs}
	if data.Files, err = s.familyFiles(c, p.ID); err != nil {
		return err
	}
	for _, l := range linkViews(p, false, p.Links) {
		if l.Current {
			data.Links = append(data.Links, l)
		}
	}
	switch c.Query("done") {
	case "added":
		data.Notice = p.FirstName + " has been added to the registry."
	case "invited":
		data.Notice = "The invitation has been sent. It works once, for 7 days."
	}
	return renderPage(c, "pages/family_patient", data)
}

func (s *server) handleFamilyPatientField(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	key := c.FormValue("key")
	reg, err := s.registry().Get(c.UserContext(), registry.ForFamily(familyAccount(c).ID).Actor, registrySlug())
	if err != nil {
		return err
	}
	spec, ok := specOf(familyPatientSpecs(reg.Definition), key)
	if !ok {
		return s.answerRefused(c, "field", fiber.StatusUnprocessableEntity, "This field is not on this page.")
	}
	sf := readField(c, id, key, key)
	saved, err := s.family().SavePatientField(c.UserContext(), familyAccount(c), sf)
	return s.answerField(c, spec, key, familyPatientURL(id), sf, saved, err)
}

// handleFamilyPatientFieldShow re-renders one field as stored: a
// conflict's "Keep their answer".
func (s *server) handleFamilyPatientFieldShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, _, err := s.family().Patient(c.UserContext(), familyAccount(c), id)
	if err != nil {
		return err
	}
	qs, err := s.familyPatientQuestions(c, p)
	if err != nil {
		return err
	}
	return showQuestion(c, qs, c.Query("key"))
}

type familyNewPatientPage struct {
	page
	Form   registry.PatientInput
	Rel    registry.RelationshipInput
	Errors fieldErrs
	Sexes  []registry.Choice
	Types  []registry.Choice
	YesNo  []registry.Choice
}

// Flag is a yes/no answer as its radios name it.
func (familyNewPatientPage) Flag(b bool) string { return flag(b) }

func (s *server) handleFamilyPatientNew(c *fiber.Ctx) error {
	return renderPage(c, "pages/family_patient_new", familyNewPatientPage{page: s.familyPage(c, "Add a child or person you care for", "family"),
		Sexes: registry.Sexes, Types: family.InviteTypes(), YesNo: yesNo, Rel: registry.RelationshipInput{LegalAuthority: true}})
}

func (s *server) handleFamilyPatientCreate(c *fiber.Ctx) error {
	in := readPatient(c)
	rel := registry.RelationshipInput{Type: c.FormValue("type"), LegalAuthority: c.FormValue("legal_authority") == "yes"}
	p, err := s.family().AddPatient(c.UserContext(), familyAccount(c), registrySlug(), in, rel)
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		data := familyNewPatientPage{page: s.familyPage(c, "Error: Add a child or person you care for", "family"), Form: in, Rel: rel,
			Errors: toFieldErrs(fe), Sexes: registry.Sexes, Types: family.InviteTypes(), YesNo: yesNo}
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/family_patient_new", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect(familyPatientURL(p.ID)+"?done=added", fiber.StatusSeeOther)
}

type familyDeletePage struct {
	page
	Patient registry.Patient
}

// handleFamilyDeleteForm asks to confirm: a deletion hides the record from
// everyone but the registry team, who can restore it for 30 days.
func (s *server) handleFamilyDeleteForm(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, _, err := s.family().Patient(c.UserContext(), familyAccount(c), id)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/family_delete", familyDeletePage{page: s.familyPage(c, "Delete "+p.FirstName+"'s record", "family"), Patient: p})
}

func (s *server) handleFamilyDelete(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.family().DeletePatient(c.UserContext(), familyAccount(c), id, requestIDOf(c)); err != nil {
		return err
	}
	return c.Redirect("/family?done=deleted", fiber.StatusSeeOther)
}

type familyProfilePage struct {
	page
	Email     string
	Questions []questionView
	HasApp    bool
	SMS       familySMSPart // offered, and the number when set up (family_sms.go)
}

func (s *server) familyProfileQuestions(c *fiber.Ctx) (registry.Contact, []questionView, error) {
	ct, err := s.family().Profile(c.UserContext(), familyAccount(c))
	if err != nil {
		return ct, nil, err
	}
	in := registry.ContactInputOf(ct.RegistryContact)
	return ct, recordQuestions(familyProfileSpecs(), "/family/profile/field", ct.Version, func(f string) fieldValue { return contactValue(in, f) }), nil
}

func (s *server) handleFamilyProfile(c *fiber.Ctx) error {
	_, qs, err := s.familyProfileQuestions(c)
	if err != nil {
		return err
	}
	a := familyAccount(c)
	sms, err := s.familySMSPart(c)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/family_profile", familyProfilePage{page: s.familyPage(c, "Your details", "profile"), Email: a.Email,
		Questions: qs, HasApp: auth.NeedsAuthenticator(a) && a.TotpConfirmedAt != nil, SMS: sms})
}

func (s *server) handleFamilyProfileField(c *fiber.Ctx) error {
	key := c.FormValue("key")
	spec, ok := specOf(familyProfileSpecs(), key)
	if !ok {
		return s.answerRefused(c, "field", fiber.StatusUnprocessableEntity, "This field is not on this page.")
	}
	a := familyAccount(c)
	sf := readField(c, a.ContactID, key, key)
	saved, err := s.family().SaveProfileField(c.UserContext(), a, sf)
	return s.answerField(c, spec, key, "/family/profile", sf, saved, err)
}

func (s *server) handleFamilyProfileFieldShow(c *fiber.Ctx) error {
	_, qs, err := s.familyProfileQuestions(c)
	if err != nil {
		return err
	}
	return showQuestion(c, qs, c.Query("key"))
}

type familyInvitePage struct {
	page
	Patient store.FamilyPatient
	Form    family.InviteInput
	Errors  fieldErrs
	Types   []registry.Choice
	YesNo   []registry.Choice
}

// Flag is a yes/no answer as its radios name it.
func (familyInvitePage) Flag(b bool) string { return flag(b) }

func (s *server) familyPatientOf(c *fiber.Ctx) (store.FamilyPatient, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return store.FamilyPatient{}, err
	}
	return s.family().PatientOf(c.UserContext(), familyAccount(c), id)
}

func (s *server) handleFamilyInviteForm(c *fiber.Ctx) error {
	p, err := s.familyPatientOf(c)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/family_invite", familyInvitePage{page: s.familyPage(c, "Invite someone to help with "+p.FirstName+"'s record", "family"),
		Patient: p, Types: family.InviteTypes(), YesNo: yesNo})
}

func (s *server) handleFamilyInvite(c *fiber.Ctx) error {
	p, err := s.familyPatientOf(c)
	if err != nil {
		return err
	}
	in := family.InviteInput{Email: c.FormValue("email"), Type: c.FormValue("type"), LegalAuthority: c.FormValue("legal_authority") == "yes"}
	err = s.family().Invite(c.UserContext(), familyAccount(c), p.ID, in)
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/family_invite", familyInvitePage{page: s.familyPage(c, "Error: Invite someone to help with "+p.FirstName+"'s record", "family"),
			Patient: p, Form: in, Errors: toFieldErrs(fe), Types: family.InviteTypes(), YesNo: yesNo})
	}
	if err != nil {
		return err
	}
	return c.Redirect(familyPatientURL(p.ID)+"?done=invited", fiber.StatusSeeOther)
}

type familyJoinPage struct {
	page
	Invitation family.Invitation
	Form       registry.ContactInput
	Errors     fieldErrs
	Channels   []registry.Choice
}

func (s *server) handleFamilyJoinForm(c *fiber.Ctx) error {
	inv, err := s.family().GetInvitation(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return renderPage(c, "pages/family_join", familyJoinPage{page: s.familyPage(c, "Join "+inv.PatientFirstName+"'s family in the registry", ""),
		Invitation: inv, Channels: registry.Channels})
}

// handleFamilyJoin accepts an invitation: the invitee becomes a contact
// with a relationship and a family account, and is signed in (the link
// proved their mailbox as a sign-in link does).
func (s *server) handleFamilyJoin(c *fiber.Ctx) error {
	token := c.Params("token")
	fam := s.family()
	inv, err := fam.GetInvitation(c.UserContext(), token)
	if err != nil {
		return err
	}
	in := readContact(c)
	in.Notes = ""
	a, err := fam.Accept(c.UserContext(), token, in)
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return renderPage(c, "pages/family_join", familyJoinPage{page: s.familyPage(c, "Error: Join "+inv.PatientFirstName+"'s family in the registry", ""),
			Invitation: inv, Form: in, Errors: toFieldErrs(fe), Channels: registry.Channels})
	}
	if err != nil {
		return err
	}
	sess, err := s.Auth.StartFamilySession(c.UserContext(), a, s.client(c))
	if err != nil {
		return err
	}
	s.setCookie(c, familyCookie, sess, 0)
	s.newCSRF(c)
	if s.Auth.FamilyNeedsSecondFactor(c.UserContext(), a) {
		return c.Redirect(familyTwoFactorURL, fiber.StatusSeeOther)
	}
	return c.Redirect("/family?done=joined", fiber.StatusSeeOther)
}
