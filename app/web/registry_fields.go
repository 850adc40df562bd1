package web

import (
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/apperr"
	"clinaudit/app/registry"

	"github.com/gofiber/fiber/v2"
)

// Autosave on the registry's pages: each field of a patient, a contact or
// a relationship is one question rendered by partials/audit_question and
// answered by partials/audit_saved, so the audit's autosave.js drives it
// ("Saved", "Not saved – retry", a conflict per field). A field's key is
// its registry.Field* name, or "rel.<id>.<field>" for a relationship
// shown on its patient's page.

// fieldSpec is one field as its page shows it.
type fieldSpec struct {
	Field, Label, Kind, Hint string
	Optional                 bool
	MaxLen                   int
	Choices                  []registry.Choice
}

var yesNo = []registry.Choice{{Code: "yes", Label: "Yes"}, {Code: "no", Label: "No"}}

func patientSpecs(d registry.Definition) []fieldSpec {
	return []fieldSpec{
		{Field: registry.FieldFirstName, Label: "First name", Kind: "text", MaxLen: registry.MaxNameLength},
		{Field: registry.FieldSurname, Label: "Surname", Kind: "text", MaxLen: registry.MaxNameLength},
		{Field: registry.FieldDateOfBirth, Label: "Date of birth", Kind: "date", Hint: "For example, 15 3 2014"},
		{Field: registry.FieldSex, Label: "Sex", Kind: "radios", Choices: registry.Sexes},
		{Field: registry.FieldNHSNumber, Label: "NHS number", Kind: "text", Optional: true, MaxLen: 12, Hint: "It has 10 digits."},
		{Field: registry.FieldPostcode, Label: "Postcode", Kind: "text", Optional: true, MaxLen: 10},
		{Field: registry.FieldDiagnosisDate, Label: "Date of diagnosis", Kind: "date", Optional: true},
		{Field: registry.FieldDiagnosisConfirmation, Label: "How the diagnosis was confirmed", Kind: "select", Optional: true, Choices: d.DiagnosisConfirmations},
		{Field: registry.FieldClinicalStatus, Label: "Clinical status", Kind: "select", Optional: true, Choices: d.ClinicalStatuses},
		{Field: registry.FieldDateOfDeath, Label: "Date of death", Kind: "date", Optional: true},
		{Field: registry.FieldNotes, Label: "Notes", Kind: "textarea", Optional: true, MaxLen: registry.MaxNotesLength},
	}
}

var contactSpecs = []fieldSpec{
	{Field: registry.FieldFirstName, Label: "First name", Kind: "text", MaxLen: registry.MaxNameLength},
	{Field: registry.FieldSurname, Label: "Surname", Kind: "text", MaxLen: registry.MaxNameLength},
	{Field: registry.FieldEmail, Label: "Email address", Kind: "text", Optional: true, MaxLen: registry.MaxShortText},
	{Field: registry.FieldPhone, Label: "Phone number", Kind: "text", Optional: true, MaxLen: 30},
	{Field: registry.FieldAddress, Label: "Address", Kind: "textarea", Optional: true, MaxLen: registry.MaxShortText * 2},
	{Field: registry.FieldPostcode, Label: "Postcode", Kind: "text", Optional: true, MaxLen: 10},
	{Field: registry.FieldPreferredLanguage, Label: "Preferred language", Kind: "text", Optional: true, MaxLen: registry.MaxNameLength},
	{Field: registry.FieldPreferredChannel, Label: "Preferred way to be contacted", Kind: "select", Optional: true, Choices: registry.Channels},
	{Field: registry.FieldMayContact, Label: "May the registry contact them?", Kind: "radios", Choices: yesNo},
	{Field: registry.FieldNotes, Label: "Notes", Kind: "textarea", Optional: true, MaxLen: registry.MaxNotesLength},
}

var relationshipSpecs = []fieldSpec{
	{Field: registry.FieldType, Label: "Relationship to the patient", Kind: "select", Choices: registry.RelationshipTypes},
	{Field: registry.FieldLegalAuthority, Label: "Holds legal authority (parental responsibility or lasting power of attorney)", Kind: "radios", Choices: yesNo},
	{Field: registry.FieldMayAct, Label: "May act for the patient", Kind: "radios", Choices: yesNo},
	{Field: registry.FieldIsPrimary, Label: "Primary contact", Kind: "radios", Choices: yesNo},
	{Field: registry.FieldStartDate, Label: "Start date", Kind: "date", Optional: true},
	{Field: registry.FieldEndDate, Label: "End date", Kind: "date", Optional: true, Hint: "Enter a date to end the relationship."},
}

func specOf(specs []fieldSpec, field string) (fieldSpec, bool) {
	for _, f := range specs {
		if f.Field == field {
			return f, true
		}
	}
	return fieldSpec{}, false
}

// fieldValue is a field's value as the form shows it: text, or a date.
type fieldValue struct {
	Text string
	Date registry.DateInput
}

func flag(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func patientValue(in registry.PatientInput, field string) fieldValue {
	switch field {
	case registry.FieldFirstName:
		return fieldValue{Text: in.FirstName}
	case registry.FieldSurname:
		return fieldValue{Text: in.Surname}
	case registry.FieldDateOfBirth:
		return fieldValue{Date: in.DateOfBirth}
	case registry.FieldSex:
		return fieldValue{Text: in.Sex}
	case registry.FieldNHSNumber:
		return fieldValue{Text: in.NHSNumber}
	case registry.FieldPostcode:
		return fieldValue{Text: in.Postcode}
	case registry.FieldDiagnosisDate:
		return fieldValue{Date: in.DiagnosisDate}
	case registry.FieldDiagnosisConfirmation:
		return fieldValue{Text: in.DiagnosisConfirmation}
	case registry.FieldClinicalStatus:
		return fieldValue{Text: in.ClinicalStatus}
	case registry.FieldDateOfDeath:
		return fieldValue{Date: in.DateOfDeath}
	}
	return fieldValue{Text: in.Notes}
}

func contactValue(in registry.ContactInput, field string) fieldValue {
	switch field {
	case registry.FieldFirstName:
		return fieldValue{Text: in.FirstName}
	case registry.FieldSurname:
		return fieldValue{Text: in.Surname}
	case registry.FieldEmail:
		return fieldValue{Text: in.Email}
	case registry.FieldPhone:
		return fieldValue{Text: in.Phone}
	case registry.FieldAddress:
		return fieldValue{Text: in.Address}
	case registry.FieldPostcode:
		return fieldValue{Text: in.Postcode}
	case registry.FieldPreferredLanguage:
		return fieldValue{Text: in.PreferredLanguage}
	case registry.FieldPreferredChannel:
		return fieldValue{Text: in.PreferredChannel}
	case registry.FieldMayContact:
		return fieldValue{Text: flag(in.MayContact)}
	}
	return fieldValue{Text: in.Notes}
}

func relationshipValue(in registry.RelationshipInput, field string) fieldValue {
	switch field {
	case registry.FieldType:
		return fieldValue{Text: in.Type}
	case registry.FieldLegalAuthority:
		return fieldValue{Text: flag(in.LegalAuthority)}
	case registry.FieldMayAct:
		return fieldValue{Text: flag(in.MayAct)}
	case registry.FieldIsPrimary:
		return fieldValue{Text: flag(in.IsPrimary)}
	case registry.FieldStartDate:
		return fieldValue{Date: in.StartDate}
	}
	return fieldValue{Date: in.EndDate}
}

// fieldQuestion is a field as an autosaving question.
func fieldQuestion(f fieldSpec, key, postURL string, version int64, v fieldValue) questionView {
	id := strings.ReplaceAll(key, ".", "-")
	q := questionView{Key: key, ID: id, Kind: f.Kind, Label: f.Label, Hint: f.Hint, Optional: f.Optional, PostURL: postURL,
		Version: version, MaxLen: f.MaxLen, Text: v.Text, Day: v.Date.Day, Month: v.Date.Month, Year: v.Date.Year,
		Trigger: "change, retry"}
	switch f.Kind {
	case "text", "textarea":
		q.Trigger = "keyup changed delay:800ms, change, retry"
	case "date":
		q.Trigger = "date-complete, date-left, retry"
	}
	for _, ch := range f.Choices {
		q.Options = append(q.Options, optionView{Value: ch.Code, Label: ch.Label, ID: id + "-" + ch.Code, Checked: ch.Code == v.Text})
	}
	return q
}

// relKey is the key of a relationship's field: "rel.12.end_date".
func relKey(id int64, field string) string { return "rel." + strconv.FormatInt(id, 10) + "." + field }

// parseKey splits a posted key into the relationship (0 for the page's own
// record) and the field.
func parseKey(key string) (int64, string, error) {
	if rest, ok := strings.CutPrefix(key, "rel."); ok {
		id, field, ok := strings.Cut(rest, ".")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || n <= 0 {
			return 0, "", apperr.New(apperr.Unprocessable, "The change did not say which field it is for.")
		}
		return n, field, nil
	}
	if key == "" {
		return 0, "", apperr.New(apperr.Unprocessable, "The change did not say which field it is for.")
	}
	return 0, key, nil
}

// readField reads one posted field for the service.
func readField(c *fiber.Ctx, id int64, key, field string) registry.SaveField {
	seen, _ := strconv.ParseInt(c.FormValue("v"), 10, 64)
	return registry.SaveField{ID: id, Field: field, Value: c.FormValue(key), Seen: seen, RequestID: requestIDOf(c),
		Date: registry.DateInput{Day: c.FormValue(key + "-day"), Month: c.FormValue(key + "-month"), Year: c.FormValue(key + "-year")}}
}

// answerField answers one autosave: saved, refused next to the field,
// or a conflict with someone else's change.
func (s *server) answerField(c *fiber.Ctx, spec fieldSpec, key, pageURL string, sf registry.SaveField, saved registry.Saved, err error) error {
	id := strings.ReplaceAll(key, ".", "-")
	var fe registry.FieldErrors
	var ce *registry.ConflictError
	var ae *apperr.Error
	switch {
	case errors.As(err, &fe):
		msg := "Check this field"
		if len(fe) > 0 {
			msg = fe[0].Message
		}
		return s.answerRefused(c, id, fiber.StatusUnprocessableEntity, msg)
	case errors.As(err, &ce):
		mine := fieldValue{Text: sf.Value, Date: sf.Date}
		cv := &conflictView{Theirs: shownValue(spec, ce.Theirs), By: ce.By, At: ce.At.In(londonTime).Format("15:04 on 2 January 2006"),
			Version: ce.Version, Mine: shownInput(spec, mine), Key: key, PostURL: pageURL + "/field",
			KeepURL: pageURL + "/field?key=" + key}
		c.Status(fiber.StatusConflict)
		return renderPartial(c, "partials/audit_saved", saveResult{Question: questionView{ID: id, Key: key}, Conflict: cv, Status: "Not saved"})
	case errors.As(err, &ae) && (ae.Code == apperr.Conflict || ae.Code == apperr.Invalid):
		status := fiber.StatusConflict
		if ae.Code == apperr.Invalid {
			status = fiber.StatusUnprocessableEntity
		}
		return s.answerRefused(c, id, status, ae.Message)
	case err != nil:
		return err
	}
	return renderPartial(c, "partials/audit_saved", saveResult{Question: questionView{ID: id, Key: key}, Status: "Saved", Version: saved.Version})
}

// shownValue is a stored value as a person reads it.
func shownValue(spec fieldSpec, v string) string {
	if v == "" {
		return "nothing (cleared)"
	}
	if len(spec.Choices) > 0 {
		return registry.Label(spec.Choices, v)
	}
	return v
}

func shownInput(spec fieldSpec, v fieldValue) string {
	if spec.Kind == "date" {
		if v.Date.Day == "" && v.Date.Month == "" && v.Date.Year == "" {
			return "nothing (cleared)"
		}
		return v.Date.Day + "/" + v.Date.Month + "/" + v.Date.Year
	}
	return shownValue(spec, v.Text)
}

// handlePatientField saves one field of a patient, or of one of its
// relationships.
func (s *server) handlePatientField(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	key := c.FormValue("key")
	rel, field, err := parseKey(key)
	if err != nil {
		return err
	}
	svc := s.registry()
	if rel != 0 {
		spec, ok := specOf(relationshipSpecs, field)
		if !ok {
			return s.answerRefused(c, strings.ReplaceAll(key, ".", "-"), fiber.StatusUnprocessableEntity, "This field is not on this page.")
		}
		sf := readField(c, rel, key, field)
		saved, err := svc.SaveRelationshipField(c.UserContext(), me(c), sf)
		return s.answerField(c, spec, key, patientURL(id), sf, saved, err)
	}
	reg, err := svc.Get(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	spec, ok := specOf(patientSpecs(reg.Definition), field)
	if !ok {
		return s.answerRefused(c, field, fiber.StatusUnprocessableEntity, "This field is not on this page.")
	}
	sf := readField(c, id, key, field)
	saved, err := svc.SavePatientField(c.UserContext(), me(c), sf)
	return s.answerField(c, spec, key, patientURL(id), sf, saved, err)
}

func (s *server) handleContactField(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	key := c.FormValue("key")
	spec, ok := specOf(contactSpecs, key)
	if !ok {
		return s.answerRefused(c, "field", fiber.StatusUnprocessableEntity, "This field is not on this page.")
	}
	sf := readField(c, id, key, key)
	saved, err := s.registry().SaveContactField(c.UserContext(), me(c), sf)
	return s.answerField(c, spec, key, contactURL(id), sf, saved, err)
}

// handlePatientFieldShow re-renders one field as stored: a conflict's
// "Keep their answer".
func (s *server) handlePatientFieldShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.editablePatient(c, id)
	if err != nil {
		return err
	}
	rel, key, err := parseKey(c.Query("key"))
	if err != nil {
		return apperr.ErrNotFound
	}
	reg, err := s.registry().Get(c.UserContext(), actor(c), registrySlug())
	if err != nil {
		return err
	}
	qs := patientQuestions(reg.Definition, p)
	for _, l := range p.Links {
		qs = append(qs, linkQuestions(p.ID, l)...)
	}
	if rel != 0 {
		key = relKey(rel, key)
	}
	return showQuestion(c, qs, key)
}

// showQuestion renders the question of key among qs (404 if none).
func showQuestion(c *fiber.Ctx, qs []questionView, key string) error {
	for _, q := range qs {
		if q.Key == key {
			return renderPartial(c, "partials/audit_question", q)
		}
	}
	return apperr.ErrNotFound
}

func (s *server) handleContactFieldShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ct, err := s.registry().GetContact(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !ct.CanEdit {
		return apperr.ErrForbidden
	}
	return showQuestion(c, contactQuestions(ct), c.Query("key"))
}

// recordQuestions are a record's fields (specs) as questions that save
// themselves at url; value reads one from the stored record.
func recordQuestions(specs []fieldSpec, url string, version int64, value func(field string) fieldValue) []questionView {
	var out []questionView
	for _, f := range specs {
		out = append(out, fieldQuestion(f, f.Field, url, version, value(f.Field)))
	}
	return out
}

func patientQuestions(d registry.Definition, p registry.Patient) []questionView {
	in := registry.PatientInputOf(p.RegistryPatient)
	return recordQuestions(patientSpecs(d), patientURL(p.ID)+"/field", p.Version, func(f string) fieldValue { return patientValue(in, f) })
}

func contactQuestions(ct registry.Contact) []questionView {
	in := registry.ContactInputOf(ct.RegistryContact)
	return recordQuestions(contactSpecs, contactURL(ct.ID)+"/field", ct.Version, func(f string) fieldValue { return contactValue(in, f) })
}
