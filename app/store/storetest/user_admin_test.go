package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestUserAdminQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		addenbrookes := org(t, s, "RGT01")
		ann := newUser(t, s, "ann@example.org", &addenbrookes)
		bob := newUser(t, s, "bob@example.org", nil)
		trust := "RGT"

		all := store.ListUsersParams{Now: ptr(at(0)), SortColumn: "name", Pattern: "%", PageLimit: 10}
		if us := get[[]store.UserListItem](t)(s.ListUsers(ctx, all)); len(us) != 2 || us[0].ID != ann || us[1].ID != bob || us[0].OrganisationOds != "RGT01" || us[1].OrganisationName != "" {
			t.Errorf("ListUsers by name = %+v, want ann (RGT01) then bob", us)
		}
		desc := all
		desc.Descending = true
		if us := get[[]store.UserListItem](t)(s.ListUsers(ctx, desc)); len(us) != 2 || us[0].ID != bob {
			t.Errorf("ListUsers descending = %+v, want bob first", us)
		}
		scoped := all
		scoped.ScopeTrust = trust
		if us := get[[]store.UserListItem](t)(s.ListUsers(ctx, scoped)); len(us) != 1 || us[0].ID != ann {
			t.Errorf("ListUsers in trust %s = %+v, want ann only", trust, us)
		}
		for _, tt := range []struct {
			p    store.CountUsersParams
			want int64
		}{
			{store.CountUsersParams{Pattern: "%"}, 2},
			{store.CountUsersParams{Pattern: "%", ScopeTrust: trust}, 1},
			{store.CountUsersParams{Pattern: "%bob%"}, 1},
			{store.CountUsersParams{Pattern: "%", Role: "clinician"}, 1},
			{store.CountUsersParams{Pattern: "%", OrganisationID: addenbrookes}, 1},
			{store.CountUsersParams{Pattern: "%", Status: "inactive"}, 0},
		} {
			if n := get[int64](t)(s.CountUsers(ctx, tt.p)); n != tt.want {
				t.Errorf("CountUsers(%+v) = %d, want %d", tt.p, n, tt.want)
			}
		}

		reg, err := s.CreateUser(ctx, store.CreateUserParams{Email: "reg@example.org", FirstName: "Reg", Surname: "Viewer", Role: "registry_viewer", CreatedAt: at(0)})
		check(t, err)
		registryOnly := all
		registryOnly.RegistryOnly = true
		if us := get[[]store.UserListItem](t)(s.ListUsers(ctx, registryOnly)); len(us) != 1 || us[0].ID != reg {
			t.Errorf("ListUsers of registry accounts = %+v, want reg only", us)
		}
		if n := get[int64](t)(s.CountUsers(ctx, store.CountUsersParams{Pattern: "%", RegistryOnly: true})); n != 1 {
			t.Errorf("CountUsers of registry accounts = %d, want 1", n)
		}
		check(t, s.UpdateUserAccess(ctx, store.UpdateUserAccessParams{Role: "national_edit", IsSuperuser: true, UpdatedAt: at(1), ID: ann}))
		if u := get[store.User](t)(s.GetUser(ctx, ann)); u.Role != "national_edit" || u.OrganisationID != nil || !u.IsSuperuser {
			t.Errorf("after UpdateUserAccess, GetUser = %+v", u)
		}
		check(t, s.SetUserTOTPSecret(ctx, store.SetUserTOTPSecretParams{TotpSecret: ptr("x"), UpdatedAt: at(1), ID: bob}))
		check(t, s.ResetUserTwoFactor(ctx, store.ResetUserTwoFactorParams{UpdatedAt: at(2), ID: bob}))
		if u := get[store.User](t)(s.GetUser(ctx, bob)); u.TotpSecret != nil || u.TotpConfirmedAt != nil {
			t.Errorf("after ResetUserTwoFactor, GetUser = %+v", u)
		}

		check(t, s.InsertUserAdminEvent(ctx, store.InsertUserAdminEventParams{UserID: bob, ActorID: &ann, Action: "role", Detail: "a", OccurredAt: at(1)}))
		check(t, s.InsertUserAdminEvent(ctx, store.InsertUserAdminEventParams{UserID: bob, Action: "2fa_reset", Detail: "b", OccurredAt: at(2)}))
		evs := get[[]store.UserAdminEvent](t)(s.ListUserAdminEvents(ctx, store.ListUserAdminEventsParams{UserID: bob, PageLimit: 10}))
		if len(evs) != 2 || evs[0].Action != "2fa_reset" || evs[1].Detail != "a" || !evs[1].OccurredAt.Equal(at(1)) {
			t.Fatalf("ListUserAdminEvents = %+v, want both, newest first", evs)
		}
		if name, _ := evs[1].ActorName.(string); name != "Ann Ann" {
			t.Errorf("actor of the first event = %v, want Ann Ann", evs[1].ActorName)
		}
		if name, _ := evs[0].ActorName.(string); name != "command line" {
			t.Errorf("actor of an event with none = %v, want command line", evs[0].ActorName)
		}

		o := get[store.Organisation](t)(s.GetOrganisation(ctx, addenbrookes))
		if o.ODSCode != "RGT01" || o.TrustODSCode == nil || *o.TrustODSCode != trust {
			t.Errorf("GetOrganisation = %+v", o)
		}
		_, err = s.GetOrganisation(ctx, -1)
		wantNotFound(t, "GetOrganisation", err)
		if p := get[store.OrganisationPlace](t)(s.GetOrganisationPlace(ctx, addenbrookes)); p.ID != addenbrookes ||
			p.TrustODSCode == nil || *p.TrustODSCode != trust || p.LocalHealthBoardODSCode != nil {
			t.Errorf("GetOrganisationPlace = %+v", p)
		}
		_, err = s.GetOrganisationPlace(ctx, -1)
		wantNotFound(t, "GetOrganisationPlace", err)

		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "acct:1:x", Failures: 5, WindowStart: at(0), LockedUntil: ptr(at(10))}))
		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "acct:2:x", Failures: 5, WindowStart: at(0), LockedUntil: ptr(at(3))}))
		if n := get[int64](t)(s.CountActiveLocks(ctx, store.CountActiveLocksParams{KeyPrefix: "acct:%", Now: ptr(at(5))})); n != 1 {
			t.Errorf("CountActiveLocks = %d, want 1 (the other lock is over)", n)
		}

		in := get[[]store.OrganisationChoice](t)(s.ListOrganisationsInScope(ctx, store.ListOrganisationsInScopeParams{ScopeTrust: trust}))
		found := false
		for i, c := range in {
			found = found || c.ID == addenbrookes
			if i > 0 && in[i-1].Name > c.Name {
				t.Errorf("ListOrganisationsInScope not by name at %s", c.ODSCode)
			}
		}
		every := get[[]store.OrganisationChoice](t)(s.ListOrganisationsInScope(ctx, store.ListOrganisationsInScopeParams{}))
		if !found || len(in) == 0 || len(every) != 342 {
			t.Errorf("ListOrganisationsInScope: %d in %s (RGT01 in: %v), %d in all, want 342", len(in), trust, found, len(every))
		}
	})
}

func TestReferenceDataQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		_, err := s.GetMeta(ctx, "nope")
		wantNotFound(t, "GetMeta", err)
		check(t, s.SetMeta(ctx, store.SetMetaParams{Key: "k", Value: "1", UpdatedAt: at(0)}))
		check(t, s.SetMeta(ctx, store.SetMetaParams{Key: "k", Value: "2", UpdatedAt: at(1)}))
		if v := get[string](t)(s.GetMeta(ctx, "k")); v != "2" {
			t.Errorf("GetMeta = %q, want 2", v)
		}

		before := get[store.ReferenceCounts](t)(s.CountReferenceData(ctx))
		check(t, s.UpsertCountry(ctx, store.UpsertCountryParams{Code: "X92000001", Name: "Testland", WelshName: "Tirprawf", TakesPartInAudit: true}))
		check(t, s.UpsertCountry(ctx, store.UpsertCountryParams{Code: "X92000001", Name: "Testland", WelshName: "Tirprawf", TakesPartInAudit: true}))
		check(t, s.UpsertRegion(ctx, store.UpsertRegionParams{Code: "XR1", ONSCode: "X40000001", Name: "Test Region"}))
		check(t, s.UpsertICB(ctx, store.UpsertICBParams{ODSCode: "XI1", GSSCode: "X54000001", Name: "Test ICB"}))
		check(t, s.UpsertHealthBoard(ctx, store.UpsertHealthBoardParams{ODSCode: "XH1", GSSCode: "X11000001", Name: "Test Board", WelshName: "Bwrdd"}))
		check(t, s.UpsertNetwork(ctx, store.UpsertNetworkParams{Code: "XN1", Name: "Test Network", Country: "England"}))
		check(t, s.UpsertLondonBorough(ctx, store.UpsertLondonBoroughParams{GSSCode: "X09000001", Name: "Testham", InnerLondon: true}))
		check(t, s.UpsertTrust(ctx, store.UpsertTrustParams{ODSCode: "XT1", Name: "Test Trust", Town: "Testford", Country: "England"}))
		o := store.UpsertOrganisationParams{ODSCode: "XT101", Name: "Test Hospital", City: "Testford", Postcode: "TE1 1ST",
			TrustODSCode: ptr("XT1"), ICBODSCode: ptr("XI1"), NhsEnglandRegionCode: ptr("XR1"), OpenukNetworkCode: ptr("XN1"),
			CountryCode: "X92000001", LondonBoroughGSSCode: ptr("X09000001")}
		check(t, s.UpsertOrganisation(ctx, o))
		o.Name = "Renamed Hospital"
		check(t, s.UpsertOrganisation(ctx, o))
		check(t, s.UpsertSyndrome(ctx, store.UpsertSyndromeParams{Name: "Test syndrome", ExcludesFromMriKpi: true}))
		check(t, s.UpsertMedicine(ctx, store.UpsertMedicineParams{Name: "Testamol", IsRescue: true}))
		check(t, s.UpsertMedicine(ctx, store.UpsertMedicineParams{Name: "Testamol", IsRescue: true}))
		check(t, s.UpsertKeyword(ctx, store.UpsertKeywordParams{Keyword: "testing", Category: "Other"}))
		check(t, s.UpsertCauseCategory(ctx, store.UpsertCauseCategoryParams{Code: "test", Label: "Test"}))

		after := get[store.ReferenceCounts](t)(s.CountReferenceData(ctx))
		want := before
		want.Organisations++
		want.Trusts++
		want.HealthBoards++
		want.ICBs++
		want.Regions++
		want.Networks++
		want.Countries++
		want.Syndromes++
		want.Medicines++
		if after != want {
			t.Errorf("CountReferenceData after one upsert (or two) of each = %+v, want %+v", after, want)
		}
		got := get[store.Organisation](t)(s.GetOrganisationByODS(ctx, "XT101"))
		if got.Name != "Renamed Hospital" || got.TrustName != "Test Trust" || got.ICBName != "Test ICB" || got.RegionName != "Test Region" ||
			got.NetworkName != "Test Network" || got.CountryName != "Testland" {
			t.Errorf("GetOrganisationByODS of the upserted organisation = %+v", got)
		}
		if n := get[int64](t)(s.CountOrganisations(ctx, store.CountOrganisationsParams{Pattern: "%renamed%", CountryCode: "X92000001"})); n != 1 {
			t.Errorf("CountOrganisations = %d, want 1", n)
		}
		if os := get[[]store.Organisation](t)(s.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", CountryCode: "X92000001", PageLimit: 5})); len(os) != 1 || os[0].ODSCode != "XT101" {
			t.Errorf("ListOrganisations in the new country = %+v", os)
		}
		countries := get[[]store.Country](t)(s.ListAuditCountries(ctx))
		var names []string
		for _, c := range countries {
			names = append(names, c.Name)
		}
		if len(countries) < 3 || countries[len(countries)-1].Name != "Wales" {
			t.Errorf("ListAuditCountries = %v, want by name, Testland among them", names)
		}
		found := false
		for _, c := range countries {
			found = found || (c.Code == "X92000001" && c.WelshName == "Tirprawf")
		}
		if !found {
			t.Errorf("ListAuditCountries = %v, want Testland", names)
		}
	})
}
