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
	"clinaudit/app/auth/totp"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

var client = auth.Client{IP: "192.0.2.7", UserAgent: "test"}

// family adds a patient and a mother with email (legal authority) to the
// rett registry, as the registry team would.
func (f *fixture) family(t *testing.T, email string) {
	t.Helper()
	ctx := context.Background()
	if err := registry.Install(ctx, f.s, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	reg := &registry.Service{Store: f.s, Now: f.clock.Now}
	me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
	p, err := reg.AddPatient(ctx, me, "rett", registry.PatientInput{FirstName: "Amy", Surname: "Hughes", Sex: "2",
		DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := reg.AddContact(ctx, me, "rett", registry.ContactInput{FirstName: "Sarah", Surname: "Hughes", Email: email}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Link(ctx, me, p.ID, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: true}, ""); err != nil {
		t.Fatal(err)
	}
}

var (
	linkRE = regexp.MustCompile(`/family/sign-in/link/([A-Za-z0-9_-]+)`)
	codeRE = regexp.MustCompile(`code on the sign-in page: (\d{6})`)
)

// signInEmail sends a sign-in email to addr (the job's work) and returns
// the link's token and the code; "" for both when no email went.
func (f *fixture) signInEmail(t *testing.T, addr string) (link, code string) {
	t.Helper()
	ctx := context.Background()
	to := auth.NormaliseEmail(addr)
	before, _ := f.s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: to, PageLimit: 100})
	if err := f.svc.SendFamilySignIn(ctx, "rett", addr); err != nil {
		t.Fatal(err)
	}
	ms, err := f.s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: to, PageLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == len(before) {
		return "", ""
	}
	l, c := linkRE.FindStringSubmatch(ms[0].BodyText), codeRE.FindStringSubmatch(ms[0].BodyText)
	if l == nil || c == nil {
		t.Fatalf("sign-in email without a link or code:\n%s", ms[0].BodyText)
	}
	return l[1], c[1]
}

func TestFamilySignInLinkOnceWithinTenMinutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.family(t, "sarah@example.org")
		link, _ := f.signInEmail(t, "Sarah@Example.org ")
		if link == "" {
			t.Fatal("no email for a contact with authority")
		}
		token, a, err := f.svc.FamilySignInByLink(ctx, link, client)
		if err != nil || token == "" || a.FirstName != "Sarah" {
			t.Fatalf("FamilySignInByLink = %q, %+v, %v", token, a, err)
		}
		id, err := f.svc.AuthenticateFamily(ctx, token)
		if err != nil || !id.Session.TwoFactorOk || id.Account.ID != a.ID {
			t.Fatalf("AuthenticateFamily = %+v, %v", id, err)
		}
		// The kinds are apart: a family token is no staff session.
		if _, err := f.svc.Authenticate(ctx, token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("staff Authenticate(family token) = %v, want ErrSessionEnded", err)
		}
		if _, _, err := f.svc.FamilySignInByLink(ctx, link, client); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("the link again = %v, want ErrBadToken", err)
		}
		last := "A"
		if strings.HasSuffix(link, "A") {
			last = "B"
		}
		tampered := link[:len(link)-1] + last
		if _, _, err := f.svc.FamilySignInByLink(ctx, tampered, client); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("a tampered link = %v, want ErrBadToken", err)
		}
		link2, code2 := f.signInEmail(t, "sarah@example.org")
		f.clock.Advance(10*time.Minute + time.Second)
		if _, _, err := f.svc.FamilySignInByLink(ctx, link2, client); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("a link after 10 minutes = %v, want ErrBadToken", err)
		}
		if _, _, err := f.svc.FamilySignInByCode(ctx, "rett", "sarah@example.org", code2, client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a code after 10 minutes = %v, want ErrBadCode", err)
		}
		// A newer email spends the older one.
		link3, _ := f.signInEmail(t, "sarah@example.org")
		f.signInEmail(t, "sarah@example.org")
		if _, _, err := f.svc.FamilySignInByLink(ctx, link3, client); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("a link superseded by a newer email = %v, want ErrBadToken", err)
		}
	})
}

func TestFamilySignInCodeOnceAndAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.family(t, "sarah@example.org")
		link, code := f.signInEmail(t, "sarah@example.org")
		token, _, err := f.svc.FamilySignInByCode(ctx, "rett", "sarah@example.org", code[:3]+" "+code[3:], client)
		if err != nil || token == "" {
			t.Fatalf("FamilySignInByCode = %v", err)
		}
		if _, _, err := f.svc.FamilySignInByCode(ctx, "rett", "sarah@example.org", code, client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("the code again = %v, want ErrBadCode", err)
		}
		if _, _, err := f.svc.FamilySignInByLink(ctx, link, client); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("the link after its code = %v, want ErrBadToken (one sign-in, once)", err)
		}
		// Five wrong codes spend the sign-in: the right one then fails.
		_, code = f.signInEmail(t, "sarah@example.org")
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for i := range 5 {
			if _, _, err := f.svc.FamilySignInByCode(ctx, "rett", "sarah@example.org", wrong, client); !errors.Is(err, auth.ErrBadCode) {
				t.Fatalf("wrong code %d = %v, want ErrBadCode", i+1, err)
			}
		}
		if _, _, err := f.svc.FamilySignInByCode(ctx, "rett", "sarah@example.org", code, client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("the right code after five wrong = %v, want ErrBadCode", err)
		}
	})
}

func TestFamilySignInSameAnswerForUnknownEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.family(t, "sarah@example.org")
		jobs := func() int {
			r, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("family_sign_in_request").First(100))
			if err != nil {
				t.Fatal(err)
			}
			return len(r.Jobs)
		}
		// The page's work is the same for both: the limits, one job.
		for i, email := range []string{"sarah@example.org", "nobody@example.org"} {
			if err := f.svc.QueueFamilySignIn(ctx, "rett", email, client); err != nil {
				t.Fatalf("QueueFamilySignIn(%s) = %v", email, err)
			}
			if n := jobs(); n != i+1 {
				t.Errorf("after %s: %d jobs, want %d", email, n, i+1)
			}
		}
		// The job emails the known address only.
		if l, _ := f.signInEmail(t, "nobody@example.org"); l != "" {
			t.Error("an email went to an unknown address")
		}
		// A code for an unknown address fails as a wrong one does.
		if _, _, err := f.svc.FamilySignInByCode(ctx, "rett", "nobody@example.org", "123456", client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("code for an unknown address = %v, want ErrBadCode", err)
		}
		// And both meet the send limit at the same count.
		for _, email := range []string{"sarah@example.org", "nobody@example.org"} {
			var err error
			n := 1
			for ; n <= 10 && err == nil; n++ {
				err = f.svc.QueueFamilySignIn(ctx, "rett", email, auth.Client{IP: "192.0.2." + email[:1], UserAgent: "x"})
			}
			var limit *auth.SendLimitError
			if !errors.As(err, &limit) || n-1 != auth.DefaultFamilyConfig().SendLimit {
				t.Errorf("%s: refused at request %d (%v), want at %d", email, n-1, err, auth.DefaultFamilyConfig().SendLimit)
			}
		}
	})
}

func TestFamilySessionsEndAndSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.family(t, "sarah@example.org")
		link, _ := f.signInEmail(t, "sarah@example.org")
		token, a, err := f.svc.FamilySignInByLink(ctx, link, client)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(31 * time.Minute)
		if _, err := f.svc.AuthenticateFamily(ctx, token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("after 31 idle minutes = %v, want ErrSessionEnded", err)
		}

		// The registry requires an authenticator app: the session waits for it.
		reg, err := s.GetRegistryBySlug(ctx, "rett")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertRegistrySettings(ctx, store.UpsertRegistrySettingsParams{RegistryID: reg.ID, VerificationHours: 24,
			WithdrawalPolicy: "keep", WithdrawalDeleteAfterDays: 30, FamilySecondFactor: auth.FamilyTwoFactorRequired, UpdatedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		link, _ = f.signInEmail(t, "sarah@example.org")
		token, _, err = f.svc.FamilySignInByLink(ctx, link, client)
		if err != nil {
			t.Fatal(err)
		}
		id, err := f.svc.AuthenticateFamily(ctx, token)
		if err != nil || id.Session.TwoFactorOk {
			t.Fatalf("with the app required: %+v, %v, want a session awaiting it", id.Session, err)
		}
		e, err := f.svc.StartFamilyTOTP(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		id, _ = f.svc.AuthenticateFamily(ctx, token)
		if _, err := f.svc.ConfirmFamilyTOTP(ctx, id, "000000", client); !errors.Is(err, auth.ErrBadCode) {
			t.Errorf("a wrong first code = %v", err)
		}
		code, _ := totp.Code(strings.ReplaceAll(e.Secret, " ", ""), f.clock.Now())
		full, err := f.svc.ConfirmFamilyTOTP(ctx, id, code, client)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateFamily(ctx, token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Error("the half session outlived its second factor")
		}
		if id, err := f.svc.AuthenticateFamily(ctx, full); err != nil || !id.Session.TwoFactorOk {
			t.Errorf("after the app's code: %+v, %v", id.Session, err)
		}

		// Disabling the account ends its sessions.
		if err := s.SetFamilyAccountStatus(ctx, store.SetFamilyAccountStatusParams{Status: "disabled", UpdatedAt: f.clock.Now(), ID: a.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateFamily(ctx, full); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("a disabled account's session = %v, want ErrSessionEnded", err)
		}
		if l, _ := f.signInEmail(t, "sarah@example.org"); l != "" {
			t.Error("a disabled account was sent a sign-in email")
		}
	})
}
