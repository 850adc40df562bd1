package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestAccountQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		id := newUser(t, s, "ann@example.org", nil)
		_, err := s.CreateUser(ctx, store.CreateUserParams{Email: "ann@example.org", Role: "national_view", CreatedAt: at(0)})
		wantConflict(t, "CreateUser with a taken email", err)

		u := get[store.User](t)(s.GetUserByEmail(ctx, "ann@example.org"))
		if u.ID != id || u.FirstName != "Ann" || u.Role != "national_view" || !u.IsActive || u.EmailConfirmed || u.PasswordHash != nil || !u.CreatedAt.Equal(at(0)) {
			t.Errorf("GetUserByEmail = %+v", u)
		}
		_, err = s.GetUser(ctx, id+100)
		wantNotFound(t, "GetUser", err)
		_, err = s.GetUserByEmail(ctx, "nobody@example.org")
		wantNotFound(t, "GetUserByEmail", err)

		check(t, s.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: ptr("h1"), SetAt: ptr(at(1)), ID: id}))
		check(t, s.RehashUserPassword(ctx, store.RehashUserPasswordParams{PasswordHash: ptr("h2"), ID: id}))
		check(t, s.SetUserTOTPSecret(ctx, store.SetUserTOTPSecretParams{TotpSecret: ptr("secret"), UpdatedAt: at(2), ID: id}))
		n, err := s.ConfirmUserTOTP(ctx, store.ConfirmUserTOTPParams{ConfirmedAt: ptr(at(3)), ID: id})
		wantRows(t, "ConfirmUserTOTP", n, err, 1)
		n, err = s.ConfirmUserTOTP(ctx, store.ConfirmUserTOTPParams{ConfirmedAt: ptr(at(4)), ID: id})
		wantRows(t, "ConfirmUserTOTP when enrolled", n, err, 0)
		n, err = s.UseTOTPStep(ctx, store.UseTOTPStepParams{Step: 7, ID: id})
		wantRows(t, "UseTOTPStep", n, err, 1)
		n, err = s.UseTOTPStep(ctx, store.UseTOTPStepParams{Step: 7, ID: id})
		wantRows(t, "UseTOTPStep replayed", n, err, 0)
		check(t, s.RecordUserSignIn(ctx, store.RecordUserSignInParams{At: ptr(at(5)), ID: id}))
		u = get[store.User](t)(s.GetUser(ctx, id))
		if *u.PasswordHash != "h2" || !u.PasswordSetAt.Equal(at(1)) || !u.EmailConfirmed || *u.TotpSecret != "secret" ||
			!u.TotpConfirmedAt.Equal(at(3)) || u.TotpLastStep != 7 || !u.LastSignInAt.Equal(at(5)) {
			t.Errorf("after the writes, GetUser = %+v", u)
		}
		check(t, s.SetUserActive(ctx, store.SetUserActiveParams{IsActive: false, UpdatedAt: at(6), ID: id}))
		if u = get[store.User](t)(s.GetUser(ctx, id)); u.IsActive || !u.UpdatedAt.Equal(at(6)) {
			t.Errorf("SetUserActive(false): active %v, updated %v", u.IsActive, u.UpdatedAt)
		}

		// Sessions.
		for _, sid := range []string{"s1", "s2", "s3"} {
			check(t, s.CreateSession(ctx, store.CreateSessionParams{ID: sid, UserID: id, TwoFactorOk: true, CreatedAt: at(0), ExpiresAt: at(60), Ip: "192.0.2.1", UserAgent: "test"}))
		}
		wantConflict(t, "CreateSession with a taken id", s.CreateSession(ctx, store.CreateSessionParams{ID: "s1", UserID: id, CreatedAt: at(0), ExpiresAt: at(60)}))
		check(t, s.TouchSession(ctx, store.TouchSessionParams{LastSeenAt: at(10), ID: "s1"}))
		if ss := get[store.Session](t)(s.GetSession(ctx, "s1")); ss.UserID != id || !ss.TwoFactorOk || !ss.LastSeenAt.Equal(at(10)) || !ss.ExpiresAt.Equal(at(60)) || ss.Ip != "192.0.2.1" {
			t.Errorf("GetSession = %+v", ss)
		}
		check(t, s.DeleteSession(ctx, "s3"))
		_, err = s.GetSession(ctx, "s3")
		wantNotFound(t, "GetSession after DeleteSession", err)
		n, err = s.DeleteOtherUserSessions(ctx, store.DeleteOtherUserSessionsParams{UserID: id, KeepID: "s1"})
		wantRows(t, "DeleteOtherUserSessions", n, err, 1)
		n, err = s.DeleteExpiredSessions(ctx, store.DeleteExpiredSessionsParams{Now: at(30), IdleCutoff: at(5)})
		wantRows(t, "DeleteExpiredSessions of a live session", n, err, 0)
		n, err = s.DeleteExpiredSessions(ctx, store.DeleteExpiredSessionsParams{Now: at(30), IdleCutoff: at(10)})
		wantRows(t, "DeleteExpiredSessions of an idle session", n, err, 1)
		check(t, s.CreateSession(ctx, store.CreateSessionParams{ID: "s4", UserID: id, CreatedAt: at(0), ExpiresAt: at(60)}))
		check(t, s.DeleteUserSessions(ctx, id))
		_, err = s.GetSession(ctx, "s4")
		wantNotFound(t, "GetSession after DeleteUserSessions", err)

		// One-time tokens.
		check(t, s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: "t1", UserID: id, Purpose: "reset", CreatedAt: at(0), ExpiresAt: at(60)}))
		check(t, s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: "t2", UserID: id, Purpose: "reset", CreatedAt: at(0), ExpiresAt: at(60)}))
		check(t, s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: "t3", UserID: id, Purpose: "invite", CreatedAt: at(0), ExpiresAt: at(200)}))
		wantConflict(t, "CreateAuthToken with a taken hash", s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: "t1", UserID: id, Purpose: "reset", CreatedAt: at(0), ExpiresAt: at(60)}))
		_, err = s.UseAuthToken(ctx, store.UseAuthTokenParams{Now: ptr(at(1)), Hash: "t1", Purpose: "invite"})
		wantNotFound(t, "UseAuthToken for another purpose", err)
		if uid, err := s.UseAuthToken(ctx, store.UseAuthTokenParams{Now: ptr(at(1)), Hash: "t1", Purpose: "reset"}); err != nil || uid != id {
			t.Errorf("UseAuthToken = %d, %v; want %d", uid, err, id)
		}
		_, err = s.UseAuthToken(ctx, store.UseAuthTokenParams{Now: ptr(at(2)), Hash: "t1", Purpose: "reset"})
		wantNotFound(t, "UseAuthToken twice", err)
		_, err = s.UseAuthToken(ctx, store.UseAuthTokenParams{Now: ptr(at(60)), Hash: "t2", Purpose: "reset"})
		wantNotFound(t, "UseAuthToken expired", err)
		if tok := get[store.AuthToken](t)(s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: "t1", Purpose: "reset"})); tok.UserID != id || tok.UsedAt == nil || !tok.UsedAt.Equal(at(1)) {
			t.Errorf("GetAuthToken = %+v", tok)
		}
		_, err = s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: "t1", Purpose: "invite"})
		wantNotFound(t, "GetAuthToken for another purpose", err)
		check(t, s.RevokeAuthTokens(ctx, store.RevokeAuthTokensParams{Now: ptr(at(3)), UserID: id, Purpose: "reset"}))
		if tok := get[store.AuthToken](t)(s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: "t2", Purpose: "reset"})); tok.UsedAt == nil || !tok.UsedAt.Equal(at(3)) {
			t.Errorf("after RevokeAuthTokens, t2 used at %v", tok.UsedAt)
		}
		if tok := get[store.AuthToken](t)(s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: "t3", Purpose: "invite"})); tok.UsedAt != nil {
			t.Errorf("RevokeAuthTokens(reset) revoked an invite")
		}
		n, err = s.DeleteSpentAuthTokens(ctx, at(60))
		wantRows(t, "DeleteSpentAuthTokens", n, err, 2)
		_, err = s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: "t3", Purpose: "invite"})
		check(t, err)

		// Backup codes.
		check(t, s.InsertBackupCode(ctx, store.InsertBackupCodeParams{UserID: id, CodeHash: "c1"}))
		check(t, s.InsertBackupCode(ctx, store.InsertBackupCodeParams{UserID: id, CodeHash: "c2"}))
		wantConflict(t, "InsertBackupCode twice", s.InsertBackupCode(ctx, store.InsertBackupCodeParams{UserID: id, CodeHash: "c1"}))
		n, err = s.UseBackupCode(ctx, store.UseBackupCodeParams{Now: ptr(at(1)), UserID: id, CodeHash: "c1"})
		wantRows(t, "UseBackupCode", n, err, 1)
		n, err = s.UseBackupCode(ctx, store.UseBackupCodeParams{Now: ptr(at(2)), UserID: id, CodeHash: "c1"})
		wantRows(t, "UseBackupCode spent", n, err, 0)
		check(t, s.DeleteBackupCodes(ctx, id))
		n, err = s.UseBackupCode(ctx, store.UseBackupCodeParams{Now: ptr(at(2)), UserID: id, CodeHash: "c2"})
		wantRows(t, "UseBackupCode after DeleteBackupCodes", n, err, 0)

		// Throttles.
		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "acct:ann:ip", Failures: 2, WindowStart: at(0), LockedUntil: ptr(at(9))}))
		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "acct:ann:email", Failures: 3, WindowStart: at(1)}))
		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "ip:1", Failures: 1, WindowStart: at(1)}))
		if th := get[store.SignInThrottle](t)(s.GetThrottle(ctx, "acct:ann:ip")); th.Failures != 2 || !th.WindowStart.Equal(at(0)) || !th.LockedUntil.Equal(at(9)) {
			t.Errorf("GetThrottle = %+v", th)
		}
		check(t, s.PutThrottle(ctx, store.PutThrottleParams{Key: "acct:ann:ip", Failures: 4, WindowStart: at(2)}))
		if th := get[store.SignInThrottle](t)(s.GetThrottle(ctx, "acct:ann:ip")); th.Failures != 4 || th.LockedUntil != nil {
			t.Errorf("PutThrottle did not replace: %+v", th)
		}
		check(t, s.DeleteThrottle(ctx, "ip:1"))
		_, err = s.GetThrottle(ctx, "ip:1")
		wantNotFound(t, "GetThrottle after DeleteThrottle", err)
		check(t, s.DeleteThrottlesWithPrefix(ctx, "acct:ann:%"))
		_, err = s.GetThrottle(ctx, "acct:ann:email")
		wantNotFound(t, "GetThrottle after DeleteThrottlesWithPrefix", err)

		// The sign-in trail.
		other := newUser(t, s, "bob@example.org", nil)
		for i, ev := range []string{"signed_in", "failed", "signed_in"} {
			check(t, s.InsertSignInEvent(ctx, store.InsertSignInEventParams{UserID: &id, Event: ev, OccurredAt: at(i), Ip: "192.0.2.1", UserAgent: "test"}))
		}
		check(t, s.InsertSignInEvent(ctx, store.InsertSignInEventParams{UserID: &other, Event: "signed_in", OccurredAt: at(9)}))
		evs := get[[]store.SignInEvent](t)(s.ListSignInEvents(ctx, store.ListSignInEventsParams{UserID: &id, PageLimit: 2}))
		if len(evs) != 2 || evs[0].Event != "signed_in" || !evs[0].OccurredAt.Equal(at(2)) || evs[1].Event != "failed" || *evs[0].UserID != id {
			t.Errorf("ListSignInEvents = %+v, want the latest two of ann's, newest first", evs)
		}

		// Outgoing email.
		e1 := get[int64](t)(s.InsertEmail(ctx, store.InsertEmailParams{ToAddress: "ann@example.org", Subject: "One", BodyText: "draft", CreatedAt: at(0), Channel: "email"}))
		e2 := get[int64](t)(s.InsertEmail(ctx, store.InsertEmailParams{ToAddress: "bob@example.org", Subject: "Two", BodyText: "b", CreatedAt: at(1), Channel: "email"}))
		check(t, s.RecordEmailFailure(ctx, store.RecordEmailFailureParams{LastError: "refused", Status: "queued", StatusReason: "refused", StatusAt: ptr(at(1)), Provider: "smtp", ID: e1}))
		if m := get[store.Email](t)(s.GetEmail(ctx, e1)); m.Attempts != 1 || m.LastError != "refused" || m.SentAt != nil || m.Status != "queued" || m.StatusReason != "refused" || m.Provider != "smtp" {
			t.Errorf("after RecordEmailFailure, GetEmail = %+v", m)
		}
		check(t, s.MarkEmailSent(ctx, store.MarkEmailSentParams{SentAt: ptr(at(2)), BodyText: "final", Provider: "govuk_notify", ProviderRef: "n-1", ID: e1}))
		if m := get[store.Email](t)(s.GetEmail(ctx, e1)); m.Attempts != 2 || m.LastError != "" || !m.SentAt.Equal(at(2)) || m.BodyText != "final" || m.Subject != "One" ||
			m.Status != "sent" || m.StatusReason != "" || !m.StatusAt.Equal(at(2)) || m.ProviderRef != "n-1" {
			t.Errorf("after MarkEmailSent, GetEmail = %+v", m)
		}
		_, err = s.GetEmail(ctx, e2+100)
		wantNotFound(t, "GetEmail", err)
		if ms := get[[]store.Email](t)(s.ListEmails(ctx, 10)); len(ms) != 2 || ms[0].ID != e2 || ms[1].ID != e1 {
			t.Errorf("ListEmails = %+v, want both, newest first", ms)
		}
		if ms := get[[]store.Email](t)(s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "bob@example.org", PageLimit: 10})); len(ms) != 1 || ms[0].ID != e2 {
			t.Errorf("ListEmailsTo = %+v, want bob's only", ms)
		}
	})
}

func TestSignInLimitQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		_, err := s.CountThrottleFailure(ctx, store.CountThrottleFailureParams{WindowFloor: at(0), Now: ptr(at(1)), Key: "k"})
		wantNotFound(t, "CountThrottleFailure of a missing key", err)
		check(t, s.EnsureThrottle(ctx, store.EnsureThrottleParams{Key: "k", Now: at(1)}))
		check(t, s.EnsureThrottle(ctx, store.EnsureThrottleParams{Key: "k", Now: at(5)})) // a no-op
		var th store.SignInThrottle
		for range 3 {
			th = get[store.SignInThrottle](t)(s.CountThrottleFailure(ctx, store.CountThrottleFailureParams{WindowFloor: at(0), Now: ptr(at(2)), Key: "k"}))
		}
		if th.Failures != 3 || !th.WindowStart.Equal(at(1)) {
			t.Errorf("three CountThrottleFailure = %+v, want 3 in the window from minute 1", th)
		}
		// Past the window, the count starts again.
		if th = get[store.SignInThrottle](t)(s.CountThrottleFailure(ctx, store.CountThrottleFailureParams{WindowFloor: at(3), Now: ptr(at(4)), Key: "k"})); th.Failures != 1 || !th.WindowStart.Equal(at(4)) {
			t.Errorf("CountThrottleFailure past the window = %+v, want 1 from minute 4", th)
		}
		check(t, s.UncountThrottle(ctx, "k"))
		check(t, s.UncountThrottle(ctx, "k")) // never below 0
		if th = get[store.SignInThrottle](t)(s.GetThrottle(ctx, "k")); th.Failures != 0 {
			t.Errorf("after UncountThrottle twice, failures = %d, want 0", th.Failures)
		}

		n, err := s.ClaimThrottleSlot(ctx, store.ClaimThrottleSlotParams{LockedUntil: ptr(at(10)), Key: "k", Now: ptr(at(5))})
		wantRows(t, "ClaimThrottleSlot", n, err, 1)
		n, err = s.ClaimThrottleSlot(ctx, store.ClaimThrottleSlotParams{LockedUntil: ptr(at(11)), Key: "k", Now: ptr(at(6))})
		wantRows(t, "ClaimThrottleSlot while held", n, err, 0)
		check(t, s.DelayThrottle(ctx, store.DelayThrottleParams{LockedUntil: ptr(at(30)), Key: "k"}))
		if th = get[store.SignInThrottle](t)(s.GetThrottle(ctx, "k")); !th.LockedUntil.Equal(at(30)) {
			t.Errorf("after DelayThrottle, locked until %v", th.LockedUntil)
		}
		n, err = s.DeleteStaleThrottles(ctx, store.DeleteStaleThrottlesParams{Before: at(20), Now: ptr(at(20))})
		wantRows(t, "DeleteStaleThrottles of a locked key", n, err, 0)
		n, err = s.DeleteStaleThrottles(ctx, store.DeleteStaleThrottlesParams{Before: at(31), Now: ptr(at(31))})
		wantRows(t, "DeleteStaleThrottles after the lock", n, err, 1)

		id := newUser(t, s, "ann@example.org", nil)
		check(t, s.InsertSignInEvent(ctx, store.InsertSignInEventParams{UserID: &id, Event: "signed_in", OccurredAt: at(10), Ip: "192.0.2.1"}))
		for _, tt := range []struct {
			ip    string
			since int
			want  bool
		}{{"192.0.2.1", 9, true}, {"192.0.2.1", 10, false}, {"192.0.2.2", 9, false}} {
			if got := get[bool](t)(s.SignedInFrom(ctx, store.SignedInFromParams{UserID: &id, Ip: tt.ip, Since: at(tt.since)})); got != tt.want {
				t.Errorf("SignedInFrom(%s, since %d) = %v, want %v", tt.ip, tt.since, got, tt.want)
			}
		}
	})
}
