package api_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/api"
	"clinaudit/app/registry"
	"clinaudit/app/registry/verification"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/web"
)

// publicEnv is newEnv with the jobs configured: the public operations
// send email through the outbox's jobs.
func publicEnv(t *testing.T, s store.Store) *env {
	t.Helper()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return newEnv(t, s, 0)
}

// withClock is e's app again on a clock the test moves.
func withClock(e *env, clock *time.Time) *env {
	c := *e
	c.app = web.New(web.Deps{Store: e.s, Version: "test", Auth: e.auth, Now: func() time.Time { return *clock }})
	return &c
}

// joinBody is a good onboarding form for email.
func joinBody(email, child string) map[string]any {
	return map[string]any{"first_name": "Jo", "surname": "Hughes", "email": email, "preferred_channel": "email",
		"relationship": "mother", "legal_authority": true, "patient_first_name": child, "patient_surname": "Hughes",
		"patient_date_of_birth": "2015-04-02", "patient_sex": "2", "patient_nhs_number": "943 476 5919", "consent": true}
}

var (
	verifyLinkRe = regexp.MustCompile(`/registries/[a-z0-9-]+/verify/([A-Za-z0-9_-]+)`)
	verifyCodeRe = regexp.MustCompile(`type this code: (\d{6})`)
	hex64        = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

type accepted struct {
	SubmissionID string `json:"submission_id"`
	Detail       string `json:"detail"`
}

// join submits a form, checks the neutral answer, and returns it.
func (e *env) join(body map[string]any, header ...string) accepted {
	e.t.Helper()
	res := e.call("POST", api.Prefix+"/registries/"+e.slug+"/onboarding/submissions", "", body, header...)
	if res.Status != 202 {
		e.t.Fatalf("join: %d %s", res.Status, res.Body)
	}
	var a accepted
	res.json(e.t, &a)
	if !hex64.MatchString(a.SubmissionID) || a.Detail == "" {
		e.t.Errorf("accepted %+v", a)
	}
	return a
}

// mailTo is the newest email's link token and code to addr, and how many.
func mailTo(t *testing.T, s store.Store, addr string) (token, code string, n int) {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		return "", "", 0
	}
	lm, cm := verifyLinkRe.FindStringSubmatch(ms[0].BodyText), verifyCodeRe.FindStringSubmatch(ms[0].BodyText)
	if lm == nil || cm == nil {
		t.Fatalf("no link or code in %q", ms[0].BodyText)
	}
	return lm[1], cm[1], len(ms)
}

func pending(t *testing.T, s store.Store, slug, status string) int64 {
	t.Helper()
	reg, err := s.GetRegistryBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CountOnboardingSubmissions(context.Background(), store.CountOnboardingSubmissionsParams{RegistryID: reg.ID, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOnboardingSubmissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := publicEnv(t, s)
		subs := api.Prefix + "/registries/" + e.slug + "/onboarding/submissions"

		// No token is asked for, and a bad one is not read.
		first := e.join(joinBody("jo@example.org", "Isla"), "Authorization", "Bearer not-a-token")
		if _, code, n := mailTo(t, s, "jo@example.org"); n != 1 || code == "" {
			t.Fatalf("%d emails after the form", n)
		}
		if n := pending(t, s, e.slug, registry.StatusPending); n != 1 {
			t.Errorf("%d submissions stored, want 1", n)
		}
		// The same family again: the same answer (nothing says it is known).
		again := e.join(joinBody("jo@example.org", "Isla"))
		if again.Detail != first.Detail || again.SubmissionID == first.SubmissionID {
			t.Errorf("a known family's answer differs: %+v, %+v", first, again)
		}

		// The honeypot: the same answer, nothing stored or sent.
		robot := joinBody("robot@example.org", "Bot")
		robot["website"] = "http://spam.example"
		if a := e.join(robot); a.Detail != first.Detail {
			t.Errorf("the honeypot's answer differs: %+v", a)
		}
		if _, _, n := mailTo(t, s, "robot@example.org"); n != 0 || pending(t, s, e.slug, registry.StatusPending) != 2 {
			t.Errorf("the honeypot's form was stored or sent (%d emails)", n)
		}

		// Per email: three emails an hour, then the same answer and no email.
		e.join(joinBody("jo@example.org", "Isla"))
		e.join(joinBody("jo@example.org", "Isla"))
		if _, _, n := mailTo(t, s, "jo@example.org"); n != registry.JoinPerEmail {
			t.Errorf("%d emails to one address in an hour, want %d", n, registry.JoinPerEmail)
		}

		// The page's checks and messages (one rule, one place).
		bad := joinBody("not an email", "")
		bad["consent"] = false
		bad["relationship"] = "clinician"
		res := e.call("POST", subs, "", bad)
		if res.Status != 422 {
			t.Fatalf("a bad form: %d %s", res.Status, res.Body)
		}
		p := res.problem(t)
		_, want := registry.CheckOnboarding(registry.Definitions[e.slug], registry.OnboardingInput{
			Person:       registry.ContactInput{FirstName: "Jo", Surname: "Hughes", Email: "not an email", PreferredChannel: "email"},
			Relationship: "clinician", LegalAuthority: true,
			Patient: registry.PatientInput{Surname: "Hughes", Sex: "2", NHSNumber: "943 476 5919",
				DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}}, time.Now())
		if len(want) < 4 || len(p.Errors) != len(want) {
			t.Fatalf("errors %+v, the service's %+v", p.Errors, want)
		}
		for i, w := range want {
			if p.Errors[i].Field != w.Field || p.Errors[i].Message != w.Message {
				t.Errorf("error %d: %+v, the service says %+v", i, p.Errors[i], w)
			}
		}
		bad = joinBody("kim@example.org", "Maya")
		bad["patient_date_of_birth"] = "2/4/2015"
		if res = e.call("POST", subs, "", bad); res.Status != 422 || res.problem(t).Errors[0].Field != "patient_date_of_birth" {
			t.Errorf("a date not as YYYY-MM-DD: %d %s", res.Status, res.Body)
		}
		bad = joinBody("kim@example.org", "Maya")
		bad["consent"] = "yes"
		if res = e.call("POST", subs, "", bad); res.Status != 400 {
			t.Errorf("consent not a boolean: %d", res.Status)
		}
		if res = e.call("POST", subs, "", map[string]any{"favourite_colour": "blue"}); res.Status != 400 {
			t.Errorf("an unknown field: %d", res.Status)
		}
		if res = e.call("POST", api.Prefix+"/registries/nope/onboarding/submissions", "", joinBody("kim@example.org", "Maya")); res.Status != 404 {
			t.Errorf("no such registry: %d", res.Status)
		}
		if _, _, n := mailTo(t, s, "kim@example.org"); n != 0 {
			t.Error("a refused form sent an email")
		}
	})
}

// Per client address: the page's 20 forms an hour, counted with the
// page's, then 429 with Retry-After.
func TestOnboardingAddressLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := publicEnv(t, s)
		subs := api.Prefix + "/registries/" + e.slug + "/onboarding/submissions"
		for i := range registry.JoinPerAddress {
			bad := map[string]any{"first_name": strconv.Itoa(i)} // refused forms count too
			if res := e.call("POST", subs, "", bad); res.Status != 422 {
				t.Fatalf("form %d: %d", i, res.Status)
			}
		}
		res := e.call("POST", subs, "", joinBody("late@example.org", "Ava"))
		if res.Status != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("over the limit: %d %q", res.Status, res.Header.Get("Retry-After"))
		}
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 3000 || secs > 3600 {
			t.Errorf("Retry-After %q, want about an hour", res.Header.Get("Retry-After"))
		}
		res.problem(t)
		if _, _, n := mailTo(t, s, "late@example.org"); n != 0 {
			t.Error("a refused form was sent")
		}
	})
}

func TestOnboardingEmailVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		now := time.Now()
		e := withClock(publicEnv(t, s), &now)
		verify := func(body map[string]any) answer {
			return e.call("POST", api.Prefix+"/onboarding/email-verifications", "", body)
		}

		// By the code, with the submission's id; once.
		a := e.join(joinBody("jo@example.org", "Isla"))
		_, code, _ := mailTo(t, s, "jo@example.org")
		if res := verify(map[string]any{"registry": e.slug, "submission_id": a.SubmissionID, "code": code}); res.Status != 200 {
			t.Fatalf("by code: %d %s", res.Status, res.Body)
		}
		if n := pending(t, s, e.slug, registry.StatusVerified); n != 1 {
			t.Errorf("%d verified submissions, want 1", n)
		}
		res := verify(map[string]any{"registry": e.slug, "submission_id": a.SubmissionID, "code": code})
		if res.Status != 422 {
			t.Fatalf("the code again: %d", res.Status)
		}
		if p := res.problem(t); p.Errors[0].Field != "code" || p.Errors[0].Message != registry.MsgCodeRefused {
			t.Errorf("the code again: %+v", p)
		}

		// By the link: once (409 after), 404 tampered, 410 expired.
		e.join(joinBody("kim@example.org", "Maya"))
		token, _, _ := mailTo(t, s, "kim@example.org")
		tampered := []byte(token)
		tampered[0] ^= 2
		if res := verify(map[string]any{"registry": e.slug, "token": string(tampered)}); res.Status != 404 {
			t.Errorf("a tampered link: %d", res.Status)
		}
		if res := verify(map[string]any{"registry": e.slug, "token": token}); res.Status != 200 {
			t.Errorf("by link: %d %s", res.Status, res.Body)
		}
		if res := verify(map[string]any{"registry": e.slug, "token": token}); res.Status != 409 {
			t.Errorf("the link again: %d", res.Status)
		}
		e.join(joinBody("lee@example.org", "Ava"))
		token, code, _ = mailTo(t, s, "lee@example.org")
		now = now.Add(25 * time.Hour)
		if res := verify(map[string]any{"registry": e.slug, "token": token}); res.Status != 410 {
			t.Errorf("an expired link: %d %s", res.Status, res.Body)
		}
		now = now.Add(-25 * time.Hour)

		// Five wrong codes, then the right one fails too; an unknown
		// submission's answer is a wrong code's.
		b := e.join(joinBody("lee@example.org", "Ava"))
		_, code, _ = mailTo(t, s, "lee@example.org")
		wrong := "000000"
		if code == wrong {
			wrong = "000001"
		}
		for range verification.MaxCodeFailures {
			if res := verify(map[string]any{"registry": e.slug, "submission_id": b.SubmissionID, "code": wrong}); res.Status != 422 {
				t.Fatalf("a wrong code: %d", res.Status)
			}
		}
		if res := verify(map[string]any{"registry": e.slug, "submission_id": b.SubmissionID, "code": code}); res.Status != 422 {
			t.Errorf("the right code after %d wrong ones: %d", verification.MaxCodeFailures, res.Status)
		}
		res = verify(map[string]any{"registry": e.slug, "submission_id": registry.DecoyRef(), "code": code})
		if res.Status != 422 || res.problem(t).Errors[0].Message != registry.MsgCodeRefused {
			t.Errorf("an unknown submission: %d %s", res.Status, res.Body)
		}

		// What is asked for.
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"registry": e.slug, "token": token, "code": code}, "token"},
			{map[string]any{"registry": e.slug, "code": code}, "submission_id"},
			{map[string]any{"registry": e.slug}, "submission_id"},
		} {
			if res := verify(c.body); res.Status != 422 || res.problem(t).Errors[0].Field != c.field {
				t.Errorf("%v: %d %s", c.body, res.Status, res.Body)
			}
		}
		if res := verify(map[string]any{"token": token}); res.Status != 400 {
			t.Errorf("no registry: %d", res.Status)
		}
		if res := verify(map[string]any{"registry": "nope", "token": token}); res.Status != 404 {
			t.Errorf("no such registry: %d", res.Status)
		}
		if res := verify(map[string]any{"registry": "nope", "submission_id": b.SubmissionID, "code": code}); res.Status != 404 {
			t.Errorf("no such registry, by code: %d", res.Status)
		}
	})
}

// Typed codes: the page's 10 an hour for one email (counted with the
// page's), then 429 with Retry-After, even for the right code.
func TestOnboardingCodeLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := publicEnv(t, s)
		verify := func(body map[string]any) answer {
			return e.call("POST", api.Prefix+"/onboarding/email-verifications", "", body)
		}
		a := e.join(joinBody("jo@example.org", "Isla"))
		_, code, _ := mailTo(t, s, "jo@example.org")
		for range registry.VerifyPerEmail {
			verify(map[string]any{"registry": e.slug, "submission_id": a.SubmissionID, "code": "12"})
		}
		res := verify(map[string]any{"registry": e.slug, "submission_id": a.SubmissionID, "code": code})
		if res.Status != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("over the limit: %d %q %s", res.Status, res.Header.Get("Retry-After"), res.Body)
		}
		res.problem(t)
		if n := pending(t, s, e.slug, registry.StatusVerified); n != 0 {
			t.Error("a refused code verified")
		}
	})
}
