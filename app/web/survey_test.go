package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/survey"
)

// seedFamily adds a patient and a contact linked to them, reached by email or
// SMS as preferred, and returns the patient's id.
func seedFamily(t *testing.T, s store.Store, name, email, phone, channel string) int64 {
	t.Helper()
	ctx := context.Background()
	svc := &registry.Service{Store: s, Now: time.Now}
	p, err := svc.AddPatient(ctx, matrixManager, registrySlug(), registry.PatientInput{FirstName: "Child", Surname: name,
		DateOfBirth: registry.DateInput{Day: "3", Month: "5", Year: "2015"}, Sex: "2"}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.AddContact(ctx, matrixManager, registrySlug(), registry.ContactInput{FirstName: "Parent", Surname: name,
		Email: email, Phone: phone, PreferredChannel: channel, MayContact: true}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Link(ctx, matrixManager, p.ID, c.ID, registry.RelationshipInput{Type: "mother", IsPrimary: true}, ""); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

var surveyLink = regexp.MustCompile(`/s/([A-Za-z0-9_-]{20,})`)

// linkTo is the survey link in the latest message to an address.
func linkTo(t *testing.T, s store.Store, to string) string {
	t.Helper()
	ms, err := s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: to, PageLimit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no message to %s (%v)", to, err)
	}
	m := surveyLink.FindString(ms[0].BodyText)
	if m == "" {
		t.Fatalf("no link in %q", ms[0].BodyText)
	}
	return m
}

const surveyQuestions = `sleep : scale* : How well did your child sleep?
seizures : single* : Any seizures this month? | Yes | No
count : number : How many? {if seizures = Yes}
help : multiple : What would help? | Respite | Therapy | Equipment
seen : date : When did a doctor last see your child?
notes : text : Anything else?`

func TestSurveyFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")
		seedFamily(t, s, "Ames", "ames@example.org", "", "email")
		seedFamily(t, s, "Bell", "", "+447700900456", "sms")
		m := signIn(t, newBrowser(t, app), "manager@registry.example")

		// A mistake in the questions is shown by line, beside the field.
		m.get("/registry/surveys")
		form := surveyFormValues("Sleep and daily life")
		form.Set("questions", "sleep : scale* : How well?\nbad line")
		p := m.post("/registry/surveys", form)
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "Questions, line 2: write it as key : type : question") {
			t.Fatalf("a bad question: %d %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		form.Set("questions", surveyQuestions)
		p = m.post("/registry/surveys", form)
		if p.status != 303 {
			t.Fatalf("create: %d %s", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		loc := strings.TrimSuffix(p.header.Get("Location"), "?done=created")
		p = m.get(loc)
		if !strings.Contains(p.doc.Find("#survey-status").Text(), "Version 1 is a draft") || p.doc.Find("#send-form").Length() != 0 {
			t.Fatalf("draft page: %q", p.doc.Find("#survey-status").Text())
		}
		m.post(loc+"/publish", nil)
		p = m.get(loc)
		if !strings.Contains(p.doc.Find("#survey-status").Text(), "Version 1 is published") {
			t.Fatalf("after publishing: %q", p.doc.Find("#survey-status").Text())
		}
		p = m.post(loc+"/send", url.Values{"channel": {""}})
		if got := p.doc.Find("#send-report").Text(); !strings.Contains(got, "Sent to 2.") {
			t.Fatalf("send: %d %q", p.status, got)
		}
		if p.doc.Find("#invitations tbody tr").Length() != 2 {
			t.Error("the invitations are not listed")
		}
		// Sending again reaches nobody twice.
		if p = m.post(loc+"/send", url.Values{"channel": {""}}); !strings.Contains(p.doc.Find("#send-report").Text(), "Already sent before: 2") {
			t.Errorf("second send: %q", p.doc.Find("#send-report").Text())
		}
		email, sms := linkTo(t, s, "ames@example.org"), linkTo(t, s, "+447700900456")
		if all, _ := s.ListNotifications(ctx, store.ListNotificationsParams{PageLimit: 10}); len(all) != 2 {
			t.Errorf("%d messages queued, want 2", len(all))
		}

		// A family answers half by the link (htmx saves), leaves...
		fam := newBrowser(t, app)
		p = fam.get(email)
		if p.status != 200 || p.doc.Find("#survey-progress").Text() != "0 of 5 answered" || p.doc.Find("#q-sq-count[hidden]").Length() != 1 {
			t.Fatalf("survey page: %d %q", p.status, p.doc.Find("#survey-progress").Text())
		}
		p = fam.htmxPost(email+"/answer", url.Values{"key": {"seizures"}, "seizures": {"Yes"}})
		if p.status != 200 || !strings.Contains(p.body, "1 of 6 answered") || p.doc.Find("#q-sq-count").Length() != 1 || p.doc.Find("#q-sq-count[hidden]").Length() != 0 {
			t.Fatalf("saving seizures: %d %s", p.status, p.body)
		}
		p = fam.htmxPost(email+"/answer", url.Values{"key": {"count"}, "count": {"lots"}})
		if p.status != 422 || !strings.Contains(p.body, "Enter a number") {
			t.Errorf("a bad number: %d %s", p.status, p.body)
		}
		fam.htmxPost(email+"/answer", url.Values{"key": {"count"}, "count": {"3"}})
		fam.htmxPost(email+"/answer", url.Values{"key": {"help"}, "help": {"Therapy", "Respite"}})
		// ... and finishing early is refused, naming the question left.
		p = fam.post(email+"/finish", nil)
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "How well did your child sleep?: Answer this question") {
			t.Errorf("finish too early: %d %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		// Back later by the same link: the answers are there.
		fam2 := newBrowser(t, app)
		p = fam2.get(email)
		if p.doc.Find("#survey-progress").Text() != "3 of 6 answered" || p.doc.Find("#sq-count").AttrOr("value", "") != "3" ||
			p.doc.Find("#sq-help-0[checked]").Length() != 1 || p.doc.Find("#sq-help-1[checked]").Length() != 1 {
			t.Fatalf("coming back: %q", p.doc.Find("#survey-progress").Text())
		}
		// Without JavaScript: the whole form, then finish.
		p = fam2.post(email, url.Values{"sleep": {"7"}, "seizures": {"Yes"}, "count": {"3"}, "help": {"Respite", "Therapy"},
			"seen-day": {"2"}, "seen-month": {"3"}, "seen-year": {"2025"}, "notes": {"=cmd|' /C calc'!A0"}, "finish": {"1"}})
		if p.status != 200 || p.doc.Find("#survey-done").Length() != 1 {
			t.Fatalf("finish: %d %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		if p = fam2.get(email); p.doc.Find("#survey-done").Length() != 1 {
			t.Error("a finished link still opens the survey")
		}
		if p = fam2.get("/s/not-a-real-token-at-all-xxxxxxxx"); p.status != 404 {
			t.Errorf("unknown link: %d", p.status)
		}

		// Reminders go only to the family that has not finished.
		ss := &survey.Service{Store: s, BaseURL: "https://clinaudit.example", Now: func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }}
		n, err := ss.SendReminders(ctx)
		if err != nil || n != 1 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		ms, _ := s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "+447700900456", PageLimit: 5})
		if len(ms) != 2 || ms[0].Template != "survey_reminder" || ms[0].Channel != "sms" {
			t.Errorf("messages to the second family: %+v", ms)
		}
		if ms, _ := s.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "ames@example.org", PageLimit: 5}); len(ms) != 1 {
			t.Errorf("the family that finished got %d messages", len(ms))
		}
		if n, _ := ss.SendReminders(ctx); n != 0 {
			t.Errorf("a second run at once sent %d", n)
		}
		// The reminder's new link and the first both open the same answers.
		fam3 := newBrowser(t, app)
		fam3.get(sms)
		fam3.htmxPost(sms+"/answer", url.Values{"key": {"sleep"}, "sleep": {"4"}})
		if p := fam3.get(linkTo(t, s, "+447700900456")); p.doc.Find("#sq-sleep-4[checked]").Length() != 1 {
			t.Error("the reminder's link does not show the answer given by the first")
		}

		// Results: the rate, a chart and its table per question, downloads.
		v := signIn(t, newBrowser(t, app), "viewer@registry.example")
		p = v.get(loc + "/results")
		if p.status != 200 || !strings.Contains(p.doc.Find("#response-rate").Text(), "50%") || !strings.Contains(p.doc.Find("#response-rate").Text(), "1 of 2 finished; 2 started") {
			t.Fatalf("results: %d %q", p.status, p.doc.Find("#response-rate").Text())
		}
		if p.doc.Find("svg#chart-seizures").Length() != 1 || !strings.Contains(p.doc.Find("#table-seizures").Text(), "Yes") ||
			!strings.Contains(p.doc.Find("#table-sleep").Text(), "50%") || !strings.Contains(p.doc.Find("#texts-notes").Text(), "=cmd") {
			t.Errorf("results page: %s", p.doc.Find("#result-seizures").Text())
		}
		if strings.Contains(p.body, "Ames") || strings.Contains(p.body, "Bell") {
			t.Error("the results name a family")
		}
		p = v.get(loc + "/results/download?format=csv")
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "response,finished,sleep,seizures,count,help,seen,notes" {
			t.Fatalf("CSV: %v %q", err, p.body)
		}
		got := fmt.Sprint(rows[1:])
		if !strings.Contains(got, "Respite; Therapy") || !strings.Contains(got, "2025-03-02") || !strings.Contains(got, "'=cmd") {
			t.Errorf("CSV rows: %v", got)
		}
		if p = v.get(loc + "/results/download?format=xlsx"); p.status != 200 || !strings.HasPrefix(p.body, "PK") {
			t.Errorf("XLSX: %d", p.status)
		}
		if p = v.get("/registry/surveys"); p.status != 200 || p.doc.Find("#new-survey").Length() != 0 || p.doc.Find("#surveys a[href='"+loc+"']").Length() != 0 ||
			p.doc.Find("#surveys a[href='"+loc+"/results']").Length() != 1 {
			t.Errorf("a registry viewer's survey list: %d", p.status)
		}
		if p = v.get(loc); p.status != 403 {
			t.Errorf("a registry viewer on the survey's page: %d", p.status)
		}

		// A published version never changes: an edit is a new draft.
		p = m.get(loc)
		form.Set("questions", surveyQuestions+"\nextra : text : One more?")
		m.post(loc, form)
		p = m.get(loc)
		if !strings.Contains(p.doc.Find("#survey-status").Text(), "Version 1 is published; version 2 is a draft") {
			t.Errorf("after editing a published survey: %q", p.doc.Find("#survey-status").Text())
		}
		m.post(loc+"/close", nil)
		if p := fam3.get(sms); p.status != 410 || p.doc.Find("#survey-closed").Length() != 1 {
			t.Errorf("a closed survey's link: %d", p.status)
		}
	})
}
