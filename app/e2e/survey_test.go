package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/cli"
	"clinaudit/app/mail/smtptest"
	"clinaudit/app/notify/govuk/govuktest"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/chromedp/chromedp"
)

// TestSurveySentAnsweredReminded is issue 19's walk-through in a real
// browser, with the real providers' test servers: a registry manager
// writes and publishes a survey and sends it to two families, one by
// email (the SMTP server receives it) and one by SMS (the GOV.UK Notify
// test server receives it); the SMS family answers half, leaves, comes
// back by the same link and finishes; a reminder goes to the other family
// only; the results page shows the answers.
func TestSurveySentAnsweredReminded(t *testing.T) { eachEngine(t, testSurveySentAnsweredReminded) }

var surveyLinkRE = regexp.MustCompile(`https?://\S+/s/[A-Za-z0-9_-]+`)

func testSurveySentAnsweredReminded(t *testing.T, e store.Engine) {
	findBrowser(t)
	mailSrv := smtptest.Start(t, smtptest.Options{})
	notifySrv := govuktest.Start(t, govuktest.Options{})
	srv := startServer(t, e, "--smtp-host", mailSrv.Host(), "--smtp-port", fmt.Sprint(mailSrv.Port()), "--smtp-tls", "none",
		"--sms-provider", "govuk-notify", "--notify-api-key", notifySrv.APIKey, "--notify-base-url", notifySrv.URL,
		"--notify-sms-template", notifySrv.SMSTemplate)
	srv.addRegistryManager()
	// Two families, carers (a relationship the demo's families do not
	// have, so the send's filter reaches these two alone).
	st := srv.openDB()
	ctx0 := context.Background()
	reg := &registry.Service{Store: st, Now: time.Now}
	me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
	for _, f := range []struct{ name, email, phone, channel string }{
		{"Emberly", "emberly@example.org", "", "email"},
		{"Smithwick", "", "07700 900789", "sms"},
	} {
		p, err := reg.AddPatient(ctx0, me, registry.Slugs()[0], registry.PatientInput{FirstName: "Child", Surname: f.name,
			DateOfBirth: registry.DateInput{Day: "3", Month: "5", Year: "2015"}, Sex: "2"}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		c, err := reg.AddContact(ctx0, me, registry.Slugs()[0], registry.ContactInput{FirstName: "Carer", Surname: f.name,
			Email: f.email, Phone: f.phone, PreferredChannel: f.channel, MayContact: true}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Link(ctx0, me, p.ID, c.ID, registry.RelationshipInput{Type: "carer", IsPrimary: true}, ""); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	b := startBrowser(t, ctx)
	b.submit("open sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	b.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)

	// Write, publish and send the survey.
	if status := b.submit("open surveys", chromedp.Click(css("main #registry-surveys-link"))); status != 200 {
		t.Fatalf("surveys page: %d", status)
	}
	closes := time.Now().AddDate(0, 1, 0)
	b.do("write the survey",
		chromedp.SendKeys(css("main #title"), "Sleep and daily life"),
		chromedp.SendKeys(css("main #closes-day"), fmt.Sprint(closes.Day())),
		chromedp.SendKeys(css("main #closes-month"), fmt.Sprint(int(closes.Month()))),
		chromedp.SendKeys(css("main #closes-year"), fmt.Sprint(closes.Year())),
		chromedp.SendKeys(css("main #questions"), "sleep : scale* : How well did your child sleep this month?\n"+
			"seizures : single* : Any seizures this month? | Yes | No\n"+
			"count : number* : How many? {if seizures = Yes}\n"+
			"help : multiple : What would help? | Respite | Therapy\n"))
	if status := b.submit("create", chromedp.Click(css("main #survey-create"))); status != 200 || !strings.HasPrefix(b.path(), "/registry/surveys/") {
		t.Fatalf("create: %d at %s (%s)", status, b.where(), b.text("main .nhsuk-error-summary"))
	}
	surveyPage := b.path()
	b.axeCheck("a survey's page, draft")
	if status := b.submit("publish", chromedp.Click(css("main #survey-publish"))); status != 200 {
		t.Fatalf("publish: %d", status)
	}
	b.do("choose the carers", chromedp.SetValue(css("main #relationship"), "carer"))
	if status := b.submit("send", chromedp.Click(css("main #survey-send"))); status != 200 {
		t.Fatalf("send: %d", status)
	}
	if got := b.text("main #send-report"); !strings.Contains(got, "Sent to 2.") {
		t.Fatalf("send report: %q", got)
	}
	b.axeCheck("a survey's page, sent")

	// One email through SMTP, one SMS through Notify.
	emailsTo := func(to string) []smtptest.Received {
		var out []smtptest.Received
		for _, m := range mailSrv.Messages() {
			if len(m.To) == 1 && m.To[0] == to {
				out = append(out, m)
			}
		}
		return out
	}
	waitFor := func(what string, done func() bool) {
		t.Helper()
		for range 300 {
			if done() {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: not within 30s", what)
	}
	waitFor("the invitation email", func() bool { return len(emailsTo("emberly@example.org")) == 1 })
	if m := emailsTo("emberly@example.org")[0]; m.Header.Get("Subject") != "A survey from the "+registry.Definitions[registry.Slugs()[0]].Name+" team" {
		t.Errorf("email subject %q", m.Header.Get("Subject"))
	}
	sms := notifySrv.WaitForSent(1, 30*time.Second)
	if len(sms) != 1 || sms[0].To != "+447700900789" || sms[0].Type != "sms" {
		t.Fatalf("Notify received %+v", sms)
	}
	link := surveyLinkRE.FindString(sms[0].Personalisation["body"])
	if !strings.HasPrefix(link, srv.base+"/s/") {
		t.Fatalf("no link in the SMS %q", sms[0].Personalisation["body"])
	}

	// The SMS family answers half, each answer saving itself...
	fam := b.newTab()
	if status := fam.submit("open the link", chromedp.Navigate(link)); status != 200 {
		t.Fatalf("survey link: %d", status)
	}
	fam.axeCheck("answering a survey")
	fam.do("answer the scale", chromedp.Click(css("main #sq-sleep-7")))
	fam.waitText("scale saves", "#st-sq-sleep", "Saved")
	fam.do("answer seizures", chromedp.Click(css("main #sq-seizures-0")))
	fam.waitText("seizures saves", "#st-sq-seizures", "Saved")
	fam.do("the follow-up shows", chromedp.WaitVisible(css("main #sq-count")))
	fam.waitText("progress", "#survey-progress", "2 of 4 answered")
	fam.checkConsole("answering a survey")
	// ... leaves, and comes back by the same link.
	fam.submit("leave", chromedp.Navigate(srv.base+"/"))
	if status := fam.submit("come back", chromedp.Navigate(link)); status != 200 {
		t.Fatalf("coming back: %d", status)
	}
	if got := fam.text("main #survey-progress"); got != "2 of 4 answered" {
		t.Errorf("progress on return: %q", got)
	}
	if !eval[bool](fam, `document.querySelector("#sq-sleep-7").checked && document.querySelector("#sq-seizures-0").checked`) {
		t.Error("the answers given are not there on return")
	}
	fam.do("answer the rest", chromedp.SendKeys(css("main #sq-count"), "3"), chromedp.Click(css("main #sq-help-1")))
	fam.waitText("help saves", "#st-sq-help", "Saved")
	fam.waitText("count saves", "#st-sq-count", "Saved")
	if status := fam.submit("finish", chromedp.Click(css("main #survey-finish"))); status != 200 {
		t.Fatalf("finish: %d (%s)", status, fam.text("main .nhsuk-error-summary"))
	}
	if !strings.Contains(fam.text("main #survey-done"), "Thank you") {
		t.Fatalf("after finishing: %q", fam.text("main"))
	}

	// A week on, the reminder goes to the family that has not answered
	// only (the server's worker delivers it).
	st = srv.openDB()
	if err := st.ConfigureJobs(store.JobsConfig{}); err != nil { // insert only: the server works them
		t.Fatal(err)
	}
	n, err := (&survey.Service{Store: st, BaseURL: srv.base, Now: func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }}).SendReminders(ctx0)
	st.Close()
	if err != nil || n != 1 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	waitFor("the reminder email", func() bool { return len(emailsTo("emberly@example.org")) == 2 })
	if s := emailsTo("emberly@example.org")[1].Header.Get("Subject"); !strings.HasPrefix(s, "Reminder: a survey") {
		t.Errorf("reminder subject %q", s)
	}
	time.Sleep(time.Second) // a wrong SMS would have been sent by now
	if got := notifySrv.Sent(); len(got) != 1 {
		t.Errorf("the family that finished was sent %d messages", len(got))
	}

	// The results show the answers.
	if status := b.submit("results", chromedp.Navigate(srv.base+surveyPage+"/results")); status != 200 {
		t.Fatalf("results: %d", status)
	}
	if got := b.text("main #response-rate"); !strings.Contains(got, "50%") || !strings.Contains(got, "1 of 2 finished") {
		t.Errorf("response rate: %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll("main svg.app-chart").length`); n != 4 {
		t.Errorf("%d charts, want 4 (scale, single, number, multiple)", n)
	}
	if got := b.text("main #table-sleep"); !strings.Contains(got, "7") || !strings.Contains(got, "100%") {
		t.Errorf("sleep table: %q", got)
	}
	if got := b.text("main #table-help"); !strings.Contains(got, "Therapy") {
		t.Errorf("help table: %q", got)
	}
	b.axeCheck("survey results")
}
