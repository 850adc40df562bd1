package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestFamilyQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		contact := func(name string) int64 {
			return get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: name,
				Surname: "Smith", CreatedAt: at(0)}))
		}
		jo, sam := contact("Jo"), contact("Sam")
		a := get[int64](t)(s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: jo, Email: "jo@example.org", CreatedAt: at(0)}))
		_, err := s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: sam, Email: "jo@example.org", CreatedAt: at(0)})
		wantConflict(t, "CreateFamilyAccount(same email)", err)
		_, err = s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: jo, Email: "other@example.org", CreatedAt: at(0)})
		wantConflict(t, "CreateFamilyAccount(same contact)", err)
		b := get[int64](t)(s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: sam, Email: "sam@example.org", CreatedAt: at(0)}))

		acct := get[store.FamilyAccount](t)(s.GetFamilyAccount(ctx, a))
		if acct.FirstName != "Jo" || acct.Status != "active" || acct.FamilySecondFactor != "optional" || acct.TotpSecret != nil {
			t.Errorf("GetFamilyAccount = %+v", acct)
		}
		if got := get[store.FamilyAccount](t)(s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg, Email: "sam@example.org"})); got.ID != b {
			t.Errorf("GetFamilyAccountByEmail = %+v, want Sam's", got)
		}
		_, err = s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg, Email: "nobody@example.org"})
		wantNotFound(t, "GetFamilyAccountByEmail(nobody)", err)
		_, err = s.GetFamilyAccount(ctx, 999)
		wantNotFound(t, "GetFamilyAccount(999)", err)
		wantConflict(t, "SetFamilyAccountEmail(taken)", s.SetFamilyAccountEmail(ctx, store.SetFamilyAccountEmailParams{Email: "jo@example.org", UpdatedAt: at(1), ID: b}))
		check(t, s.SetFamilyAccountEmail(ctx, store.SetFamilyAccountEmailParams{Email: "sam2@example.org", UpdatedAt: at(1), ID: b}))
		check(t, s.SetFamilyAccountStatus(ctx, store.SetFamilyAccountStatusParams{Status: "disabled", UpdatedAt: at(1), ID: b}))
		if got := get[store.FamilyAccount](t)(s.GetFamilyAccount(ctx, b)); got.Email != "sam2@example.org" || got.Status != "disabled" {
			t.Errorf("after SetFamilyAccountEmail/Status: %+v", got)
		}

		// Second factor: enrol, confirm once, steps once.
		check(t, s.SetFamilyTOTPSecret(ctx, store.SetFamilyTOTPSecretParams{TotpSecret: ptr("SECRET"), UpdatedAt: at(2), ID: a}))
		n, err := s.ConfirmFamilyTOTP(ctx, store.ConfirmFamilyTOTPParams{ConfirmedAt: ptr(at(3)), ID: a})
		wantRows(t, "ConfirmFamilyTOTP", n, err, 1)
		n, err = s.ConfirmFamilyTOTP(ctx, store.ConfirmFamilyTOTPParams{ConfirmedAt: ptr(at(4)), ID: a})
		wantRows(t, "ConfirmFamilyTOTP again", n, err, 0)
		n, err = s.UseFamilyTOTPStep(ctx, store.UseFamilyTOTPStepParams{Step: 10, ID: a})
		wantRows(t, "UseFamilyTOTPStep(10)", n, err, 1)
		n, err = s.UseFamilyTOTPStep(ctx, store.UseFamilyTOTPStepParams{Step: 10, ID: a})
		wantRows(t, "UseFamilyTOTPStep(10) again", n, err, 0)
		check(t, s.RecordFamilySignIn(ctx, store.RecordFamilySignInParams{At: ptr(at(5)), ID: a}))
		if got := get[store.FamilyAccount](t)(s.GetFamilyAccount(ctx, a)); got.TotpConfirmedAt == nil || !got.LastSignInAt.Equal(at(5)) || got.TotpLastStep != 10 {
			t.Errorf("after enrolment and sign-in: %+v", got)
		}

		// Sign-in tokens: the link once, before expiry; the code by the latest usable one.
		tok := func(link string, exp int) {
			check(t, s.CreateFamilySignInToken(ctx, store.CreateFamilySignInTokenParams{AccountID: a, LinkHash: link, CodeHash: "c-" + link, CreatedAt: at(10), ExpiresAt: at(exp)}))
		}
		tok("l1", 20)
		wantConflict(t, "CreateFamilySignInToken(same link)", s.CreateFamilySignInToken(ctx, store.CreateFamilySignInTokenParams{AccountID: a, LinkHash: "l1", CodeHash: "x", CreatedAt: at(10), ExpiresAt: at(20)}))
		tok("l2", 20)
		latest := get[store.FamilySignInToken](t)(s.GetLatestFamilySignInToken(ctx, store.GetLatestFamilySignInTokenParams{AccountID: a, Now: at(11)}))
		if latest.LinkHash != "l2" || latest.CodeHash != "c-l2" || latest.Attempts != 0 {
			t.Errorf("GetLatestFamilySignInToken = %+v, want l2", latest)
		}
		if got := get[int64](t)(s.UseFamilySignInLink(ctx, store.UseFamilySignInLinkParams{Now: ptr(at(11)), LinkHash: "l1"})); got != a {
			t.Errorf("UseFamilySignInLink = %d, want %d", got, a)
		}
		_, err = s.UseFamilySignInLink(ctx, store.UseFamilySignInLinkParams{Now: ptr(at(11)), LinkHash: "l1"})
		wantNotFound(t, "UseFamilySignInLink(used)", err)
		_, err = s.UseFamilySignInLink(ctx, store.UseFamilySignInLinkParams{Now: ptr(at(20)), LinkHash: "l2"})
		wantNotFound(t, "UseFamilySignInLink(expired)", err)
		if got := get[int64](t)(s.CountFamilySignInAttempt(ctx, latest.ID)); got != 1 {
			t.Errorf("CountFamilySignInAttempt = %d, want 1", got)
		}
		n, err = s.UseFamilySignInCode(ctx, store.UseFamilySignInCodeParams{Now: ptr(at(12)), ID: latest.ID})
		wantRows(t, "UseFamilySignInCode", n, err, 1)
		n, err = s.UseFamilySignInCode(ctx, store.UseFamilySignInCodeParams{Now: ptr(at(12)), ID: latest.ID})
		wantRows(t, "UseFamilySignInCode again", n, err, 0)
		_, err = s.GetLatestFamilySignInToken(ctx, store.GetLatestFamilySignInTokenParams{AccountID: a, Now: at(12)})
		wantNotFound(t, "GetLatestFamilySignInToken(all spent)", err)
		tok("l3", 30)
		check(t, s.RevokeFamilySignInTokens(ctx, store.RevokeFamilySignInTokensParams{Now: ptr(at(13)), AccountID: a}))
		_, err = s.UseFamilySignInLink(ctx, store.UseFamilySignInLinkParams{Now: ptr(at(14)), LinkHash: "l3"})
		wantNotFound(t, "UseFamilySignInLink(revoked)", err)
		n, err = s.DeleteSpentFamilySignInTokens(ctx, at(15))
		wantRows(t, "DeleteSpentFamilySignInTokens", n, err, 3)

		// Sessions.
		sess := store.CreateFamilySessionParams{ID: "h1", AccountID: a, TwoFactorOk: true, CreatedAt: at(0), ExpiresAt: at(60), Ip: "192.0.2.1", UserAgent: "test"}
		check(t, s.CreateFamilySession(ctx, sess))
		wantConflict(t, "CreateFamilySession(same id)", s.CreateFamilySession(ctx, sess))
		check(t, s.TouchFamilySession(ctx, store.TouchFamilySessionParams{LastSeenAt: at(5), ID: "h1"}))
		if got := get[store.FamilySession](t)(s.GetFamilySession(ctx, "h1")); !got.LastSeenAt.Equal(at(5)) || got.AccountID != a || !got.TwoFactorOk {
			t.Errorf("GetFamilySession = %+v", got)
		}
		sess.ID = "h2"
		check(t, s.CreateFamilySession(ctx, sess))
		check(t, s.DeleteFamilySession(ctx, "h1"))
		_, err = s.GetFamilySession(ctx, "h1")
		wantNotFound(t, "GetFamilySession(deleted)", err)
		sess.ID, sess.ExpiresAt = "h3", at(1)
		check(t, s.CreateFamilySession(ctx, sess))
		n, err = s.DeleteExpiredFamilySessions(ctx, store.DeleteExpiredFamilySessionsParams{Now: at(2), IdleCutoff: at(-100)})
		wantRows(t, "DeleteExpiredFamilySessions", n, err, 1)
		check(t, s.DeleteFamilyAccountSessions(ctx, a))
		_, err = s.GetFamilySession(ctx, "h2")
		wantNotFound(t, "GetFamilySession(after DeleteFamilyAccountSessions)", err)

		// Patients: an active relationship with authority, and nothing else.
		pat := func(ref, name string) int64 {
			p := patientParams(reg, ref, name, nil)
			return get[int64](t)(s.InsertRegistryPatient(ctx, p))
		}
		link := func(p int64, auth, act bool, end *store.Date) int64 {
			return get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: p, ContactID: jo,
				Type: "mother", LegalAuthority: auth, MayAct: act, EndDate: end, CreatedAt: at(0)}))
		}
		mine, acting, noAuth, ended, endsLater := pat("R0000001", "Adams"), pat("R0000002", "Brown"), pat("R0000003", "Clark"), pat("R0000004", "Dean"), pat("R0000005", "Evans")
		link(mine, true, false, nil)
		link(acting, false, true, nil)
		link(noAuth, false, false, nil)
		link(ended, true, true, day(2025, 3, 1))
		link(endsLater, true, true, day(2025, 3, 2))
		ps := get[[]store.FamilyPatient](t)(s.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: a, Today: day(2025, 3, 1)}))
		if len(ps) != 3 || ps[0].ID != mine || ps[1].ID != acting || ps[2].ID != endsLater || ps[0].RelationshipType != "mother" {
			t.Errorf("ListFamilyPatients = %+v, want Adams, Brown, Evans", ps)
		}
		if ps := get[[]store.FamilyPatient](t)(s.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: b, Today: day(2025, 3, 1)})); len(ps) != 0 {
			t.Errorf("ListFamilyPatients(Sam, disabled, unlinked) = %+v, want none", ps)
		}

		// A first sign-in's contact: with authority, no account yet.
		kim := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Kim",
			Surname: "Smith", Email: "kim@example.org", CreatedAt: at(0)}))
		find := func() (int64, error) {
			return s.FindFamilyContactByEmail(ctx, store.FindFamilyContactByEmailParams{RegistryID: reg, Email: "kim@example.org", Today: day(2025, 3, 1)})
		}
		_, err = find()
		wantNotFound(t, "FindFamilyContactByEmail(no relationship)", err)
		get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: mine, ContactID: kim,
			Type: "father", LegalAuthority: true, CreatedAt: at(0)}))
		if got := get[int64](t)(find()); got != kim {
			t.Errorf("FindFamilyContactByEmail = %d, want %d", got, kim)
		}
		kimAcct := get[int64](t)(s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg, ContactID: kim, Email: "kim@example.org", CreatedAt: at(0)}))
		_, err = find()
		wantNotFound(t, "FindFamilyContactByEmail(has an account)", err)
		if ps := get[[]store.FamilyPatient](t)(s.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: kimAcct, Today: day(2025, 3, 1)})); len(ps) != 1 {
			t.Errorf("ListFamilyPatients(Kim) = %+v, want Adams", ps)
		}
		// A merge moves an account to the contact kept, unless it has one.
		lee := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Lee",
			Surname: "Smith", CreatedAt: at(0)}))
		wantRows(t, "MoveFamilyAccount(Kim to Lee)", get[int64](t)(s.MoveFamilyAccount(ctx, store.MoveFamilyAccountParams{KeepID: lee, UpdatedAt: at(1), AwayID: kim})), nil, 1)
		wantRows(t, "MoveFamilyAccount(Jo to Lee, who has one)", get[int64](t)(s.MoveFamilyAccount(ctx, store.MoveFamilyAccountParams{KeepID: lee, UpdatedAt: at(1), AwayID: jo})), nil, 0)
		if got := get[store.FamilyAccount](t)(s.GetFamilyAccount(ctx, kimAcct)); got.ContactID != lee {
			t.Errorf("after the move: %+v, want Lee's", got)
		}
		wantRows(t, "MoveFamilyAccount(back)", get[int64](t)(s.MoveFamilyAccount(ctx, store.MoveFamilyAccountParams{KeepID: kim, UpdatedAt: at(1), AwayID: lee})), nil, 1)
		// A deleted contact's account is found no more and reaches no one.
		wantRows(t, "SetRegistryContactDeleted(Kim)", get[int64](t)(s.SetRegistryContactDeleted(ctx, store.SetRegistryContactDeletedParams{DeletedAt: ptr(at(1)),
			UpdatedAt: at(1), ID: kim})), nil, 1)
		_, err = s.GetFamilyAccount(ctx, kimAcct)
		wantNotFound(t, "GetFamilyAccount(deleted contact)", err)
		_, err = s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg, Email: "kim@example.org"})
		wantNotFound(t, "GetFamilyAccountByEmail(deleted contact)", err)
		if ps := get[[]store.FamilyPatient](t)(s.ListFamilyPatients(ctx, store.ListFamilyPatientsParams{AccountID: kimAcct, Today: day(2025, 3, 1)})); len(ps) != 0 {
			t.Errorf("ListFamilyPatients(deleted contact) = %+v, want none", ps)
		}

		// Invitations.
		inv := store.CreateFamilyInvitationParams{TokenHash: "t1", RegistryID: reg, PatientID: mine, InvitedBy: a, Email: "gran@example.org",
			RelationshipType: "carer", CreatedAt: at(0), ExpiresAt: at(60)}
		i1 := get[int64](t)(s.CreateFamilyInvitation(ctx, inv))
		_, err = s.CreateFamilyInvitation(ctx, inv)
		wantConflict(t, "CreateFamilyInvitation(same token)", err)
		if got := get[store.FamilyInvitation](t)(s.GetFamilyInvitation(ctx, "t1")); got.ID != i1 || got.Email != "gran@example.org" || got.UsedAt != nil {
			t.Errorf("GetFamilyInvitation = %+v", got)
		}
		_, err = s.GetFamilyInvitation(ctx, "none")
		wantNotFound(t, "GetFamilyInvitation(none)", err)
		n, err = s.UseFamilyInvitation(ctx, store.UseFamilyInvitationParams{Now: ptr(at(61)), AcceptedAccountID: &b, ID: i1})
		wantRows(t, "UseFamilyInvitation(expired)", n, err, 0)
		n, err = s.UseFamilyInvitation(ctx, store.UseFamilyInvitationParams{Now: ptr(at(1)), AcceptedAccountID: &b, ID: i1})
		wantRows(t, "UseFamilyInvitation", n, err, 1)
		n, err = s.UseFamilyInvitation(ctx, store.UseFamilyInvitationParams{Now: ptr(at(2)), AcceptedAccountID: &b, ID: i1})
		wantRows(t, "UseFamilyInvitation(used)", n, err, 0)
		if got := get[[]store.FamilyInvitation](t)(s.ListFamilyInvitations(ctx, store.ListFamilyInvitationsParams{PatientID: mine, PageLimit: 10})); len(got) != 1 || *got[0].AcceptedAccountID != b {
			t.Errorf("ListFamilyInvitations = %+v", got)
		}

		// The trail names a family author.
		check(t, s.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: "patient", EntityID: mine, PatientID: &mine,
			Field: "surname", NewValue: ptr("Adams"), Version: 2, Cause: "form", ChangedAt: at(3), ChangedByFamily: &a}))
		ch := get[store.RegistryChange](t)(s.GetLastRegistryFieldChange(ctx, store.GetLastRegistryFieldChangeParams{Entity: "patient", EntityID: mine, Field: "surname"}))
		if ch.ChangedBy != nil || ch.ChangedByFamily == nil || *ch.ChangedByFamily != a || ch.ChangedByName != "Jo Smith (family)" {
			t.Errorf("family change = %+v", ch)
		}
	})
}
