package storetest_test

import (
	"context"
	"reflect"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// GetSessionIdentity is GetSession, GetUser and GetOrganisationPlace in one
// statement: every field of the session and of the user (by name, the
// user's prefixed "User"), and the place, must come back as those three
// give them. A column added to users or sessions and not to the join fails
// here by name.
func TestGetSessionIdentityIsTheThreeReads(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		withOrg := newUser(t, s, "ann@example.org", &lead)
		national := newUser(t, s, "nat@example.org", nil)
		check(t, s.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: ptr("h1"), SetAt: ptr(at(1)), ID: withOrg}))
		check(t, s.SetUserTOTPSecret(ctx, store.SetUserTOTPSecretParams{TotpSecret: ptr("secret"), UpdatedAt: at(2), ID: withOrg}))
		check(t, s.RecordUserSignIn(ctx, store.RecordUserSignInParams{At: ptr(at(5)), ID: withOrg}))
		for sid, uid := range map[string]int64{"s-org": withOrg, "s-nat": national} {
			check(t, s.CreateSession(ctx, store.CreateSessionParams{ID: sid, UserID: uid, TwoFactorOk: true, CreatedAt: at(0),
				ExpiresAt: at(60), Ip: "192.0.2.1", UserAgent: "test"}))
		}

		for _, sid := range []string{"s-org", "s-nat"} {
			got := get[store.SessionIdentity](t)(s.GetSessionIdentity(ctx, sid))
			sess := get[store.Session](t)(s.GetSession(ctx, sid))
			u := get[store.User](t)(s.GetUser(ctx, sess.UserID))
			row := reflect.ValueOf(got)
			same := func(name string, want reflect.Value) {
				f := row.FieldByName(name)
				if !f.IsValid() {
					t.Errorf("%s: SessionIdentity has no field %s (add the column to GetSessionIdentity)", sid, name)
					return
				}
				if !reflect.DeepEqual(f.Interface(), want.Interface()) {
					t.Errorf("%s: SessionIdentity.%s = %v, want %v", sid, name, f.Interface(), want.Interface())
				}
			}
			for i, sv := 0, reflect.ValueOf(sess); i < sv.NumField(); i++ {
				same(sv.Type().Field(i).Name, sv.Field(i))
			}
			for i, uv := 0, reflect.ValueOf(u); i < uv.NumField(); i++ {
				if name := uv.Type().Field(i).Name; name != "ID" { // the session's UserID
					same("User"+name, uv.Field(i))
				}
			}
			if u.OrganisationID == nil {
				if got.PlaceTrustOdsCode != nil || got.PlaceLocalHealthBoardOdsCode != nil {
					t.Errorf("%s: a user with no organisation has a place: %+v", sid, got)
				}
				continue
			}
			p := get[store.OrganisationPlace](t)(s.GetOrganisationPlace(ctx, *u.OrganisationID))
			if !reflect.DeepEqual(got.PlaceTrustOdsCode, p.TrustODSCode) || !reflect.DeepEqual(got.PlaceLocalHealthBoardOdsCode, p.LocalHealthBoardODSCode) {
				t.Errorf("%s: place %v %v, want %v %v", sid, got.PlaceTrustOdsCode, got.PlaceLocalHealthBoardOdsCode, p.TrustODSCode, p.LocalHealthBoardODSCode)
			}
			if p.TrustODSCode == nil || *p.TrustODSCode == "" {
				t.Errorf("%s: RGT01's trust is empty, so the place was not tested", sid)
			}
		}
		_, err := s.GetSessionIdentity(ctx, "nobody")
		wantNotFound(t, "GetSessionIdentity of no session", err)
	})
}
