package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeAndMessage(t *testing.T) {
	locked := New(Conflict, "This record is locked.")
	cause := errors.New("detail")
	tests := []struct {
		name     string
		err      error
		code     Code
		message  string
		errorStr string
	}{
		{"nil", nil, "", "", ""},
		{"plain error", cause, Internal, "", "detail"},
		{"sentinel", ErrForbidden, Forbidden, "", "forbidden"},
		{"with message", locked, Conflict, "This record is locked.", "This record is locked."},
		{"wrapped", fmt.Errorf("saving: %w", locked), Conflict, "This record is locked.", "saving: This record is locked."},
		{"with a cause", &Error{Code: Gone, Err: cause}, Gone, "", "gone: detail"},
		{"formatted", Errorf(Invalid, "Cohort %d", 8), Invalid, "Cohort 8", "Cohort 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.code {
				t.Errorf("CodeOf = %q, want %q", got, tt.code)
			}
			if got := MessageOf(tt.err); got != tt.message {
				t.Errorf("MessageOf = %q, want %q", got, tt.message)
			}
			if tt.err != nil && tt.err.Error() != tt.errorStr {
				t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.errorStr)
			}
		})
	}
}

func TestCauseStaysReachable(t *testing.T) {
	cause := errors.New("detail")
	if err := fmt.Errorf("x: %w", &Error{Code: Conflict, Err: cause}); !errors.Is(err, cause) {
		t.Error("the cause is lost")
	}
}
