package children

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/datefield"
	"clinaudit/app/listfilter"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/postcode"
	"clinaudit/app/store"
	"clinaudit/app/textinput"
)

// FieldError is bad input, named by its form field.
type FieldError struct {
	Field   string // the form field: "first_name", "date_of_birth"...
	Message string
	// Parts are the inputs of a date field to highlight, in page order.
	Parts []datefield.Part
}

// FieldErrors are every problem with a form, in the order of its fields.
type FieldErrors []FieldError

func (e FieldErrors) Error() string {
	var b strings.Builder
	for i, f := range e {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
	}
	return b.String()
}

// For is the message for field, or "".
func (e FieldErrors) For(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func (e *FieldErrors) add(field, message string) {
	*e = append(*e, FieldError{Field: field, Message: message})
}

func (e *FieldErrors) addDate(field string, err error) {
	var de *datefield.Error
	if errors.As(err, &de) {
		*e = append(*e, FieldError{Field: field, Message: de.Message, Parts: de.Parts})
		return
	}
	e.add(field, err.Error())
}

// DateInput is a date as typed into the three boxes.
type DateInput struct{ Day, Month, Year string }

// DateInputOf fills the three boxes from a stored date.
func DateInputOf(d *store.Date) DateInput {
	if d == nil {
		return DateInput{}
	}
	return DateInput{strconv.Itoa(d.Day), strconv.Itoa(int(d.Month)), strconv.Itoa(d.Year)}
}

// Demographics is the case form (spec §2.1, §4) as typed.
type Demographics struct {
	FirstName, Surname    string
	NHSNumber             string
	UniqueReferenceNumber string // Jersey only
	DateOfBirth           DateInput
	Sex                   string // a SEX_TYPE code
	Ethnicity             string // an ETHNICITIES code
	Postcode              string
}

// DemographicsOf fills the case form from a stored child.
func DemographicsOf(c store.Child) Demographics {
	d := Demographics{FirstName: c.FirstName, Surname: c.Surname, NHSNumber: nhsnumber.Format(c.NHSNumber),
		UniqueReferenceNumber: c.UniqueReferenceNumber, DateOfBirth: DateInputOf(c.DateOfBirth),
		Ethnicity: c.Ethnicity, Postcode: postcodeDisplay(c.Postcode)}
	if c.Sex != nil {
		d.Sex = strconv.FormatInt(*c.Sex, 10)
	}
	return d
}

// NewChild is the case form plus the lead organisation (an ODS code).
type NewChild struct {
	Demographics
	LeadOrganisation string
}

// Limits of the free-text fields (spec §2.1 char(100), §4.4 URN 20).
const (
	MaxNameLength      = 100
	MaxReferenceLength = 20
)

// clean is validated demographics, ready to store.
type clean struct {
	nhs, urn         *string
	first, surname   string
	dob              store.Date
	sex              int64
	ethnicity, postc string
}

// validate applies §4's rules. jersey picks the unique reference number
// and Jersey postcodes over the NHS number and UK postcodes. fpa, when the
// child is registered, keeps the date of birth consistent with it.
func validate(d Demographics, jersey bool, today time.Time, fpa *store.Date) (clean, FieldErrors) {
	var out clean
	var errs FieldErrors
	name := func(field, value, what string) string {
		v := strings.Join(strings.Fields(value), " ") // tabs and line breaks become spaces
		label := strings.ToUpper(what[:1]) + what[1:]
		switch err := textinput.Check(v, textinput.SingleLine); {
		case err != nil:
			errs.add(field, textinput.Message(label, err))
		case v == "":
			errs.add(field, "Enter the child's "+what)
		case utf8.RuneCountInString(v) > MaxNameLength:
			errs.add(field, label+" must be "+strconv.Itoa(MaxNameLength)+" characters or fewer")
		}
		return v
	}
	out.first = name("first_name", d.FirstName, "first name")
	out.surname = name("surname", d.Surname, "surname")

	if jersey {
		urn := strings.ToUpper(strings.TrimSpace(d.UniqueReferenceNumber))
		switch err := textinput.Check(urn, textinput.SingleLine); {
		case err != nil:
			errs.add("unique_reference_number", textinput.Message("Unique reference number", err))
		case urn == "":
			errs.add("unique_reference_number", "Enter the child's unique reference number")
		case utf8.RuneCountInString(urn) > MaxReferenceLength:
			errs.add("unique_reference_number", "Unique reference number must be "+strconv.Itoa(MaxReferenceLength)+" characters or fewer")
		default:
			out.urn = &urn
		}
	} else if n, err := nhsnumber.Validate(d.NHSNumber); err != nil {
		errs.add("nhs_number", err.Error())
	} else {
		out.nhs = &n
	}

	const dobLabel = "Date of birth"
	if dob, err := datefield.Parse(dobLabel, d.DateOfBirth.Day, d.DateOfBirth.Month, d.DateOfBirth.Year); err != nil {
		errs.addDate("date_of_birth", err)
	} else {
		rules := datefield.DateOfBirth(today)
		if fpa != nil {
			f := fpa.Time()
			rules = append(rules, datefield.OnOrBefore(f, datefield.WhatFirstAssessment), bornWithin24Years(f))
		}
		if err := datefield.Check(dobLabel, dob, rules...); err != nil {
			errs.addDate("date_of_birth", err)
		}
		out.dob = store.NewDate(dob)
	}

	if d.Sex == "" {
		errs.add("sex", "Select the child's sex")
	} else if !valid(Sexes, d.Sex) {
		errs.add("sex", "Select the child's sex from the list")
	} else {
		out.sex, _ = strconv.ParseInt(d.Sex, 10, 64)
	}
	if d.Ethnicity == "" {
		errs.add("ethnicity", "Select the child's ethnicity")
	} else if !valid(Ethnicities, d.Ethnicity) {
		errs.add("ethnicity", "Select the child's ethnicity from the list")
	} else {
		out.ethnicity = d.Ethnicity
	}

	check := postcode.Validate
	if jersey {
		check = postcode.ValidateJersey
	}
	if p, err := check(d.Postcode); err != nil {
		errs.add("postcode", err.Error())
	} else {
		out.postc = postcode.Compact(p)
	}
	return out, errs
}

// bornWithin24Years keeps an edited date of birth from putting the first
// paediatric assessment on or after the 24th birthday (§4.1).
func bornWithin24Years(fpa time.Time) datefield.Rule {
	return func(label string, dob time.Time) error {
		if !fpa.Before(datefield.Birthday(dob, datefield.MaxAgeAtFirstAssessment)) {
			return &datefield.Error{Message: label + " must be less than 24 years before the first paediatric assessment (" +
				datefield.Format(fpa) + ")", Parts: []datefield.Part{datefield.Day, datefield.Month, datefield.Year}}
		}
		return nil
	}
}

// conflictOn reports whether err is a unique violation on column.
func conflictOn(err error, column string) bool {
	return errors.Is(err, store.ErrConflict) && strings.Contains(err.Error(), column)
}

// uniqueErrors turns a clash on the NHS number or reference number into the
// field's error; other errors pass through.
func uniqueErrors(err error) error {
	switch {
	case conflictOn(err, "nhs_number"):
		return FieldErrors{{Field: "nhs_number", Message: MsgNHSNumberTaken}}
	case conflictOn(err, "unique_reference_number"):
		return FieldErrors{{Field: "unique_reference_number", Message: MsgReferenceTaken}}
	}
	return err
}

// Create adds a child at the lead organisation n names and returns its id.
// Errors: FieldErrors (bad input, by field), apperr.ErrForbidden.
func (s *Service) Create(ctx context.Context, me Me, n NewChild) (int64, error) {
	if !me.Actor.Can(access.EditDemographics) {
		return 0, apperr.ErrForbidden
	}
	var errs FieldErrors
	var org store.Organisation
	ods := listfilter.ODS(n.LeadOrganisation)
	if ods == "" {
		errs.add("lead_organisation", "Choose the child's lead organisation")
	} else if o, err := s.Store.GetOrganisationByODS(ctx, ods); errors.Is(err, store.ErrNotFound) {
		errs.add("lead_organisation", "Choose the child's lead organisation from the list")
	} else if err != nil {
		return 0, err
	} else if !access.Allowed(me.Actor, access.EditDemographics, access.PlaceOfOrganisation(o)) {
		errs.add("lead_organisation", "You can only add children at organisations in your own trust or health board")
	} else {
		org = o
	}
	c, verrs := validate(n.Demographics, org.ID != 0 && IsJersey(org), s.today(), nil)
	// The lead organisation is the last field of the form.
	errs = append(verrs, errs...)
	if len(errs) > 0 {
		return 0, errs
	}
	now := s.now()
	for attempt := 0; ; attempt++ {
		var id int64
		err := s.Store.InTx(ctx, func(tx store.Tx) error {
			var err error
			id, err = tx.InsertChild(ctx, store.InsertChildParams{AuditID: NewAuditID(), NHSNumber: c.nhs,
				UniqueReferenceNumber: c.urn, FirstName: c.first, Surname: c.surname, DateOfBirth: &c.dob, Sex: c.sex,
				Postcode: c.postc, Ethnicity: c.ethnicity, LeadOrganisationID: org.ID, CreatedAt: now, CreatedBy: &me.ID})
			if err != nil {
				return err
			}
			return s.record(ctx, tx, me, id, &store.Child{}, KindDemographics, "")
		})
		if conflictOn(err, "audit_id") && attempt < 5 {
			continue // 1 in billions: draw another
		}
		if err != nil {
			return 0, uniqueErrors(err)
		}
		return id, nil
	}
}

// Update changes a child's demographics. version is the one the user's
// form was made from: if the child has changed since, ErrStale. Errors:
// FieldErrors besides the common ones.
func (s *Service) Update(ctx context.Context, me Me, id, version int64, d Demographics) error {
	return s.change(ctx, me.Actor, id, access.EditDemographics, func(tx store.Tx, c store.Child, o store.Organisation, today time.Time) error {
		if version != c.Version {
			return ErrStale
		}
		v, errs := validate(d, IsJersey(o), today, c.FirstPaediatricAssessmentDate)
		if len(errs) > 0 {
			return errs
		}
		n, err := tx.UpdateChildDemographics(ctx, store.UpdateChildDemographicsParams{NHSNumber: v.nhs,
			UniqueReferenceNumber: v.urn, FirstName: v.first, Surname: v.surname, DateOfBirth: &v.dob, Sex: v.sex,
			Postcode: v.postc, Ethnicity: v.ethnicity, UpdatedAt: s.now(), UpdatedBy: &me.ID, ID: c.ID, Version: c.Version})
		return s.written(ctx, tx, me, c, n, uniqueErrors(err), KindDemographics)
	})
}
