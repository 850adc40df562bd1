package auth_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var smsCodeRE = regexp.MustCompile(`\b(\d{6})\b`)

// lastSMS returns the code of the newest message to phone ("" when none)
// and how many went there: what the person's phone shows.
func lastSMS(t *testing.T, s store.Store, phone string) (code string, n int) {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: phone, PageLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		return "", 0
	}
	if ms[0].Channel != "sms" || !ms[0].Essential {
		t.Errorf("the code went as %q, essential %v; want an essential SMS", ms[0].Channel, ms[0].Essential)
	}
	m := smsCodeRE.FindStringSubmatch(ms[0].BodyText)
	if m == nil {
		t.Fatalf("SMS without a code: %q", ms[0].BodyText)
	}
	return m[1], len(ms)
}

func (f *fixture) pending(t *testing.T, u store.User) auth.Identity {
	t.Helper()
	ctx := context.Background()
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

const mobile = "+447700900123"

// A staff user verifies a number (wrong, expired and reused codes
// refused), then signs in with a code sent to it.
func TestStaffSMSVerifiedThenSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "sms@example.org", access.Clinician)
		id := f.pending(t, u)
		if err := f.svc.StartStaffSMS(ctx, id, "07700 900123", here); !errors.Is(err, auth.ErrSMSUnavailable) {
			t.Fatalf("without an SMS provider: %v, want ErrSMSUnavailable", err)
		}
		f.svc.Config.SMS = true
		if err := f.svc.StartStaffSMS(ctx, id, "not a number", here); !errors.Is(err, auth.ErrBadPhone) {
			t.Errorf("a bad number: %v", err)
		}
		if err := f.svc.StartStaffSMS(ctx, id, "07700 900123", here); err != nil {
			t.Fatal(err)
		}
		first, _ := lastSMS(t, s, mobile)
		if v, _ := f.svc.StaffSMS(ctx, u); v.Verified() || v.Pending != "+44*******123" {
			t.Errorf("before the code: %+v, want a masked pending number", v)
		}
		// Expired: more than 5 minutes later.
		f.clock.Advance(6 * time.Minute)
		if _, err := f.svc.ConfirmStaffSMS(ctx, id, first, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("an expired code: %v", err)
		}
		if err := f.svc.StartStaffSMS(ctx, id, "07700 900123", here); err != nil {
			t.Fatal(err)
		}
		code, n := lastSMS(t, s, mobile)
		if n != 2 {
			t.Errorf("%d SMS sent, want 2", n)
		}
		if _, err := f.svc.ConfirmStaffSMS(ctx, id, wrong(code), here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a wrong code: %v", err)
		}
		// First sign-in, no app: the number's code completes the sign-in.
		token, err := f.svc.ConfirmStaffSMS(ctx, id, code, here)
		if err != nil {
			t.Fatalf("the right code: %v", err)
		}
		if full, err := f.svc.Authenticate(ctx, token); err != nil || !full.Session.TwoFactorOk {
			t.Errorf("after verifying the number: %+v, %v", full.Session, err)
		}
		if _, err := f.svc.ConfirmStaffSMS(ctx, full(t, f, token), code, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("the code again: %v", err)
		}
		// A password alone cannot put another number in.
		id = f.pending(t, u)
		if err := f.svc.StartStaffSMS(ctx, id, "07700 900999", here); !errors.Is(err, auth.ErrSMSRefused) {
			t.Errorf("a new number with a password alone: %v", err)
		}
		if v, _ := f.svc.StaffSMS(ctx, u); !v.Verified() || v.Phone != "+44*******123" || v.Pending != "" {
			t.Errorf("after the code: %+v", v)
		}
		if !f.svc.StaffUsesSMS(ctx, u) {
			t.Error("StaffUsesSMS = false after verifying")
		}

		// Sign-in: a code to the verified number, once.
		if err := f.svc.SendStaffSMSCode(ctx, id, here); err != nil {
			t.Fatal(err)
		}
		code, _ = lastSMS(t, s, mobile)
		if _, err := f.svc.VerifySMSCode(ctx, id, wrong(code), here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a wrong sign-in code: %v", err)
		}
		token, err = f.svc.VerifySMSCode(ctx, id, code, here)
		if err != nil {
			t.Fatal(err)
		}
		full, err := f.svc.Authenticate(ctx, token)
		if err != nil || !full.Session.TwoFactorOk {
			t.Errorf("after the SMS code: %+v, %v", full.Session, err)
		}
		id = f.pending(t, u)
		if _, err := f.svc.VerifySMSCode(ctx, id, code, here); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a used sign-in code again: %v", err)
		}

		// Removed: no more codes.
		if err := f.svc.RemoveStaffSMS(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SendStaffSMSCode(ctx, id, here); !errors.Is(err, auth.ErrNoSMS) {
			t.Errorf("after removing: %v, want ErrNoSMS", err)
		}
	})
}

func full(t *testing.T, f *fixture, token string) auth.Identity {
	t.Helper()
	id, err := f.svc.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// Privileged roles keep the authenticator app: SMS is refused them.
func TestPrivilegedStaffRefusedSMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.SMS = true
		u := f.user(t, "national@example.org", access.NationalFull)
		if f.svc.SMSOffered(u) {
			t.Error("SMS offered to a national admin")
		}
		id := f.pending(t, u)
		if err := f.svc.StartStaffSMS(ctx, id, "07700 900123", here); !errors.Is(err, auth.ErrSMSRefused) {
			t.Errorf("StartStaffSMS = %v, want ErrSMSRefused", err)
		}
		if _, n := lastSMS(t, s, mobile); n != 0 {
			t.Errorf("%d SMS sent", n)
		}
		if err := f.svc.SendStaffSMSCode(ctx, id, here); !errors.Is(err, auth.ErrSMSRefused) {
			t.Errorf("SendStaffSMSCode = %v, want ErrSMSRefused", err)
		}
	})
}

// Codes sent share the emailed codes' limits (3 per 15 minutes); codes
// tried share the second factor's lock (5 wrong).
func TestSMSCodesThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.SMS = true
		u := f.user(t, "busy@example.org", access.Clinician)
		id := f.pending(t, u)
		var limited *auth.SendLimitError
		for i := 1; i <= 4; i++ {
			err := f.svc.StartStaffSMS(ctx, id, mobile, here)
			if i <= 3 && err != nil || i == 4 && !errors.As(err, &limited) {
				t.Fatalf("SMS %d: %v", i, err)
			}
		}
		code, n := lastSMS(t, s, mobile)
		if n != 3 {
			t.Errorf("%d SMS sent, want 3", n)
		}
		var locked *auth.LockedError
		for i := 1; i <= 5; i++ {
			_, err := f.svc.ConfirmStaffSMS(ctx, id, wrong(code), here)
			if i < 5 && !errors.Is(err, auth.ErrBadCode) || i == 5 && !errors.As(err, &locked) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := f.svc.ConfirmStaffSMS(ctx, id, code, here); !errors.As(err, &locked) {
			t.Errorf("the right code while locked: %v", err)
		}
	})
}

// A family verifies a number on its two-factor page; from then on its
// sign-in waits for a code sent to it.
func TestFamilySMSSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.SMS = true
		f.family(t, "sarah@example.org")
		link, _ := f.signInEmail(t, "sarah@example.org")
		token, _, err := f.svc.FamilySignInByLink(ctx, link, client)
		if err != nil {
			t.Fatal(err)
		}
		id, err := f.svc.AuthenticateFamily(ctx, token)
		if err != nil || !id.Session.TwoFactorOk {
			t.Fatalf("without a second factor: %+v, %v", id.Session, err)
		}
		if err := f.svc.StartFamilySMS(ctx, id, "07700 900123", client); err != nil {
			t.Fatal(err)
		}
		code, _ := lastSMS(t, s, mobile)
		if _, err := f.svc.ConfirmFamilySMS(ctx, id, wrong(code), client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a wrong code: %v", err)
		}
		if _, err := f.svc.ConfirmFamilySMS(ctx, id, code, client); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.svc.FamilySMS(ctx, id.Account); v.Phone != "+44*******123" {
			t.Errorf("verified number shown as %q", v.Phone)
		}

		link, _ = f.signInEmail(t, "sarah@example.org")
		token, _, err = f.svc.FamilySignInByLink(ctx, link, client)
		if err != nil {
			t.Fatal(err)
		}
		id, err = f.svc.AuthenticateFamily(ctx, token)
		if err != nil || id.Session.TwoFactorOk {
			t.Fatalf("with SMS set up: %+v, %v, want a session awaiting the code", id.Session, err)
		}
		// Awaiting the code, the session cannot put another number in.
		if err := f.svc.StartFamilySMS(ctx, id, "07700 900999", client); !errors.Is(err, auth.ErrSMSRefused) {
			t.Errorf("a new number from a half session: %v", err)
		}
		if err := f.svc.RemoveFamilySMS(ctx, id); !errors.Is(err, auth.ErrSMSRefused) {
			t.Errorf("removing from a half session: %v", err)
		}
		if err := f.svc.SendFamilySMSCode(ctx, id, client); err != nil {
			t.Fatal(err)
		}
		code, _ = lastSMS(t, s, mobile)
		f.clock.Advance(6 * time.Minute)
		if _, err := f.svc.VerifyFamilySMSCode(ctx, id, code, client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("an expired code: %v", err)
		}
		id, _ = f.svc.AuthenticateFamily(ctx, token)
		if err := f.svc.SendFamilySMSCode(ctx, id, client); err != nil {
			t.Fatal(err)
		}
		code, _ = lastSMS(t, s, mobile)
		full, err := f.svc.VerifyFamilySMSCode(ctx, id, code, client)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := f.svc.AuthenticateFamily(ctx, full); err != nil || !id.Session.TwoFactorOk {
			t.Errorf("after the SMS code: %+v, %v", id.Session, err)
		}
		if _, err := f.svc.VerifyFamilySMSCode(ctx, id, code, client); err == nil {
			t.Error("a used code signed in again")
		}
	})
}
