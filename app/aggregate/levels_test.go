package aggregate_test

import (
	"context"
	"slices"
	"testing"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func strp(s string) *string { return &s }

func TestComparable(t *testing.T) {
	for _, c := range []struct {
		level              aggregate.Level
		national, everyone bool
	}{
		{aggregate.Organisation, true, false},
		{aggregate.Trust, true, false},
		{aggregate.LocalHealthBoard, true, false},
		{aggregate.ICB, true, true},
		{aggregate.NHSEnglandRegion, true, true},
		{aggregate.OpenUKNetwork, true, true},
		{aggregate.Country, true, true},
		{aggregate.National, true, true},
		{aggregate.Level("ward"), false, false},
	} {
		if got := aggregate.Comparable(c.level, true); got != c.national {
			t.Errorf("Comparable(%s, national) = %v", c.level, got)
		}
		if got := aggregate.Comparable(c.level, false); got != c.everyone {
			t.Errorf("Comparable(%s, not national) = %v", c.level, got)
		}
	}
	if got := aggregate.ComparableLevels(true); !slices.Equal(got, aggregate.Levels()) {
		t.Errorf("ComparableLevels(national) = %v", got)
	}
	want := []aggregate.Level{aggregate.ICB, aggregate.NHSEnglandRegion, aggregate.OpenUKNetwork, aggregate.Country, aggregate.National}
	if got := aggregate.ComparableLevels(false); !slices.Equal(got, want) {
		t.Errorf("ComparableLevels(not national) = %v, want %v", got, want)
	}
}

func TestEntityOf(t *testing.T) {
	english := store.Organisation{ODSCode: "RGT01", TrustODSCode: strp("RGT"), ICBODSCode: strp("QUE"),
		NhsEnglandRegionCode: strp("Y61"), OpenukNetworkCode: strp("EPEN"), CountryCode: "E92000001"}
	welsh := store.Organisation{ODSCode: "7A1A4", LocalHealthBoardODSCode: strp("7A1"), OpenukNetworkCode: strp("EPIC"),
		CountryCode: "W92000004"}
	for _, c := range []struct {
		level          aggregate.Level
		english, welsh string // "" = none
	}{
		{aggregate.Organisation, "RGT01", "7A1A4"},
		{aggregate.Trust, "RGT", ""},
		{aggregate.LocalHealthBoard, "", "7A1"},
		{aggregate.ICB, "QUE", ""},
		{aggregate.NHSEnglandRegion, "Y61", ""},
		{aggregate.OpenUKNetwork, "EPEN", "EPIC"},
		{aggregate.Country, "E92000001", "W92000004"},
		{aggregate.National, aggregate.NationalKey, aggregate.NationalKey},
	} {
		for _, o := range []struct {
			org  store.Organisation
			want string
		}{{english, c.english}, {welsh, c.welsh}} {
			got, ok := aggregate.EntityOf(c.level, o.org)
			if got != o.want || ok != (o.want != "") {
				t.Errorf("EntityOf(%s, %s) = %q, %v; want %q", c.level, o.org.ODSCode, got, ok, o.want)
			}
		}
	}
}

func TestLevels(t *testing.T) {
	for _, l := range aggregate.Levels() {
		if got, err := aggregate.ParseLevel(string(l)); err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %q, %v", l, got, err)
		}
		if l.Label() == string(l) {
			t.Errorf("level %s has no label", l)
		}
	}
	if _, err := aggregate.ParseLevel("ward"); err == nil {
		t.Error("ParseLevel accepted an unknown level")
	}
}

// The database's organisation_levels view and EntityOf put every
// organisation of the reference data in the same entities, and the
// database counts the measures of app/kpi, in its order.
func TestDatabaseAgreesWithLevels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		orgs := allOrganisations(t, s)
		type key struct {
			org   int64
			level aggregate.Level
		}
		want := map[key]string{}
		for _, o := range orgs {
			for _, l := range aggregate.Levels() {
				if e, ok := aggregate.EntityOf(l, o); ok {
					want[key{o.ID, l}] = e
				}
			}
		}
		rows, err := s.ListOrganisationLevels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[key]string{}
		for _, r := range rows {
			l, err := aggregate.ParseLevel(r.Level)
			if err != nil {
				t.Fatal(err)
			}
			got[key{r.OrganisationID, l}] = r.Entity
			if r.Name == "" {
				t.Errorf("%s %s has no name", r.Level, r.Entity)
			}
		}
		if len(got) != len(want) {
			t.Errorf("database has %d organisation levels, Go %d", len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("organisation %d at %s: database %q, Go %q", k.org, k.level, got[k], w)
			}
		}

		codes, err := s.ListKPIMeasureCodes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range kpi.Measures() {
			ids = append(ids, m.ID)
		}
		if !slices.Equal(codes, ids) {
			t.Errorf("kpi_measures %v\napp/kpi      %v", codes, ids)
		}
	})
}

func allOrganisations(t *testing.T, s store.Store) []store.Organisation {
	t.Helper()
	orgs, err := s.ListOrganisations(context.Background(), store.ListOrganisationsParams{Pattern: "%", PageLimit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) < 300 {
		t.Fatalf("only %d organisations in the reference data", len(orgs))
	}
	return orgs
}
