package registry

import (
	"errors"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clinaudit/app/children"
	"clinaudit/app/datefield"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/postcode"
	"clinaudit/app/store"
	"clinaudit/app/textinput"
)

// The form fields, as the web layer names its inputs and SaveField names
// the field it saves.
const (
	FieldFirstName             = "first_name"
	FieldSurname               = "surname"
	FieldDateOfBirth           = "date_of_birth"
	FieldSex                   = "sex"
	FieldNHSNumber             = "nhs_number"
	FieldPostcode              = "postcode"
	FieldDiagnosisDate         = "diagnosis_date"
	FieldDiagnosisConfirmation = "diagnosis_confirmation"
	FieldClinicalStatus        = "clinical_status"
	FieldDateOfDeath           = "date_of_death"
	FieldNotes                 = "notes"

	FieldEmail             = "email"
	FieldPhone             = "phone"
	FieldAddress           = "address"
	FieldPreferredLanguage = "preferred_language"
	FieldPreferredChannel  = "preferred_channel"
	FieldMayContact        = "may_contact"

	FieldType           = "type"
	FieldLegalAuthority = "legal_authority"
	FieldMayAct         = "may_act"
	FieldIsPrimary      = "is_primary"
	FieldStartDate      = "start_date"
	FieldEndDate        = "end_date"

	FieldGene           = "gene"
	FieldVariant        = "variant"
	FieldClassification = "classification"
	FieldSourceReport   = "source_report"
	FieldConfirmedBy    = "confirmed_by"
)

// Limits of free text.
const (
	MaxNameLength  = 100
	MaxShortText   = 200
	MaxNotesLength = 5000
)

// DateInput is a date as typed into the three boxes (the audit's).
type DateInput = children.DateInput

// FieldErrors are per-field messages, the audit's shape.
type FieldErrors = children.FieldErrors

// Channels are the ways a contact may prefer to be reached.
var Channels = []Choice{{"email", "Email"}, {"sms", "Text message (SMS)"}, {"letter", "Letter"}}

// RelationshipTypes are what a contact is to a patient.
var RelationshipTypes = []Choice{{"mother", "Mother"}, {"father", "Father"}, {"guardian", "Guardian"},
	{"carer", "Carer"}, {"clinician", "Clinician"}, {"sibling", "Sibling"}, {"other", "Other"}}

// Sexes are the audit's SEX_TYPE choices.
var Sexes = func() []Choice {
	var out []Choice
	for _, c := range children.Sexes {
		out = append(out, Choice{c.Code, c.Label})
	}
	return out
}()

// PatientInput is a patient as typed. Only the names, date of birth and
// sex are needed to register; the rest is optional.
type PatientInput struct {
	FirstName, Surname    string
	DateOfBirth           DateInput
	Sex                   string // a SEX_TYPE code
	NHSNumber             string
	Postcode              string
	DiagnosisDate         DateInput
	DiagnosisConfirmation string // a code of Definition.DiagnosisConfirmations
	ClinicalStatus        string // a code of Definition.ClinicalStatuses
	DateOfDeath           DateInput
	Notes                 string
}

// ContactInput is a contact as typed: a name, the rest optional.
type ContactInput struct {
	FirstName, Surname string
	Email, Phone       string
	Address            string // lines
	Postcode           string
	PreferredLanguage  string
	PreferredChannel   string // "", or a code of Channels
	MayContact         bool
	Notes              string
}

// RelationshipInput is a link as typed.
type RelationshipInput struct {
	Type                   string // a code of RelationshipTypes
	LegalAuthority, MayAct bool
	IsPrimary              bool
	StartDate, EndDate     DateInput
}

// FindingInput is a genetic finding as typed.
type FindingInput struct {
	Gene, Variant, Classification, SourceReport, ConfirmedBy string
}

// checker gathers per-field messages.
type checker struct{ errs FieldErrors }

func (c *checker) add(field, msg string) {
	c.errs = append(c.errs, children.FieldError{Field: field, Message: msg})
}

func (c *checker) addDate(field string, err error) {
	var de *datefield.Error
	if errors.As(err, &de) {
		c.errs = append(c.errs, children.FieldError{Field: field, Message: de.Message, Parts: de.Parts})
		return
	}
	c.add(field, err.Error())
}

// text checks free text: readable, not too long, required if asked; it
// returns the text trimmed (single lines with runs of space collapsed).
func (c *checker) text(field, label, value string, max int, required bool, lines textinput.Lines) string {
	v := strings.TrimSpace(value)
	if lines == textinput.SingleLine {
		v = strings.Join(strings.Fields(v), " ")
	}
	switch err := textinput.Check(v, lines); {
	case err != nil:
		c.add(field, textinput.Message(label, err))
	case v == "" && required:
		c.add(field, "Enter the "+strings.ToLower(label[:1])+label[1:])
	case utf8.RuneCountInString(v) > max:
		c.add(field, label+" must be "+strconv.Itoa(max)+" characters or fewer")
	}
	return v
}

// date parses an optional date box and checks it by rules; nil when blank
// or wrong.
func (c *checker) date(field, label string, in DateInput, required bool, rules ...datefield.Rule) *time.Time {
	if datefield.IsBlank(in.Day, in.Month, in.Year) {
		if required {
			c.add(field, "Enter the "+strings.ToLower(label[:1])+label[1:])
		}
		return nil
	}
	d, err := datefield.Parse(label, in.Day, in.Month, in.Year)
	if err == nil {
		err = datefield.Check(label, d, rules...)
	}
	if err != nil {
		c.addDate(field, err)
		return nil
	}
	return &d
}

func (c *checker) choice(field, what string, cs []Choice, code string, required bool) string {
	code = strings.TrimSpace(code)
	switch {
	case code == "" && required:
		c.add(field, "Select the "+what)
	case code != "" && !has(cs, code):
		c.add(field, "Select the "+what+" from the list")
	default:
		return code
	}
	return ""
}

// patientRow is a checked patient, as stored.
type patientRow struct {
	first, surname       string
	dob                  store.Date
	sex                  int64
	nhs                  *string
	postc                string
	diagnosis            *store.Date
	confirmation, status string
	death                *store.Date
	notes                string
}

func dateOf(t *time.Time) *store.Date {
	if t == nil {
		return nil
	}
	d := store.NewDate(*t)
	return &d
}

// checkPatient applies the registry's rules to a typed patient.
func checkPatient(def Definition, in PatientInput, today time.Time) (patientRow, FieldErrors) {
	var c checker
	var out patientRow
	out.first = c.text(FieldFirstName, "First name", in.FirstName, MaxNameLength, true, textinput.SingleLine)
	out.surname = c.text(FieldSurname, "Surname", in.Surname, MaxNameLength, true, textinput.SingleLine)
	dob := c.date(FieldDateOfBirth, "Date of birth", in.DateOfBirth, true, datefield.DateOfBirth(today)...)
	if dob != nil {
		out.dob = store.NewDate(*dob)
	}
	if code := c.choice(FieldSex, "patient's sex", Sexes, in.Sex, true); code != "" {
		out.sex, _ = strconv.ParseInt(code, 10, 64)
	}
	if strings.TrimSpace(in.NHSNumber) != "" {
		if n, err := nhsnumber.Validate(in.NHSNumber); err != nil {
			c.add(FieldNHSNumber, err.Error())
		} else {
			out.nhs = &n
		}
	}
	if strings.TrimSpace(in.Postcode) != "" {
		if p, err := postcode.Validate(in.Postcode); err != nil {
			c.add(FieldPostcode, err.Error())
		} else {
			out.postc = postcode.Compact(p)
		}
	}
	since := datefield.DateOfBirth(today)
	if dob != nil {
		since = datefield.SinceBirth(today, *dob)
	}
	out.diagnosis = dateOf(c.date(FieldDiagnosisDate, "Diagnosis date", in.DiagnosisDate, false, since...))
	out.confirmation = c.choice(FieldDiagnosisConfirmation, "way the diagnosis was confirmed", def.DiagnosisConfirmations, in.DiagnosisConfirmation, false)
	out.status = c.choice(FieldClinicalStatus, "clinical status", def.ClinicalStatuses, in.ClinicalStatus, false)
	out.death = dateOf(c.date(FieldDateOfDeath, "Date of death", in.DateOfDeath, false, since...))
	out.notes = c.text(FieldNotes, "Notes", in.Notes, MaxNotesLength, false, textinput.MultiLine)
	return out, c.errs
}

// contactRow is a checked contact, as stored.
type contactRow struct {
	first, surname, email, phone, address, postc, language, channel, notes string
	mayContact                                                             bool
}

// phoneChars are what a phone number may be typed with besides digits.
var phoneSeparators = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")

// NormalisePhone reads a UK or international phone number as typed: "+44"
// form for UK numbers ("07700 900123" is "+447700900123"). ok is false
// when it cannot be one.
func NormalisePhone(s string) (string, bool) {
	p := phoneSeparators.Replace(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(p, "00"):
		p = "+" + p[2:]
	case strings.HasPrefix(p, "0"):
		p = "+44" + p[1:]
	case !strings.HasPrefix(p, "+"):
		return "", false
	}
	digits := p[1:]
	if len(digits) < 8 || len(digits) > 15 || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	if strings.HasPrefix(digits, "44") && len(digits) != 12 {
		return "", false // UK numbers have 10 digits after the 0
	}
	return p, true
}

// NormaliseEmail reads an email address as typed: trimmed and lower-case.
// ok is false when it is not one address.
func NormaliseEmail(s string) (string, bool) {
	e := strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return "", false
	}
	return e, true
}

func checkContact(in ContactInput) (contactRow, FieldErrors) {
	var c checker
	var out contactRow
	out.first = c.text(FieldFirstName, "First name", in.FirstName, MaxNameLength, true, textinput.SingleLine)
	out.surname = c.text(FieldSurname, "Surname", in.Surname, MaxNameLength, true, textinput.SingleLine)
	if strings.TrimSpace(in.Email) != "" {
		if e, ok := NormaliseEmail(in.Email); ok {
			out.email = e
		} else {
			c.add(FieldEmail, "Enter an email address in the correct format, like name@example.com")
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		if p, ok := NormalisePhone(in.Phone); ok {
			out.phone = p
		} else {
			c.add(FieldPhone, "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
		}
	}
	out.address = c.text(FieldAddress, "Address", in.Address, MaxShortText*2, false, textinput.MultiLine)
	if strings.TrimSpace(in.Postcode) != "" {
		if p, err := postcode.Validate(in.Postcode); err != nil {
			c.add(FieldPostcode, err.Error())
		} else {
			out.postc = postcode.Compact(p)
		}
	}
	out.language = c.text(FieldPreferredLanguage, "Preferred language", in.PreferredLanguage, MaxNameLength, false, textinput.SingleLine)
	out.channel = c.choice(FieldPreferredChannel, "preferred way to be contacted", Channels, in.PreferredChannel, false)
	switch {
	case out.channel == "email" && out.email == "" && c.errs.For(FieldEmail) == "":
		c.add(FieldPreferredChannel, "Enter an email address to be contacted by email")
	case out.channel == "sms" && out.phone == "" && c.errs.For(FieldPhone) == "":
		c.add(FieldPreferredChannel, "Enter a phone number to be contacted by text message")
	case out.channel == "letter" && out.address == "" && c.errs.For(FieldAddress) == "":
		c.add(FieldPreferredChannel, "Enter an address to be contacted by letter")
	}
	out.mayContact = in.MayContact
	out.notes = c.text(FieldNotes, "Notes", in.Notes, MaxNotesLength, false, textinput.MultiLine)
	return out, c.errs
}

type relationshipRow struct {
	typ                    string
	legal, mayAct, primary bool
	start, end             *store.Date
}

func checkRelationship(in RelationshipInput, today time.Time) (relationshipRow, FieldErrors) {
	var c checker
	out := relationshipRow{legal: in.LegalAuthority, mayAct: in.MayAct, primary: in.IsPrimary}
	out.typ = c.choice(FieldType, "relationship", RelationshipTypes, in.Type, true)
	start := c.date(FieldStartDate, "Start date", in.StartDate, false, datefield.NotInFuture(today))
	endRules := []datefield.Rule{datefield.NotInFuture(today)}
	if start != nil {
		endRules = append(endRules, datefield.OnOrAfter(*start, "the start date"))
	}
	end := c.date(FieldEndDate, "End date", in.EndDate, false, endRules...)
	out.start, out.end = dateOf(start), dateOf(end)
	return out, c.errs
}

// hgvs is a variant in HGVS notation on a coding, genomic, non-coding,
// mitochondrial or protein reference, optionally with its reference
// sequence ("NM_004992.4:c.473C>T"): substitutions, deletions,
// duplications, insertions, delins, and protein changes ("p.(Arg168*)").
var hgvs = regexp.MustCompile(`^(?:(?:N[MRCGTP]|X[MR]|ENS[TG])_?\d+(?:\.\d+)?(?:\([A-Z0-9]+\))?:)?` +
	`(?:[cgnmr]\.\(?[-*]?\d+(?:[-+]\d+)?(?:_[-*]?\d+(?:[-+]\d+)?)?\)?` +
	`(?:[ACGTacgu]+>[ACGTacgu]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+|delins[ACGT]+|inv|=)` +
	`|p\.\(?(?:[A-Z][a-z]{2}\d+(?:_[A-Z][a-z]{2}\d+)?(?:[A-Z][a-z]{2}|\*|Ter|=|del|dup|fs(?:Ter|\*)?\d*|[A-Z][a-z]{2}fs(?:Ter|\*)\d+|delins[A-Z][a-z]{2,}|ins[A-Z][a-z]{2,})|=|0|\?)\)?)$`)

// ValidHGVS reports whether v is a variant in HGVS notation, such as
// "c.473C>T", "c.1157_1197del", "NM_004992.4:c.808C>T" or "p.(Arg168*)".
func ValidHGVS(v string) bool { return hgvs.MatchString(strings.TrimSpace(v)) }

type findingRow struct{ gene, variant, classification, source, confirmedBy string }

func checkFinding(def Definition, in FindingInput) (findingRow, FieldErrors) {
	var c checker
	var out findingRow
	out.gene = strings.TrimSpace(in.Gene)
	switch {
	case out.gene == "":
		c.add(FieldGene, "Select the gene")
	case !slicesContains(def.Genes, out.gene):
		c.add(FieldGene, "Select the gene from the list")
	}
	out.variant = c.text(FieldVariant, "Variant", in.Variant, MaxShortText, true, textinput.SingleLine)
	if out.variant != "" && c.errs.For(FieldVariant) == "" && !ValidHGVS(out.variant) {
		c.add(FieldVariant, "Enter the variant in HGVS notation, like c.473C>T or NM_004992.4:c.808C>T")
	}
	out.classification = c.choice(FieldClassification, "variant's classification", def.VariantClassifications, in.Classification, false)
	out.source = c.text(FieldSourceReport, "Source report", in.SourceReport, MaxShortText, false, textinput.SingleLine)
	out.confirmedBy = c.text(FieldConfirmedBy, "Confirmed by", in.ConfirmedBy, MaxShortText, false, textinput.SingleLine)
	return out, c.errs
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
