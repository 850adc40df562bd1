package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// At most 3 emailed codes per account and 30 per client (here 10), per 15
// minutes.
func TestEmailedCodesAreLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		pending := func(u store.User) auth.Identity {
			res, err := f.svc.SignIn(ctx, u.Email, goodPassword, here)
			if err != nil {
				t.Fatal(err)
			}
			id, err := f.svc.Authenticate(ctx, res.Token)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		u := f.user(t, "codes@example.org", access.Clinician)
		id := pending(u)
		var limited *auth.SendLimitError
		for i := 1; i <= 15; i++ {
			err := f.svc.SendEmailCode(ctx, id, here)
			if i <= 3 && err != nil || i > 3 && !errors.As(err, &limited) {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		if !limited.Until.Equal(f.clock.Now().Add(15 * time.Minute)) {
			t.Errorf("limited until %s", limited.Until)
		}
		if n := countEmails(t, s, u.Email); n != 3 {
			t.Errorf("%d emails sent for 15 requests, want 3", n)
		}
		f.clock.Advance(15 * time.Minute)
		if err := f.svc.SendEmailCode(ctx, id, here); err != nil {
			t.Errorf("after 15 minutes: %v", err)
		}
		// One client asking for many accounts' codes is limited too.
		if f.svc.Config.CodeSendAddressLimit != 30 {
			t.Errorf("per-client limit %d, want 30", f.svc.Config.CodeSendAddressLimit)
		}
		f.svc.Config.CodeSendAddressLimit = 10
		f.clock.Advance(15 * time.Minute)
		var errs []string
		for i := range 5 {
			v := f.user(t, fmt.Sprintf("other%d@example.org", i), access.Clinician)
			vid := pending(v)
			for range 3 {
				if err := f.svc.SendEmailCode(ctx, vid, elsewhere); err != nil {
					errs = append(errs, err.Error())
				}
			}
		}
		if len(errs) != 5 {
			t.Errorf("15 codes for 5 accounts from one client: %d refused, want 5 (10 sent)", len(errs))
		}
	})
}

func countEmails(t *testing.T, s store.Store, to string) int {
	t.Helper()
	emails, err := s.ListEmails(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range emails {
		if e.ToAddress == to {
			n++
		}
	}
	return n
}

// An enrolled user's code cannot enrol again (which would give a session
// and new backup codes), and enrolment uses the same once-only step check
// as sign-in: the recorded step never moves backwards.
func TestEnrolmentRefusesEnrolledUsersAndOldSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "enrolled@example.org", access.Clinician)
		pending := func() auth.Identity {
			res, err := f.svc.SignIn(ctx, u.Email, goodPassword, here)
			if err != nil {
				t.Fatal(err)
			}
			id, err := f.svc.Authenticate(ctx, res.Token)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		if _, err := f.svc.StartTOTP(ctx, pending()); err != nil {
			t.Fatal(err)
		}
		id := pending()
		secret := *id.User.TotpSecret
		// A code of the step before the current one is within the window,
		// but a later step has been used already (by an earlier enrolment,
		// say): the step must not go back.
		step := f.clock.Now().Unix() / 30
		if n, err := s.UseTOTPStep(ctx, store.UseTOTPStepParams{Step: step, ID: u.ID}); err != nil || n != 1 {
			t.Fatal(n, err)
		}
		older, _ := totp.Code(secret, f.clock.Now().Add(-30*time.Second))
		if _, _, err := f.svc.ConfirmTOTP(ctx, id, older, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("enrolment with an older step than one used: %v", err)
		}
		if got, _ := s.GetUser(ctx, u.ID); got.TotpLastStep != step || got.TotpConfirmedAt != nil {
			t.Errorf("last step %d (want %d), confirmed %v", got.TotpLastStep, step, got.TotpConfirmedAt)
		}
		f.clock.Advance(30 * time.Second)
		code, _ := totp.Code(secret, f.clock.Now())
		codes, _, err := f.svc.ConfirmTOTP(ctx, pending(), code, here)
		if err != nil || len(codes) != 10 {
			t.Fatalf("enrolment: %v", err)
		}
		// Enrolled: the same code, and a fresh one, are refused by
		// enrolment, and the backup codes stay as they were.
		f.clock.Advance(30 * time.Second)
		fresh, _ := totp.Code(secret, f.clock.Now())
		for _, c := range []string{code, fresh} {
			if again, token, err := f.svc.ConfirmTOTP(ctx, pending(), c, here); !errors.Is(err, auth.ErrEnrolled) || again != nil || token != "" {
				t.Errorf("enrolling again with %s: %v, %d codes", c, err, len(again))
			}
		}
		if _, err := f.svc.VerifyBackupCode(ctx, pending(), codes[0], here); err != nil {
			t.Errorf("the first backup codes were replaced: %v", err)
		}
	})
}

// Second-factor codes tried at the same moment cannot get past the lock
// together: of 20, 4 are wrong and the rest locked, as one by one.
func TestSecondFactorBurstMeetsTheLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "burst2fa@example.org", access.Clinician)
		res, err := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		if err != nil {
			t.Fatal(err)
		}
		id, err := f.svc.Authenticate(ctx, res.Token)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		for i := range 20 {
			go func() {
				_, err := f.svc.VerifyBackupCode(ctx, id, fmt.Sprintf("aaaa-%04d", i), here)
				done <- err
			}()
		}
		outcomes := map[string]int{}
		for range 20 {
			err := <-done
			var locked *auth.LockedError
			switch {
			case errors.Is(err, auth.ErrBadCode):
				outcomes["wrong"]++
			case errors.As(err, &locked):
				outcomes["locked"]++
			default:
				t.Errorf("code: %v", err)
			}
		}
		if outcomes["wrong"] != 4 || outcomes["locked"] != 16 {
			t.Errorf("burst of 20 codes: %v, want 4 wrong and 16 locked", outcomes)
		}
	})
}
