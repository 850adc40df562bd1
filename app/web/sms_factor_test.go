package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var smsCode = regexp.MustCompile(`\b(\d{6})\b`)

// textedCode is the code in the newest SMS to phone, as the phone shows it.
func textedCode(t *testing.T, s store.Store, phone string) (string, store.Email) {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: phone, PageLimit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no SMS to %s: %v", phone, err)
	}
	m := smsCode.FindStringSubmatch(ms[0].BodyText)
	if m == nil || ms[0].Channel != "sms" {
		t.Fatalf("not an SMS with a code: %+v", ms[0])
	}
	return m[1], ms[0]
}

// A clinician sets up SMS codes on the account page, then signs in with a
// code texted to the verified number; a failed SMS is shown.
func TestStaffSMSTwoFactorPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "wendy@example.org")
		b := newBrowser(t, app)
		b.get("/sign-in")
		b.post("/sign-in", url.Values{"email": {"wendy@example.org"}, "password": {testPassword}, "next": {"/account"}})
		p := b.get("/sign-in/two-factor")
		secret := strings.ReplaceAll(p.doc.Find("#totp-secret").Text(), " ", "")
		code, _ := totp.Code(secret, time.Now())
		if p = b.post("/sign-in/two-factor/setup", url.Values{"code": {code}}); p.status != 200 {
			t.Fatalf("set-up: %d", p.status)
		}

		// No SMS provider: no SMS part, and its routes refuse.
		if p = b.get("/account"); p.doc.Find("#sms-codes").Length() != 0 {
			t.Error("SMS codes offered without an SMS provider")
		}
		if p = b.post("/account/sms", url.Values{"sms_phone": {"07700 900123"}}); p.status != 403 {
			t.Errorf("POST /account/sms without a provider: %d", p.status)
		}
		a.Config.SMS = true
		if p = b.get("/account"); p.doc.Find("#sms-codes").Length() != 1 {
			t.Fatal("no SMS part with an SMS provider")
		}
		p = b.post("/account/sms", url.Values{"sms_phone": {"seven"}})
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "Enter a mobile number") {
			t.Errorf("a bad number: %d", p.status)
		}
		p = b.post("/account/sms", url.Values{"sms_phone": {"07700 900123"}})
		if p.status != 200 || !strings.Contains(p.doc.Find("label[for=sms_code]").Text(), "+44*******123") {
			t.Fatalf("number sent: %d %s", p.status, p.doc.Find("#sms-codes").Text())
		}
		code, _ = textedCode(t, s, "+447700900123")
		p = b.post("/account/sms/confirm", url.Values{"sms_code": {"12345"}})
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "wrong or has expired") {
			t.Errorf("a wrong code: %d", p.status)
		}
		p = b.post("/account/sms/confirm", url.Values{"sms_code": {code}})
		if p.status != 200 || !strings.Contains(p.doc.Find("#sms-verified").Text(), "+44*******123") || strings.Contains(p.body, "7700900123") {
			t.Fatalf("verified: %d %q", p.status, p.doc.Find("#sms-codes").Text())
		}
		b.post("/sign-out", nil)

		// Sign-in texts a code at once.
		b.get("/sign-in")
		p = b.post("/sign-in", url.Values{"email": {"wendy@example.org"}, "password": {testPassword}, "next": {"/account"}})
		if loc := p.header.Get("Location"); !strings.HasPrefix(loc, "/sign-in/two-factor?method=sms&sms=sent") {
			t.Fatalf("sign-in went to %s", loc)
		}
		p = b.get(p.header.Get("Location"))
		if !strings.Contains(p.doc.Find("label[for=code]").Text(), "texted to +44*******123") {
			t.Errorf("code page: %q", p.doc.Find("label[for=code]").Text())
		}
		if p = b.get("/sign-in/two-factor"); !strings.Contains(p.doc.Find("label[for=code]").Text(), "texted to") {
			t.Errorf("the code page without a method asks for %q", p.doc.Find("label[for=code]").Text())
		}
		code, msg := textedCode(t, s, "+447700900123")
		// The provider refused it: the page says so.
		now := time.Now()
		if err := s.RecordEmailFailure(context.Background(), store.RecordEmailFailureParams{LastError: "permanent-failure", Status: "failed",
			StatusReason: "The provider could not deliver the message", StatusAt: &now, Provider: "govuk-notify", ID: msg.ID}); err != nil {
			t.Fatal(err)
		}
		p = b.get("/sign-in/two-factor?method=sms")
		if !strings.Contains(p.doc.Find("#sms-failed").Text(), "could not be delivered (The provider could not deliver the message)") {
			t.Errorf("a failed SMS not shown: %q", p.doc.Find("main").Text())
		}
		p = b.post("/sign-in/two-factor", url.Values{"method": {"send-sms"}})
		if p.status != 200 || !strings.Contains(p.doc.Find("[role=status]").Text(), "texted a 6-digit code") {
			t.Fatalf("resend: %d", p.status)
		}
		if fresh, _ := textedCode(t, s, "+447700900123"); fresh != code { // equal by chance one time in a million
			p = b.post("/sign-in/two-factor", url.Values{"method": {"sms"}, "code": {code}, "next": {"/account"}})
			if p.status != 422 {
				t.Errorf("a replaced code: %d", p.status)
			}
		}
		code, _ = textedCode(t, s, "+447700900123")
		p = b.post("/sign-in/two-factor", url.Values{"method": {"sms"}, "code": {code}, "next": {"/account"}})
		if p.status != 303 || p.header.Get("Location") != "/account" {
			t.Fatalf("the texted code: %d %s", p.status, p.header.Get("Location"))
		}
		if p = b.get("/account"); p.status != 200 {
			t.Fatalf("signed in with SMS: %d", p.status)
		}

		// Removed: the authenticator app again.
		p = b.post("/account/sms/remove", nil)
		if p.status != 200 || p.doc.Find("#sms-verified").Length() != 0 {
			t.Errorf("remove: %d", p.status)
		}
	})
}

// At first sign-in a clinician may choose SMS codes instead of an app; a
// national admin is not offered them.
func TestStaffSMSAtFirstSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		a.Config.SMS = true
		makeUser(t, s, a, "sam@example.org")
		b := newBrowser(t, app)
		b.get("/sign-in")
		b.post("/sign-in", url.Values{"email": {"sam@example.org"}, "password": {testPassword}, "next": {"/account"}})
		p := b.get("/sign-in/two-factor?next=/account")
		if p.doc.Find("#sms-instead").Length() != 1 {
			t.Fatal("the set-up page does not offer SMS codes")
		}
		p = b.post("/sign-in/two-factor/sms", url.Values{"action": {"start"}, "sms_phone": {"07700 900456"}, "next": {"/account"}})
		if p.status != 200 || !strings.Contains(p.doc.Find("label[for=sms_code]").Text(), "+44*******456") {
			t.Fatalf("number sent: %d %q", p.status, p.doc.Find("main").Text())
		}
		if p = b.get("/account"); p.status != 303 {
			t.Errorf("signed in before the code: %d", p.status)
		}
		code, _ := textedCode(t, s, "+447700900456")
		p = b.post("/sign-in/two-factor/sms", url.Values{"action": {"confirm"}, "sms_code": {code}, "next": {"/account"}})
		if p.status != 303 || p.header.Get("Location") != "/account" {
			t.Fatalf("the code: %d %q", p.status, p.header.Get("Location"))
		}
		if p = b.get("/account"); p.status != 200 || !strings.Contains(p.doc.Find("#sms-verified").Text(), "+44*******456") {
			t.Errorf("account after SMS sign-in: %d", p.status)
		}

		// A national admin: the app only.
		ctx := context.Background()
		var u store.User
		err := s.InTx(ctx, func(tx store.Tx) error {
			var err error
			u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: "nat@example.org", FirstName: "N", Surname: "At", Role: access.NationalFull})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
			t.Fatal(err)
		}
		nat := newBrowser(t, app)
		nat.get("/sign-in")
		nat.post("/sign-in", url.Values{"email": {"nat@example.org"}, "password": {testPassword}})
		if p := nat.get("/sign-in/two-factor"); p.doc.Find("#sms-instead").Length() != 0 {
			t.Error("SMS codes offered to a national admin")
		}
		if p := nat.post("/sign-in/two-factor/sms", url.Values{"action": {"start"}, "sms_phone": {"07700 900789"}}); p.status != 403 {
			t.Errorf("a national admin's SMS set-up: %d, want 403", p.status)
		}
	})
}
