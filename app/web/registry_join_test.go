package web

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var (
	verifyLinkRE = regexp.MustCompile(`/registries/rett/verify/[A-Za-z0-9_-]+`)
	verifyCodeRE = regexp.MustCompile(`type this code: (\d{6})`)
)

func joinValues(email, child string) url.Values {
	return url.Values{"first_name": {"Jo"}, "surname": {"Hughes"}, "email": {email}, "preferred_channel": {"email"},
		"relationship": {"mother"}, "legal_authority": {"yes"}, "patient_first_name": {child}, "patient_surname": {"Hughes"},
		"patient_date_of_birth-day": {"2"}, "patient_date_of_birth-month": {"4"}, "patient_date_of_birth-year": {"2015"},
		"patient_sex": {"2"}, "patient_nhs_number": {"943 476 5919"}, "consent": {"yes"}, "research_contact": {"yes"}}
}

func emailsTo(t *testing.T, s store.Store, addr string) []store.Email {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func submissions(t *testing.T, s store.Store, status string) int64 {
	t.Helper()
	reg, err := s.GetRegistryBySlug(context.Background(), "rett")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CountOnboardingSubmissions(context.Background(), store.CountOnboardingSubmissionsParams{RegistryID: reg.ID, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// join sends the form from a fresh browser and returns the response.
func join(t *testing.T, b *browser, form url.Values) response {
	t.Helper()
	b.get("/registries/rett/join")
	return b.post("/registries/rett/join", form)
}

// A family joins, verifies by the link, a manager approves: each step
// read as a person reads it, and checked in the database and the trail.
func TestJoinVerifyAndApprove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		fam := newBrowser(t, app)
		p := fam.get("/registries/rett/join")
		if p.status != 200 || !strings.Contains(text(p, "#consent-text"), "Version 1") || p.doc.Find(`#website`).Length() != 1 {
			t.Fatalf("join form: %d, consent %q", p.status, text(p, "#consent-text"))
		}
		if fam.get("/registries/nope/join").status != 404 {
			t.Error("an unknown registry's form was served")
		}
		bad := joinValues("jo@", "Isla")
		bad.Del("consent")
		bad.Set("patient_date_of_birth-day", "31")
		bad.Set("patient_date_of_birth-month", "2")
		p = fam.post("/registries/rett/join", bad)
		if p.status != 422 || !strings.HasPrefix(text(p, "title"), "Error:") {
			t.Fatalf("bad form: %d %q", p.status, text(p, "title"))
		}
		for _, id := range []string{"email", "consent", "patient_date_of_birth"} {
			if text(p, "#"+id+"-error") == "" {
				t.Errorf("no message next to %s", id)
			}
		}
		if p.doc.Find(`.nhsuk-error-summary a[href="#email"]`).Length() != 1 || p.doc.Find(`#patient_first_name`).AttrOr("value", "") != "Isla" {
			t.Errorf("the summary does not link to the email, or the typing was lost: %q", text(p, ".nhsuk-error-summary"))
		}
		p = fam.post("/registries/rett/join", joinValues("jo@example.org", "Isla"))
		if p.status != 303 || p.header.Get("Location") != "/registries/rett/join/sent" {
			t.Fatalf("good form: %d %q", p.status, p.header.Get("Location"))
		}
		if p = fam.get("/registries/rett/join/sent"); !strings.Contains(text(p, "h1"), "Check your email") {
			t.Errorf("sent page: %q", text(p, "h1"))
		}
		ms := emailsTo(t, s, "jo@example.org")
		link := verifyLinkRE.FindString(ms[0].BodyText)
		if len(ms) != 1 || link == "" || !verifyCodeRE.MatchString(ms[0].BodyText) || !strings.Contains(ms[0].BodyText, "stop working at") {
			t.Fatalf("verification email: %+v", ms)
		}

		// Opening the link only shows a button: mail scanners use nothing up.
		if p = fam.get(link); p.status != 200 || text(p, "#confirm") != "Confirm my email address" || submissions(t, s, registry.StatusPending) != 1 {
			t.Fatalf("opening the link: %d %q", p.status, text(p, "#confirm"))
		}
		tampered := link[:len(link)-2] + "xx"
		if p = fam.post(tampered, nil); p.status != 404 || text(p, "h1") != "This link does not work" {
			t.Errorf("tampered link: %d %q", p.status, text(p, "h1"))
		}
		if p = fam.post(link, nil); p.status != 200 || text(p, "h1") != "Email address confirmed" {
			t.Fatalf("link: %d %q", p.status, text(p, "h1"))
		}
		if p = fam.post(link, nil); p.status != 409 || text(p, "h1") != "Your email address is already confirmed" {
			t.Errorf("reused link: %d %q", p.status, text(p, "h1"))
		}

		// An expired link: sent two days ago.
		old := &registry.Service{Store: s, Now: func() time.Time { return time.Now().Add(-48 * time.Hour) }, BaseURL: "http://x"}
		if err := old.Submit(ctx, "rett", registry.OnboardingInput{Person: registry.ContactInput{FirstName: "Kim", Surname: "Lee", Email: "kim@example.org"},
			Relationship: "father", Patient: registry.PatientInput{FirstName: "Max", Surname: "Lee", Sex: "1",
				DateOfBirth: registry.DateInput{Day: "1", Month: "1", Year: "2016"}}, Consent: registry.ConsentAnswers{TakePart: true}}); err != nil {
			t.Fatal(err)
		}
		oldLink := verifyLinkRE.FindString(emailsTo(t, s, "kim@example.org")[0].BodyText)
		if p = fam.post(oldLink, nil); p.status != 410 || text(p, "h1") != "This link has expired" {
			t.Errorf("expired link: %d %q", p.status, text(p, "h1"))
		}

		// The registry manager's queue: approve.
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		m := newBrowser(t, app)
		m.get("/sign-in")
		m.post("/sign-in", url.Values{"email": {"manager@registry.example"}, "password": {testPassword}})
		p = m.get("/registry/onboarding")
		row := p.doc.Find(`#submissions a`)
		if p.status != 200 || row.Length() != 1 || row.Text() != "Isla Hughes" {
			t.Fatalf("queue: %d %q", p.status, text(p, "#submissions"))
		}
		sub, _ := row.Attr("href")
		if p = m.get(sub); text(p, "#status") != "To review" || text(p, "#no-duplicates") == "" {
			t.Errorf("detail: status %q, duplicates %q", text(p, "#status"), text(p, "#no-duplicates"))
		}
		if p = m.post(sub+"/decide", url.Values{"action": {"reject"}}); p.status != 422 || text(p, "#reason-error") == "" {
			t.Errorf("reject without a reason: %d %q", p.status, text(p, "#reason-error"))
		}
		p = m.post(sub+"/decide", url.Values{"action": {"approve"}})
		loc := p.header.Get("Location")
		if p.status != 303 || !strings.HasPrefix(loc, "/registry/patients/") {
			t.Fatalf("approve: %d %q %s", p.status, loc, text(p, ".nhsuk-error-summary"))
		}
		p = m.get(loc)
		if text(p, "h1") != "Isla Hughes" || !strings.Contains(text(p, "#notice"), "invitation") {
			t.Errorf("patient page after approval: %q, %q", text(p, "h1"), text(p, "#notice"))
		}
		pid := strings.TrimSuffix(strings.TrimPrefix(loc, "/registry/patients/"), "?done=onboarded")
		p = m.get("/registry/patients/" + pid + "/consent")
		if text(p, "#take-part") != "Yes" || text(p, "#research-contact") != "Yes" || text(p, "#share-deidentified") != "No" {
			t.Errorf("consent page: %q %q %q", text(p, "#take-part"), text(p, "#research-contact"), text(p, "#share-deidentified"))
		}
		if ms := emailsTo(t, s, "jo@example.org"); len(ms) != 2 || !strings.Contains(ms[0].BodyText, "/family/sign-in") {
			t.Errorf("no invitation: %+v", ms)
		}
		if p = m.get(sub); text(p, "#status") != "Approved" || !strings.Contains(text(p, "#trail"), "verified → approved by") ||
			!strings.Contains(text(p, "#trail"), "pending → verified") {
			t.Errorf("decided: %q, trail %q", text(p, "#status"), text(p, "#trail"))
		}

		// Withdrawal of research contact, recorded by staff.
		m.get("/registry/patients/" + pid + "/consent")
		today := time.Now().In(londonTime)
		p = m.post("/registry/patients/"+pid+"/withdraw", url.Values{"part": {"research_contact"}, "received_on-day": {strconv.Itoa(today.Day())},
			"received_on-month": {strconv.Itoa(int(today.Month()))}, "received_on-year": {strconv.Itoa(today.Year())}, "withdrawn_by": {"Jo Hughes"}, "how": {"post"}})
		if p.status != 303 {
			t.Fatalf("withdraw: %d %s", p.status, text(p, ".nhsuk-error-summary"))
		}
		if p = m.get("/registry/patients/" + pid + "/consent"); text(p, "#research-contact") != "No" || !strings.Contains(text(p, "#consent-history"), "Withdrawal received") {
			t.Errorf("after withdrawal: %q %q", text(p, "#research-contact"), text(p, "#consent-history"))
		}
		if p = m.get("/registry/patients/" + pid); text(p, "#no-research-contact") == "" {
			t.Error("the patient page does not say research contact was withdrawn")
		}
		if p = m.post("/registry/patients/"+pid+"/withdraw", url.Values{"part": {"take_part"}}); p.status != 422 || text(p, "#how-error") == "" {
			t.Errorf("withdrawal without its details: %d", p.status)
		}

		// Subject access for the mother, as a page and as JSON.
		cid := regexp.MustCompile(`/registry/contacts/(\d+)`).FindStringSubmatch(m.get("/registry/patients/" + pid).body)
		if cid == nil {
			t.Fatal("no contact link on the patient page")
		}
		p = m.get("/registry/contacts/" + cid[1] + "/subject-access")
		if p.status != 200 || !strings.Contains(text(p, "h1"), "Jo Hughes") || p.doc.Find(".sa-patient").Length() != 1 || p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("subject access page: %d %q", p.status, text(p, "h1"))
		}
		p = m.get("/registry/contacts/" + cid[1] + "/subject-access?format=json")
		var doc registry.SubjectAccess
		if err := json.Unmarshal([]byte(p.body), &doc); err != nil || doc.Contact.Email != "jo@example.org" || len(doc.Patients) != 1 ||
			len(doc.Submissions) != 1 || !strings.Contains(p.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("subject access JSON: %v %+v", err, doc)
		}

		// Her second child: matched to the contact she already is.
		maya := joinValues("jo@example.org", "Maya")
		maya.Set("patient_nhs_number", "4010232137")
		join(t, newBrowser(t, app), maya)
		code := verifyCodeRE.FindStringSubmatch(emailsTo(t, s, "jo@example.org")[0].BodyText)[1]
		fam.get("/registries/rett/verify")
		if p = fam.post("/registries/rett/verify", url.Values{"email": {"jo@example.org"}, "code": {code}}); p.status != 200 {
			t.Fatalf("code: %d %q", p.status, text(p, "#code-error"))
		}
		p = m.get("/registry/onboarding")
		sub, _ = p.doc.Find(`#submissions a`).Attr("href")
		p = m.get(sub)
		if p.doc.Find("#contact_id-"+cid[1]).Length() != 1 || !strings.Contains(text(p, "#match-form"), "same email address") {
			t.Fatalf("the mother is not offered as a match: %q", text(p, "#match-form"))
		}
		p = m.post(sub+"/decide", url.Values{"action": {"match"}, "patient_id": {"0"}, "contact_id": {cid[1]}})
		if p.status != 303 {
			t.Fatalf("match: %d %s", p.status, text(p, ".nhsuk-error-summary"))
		}
		if p = m.get("/registry/contacts/" + cid[1]); p.doc.Find(`a[href^="/registry/patients/"]`).Length() < 2 {
			t.Errorf("the mother's page links %d patients, want both children", p.doc.Find(`a[href^="/registry/patients/"]`).Length())
		}
	})
}

// mainText is what a person reads in a page's main content.
func mainText(r response) string { return strings.Join(strings.Fields(r.doc.Find("main").Text()), " ") }

// Enumeration: a form for a family already in the registry and one for
// nobody get the same answer (the same redirect, the same page) and do the
// same work (one submission stored, one email queued, each through the
// same hashing), and a typed code for a known email and an unknown one is
// refused in the same words. Timing is not measured (it would be a flaky
// test): the paths are the same code with no branch on who is known.
func TestJoinSameAnswerForKnownAndUnknown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, _ := authApp(t, s, false)
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		svc := &registry.Service{Store: s, Now: time.Now}
		mgr := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
		if _, err := svc.AddPatient(ctx, mgr, "rett", registry.PatientInput{FirstName: "Isla", Surname: "Hughes", Sex: "2", NHSNumber: "9434765919",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddContact(ctx, mgr, "rett", registry.ContactInput{FirstName: "Jo", Surname: "Hughes", Email: "jo@example.org", MayContact: true}, true, ""); err != nil {
			t.Fatal(err)
		}
		known := join(t, newBrowser(t, app), joinValues("jo@example.org", "Isla"))
		unknownForm := joinValues("new@example.org", "Maya")
		unknownForm.Set("patient_nhs_number", "4010232137")
		unknown := join(t, newBrowser(t, app), unknownForm)
		if known.status != unknown.status || known.header.Get("Location") != unknown.header.Get("Location") || known.body != unknown.body {
			t.Errorf("known %d %q, unknown %d %q", known.status, known.header.Get("Location"), unknown.status, unknown.header.Get("Location"))
		}
		b := newBrowser(t, app)
		if a, c := mainText(b.get(known.header.Get("Location"))), mainText(b.get(unknown.header.Get("Location"))); a != c || a == "" {
			t.Errorf("the answer pages differ:\n%s\n%s", a, c)
		}
		if n := submissions(t, s, registry.StatusPending); n != 2 {
			t.Errorf("%d submissions stored, want one each", n)
		}
		if len(emailsTo(t, s, "jo@example.org")) != 1 || len(emailsTo(t, s, "new@example.org")) != 1 {
			t.Error("each address should get exactly one email")
		}
		code := func(email, code string) response {
			b := newBrowser(t, app)
			b.get("/registries/rett/verify")
			return b.post("/registries/rett/verify", url.Values{"email": {email}, "code": {code}})
		}
		wrong := code("jo@example.org", "000000")
		nobody := code("nobody@example.org", "000000")
		if wrong.status != 422 || wrong.status != nobody.status || text(wrong, "#code-error") != text(nobody, "#code-error") {
			t.Errorf("a wrong code for a known email: %d %q; for an unknown one: %d %q", wrong.status, text(wrong, "#code-error"), nobody.status, text(nobody, "#code-error"))
		}
		right := verifyCodeRE.FindStringSubmatch(emailsTo(t, s, "new@example.org")[0].BodyText)[1]
		if p := code("new@example.org", right); p.status != 200 || text(p, "h1") != "Email address confirmed" {
			t.Errorf("the right code: %d %q", p.status, text(p, "h1"))
		}
		if p := code("new@example.org", right); p.status != 422 {
			t.Errorf("the code again: %d", p.status)
		}
	})
}

func TestJoinHoneypotAndLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, _ := authApp(t, s, false)
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		// The honeypot: the same answer, nothing stored or sent.
		bot := joinValues("bot@example.org", "Bot")
		bot.Set("website", "http://spam.example")
		if p := join(t, newBrowser(t, app), bot); p.status != 303 || p.header.Get("Location") != "/registries/rett/join/sent" {
			t.Errorf("honeypot: %d %q", p.status, p.header.Get("Location"))
		}
		if submissions(t, s, registry.StatusPending) != 0 || len(emailsTo(t, s, "bot@example.org")) != 0 {
			t.Error("the honeypot's form was stored or emailed")
		}
		// Per email: the same answer after the limit, but no more email.
		for i := range registry.JoinPerEmail + 2 {
			if p := join(t, newBrowser(t, app), joinValues("jo@example.org", "Isla")); p.status != 303 {
				t.Fatalf("form %d: %d", i+1, p.status)
			}
		}
		if n := len(emailsTo(t, s, "jo@example.org")); n != registry.JoinPerEmail {
			t.Errorf("%d emails to one address in an hour, want %d", n, registry.JoinPerEmail)
		}
		// Per address: refused, saying when to come back.
		var p response
		for range registry.JoinPerAddress {
			p = join(t, newBrowser(t, app), url.Values{"email": {"x"}})
		}
		if p.status != 429 || !strings.Contains(text(p, "#limit-message"), "Try again after") {
			t.Errorf("forms past the address limit: %d %q", p.status, text(p, "#limit-message"))
		}
		// Typed codes: per email.
		b := newBrowser(t, app)
		b.get("/registries/rett/verify")
		var last response
		for range registry.VerifyPerEmail + 1 {
			last = b.post("/registries/rett/verify", url.Values{"email": {"kim@example.org"}, "code": {"123456"}})
		}
		if last.status != 429 || !strings.Contains(text(last, "#limit-message"), "too many tries") {
			t.Errorf("codes past the limit: %d %q", last.status, text(last, "#limit-message"))
		}
	})
}
