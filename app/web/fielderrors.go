package web

import (
	"clinaudit/app/children"
	"clinaudit/app/datefield"
)

// The one form-error convention of every form (NHS.UK error summary and
// error message): the summary at the top (partials/error_summary) links to
// each field in error, and the message stands next to its field
// (partials/field_error, partials/text_field, partials/date_input).

// fieldErr is one form error: the field it belongs to and, for a date,
// the inputs (day, month, year) the message is about.
type fieldErr struct {
	Field   string
	Message string
	Parts   []datefield.Part
}

// errorOn is a form's single error, on field.
func errorOn(field, message string) fieldErrs {
	return fieldErrs{{Field: field, Message: message}}
}

// Anchor is the id the error summary links to: the field's first input
// (a date's first part in error, a radio group's first radio), so that
// following the link puts the focus where the person types.
func (e fieldErr) Anchor() string {
	if len(e.Parts) > 0 {
		return e.Field + "-" + string(e.Parts[0])
	}
	if id, ok := firstInput[e.Field]; ok {
		return id
	}
	return e.Field
}

// firstInput is the first input of the fields whose id is not the input's.
var firstInput = map[string]string{"sex": "sex-" + children.Sexes[0].Code}

type fieldErrs []fieldErr

// For is the message for a field, or "".
func (e fieldErrs) For(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// On is the error on field, with an empty message if there is none: the
// data of partials/field_error.
func (e fieldErrs) On(field string) fieldErr {
	for _, f := range e {
		if f.Field == field {
			return f
		}
	}
	return fieldErr{Field: field}
}

// Part reports whether a date field's error highlights one of its inputs.
func (e fieldErrs) Part(field, part string) bool {
	for _, p := range e.On(field).Parts {
		if string(p) == part {
			return true
		}
	}
	return false
}

func toFieldErrs(errs children.FieldErrors) fieldErrs {
	out := make(fieldErrs, len(errs))
	for i, e := range errs {
		out[i] = fieldErr{Field: e.Field, Message: e.Message, Parts: e.Parts}
	}
	return out
}
