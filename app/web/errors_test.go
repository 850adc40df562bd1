package web

import (
	"errors"
	"fmt"
	"testing"

	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// statusOf is the one map from an error to a status; each kind of error
// the handlers return, wrapped or not.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		message string
	}{
		{"invalid", apperr.New(apperr.Invalid, "Choose a cohort."), 400, "Choose a cohort."},
		{"unprocessable", apperr.New(apperr.Unprocessable, "No list."), 422, "No list."},
		{"forbidden", apperr.ErrForbidden, 403, ""},
		{"not found", apperr.ErrNotFound, 404, ""},
		{"a child out of scope", fmt.Errorf("loading: %w", children.ErrNotFound), 404, ""},
		{"a child's state", children.ErrLocked, 409, children.ErrLocked.Message},
		{"gone", apperr.New(apperr.Gone, "Expired."), 410, "Expired."},
		{"unavailable", apperr.New(apperr.Unavailable, ""), 503, ""},
		{"the store's not found", fmt.Errorf("x: %w", store.ErrNotFound), 404, ""},
		{"the database down", fmt.Errorf("x: %w", store.ErrUnavailable), 503, ""},
		{"the database down under an application error", &apperr.Error{Code: apperr.Conflict, Err: store.ErrUnavailable}, 503, ""},
		{"jobs not running", fmt.Errorf("x: %w", store.ErrJobsNotConfigured), 503, "Background jobs are not running on this server."},
		{"fiber's own", fiber.ErrMethodNotAllowed, 405, "Method Not Allowed"},
		{"anything else", errors.New("boom"), 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, message := statusOf(tt.err)
			if status != tt.status || message != tt.message {
				t.Errorf("statusOf = %d %q, want %d %q", status, message, tt.status, tt.message)
			}
		})
	}
}

func TestEveryCodeHasAStatus(t *testing.T) {
	for _, code := range apperr.Codes {
		if statusOfCode[code] == 0 {
			t.Errorf("%s has no status", code)
		}
	}
}
