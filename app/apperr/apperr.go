// Package apperr is the application's one error vocabulary: an error with a
// code saying what kind of failure it is and, where it helps, a message
// written for the user. Domain packages return these; app/web/errors.go
// alone turns a code into an HTTP status and a page. An error that is not
// one of these (a database fault, a bug) is internal: the user is told
// only that something went wrong, and the log has the rest.
package apperr

import (
	"errors"
	"fmt"
)

// Code is the kind of failure, as the caller needs to act on it.
type Code string

const (
	// Invalid: what was asked for is not a valid choice: an address or
	// query value that is not a cohort, level, format... (HTTP 400).
	Invalid Code = "invalid"
	// Unprocessable: a submitted form cannot be used as sent: a field
	// missing or holding text it may not (HTTP 422).
	Unprocessable Code = "unprocessable"
	// Forbidden: the actor's role does not allow this (HTTP 403).
	Forbidden Code = "forbidden"
	// NotFound: no such thing, or one outside the actor's scope, so that
	// nothing is said about records the actor may not see (HTTP 404).
	NotFound Code = "not_found"
	// Conflict: the thing's state refuses this now (HTTP 409).
	Conflict Code = "conflict"
	// Gone: it existed but has expired (HTTP 410).
	Gone Code = "gone"
	// Unavailable: something the request needs is not running (HTTP 503).
	Unavailable Code = "unavailable"
	// Internal: anything else; never shown beyond "there is a problem".
	Internal Code = "internal"
)

// Codes lists every code.
var Codes = []Code{Invalid, Unprocessable, Forbidden, NotFound, Conflict, Gone, Unavailable, Internal}

// Error is an application error.
type Error struct {
	Code Code
	// Message is safe to show to the user as it is; empty means the
	// standard words for the code.
	Message string
	// Err is the detail behind it, for errors.As and errors.Is; never shown.
	Err error
}

func (e *Error) Error() string {
	switch {
	case e.Message != "":
		return e.Message
	case e.Err != nil:
		return string(e.Code) + ": " + e.Err.Error()
	}
	return string(e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// New is an error of code with a message for the user ("" for the
// standard words).
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Errorf is New with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// The refusals that need no words of their own.
var (
	// ErrForbidden: the actor may not do this.
	ErrForbidden = New(Forbidden, "")
	// ErrNotFound: no such thing within the actor's reach.
	ErrNotFound = New(NotFound, "")
)

// CodeOf is the code of the first application error in err's chain:
// "" for nil, Internal for an error that is not one.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf is the user's message of the first application error in err's
// chain, or "" (the standard words for its code).
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}
