package web

import (
	"testing"

	"clinaudit/app/children"
	"clinaudit/app/datefield"
)

// The error summary links each error to the input a person types in.
func TestFieldErrAnchor(t *testing.T) {
	for _, tt := range []struct {
		e    fieldErr
		want string
	}{
		{fieldErr{Field: "email"}, "email"},
		{fieldErr{Field: "date_of_birth", Parts: []datefield.Part{datefield.Month, datefield.Year}}, "date_of_birth-month"},
		{fieldErr{Field: "sex"}, "sex-" + children.Sexes[0].Code},
	} {
		if got := tt.e.Anchor(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.e, got, tt.want)
		}
	}
	errs := fieldErrs{{Field: "date_of_birth", Message: "m", Parts: []datefield.Part{datefield.Day}}}
	if errs.For("date_of_birth") != "m" || errs.For("sex") != "" || !errs.Part("date_of_birth", "day") || errs.Part("date_of_birth", "year") {
		t.Errorf("For/Part wrong for %+v", errs)
	}
	if on := errs.On("sex"); on.Field != "sex" || on.Message != "" {
		t.Errorf("On(sex) = %+v", on)
	}
}
