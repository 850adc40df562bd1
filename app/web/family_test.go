package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/auth/totp"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

var (
	familyLinkRE = regexp.MustCompile(`/family/sign-in/link/([A-Za-z0-9_-]+)`)
	familyCodeRE = regexp.MustCompile(`code on the sign-in page: (\d{6})`)
	familyJoinRE = regexp.MustCompile(`/family/join/([A-Za-z0-9_-]+)`)
)

// familyFixture adds, as the registry team, a patient and a mother with
// email and legal authority; it returns the patient's id.
func familyFixture(t *testing.T, s store.Store, email, first string) int64 {
	t.Helper()
	ctx := context.Background()
	if err := registry.Install(ctx, s, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := &registry.Service{Store: s, Now: time.Now}
	p, err := svc.AddPatient(ctx, matrixManager, registrySlug(), registry.PatientInput{FirstName: first, Surname: "Hughes", Sex: "2",
		DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.AddContact(ctx, matrixManager, registrySlug(), registry.ContactInput{FirstName: "Sarah", Surname: "Hughes", Email: email}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Link(ctx, matrixManager, p.ID, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: true}, ""); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// lastEmail is the newest email to addr, or "".
func lastEmail(t *testing.T, s store.Store, addr string) string {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		return ""
	}
	return ms[0].BodyText
}

// familySignIn signs a family in through the pages (email, then the link),
// running the queued job's work itself.
func familySignIn(t *testing.T, s store.Store, a *auth.Service, b *browser, email string) {
	t.Helper()
	b.get("/family/sign-in")
	if r := b.post("/family/sign-in", url.Values{"email": {email}}); r.status != fiber.StatusOK {
		t.Fatalf("POST /family/sign-in = %d", r.status)
	}
	if err := a.SendFamilySignIn(context.Background(), registrySlug(), email); err != nil { // the job's work
		t.Fatal(err)
	}
	m := familyLinkRE.FindStringSubmatch(lastEmail(t, s, email))
	if m == nil {
		t.Fatalf("no sign-in link emailed to %s", email)
	}
	if r := b.get("/family/sign-in/link/" + m[1]); !strings.Contains(r.doc.Find("h1").Text(), "Sign in") {
		t.Fatalf("link page: %d %s", r.status, r.doc.Find("h1").Text())
	}
	if r := b.post("/family/sign-in/link/"+m[1], nil); r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/family" {
		t.Fatalf("following the link = %d %q", r.status, r.header.Get("Location"))
	}
}

func TestFamilySignInAndPrivateArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		amy := familyFixture(t, s, "sarah@example.org", "Amy")
		other := familyFixture(t, s, "someone@example.org", "Ben")
		b := newBrowser(t, app)

		// The same page whether or not the address is known.
		b.get("/family/sign-in")
		known := b.post("/family/sign-in", url.Values{"email": {"sarah@example.org"}})
		unknown := b.post("/family/sign-in", url.Values{"email": {"nobody@example.org"}})
		if known.status != 200 || unknown.status != 200 ||
			strings.ReplaceAll(known.doc.Find("main").Text(), "sarah@example.org", "X") != strings.ReplaceAll(unknown.doc.Find("main").Text(), "nobody@example.org", "X") {
			t.Errorf("known and unknown addresses answered differently: %d %d", known.status, unknown.status)
		}
		if err := a.SendFamilySignIn(ctx, registrySlug(), "nobody@example.org"); err != nil || lastEmail(t, s, "nobody@example.org") != "" {
			t.Errorf("an unknown address got an email (%v)", err)
		}

		// The code from the email signs in, once; a wrong code says so.
		if err := a.SendFamilySignIn(ctx, registrySlug(), "sarah@example.org"); err != nil {
			t.Fatal(err)
		}
		code := familyCodeRE.FindStringSubmatch(lastEmail(t, s, "sarah@example.org"))[1]
		wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
		if r := b.post("/family/sign-in/code", url.Values{"email": {"sarah@example.org"}, "code": {wrong}}); r.status != fiber.StatusUnauthorized ||
			!strings.Contains(r.doc.Find(".nhsuk-error-summary").Text(), "The code is wrong") {
			t.Errorf("a wrong code = %d %q", r.status, r.doc.Find(".nhsuk-error-summary").Text())
		}
		if r := b.post("/family/sign-in/code", url.Values{"email": {"sarah@example.org"}, "code": {code}}); r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/family" {
			t.Fatalf("the right code = %d %q", r.status, r.header.Get("Location"))
		}
		home := b.get("/family")
		if got := home.doc.Find("#family-patients li").Text(); !strings.Contains(got, "Amy Hughes") || strings.Contains(got, "Ben") {
			t.Errorf("family home lists %q, want Amy only", got)
		}
		// A family session opens no staff page: it is signed out there.
		if r := b.get("/registry/patients"); r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/sign-in?next=") {
			t.Errorf("/registry/patients with a family session = %d %q", r.status, r.header.Get("Location"))
		}
		// Someone else's patient does not exist for this family.
		if r := b.get(fmt.Sprintf("/family/patients/%d", other)); r.status != fiber.StatusNotFound {
			t.Errorf("another family's patient = %d, want 404", r.status)
		}

		// Autosave of one field, in the trail as the family's.
		page := b.get(fmt.Sprintf("/family/patients/%d", amy))
		if page.doc.Find(`[name="notes"]`).Length() != 0 {
			t.Error("the family page offers the registry's notes")
		}
		r := b.htmxPost(fmt.Sprintf("/family/patients/%d/field", amy), url.Values{"key": {"first_name"}, "first_name": {"Amelia"}, "v": {"1"}})
		if r.status != 200 || !strings.Contains(r.body, "Saved") {
			t.Fatalf("autosave = %d %s", r.status, r.body)
		}
		h, _ := s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: amy, PageLimit: 1})
		if len(h) == 0 || h[0].NewValue == nil || *h[0].NewValue != "Amelia" || h[0].ChangedByName != "Sarah Hughes (family)" {
			t.Errorf("trail after autosave = %+v", h)
		}
		r = b.htmxPost(fmt.Sprintf("/family/patients/%d/field", amy), url.Values{"key": {"date_of_birth"}, "date_of_birth-day": {"31"},
			"date_of_birth-month": {"2"}, "date_of_birth-year": {"2015"}})
		if r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("an impossible date = %d %s, want 422 next to the field", r.status, r.body)
		}
		if r := b.htmxPost(fmt.Sprintf("/family/patients/%d/field", amy), url.Values{"key": {"notes"}, "notes": {"x"}}); r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("saving the registry's notes = %d, want 422", r.status)
		}
		// No CSRF token, no change.
		if r := b.htmxPost(fmt.Sprintf("/family/patients/%d/field", amy), url.Values{"key": {"first_name"}, "first_name": {"X"}, "csrf": {"forged"}}); r.status != fiber.StatusForbidden {
			t.Errorf("a forged CSRF token = %d, want 403", r.status)
		}

		// Their own details, with autosave; the sign-in email is not one of them.
		prof := b.get("/family/profile")
		if prof.doc.Find(`[name="email"]`).Length() != 0 || prof.doc.Find(`[name="notes"]`).Length() != 0 || !strings.Contains(prof.doc.Find("#sign-in-email").Text(), "sarah@example.org") {
			t.Errorf("profile page offers the email or notes, or hides the sign-in address")
		}
		if r := b.htmxPost("/family/profile/field", url.Values{"key": {"phone"}, "phone": {"07700 900123"}}); r.status != 200 || !strings.Contains(r.body, "Saved") {
			t.Errorf("profile autosave = %d %s", r.status, r.body)
		}
		if r := b.htmxPost("/family/profile/field", url.Values{"key": {"email"}, "email": {"x@example.org"}}); r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("changing the sign-in email = %d, want 422", r.status)
		}
		acct, err := s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: mustRegistry(t, s), Email: "sarah@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := s.GetRegistryContact(ctx, acct.ContactID); c.Phone == "" {
			t.Error("the phone number was not saved")
		}
		if h, _ := s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{ContactID: acct.ContactID, PageLimit: 1}); len(h) == 0 || h[0].Field != "phone" || h[0].ChangedByFamily == nil {
			t.Errorf("the contact's trail = %+v, want the family's phone change", h)
		}

		// Invite a carer, who joins and is signed in.
		r = b.post(fmt.Sprintf("/family/patients/%d/invite", amy), url.Values{"email": {"gran@example.org"}, "type": {"carer"}, "legal_authority": {"no"}})
		if r.status != fiber.StatusSeeOther {
			t.Fatalf("invite = %d %s", r.status, r.doc.Find(".nhsuk-error-summary").Text())
		}
		join := familyJoinRE.FindStringSubmatch(lastEmail(t, s, "gran@example.org"))
		if join == nil {
			t.Fatal("no invitation email")
		}
		gran := newBrowser(t, app)
		if r := gran.get("/family/join/" + join[1]); !strings.Contains(r.doc.Find("h1").Text(), "Join Amelia's family") {
			t.Errorf("join page: %q", r.doc.Find("h1").Text())
		}
		if r := gran.post("/family/join/"+join[1], url.Values{"first_name": {""}, "surname": {"Jones"}}); r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("joining without a name = %d", r.status)
		}
		if r := gran.post("/family/join/"+join[1], url.Values{"first_name": {"Ann"}, "surname": {"Jones"}}); r.status != fiber.StatusSeeOther {
			t.Fatalf("joining = %d %s", r.status, r.doc.Find(".nhsuk-error-summary").Text())
		}
		if got := gran.get("/family").doc.Find("#family-patients").Text(); !strings.Contains(got, "Amelia") {
			t.Errorf("the carer's home lists %q", got)
		}
		if r := newBrowser(t, app).get("/family/join/" + join[1]); r.status != fiber.StatusGone {
			t.Errorf("the invitation again = %d, want 410", r.status)
		}

		// Delete: a confirmation, then the registry's soft delete.
		if r := b.get(fmt.Sprintf("/family/patients/%d/delete", amy)); !strings.Contains(r.doc.Find("h1").Text(), "Are you sure") {
			t.Errorf("delete page: %q", r.doc.Find("h1").Text())
		}
		if r := b.post(fmt.Sprintf("/family/patients/%d/delete", amy), nil); r.header.Get("Location") != "/family?done=deleted" {
			t.Fatalf("delete = %d %q", r.status, r.header.Get("Location"))
		}
		if p, _ := s.GetRegistryPatient(ctx, amy); p.DeletedAt == nil {
			t.Error("the patient was not soft-deleted")
		}
		if r := gran.get(fmt.Sprintf("/family/patients/%d", amy)); r.status != fiber.StatusNotFound {
			t.Errorf("the carer after the deletion = %d, want 404", r.status)
		}

		// Sign out ends the session on the server.
		cookie := b.jar[familyCookie]
		b.post("/family/sign-out", nil)
		if _, err := a.AuthenticateFamily(ctx, cookie); err == nil {
			t.Error("the session outlived sign-out")
		}
		if r := b.get("/family"); r.header.Get("Location") != "/family/sign-in" {
			t.Errorf("after sign-out /family = %d %q", r.status, r.header.Get("Location"))
		}
	})
}

func TestFamilyLinkExpiredUsedAndThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		familyFixture(t, s, "sarah@example.org", "Amy")
		if err := a.SendFamilySignIn(ctx, registrySlug(), "sarah@example.org"); err != nil {
			t.Fatal(err)
		}
		link := familyLinkRE.FindStringSubmatch(lastEmail(t, s, "sarah@example.org"))[1]
		b := newBrowser(t, app)
		b.get("/family/sign-in/link/" + link)
		if r := b.post("/family/sign-in/link/"+link+"x", nil); r.status != fiber.StatusGone {
			t.Errorf("a tampered link = %d, want 410", r.status)
		}
		b.post("/family/sign-in/link/"+link, nil)
		c := newBrowser(t, app)
		c.get("/family/sign-in")
		if r := c.post("/family/sign-in/link/"+link, nil); r.status != fiber.StatusGone || !strings.Contains(r.body, "expired or has been used") {
			t.Errorf("the link again = %d, want 410 saying so", r.status)
		}
		a.Now = func() time.Time { return time.Now().Add(11 * time.Minute) }
		if err := a.SendFamilySignIn(ctx, registrySlug(), "sarah@example.org"); err != nil {
			t.Fatal(err)
		}
		old := familyLinkRE.FindStringSubmatch(lastEmail(t, s, "sarah@example.org"))[1]
		a.Now = func() time.Time { return time.Now().Add(22 * time.Minute) }
		if r := c.post("/family/sign-in/link/"+old, nil); r.status != fiber.StatusGone {
			t.Errorf("a link 11 minutes old = %d, want 410", r.status)
		}
		a.Now = time.Now

		// Throttled per address: the sixth request in 15 minutes is refused, for known and unknown alike.
		for _, email := range []string{"sarah@example.org", "nobody@example.org"} {
			d := newBrowser(t, app)
			d.get("/family/sign-in")
			var last response
			for range auth.DefaultFamilyConfig().SendLimit + 1 {
				last = d.post("/family/sign-in", url.Values{"email": {email}})
			}
			if last.status != fiber.StatusTooManyRequests || !strings.Contains(last.doc.Find(".nhsuk-error-summary").Text(), "several sign-in emails") {
				t.Errorf("%s: request %d = %d, want 429", email, auth.DefaultFamilyConfig().SendLimit+1, last.status)
			}
		}
	})
}

func mustAtoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestFamilyRequiredAuthenticator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		familyFixture(t, s, "sarah@example.org", "Amy")
		reg, err := s.GetRegistryBySlug(ctx, registrySlug())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertRegistrySettings(ctx, store.UpsertRegistrySettingsParams{RegistryID: reg.ID, VerificationHours: 24,
			WithdrawalPolicy: "keep", WithdrawalDeleteAfterDays: 30, FamilySecondFactor: auth.FamilyTwoFactorRequired, UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, app)
		b.get("/family/sign-in")
		b.post("/family/sign-in", url.Values{"email": {"sarah@example.org"}})
		if err := a.SendFamilySignIn(ctx, registrySlug(), "sarah@example.org"); err != nil {
			t.Fatal(err)
		}
		link := familyLinkRE.FindStringSubmatch(lastEmail(t, s, "sarah@example.org"))[1]
		b.get("/family/sign-in/link/" + link)
		if r := b.post("/family/sign-in/link/"+link, nil); r.header.Get("Location") != familyTwoFactorURL {
			t.Fatalf("the link with an app required = %d %q", r.status, r.header.Get("Location"))
		}
		if r := b.get("/family"); r.header.Get("Location") != familyTwoFactorURL {
			t.Errorf("the private area before the app = %d %q", r.status, r.header.Get("Location"))
		}
		// A GET changes nothing: the secret comes with the POST.
		if r := b.get(familyTwoFactorURL); r.doc.Find("#start-setup").Length() != 1 || r.doc.Find("#totp-secret").Length() != 0 {
			t.Fatalf("set-up page: %s", r.doc.Find("main").Text())
		}
		acct, _ := s.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: reg.ID, Email: "sarah@example.org"})
		if acct.TotpSecret != nil {
			t.Error("a GET made an authenticator secret")
		}
		b.post(familyTwoFactorURL, url.Values{"action": {"start"}})
		r := b.get(familyTwoFactorURL + "?setup=1")
		secret := strings.ReplaceAll(r.doc.Find("#totp-secret").Text(), " ", "")
		if secret == "" {
			t.Fatalf("no secret shown: %s", r.doc.Find("main").Text())
		}
		if r := b.post(familyTwoFactorURL, url.Values{"code": {"000000"}}); r.status != fiber.StatusUnauthorized {
			t.Errorf("a wrong code = %d", r.status)
		}
		code, err := totp.Code(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if r := b.post(familyTwoFactorURL, url.Values{"code": {code}}); r.header.Get("Location") != "/family" {
			t.Fatalf("the app's code = %d %q", r.status, r.header.Get("Location"))
		}
		if r := b.get("/family"); r.status != fiber.StatusOK {
			t.Errorf("after the app's code /family = %d", r.status)
		}
	})
}

func TestFamilyTokensNeverReachTheLog(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	var logs strings.Builder
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	app := New(Deps{Store: s, Auth: a, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	b := newBrowser(t, app)
	b.get("/family/sign-in/link/SECRETTOKEN123")
	b.post("/family/sign-in/link/SECRETTOKEN123", nil)
	b.get("/family/join/SECRETTOKEN456")
	b.post("/family/sign-in/code", url.Values{"email": {"who@example.org"}, "code": {"SECRETCODE789"}})
	if strings.Contains(logs.String(), "SECRETTOKEN") || strings.Contains(logs.String(), "SECRETCODE") {
		t.Errorf("a secret reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"path":"/family/sign-in/link/:token"`) || !strings.Contains(logs.String(), `"path":"/family/join/:token"`) {
		t.Errorf("the token routes were not logged by their route:\n%s", logs.String())
	}
}

func mustRegistry(t *testing.T, s store.Store) int64 {
	t.Helper()
	r, err := s.GetRegistryBySlug(context.Background(), registrySlug())
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}
