package auth_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

var linkPattern = regexp.MustCompile(`/account/set-password/([A-Za-z0-9_-]+)`)

// invite creates an account without a password and returns its invite token.
func (f *fixture) invite(t *testing.T, email string) (store.User, string) {
	t.Helper()
	ctx := context.Background()
	var u store.User
	var link string
	err := f.s.InTx(ctx, func(tx store.Tx) error {
		var err error
		if u, err = f.svc.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Ivy", Surname: "Invited", Role: access.Clinician, Organisation: "RGT01"}); err != nil {
			return err
		}
		link, err = f.svc.Invite(ctx, tx, u)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u, linkPattern.FindStringSubmatch(link)[1]
}

func lastEmail(t *testing.T, s store.Store, to string) store.Email {
	t.Helper()
	emails, err := s.ListEmails(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emails {
		if e.ToAddress == to {
			return e
		}
	}
	t.Fatalf("no email to %s", to)
	return store.Email{}
}

func TestInviteEmailIsQueuedWithTheAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		f := newFixture(t, s)
		u, token := f.invite(t, "new@example.org")
		e := lastEmail(t, s, u.Email)
		if !strings.Contains(e.BodyText, token) || !strings.Contains(e.BodyText, "expires at") || !strings.Contains(e.BodyText, "72 hours") {
			t.Errorf("invite email lacks the link or its expiry:\n%s", e.BodyText)
		}
		jobs, err := s.ListJobs(context.Background(), river.NewJobListParams().Kinds("email_send"))
		if err != nil || len(jobs.Jobs) != 1 {
			t.Errorf("email jobs: %v %v", len(jobs.Jobs), err)
		}
	})
}

func TestSetPasswordThroughInvite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u, token := f.invite(t, "set@example.org")
		if u.EmailConfirmed || u.PasswordHash != nil {
			t.Fatal("a new account has a password or a confirmed email")
		}
		// The policy names every failed rule.
		_, err := f.svc.SetPassword(ctx, token, "short", here)
		var perr *auth.PolicyError
		if !errors.As(err, &perr) || len(perr.Failures) < 2 {
			t.Fatalf("weak password: %v", err)
		}
		if _, err := f.svc.SetPassword(ctx, token, goodPassword, here); err != nil {
			t.Fatal(err)
		}
		u, _ = s.GetUser(ctx, u.ID)
		if !u.EmailConfirmed || u.PasswordHash == nil {
			t.Error("setting a password through an invite did not confirm the email")
		}
		// Single use.
		if _, err := f.svc.SetPassword(ctx, token, "Another-good-pass-77", here); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("reused token: %v", err)
		}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, here); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
	})
}

func TestExpiredTokenRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		_, token := f.invite(t, "late@example.org")
		f.clock.Advance(72*time.Hour - time.Second)
		if _, err := f.svc.TokenUser(ctx, token); err != nil {
			t.Fatalf("just before 72 hours: %v", err)
		}
		f.clock.Advance(time.Second)
		if _, err := f.svc.SetPassword(ctx, token, goodPassword, here); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("at 72 hours: %v", err)
		}
		if _, err := f.svc.SetPassword(ctx, "made-up-token", goodPassword, here); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("unknown token: %v", err)
		}
	})
}

func TestForgotPasswordWorksForInvitedAndRevealsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u, _ := f.invite(t, "never.set@example.org")
		if err := f.svc.RequestReset(ctx, "Never.Set@example.org", here); err != nil {
			t.Fatal(err)
		}
		e := lastEmail(t, s, u.Email)
		if e.Subject != "Reset your clinaudit password" {
			t.Fatalf("last email %q", e.Subject)
		}
		token := linkPattern.FindStringSubmatch(e.BodyText)[1]
		if _, err := f.svc.SetPassword(ctx, token, goodPassword, here); err != nil {
			t.Errorf("reset for an invited account: %v", err)
		}
		before, _ := s.ListEmails(ctx, 100)
		if err := f.svc.RequestReset(ctx, "nobody@example.org", here); err != nil {
			t.Errorf("unknown email: %v (must answer the same)", err)
		}
		after, _ := s.ListEmails(ctx, 100)
		if len(after) != len(before) {
			t.Error("an email was sent for an unknown address")
		}
	})
}

func TestExpiredPasswordForcesResetAndResetKeepsSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "old@example.org", access.Clinician)
		f.clock.Advance(90 * 24 * time.Hour)
		res, err := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		if err != nil || res.ResetToken == "" || res.Token != "" {
			t.Fatalf("expired password: %+v %v, want a reset token and no session", res, err)
		}
		if _, err := f.svc.SetPassword(ctx, res.ResetToken, goodPassword+"x", here); err != nil {
			t.Fatal(err)
		}
		res, err = f.svc.SignIn(ctx, u.Email, goodPassword+"x", here)
		if err != nil || res.ResetToken != "" || !res.NeedsTwoFactor {
			t.Fatalf("after reset: %+v %v, want the second factor asked for", res, err)
		}
		id, _ := f.svc.Authenticate(ctx, res.Token)
		if id.Session.TwoFactorOk {
			t.Error("a reset skipped the second factor")
		}
	})
}

func TestEmailCodeSingleUseFiveMinutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "code@example.org", access.Clinician)
		pending := func() auth.Identity {
			res, _ := f.svc.SignIn(ctx, u.Email, goodPassword, here)
			id, err := f.svc.Authenticate(ctx, res.Token)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		code := func() string {
			id := pending()
			if err := f.svc.SendEmailCode(ctx, id, here); err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`code is (\d{6})`).FindStringSubmatch(lastEmail(t, s, u.Email).BodyText)
			if m == nil {
				t.Fatal("no code in the email")
			}
			return m[1]
		}
		c := code()
		if _, err := f.svc.VerifyEmailCode(ctx, pending(), c, here); err != nil {
			t.Errorf("fresh code: %v", err)
		}
		if _, err := f.svc.VerifyEmailCode(ctx, pending(), c, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("reused code: %v", err)
		}
		c = code()
		f.clock.Advance(5 * time.Minute)
		if _, err := f.svc.VerifyEmailCode(ctx, pending(), c, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("code after 5 minutes: %v", err)
		}
	})
}
