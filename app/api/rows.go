package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/forms"

	"github.com/gofiber/fiber/v2"
)

// The audit forms' lists (episodes, syndromes, medicines...): a row is
// added and removed through answers.Service, as by the form's Add and
// Remove buttons (access, the record's state, the trail, the scoring
// job); its answers are then saved one by one with SaveAnswer, with keys
// naming the row.

// listName is how the API names a list: its row section, and for a list
// of the rows with one answer fixed (rescue or maintenance medicines),
// ":" and that answer as field=value. It is read off the form's own
// definition, so a new list is named without a change here.
func listName(q *forms.Question) string {
	name := q.RowSection
	if f := q.RowFilter; f != nil {
		name += ":" + f.Field + "=" + f.Value
	}
	return name
}

// listNamed is the form's list of that name, or nil.
func listNamed(f *forms.Form, name string) *forms.Question {
	var found *forms.Question
	var visit func([]*forms.Question)
	visit = func(qs []*forms.Question) {
		for _, q := range qs {
			if q.Kind == forms.Rows && listName(q) == name {
				found = q
			}
			visit(q.FollowUps)
		}
	}
	visit(f.Questions)
	return found
}

// listNames are the form's lists' names, for the refusal of another.
func listNames(f *forms.Form) string {
	var names []string
	var visit func([]*forms.Question)
	visit = func(qs []*forms.Question) {
		for _, q := range qs {
			if q.Kind == forms.Rows {
				names = append(names, listName(q))
			}
			visit(q.FollowUps)
		}
	}
	visit(f.Questions)
	if len(names) == 0 {
		return "this form has no lists"
	}
	return "this form's lists are " + strings.Join(names, ", ")
}

// AddRow adds a row to one of the form's lists.
func (a *API) AddRow(ctx context.Context, req apigen.AddRowRequestObject) (apigen.AddRowResponseObject, error) {
	f := forms.ByID(req.Form)
	if f == nil {
		return nil, problem(fiber.StatusNotFound, "There is no form "+strconv.Quote(req.Form))
	}
	list := listNamed(f, req.Body.List)
	if list == nil {
		return nil, children.FieldErrors{{Field: "list", Message: "There is no list " + strconv.Quote(req.Body.List) + ": " + listNames(f)}}
	}
	key := str(req.Body.ClientKey)
	if key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		key = "api-" + hex.EncodeToString(b)
	}
	caller := callerOf(ctx)
	saved, rowID, err := a.deps.Answers().AddRow(ctx, caller.Me, answers.AddRow{ChildID: req.Id, Form: f, List: list, ClientKey: key, RequestID: caller.RequestID})
	if err != nil {
		return nil, rowRefusal(err)
	}
	etag := etagOf(saved.Version)
	return apigen.AddRow201JSONResponse{Body: apigen.RowAdded{RowId: rowID, Version: saved.Version},
		Headers: apigen.AddRow201ResponseHeaders{ETag: &etag}}, nil
}

// RemoveRow removes a row of the form's lists with its answers; a row
// already gone (or never of this form) is no error, as for the page's
// double click.
func (a *API) RemoveRow(ctx context.Context, req apigen.RemoveRowRequestObject) (apigen.RemoveRowResponseObject, error) {
	f := forms.ByID(req.Form)
	if f == nil {
		return nil, problem(fiber.StatusNotFound, "There is no form "+strconv.Quote(req.Form))
	}
	caller := callerOf(ctx)
	if _, err := a.deps.Answers().RemoveRow(ctx, caller.Me, req.Id, f, req.Row, caller.RequestID); err != nil {
		return nil, rowRefusal(err)
	}
	return apigen.RemoveRow204Response{}, nil
}

// rowRefusal is the page's 409 for a list the form does not show now.
func rowRefusal(err error) error {
	if errors.Is(err, answers.ErrNoSuchList) {
		return problem(fiber.StatusConflict, err.Error())
	}
	return err
}
