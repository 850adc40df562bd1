package publish

import (
	"reflect"
	"testing"

	"clinaudit/app/aggregate"
	"clinaudit/app/store"
)

// TestPercent: with suppression off, a cell reads as the dashboards' do.
func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		c    aggregate.Counts
		want string
	}{
		{aggregate.Counts{Passed: 2, TotalEligible: 3}, "67% (3)"},
		{aggregate.Counts{Passed: 1, TotalEligible: 3}, "33% (3)"},
		{aggregate.Counts{Passed: 1, TotalEligible: 8}, "12% (8)"}, // 12.5: half to even, as Epilepsy12 rounds
		{aggregate.Counts{Passed: 0, TotalEligible: 5, Ineligible: 2}, "0% (5)"},
		{aggregate.Counts{Passed: 5, TotalEligible: 5}, "100% (5)"},
		{aggregate.Counts{Ineligible: 4, Incomplete: 1}, NoEligible},
		{aggregate.Counts{}, NoEligible},
	} {
		if got, _ := (Suppression{Below: 1}).Cell(tt.c); got != tt.want {
			t.Errorf("Cell(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestChoose(t *testing.T) {
	pubs := []store.KPIPublication{{ID: 9, Cohort: 8}, {ID: 4, Cohort: 7}, {ID: 7, Cohort: 6}}
	for _, tt := range []struct {
		want   int64
		id     int64
		wantOK bool
	}{
		{0, 9, true}, {8, 9, true}, {7, 4, true}, {6, 7, true}, {5, 0, false},
	} {
		got, ok := Choose(pubs, tt.want)
		if ok != tt.wantOK || got.ID != tt.id {
			t.Errorf("Choose(cohort %d) = %d, %v; want %d, %v", tt.want, got.ID, ok, tt.id, tt.wantOK)
		}
	}
	if _, ok := Choose(nil, 0); ok {
		t.Error("Choose with no publications")
	}
}

func TestSearch(t *testing.T) {
	orgs := []store.PublishedOrganisation{{ODSCode: "RGT01", Name: "Addenbrooke's Hospital"}, {ODSCode: "7A4H1", Name: "University Hospital of Wales"},
		{ODSCode: "RM332", Name: "Royal Oldham Hospital"}}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"", []string{"RGT01", "7A4H1", "RM332"}},
		{"  hospital ", []string{"RGT01", "7A4H1", "RM332"}},
		{"WALES", []string{"7A4H1"}},
		{"rgt", []string{"RGT01"}},
		{"7a4", []string{"7A4H1"}},
		{"nowhere", nil},
	} {
		var got []string
		for _, o := range Search(orgs, tt.q) {
			got = append(got, o.ODSCode)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
