package report

import (
	"testing"
	"time"

	"clinaudit/app/store"
)

func rows(s Section) map[string]int64 {
	m := map[string]int64{}
	for _, r := range s.Rows {
		m[r.Label] = r.Count
	}
	return m
}

func TestRegistry(t *testing.T) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	born := func(y, m, d int) store.Date {
		return store.NewDate(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
	}
	patients := []store.RegistryReportPatient{
		{Sex: 2, DateOfBirth: born(2020, 6, 16), Postcode: "CB20QQ", CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, // 6 tomorrow: 5 to 9
		{Sex: 2, DateOfBirth: born(1980, 1, 1), Postcode: "M68HD", CreatedAt: time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)},  // 46
		{Sex: 1, DateOfBirth: born(2026, 1, 1), Postcode: "", CreatedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)},        // under 1
	}
	findings := []store.RegistryFindingCount{{Gene: "MECP2", Classification: "pathogenic", Findings: 3, Patients: 2}, {Gene: "CDKL5", Classification: "vus", Findings: 1, Patients: 1}}
	s := Registry(patients, findings, map[string]string{"pathogenic": "Pathogenic"}, now)
	byID := map[string]Section{}
	for _, sec := range s {
		byID[sec.ID] = sec
	}
	reg := byID["registered"]
	if len(reg.Rows) != 4 || reg.Rows[0] != (Row{"March 2026", 2}) || reg.Rows[1] != (Row{"April 2026", 0}) || reg.Rows[3] != (Row{"June 2026", 0}) {
		t.Errorf("per month: %+v; want March to June, April and June empty", reg.Rows)
	}
	cum := byID["cumulative"]
	if cum.Rows[1].Count != 2 || cum.Rows[3].Count != 3 || cum.Total() != 3 {
		t.Errorf("running total: %+v", cum.Rows)
	}
	if p, _ := cum.Share(0); int(p) != 66 {
		t.Errorf("cumulative share of March = %v; want 2 of today's 3", p)
	}
	if got := rows(byID["sex"]); got["Female"] != 2 || got["Male"] != 1 || len(got) != 2 {
		t.Errorf("sex: %v", got)
	}
	if got := rows(byID["age"]); got["5 to 9"] != 1 || got["40 and over"] != 1 || got["Under 1"] != 1 || len(byID["age"].Rows) != 8 {
		t.Errorf("age bands: %v (every band listed)", got)
	}
	if got := byID["area"].Rows; len(got) != 3 || rows(byID["area"])["Not known"] != 1 || rows(byID["area"])["CB"] != 1 {
		t.Errorf("areas: %+v", got)
	}
	if got := byID["genes"].Rows; len(got) != 2 || got[0] != (Row{"CDKL5", 1}) || got[1] != (Row{"MECP2", 2}) {
		t.Errorf("genes: %+v", got)
	}
	if got := rows(byID["classifications"]); got["Pathogenic"] != 3 || got["Not classified"] != 1 {
		t.Errorf("classifications: %v", got)
	}
	if byID["sex"].ShareText(0) != "66.7%" {
		t.Errorf("share text %q", byID["sex"].ShareText(0))
	}
	empty := Registry(nil, nil, nil, now)
	if len(empty[0].Rows) != 0 || empty[2].ShareText(0) != "" && len(empty[2].Rows) > 0 {
		t.Errorf("an empty registry: %+v", empty)
	}
}

func TestDemographics(t *testing.T) {
	counts := []store.ChildDemographicCount{
		{LeadOrganisationID: 1, Sex: 1, Ethnicity: "A", Age: 9, ImdQuintile: 1, Children: 3},
		{LeadOrganisationID: 1, Sex: 2, Ethnicity: "", Age: -1, ImdQuintile: 0, Children: 1},
		{LeadOrganisationID: 2, Sex: 2, Ethnicity: "A", Age: 0, ImdQuintile: 5, Children: 7}, // another organisation
	}
	s := Demographics(counts, func(id int64) bool { return id == 1 }, map[string]string{"A": "White British"}, "Organisation: X")
	if got := rows(s[0]); got["Male"] != 3 || got["Female"] != 1 {
		t.Errorf("sex: %v", got)
	}
	if got := rows(s[1]); got["White British"] != 3 || got["Not known"] != 1 {
		t.Errorf("ethnicity: %v", got)
	}
	if got := rows(s[2]); got["5 to 9"] != 3 || got["Not known"] != 1 || got["Under 1"] != 0 {
		t.Errorf("age: %v", got)
	}
	if got := rows(s[3]); got["1 (most deprived)"] != 3 || got["Not known"] != 1 || len(s[3].Rows) != 6 {
		t.Errorf("quintiles: %v", got)
	}
	if s[0].Group != "Organisation: X" || s[0].Total() != 4 {
		t.Errorf("group %q total %d", s[0].Group, s[0].Total())
	}
}
