package access

import (
	"testing"

	"clinaudit/app/store"
)

func TestPlaceOfOrganisation(t *testing.T) {
	trust, board := "RGT", "7A4"
	if got := PlaceOfOrganisation(store.Organisation{ID: 1, TrustODSCode: &trust}); got != (Place{Organisation: 1, Trust: "RGT"}) {
		t.Errorf("English organisation: %+v", got)
	}
	if got := PlaceOfOrganisation(store.Organisation{ID: 4, LocalHealthBoardODSCode: &board}); got != (Place{Organisation: 4, HealthBoard: "7A4"}) {
		t.Errorf("Welsh organisation: %+v", got)
	}
}

func TestQueryScope(t *testing.T) {
	tests := []struct {
		name         string
		a            Actor
		trust, board string
		code         string
	}{
		{"national role: everything", Actor{Role: NationalView}, "", "", ""},
		{"superuser: everything", Actor{Role: Clinician, Superuser: true, Trust: "RGT"}, "", "", ""},
		{"English trust", actor(Clinician), "RGT", "", "RGT"},
		{"Welsh health board", Actor{Role: Clinician, Organisation: 4, HealthBoard: "7A4"}, "", "7A4", "7A4"},
		{"no organisation: nothing", Actor{Role: Clinician}, noScope, noScope, noScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trust, board := tt.a.QueryScope()
			if trust != tt.trust || board != tt.board {
				t.Errorf("QueryScope = %q, %q; want %q, %q", trust, board, tt.trust, tt.board)
			}
			if got := tt.a.ScopeCode(); got != tt.code {
				t.Errorf("ScopeCode = %q, want %q", got, tt.code)
			}
		})
	}
}
