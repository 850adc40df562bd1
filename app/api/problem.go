package api

import (
	"encoding/json"
	"errors"
	"strconv"

	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// Problem is an RFC 9457 problem detail; Errors name the failing fields
// with the pages' own messages.
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []FieldIssue `json:"errors,omitempty"`
	header   map[string]string
}

// FieldIssue is one failing field.
type FieldIssue struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// problemType is the problem's type URI: a section of the reference page.
func problemType(status int) string { return Prefix + "/docs#problem-" + strconv.Itoa(status) }

// problem is a problem of status with a detail.
func problem(status int, detail string) *Problem {
	return &Problem{Type: problemType(status), Title: httpTitle(status), Status: status, Detail: detail}
}

func httpTitle(status int) string {
	switch status {
	case fiber.StatusUnprocessableEntity:
		return "The request has invalid values"
	case fiber.StatusBadRequest:
		return "The request does not match the API's contract"
	}
	return utils.StatusMessage(status)
}

// fieldProblem is a 422 with the domain's per-field messages.
func fieldProblem(errs children.FieldErrors) *Problem {
	p := problem(fiber.StatusUnprocessableEntity, errs[0].Message)
	for _, e := range errs {
		p.Errors = append(p.Errors, FieldIssue{Field: e.Field, Message: e.Message})
	}
	return p
}

// problemOf maps a domain or store error to its problem; nil for an
// error that is ours (a 500, logged).
func problemOf(err error) *Problem {
	var p *Problem
	var fe children.FieldErrors
	var dup *registry.DuplicateError
	var conflict *registry.ConflictError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &fe) && len(fe) > 0:
		return fieldProblem(fe)
	case errors.As(err, &dup):
		return problem(fiber.StatusConflict, dup.Error()+`; send "confirm": true to add anyway`)
	case errors.As(err, &conflict):
		return &Problem{Type: problemType(412), Title: httpTitle(412), Status: 412, Detail: conflict.Error(),
			Errors: []FieldIssue{{Field: conflict.Field, Message: conflict.Error()}}}
	case errors.Is(err, store.ErrUnavailable):
		p := problem(fiber.StatusServiceUnavailable, "The database is busy or restarting: try again shortly")
		p.header = map[string]string{fiber.HeaderRetryAfter: "5"}
		return p
	}
	msg := apperr.MessageOf(err)
	switch apperr.CodeOf(err) {
	case apperr.Forbidden:
		return problem(fiber.StatusForbidden, or(msg, "Your account may not do this"))
	case apperr.NotFound:
		return problem(fiber.StatusNotFound, or(msg, "There is no such record, or not within your reach"))
	case apperr.Conflict:
		return problem(fiber.StatusConflict, or(msg, "The record changed at the same moment: try again"))
	case apperr.Invalid, apperr.Unprocessable:
		return problem(fiber.StatusUnprocessableEntity, msg)
	case apperr.Gone:
		return problem(fiber.StatusGone, msg)
	case apperr.Unavailable:
		return problem(fiber.StatusServiceUnavailable, or(msg, "Try again shortly"))
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// send writes a problem as application/problem+json.
func send(c *fiber.Ctx, p *Problem) error {
	for k, v := range p.header {
		c.Set(k, v)
	}
	if p.Instance == "" {
		p.Instance = c.Path()
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Status(p.Status).Send(b)
}

// WriteProblem answers a refusal made before the API's middleware ran (a
// body over the server's limit) as a problem, for the app's error
// handler: a client of the API gets problem details, never a page.
func WriteProblem(c *fiber.Ctx, status int, detail string) error {
	return send(c, problem(status, detail))
}
