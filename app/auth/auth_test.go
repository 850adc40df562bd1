package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

const goodPassword = "Correct-horse-battery-9"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	svc   *auth.Service
	s     store.Store
	clock *clock
}

func newFixture(t *testing.T, s store.Store) *fixture {
	t.Helper()
	svc, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	svc.Now = c.Now
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, s: s, clock: c}
}

// user creates an account at RGT01 with goodPassword set.
func (f *fixture) user(t *testing.T, email string, role access.Role) store.User {
	t.Helper()
	ctx := context.Background()
	org := "RGT01"
	if role.National() {
		org = ""
	}
	var u store.User
	err := f.s.InTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = f.svc.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Test", Surname: "Person", Role: role, Organisation: org})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetPasswordDirect(ctx, u, goodPassword); err != nil {
		t.Fatal(err)
	}
	u, _ = f.s.GetUser(ctx, u.ID)
	return u
}

var here = auth.Client{IP: "10.0.0.1", UserAgent: "test"}
var elsewhere = auth.Client{IP: "192.0.2.9", UserAgent: "attacker"}

func TestSignInEmailIsCaseInsensitive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		f := newFixture(t, s)
		f.user(t, "Case.Test@Example.org", access.Clinician)
		res, err := f.svc.SignIn(context.Background(), "  CASE.test@EXAMPLE.org ", goodPassword, here)
		if err != nil {
			t.Fatal(err)
		}
		if !res.NeedsTwoFactor || res.Token == "" {
			t.Errorf("result %+v: want a pending session needing the second factor", res)
		}
	})
}

func TestLockoutAfterFiveFailuresForTenMinutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.user(t, "lock@example.org", access.Clinician)
		for i := 1; i <= 4; i++ {
			if _, err := f.svc.SignIn(ctx, "lock@example.org", "wrong", here); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		_, err := f.svc.SignIn(ctx, "lock@example.org", "wrong", here)
		var locked *auth.LockedError
		if !errors.As(err, &locked) || !locked.Until.Equal(f.clock.Now().Add(10*time.Minute)) {
			t.Fatalf("5th failure: %v, want locked for 10 minutes", err)
		}
		// The 6th attempt, with the right password, is refused while locked.
		f.clock.Advance(9*time.Minute + 59*time.Second)
		if _, err := f.svc.SignIn(ctx, "lock@example.org", goodPassword, here); !errors.As(err, &locked) {
			t.Fatalf("right password while locked: %v", err)
		}
		// A stranger elsewhere cannot lock the clinician out: other
		// addresses are unaffected.
		if _, err := f.svc.SignIn(ctx, "lock@example.org", goodPassword, elsewhere); err != nil {
			t.Errorf("other address refused: %v", err)
		}
		f.clock.Advance(time.Second)
		if _, err := f.svc.SignIn(ctx, "lock@example.org", goodPassword, here); err != nil {
			t.Errorf("after 10 minutes: %v", err)
		}
	})
}

func TestUnlockClearsTheLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "unlock@example.org", access.Clinician)
		for range 5 {
			_, _ = f.svc.SignIn(ctx, "unlock@example.org", "wrong", here)
		}
		if f.svc.Locked(ctx, u.ID, here.IP) == nil {
			t.Fatal("not locked after 5 failures")
		}
		if err := f.svc.Unlock(ctx, u.ID, here); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SignIn(ctx, "unlock@example.org", goodPassword, here); err != nil {
			t.Errorf("after unlock: %v", err)
		}
	})
}

func TestAddressThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.AddressLimit = 3
		for i := range 3 {
			_, _ = f.svc.SignIn(ctx, "nobody"+string(rune('a'+i))+"@example.org", "x", elsewhere)
		}
		var locked *auth.LockedError
		if _, err := f.svc.SignIn(ctx, "nobody@example.org", "x", elsewhere); !errors.As(err, &locked) || !locked.Address {
			t.Errorf("4th attempt from a throttled address: %v", err)
		}
		// Unknown emails give the same answer as wrong passwords.
		if _, err := f.svc.SignIn(ctx, "nobody@example.org", "x", here); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("unknown email: %v", err)
		}
	})
}

func TestSessionsIdleAbsoluteAndDeactivation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.TwoFactorForAll = false
		u := f.user(t, "sess@example.org", access.Clinician)
		res, err := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		if err != nil || res.NeedsTwoFactor {
			t.Fatalf("sign in: %+v %v", res, err)
		}
		id, err := f.svc.Authenticate(ctx, res.Token)
		if err != nil || !id.Session.TwoFactorOk || id.User.ID != u.ID {
			t.Fatalf("authenticate: %+v %v", id, err)
		}
		// Activity keeps it alive past the idle timeout...
		for range 4 {
			f.clock.Advance(20 * time.Minute)
			if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
				t.Fatalf("active session ended: %v", err)
			}
		}
		// ...but 30 idle minutes end it.
		f.clock.Advance(30 * time.Minute)
		if _, err := f.svc.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("idle 30 minutes: %v", err)
		}

		// The absolute lifetime ends even an active session.
		res, _ = f.svc.SignIn(ctx, u.Email, goodPassword, here)
		for range 12 * 3 {
			f.clock.Advance(20 * time.Minute)
			_, _ = f.svc.Authenticate(ctx, res.Token)
		}
		if _, err := f.svc.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("after 12 hours: %v", err)
		}

		// A deactivated user's open session stops working on its next use.
		res, _ = f.svc.SignIn(ctx, u.Email, goodPassword, here)
		if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
			t.Fatal(err)
		}
		deactivate(t, s, u.ID)
		if _, err := f.svc.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("deactivated: %v", err)
		}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, here); !errors.Is(err, auth.ErrDeactivated) {
			t.Errorf("deactivated sign-in: %v", err)
		}
	})
}

func deactivate(t *testing.T, s store.Store, id int64) {
	t.Helper()
	if err := s.SetUserActive(context.Background(), store.SetUserActiveParams{IsActive: false, UpdatedAt: time.Now(), ID: id}); err != nil {
		t.Fatal(err)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.TwoFactorForAll = false
		u := f.user(t, "out@example.org", access.Clinician)
		res, _ := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		id, _ := f.svc.Authenticate(ctx, res.Token)
		if err := f.svc.SignOut(ctx, id, here); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("after sign-out: %v", err)
		}
	})
}

func TestTOTPEnrolmentWindowAndReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "totp@example.org", access.NationalFull)
		res, _ := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		pending, err := f.svc.Authenticate(ctx, res.Token)
		if err != nil || pending.Session.TwoFactorOk {
			t.Fatalf("pending session: %+v %v", pending.Session, err)
		}
		enrol, err := f.svc.StartTOTP(ctx, pending)
		if err != nil || len(enrol.QRCodePNG) == 0 || !strings.HasPrefix(enrol.URI, "otpauth://totp/") {
			t.Fatalf("enrolment %+v %v", enrol, err)
		}
		pending, _ = f.svc.Authenticate(ctx, res.Token)
		secret := *pending.User.TotpSecret
		code, _ := totp.Code(secret, f.clock.Now())
		codes, token, err := f.svc.ConfirmTOTP(ctx, pending, code, here)
		if err != nil || len(codes) != 10 || token == "" {
			t.Fatalf("confirm: %d codes, %v", len(codes), err)
		}
		// The pending token is dead; the new one is a complete session.
		if _, err := f.svc.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("old token after second factor: %v", err)
		}
		if id, err := f.svc.Authenticate(ctx, token); err != nil || !id.Session.TwoFactorOk {
			t.Errorf("new token: %v", err)
		}

		signInPending := func() auth.Identity {
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
		f.clock.Advance(5 * time.Minute)
		// A code from two steps (60 s) ago is outside the window.
		old, _ := totp.Code(secret, f.clock.Now().Add(-60*time.Second))
		if _, err := f.svc.VerifyTOTP(ctx, signInPending(), old, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("code from 2 steps ago: %v", err)
		}
		// One step (30 s) of drift is accepted...
		drift, _ := totp.Code(secret, f.clock.Now().Add(-30*time.Second))
		if _, err := f.svc.VerifyTOTP(ctx, signInPending(), drift, here); err != nil {
			t.Errorf("code from 1 step ago: %v", err)
		}
		// ...but the same code is never accepted twice.
		if _, err := f.svc.VerifyTOTP(ctx, signInPending(), drift, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("replayed code: %v", err)
		}
		// Backup codes work once each.
		if _, err := f.svc.VerifyBackupCode(ctx, signInPending(), strings.ToUpper(codes[0]), here); err != nil {
			t.Errorf("backup code: %v", err)
		}
		if _, err := f.svc.VerifyBackupCode(ctx, signInPending(), codes[0], here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("reused backup code: %v", err)
		}
	})
}

func TestSecondFactorLocksAfterFiveWrongCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "guess@example.org", access.Clinician)
		res, _ := f.svc.SignIn(ctx, u.Email, goodPassword, here)
		id, _ := f.svc.Authenticate(ctx, res.Token)
		var locked *auth.LockedError
		for i := 1; i <= 5; i++ {
			_, err := f.svc.VerifyBackupCode(ctx, id, "aaaa-aaaa", here)
			if i < 5 && !errors.Is(err, auth.ErrBadCode) || i == 5 && !errors.As(err, &locked) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
	})
}
