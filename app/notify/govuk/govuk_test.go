package govuk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/notify"
	"clinaudit/app/notify/govuk"
	"clinaudit/app/notify/govuk/govuktest"
	"clinaudit/app/outbox"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// startJobs runs the delivery worker with Notify as the email and SMS
// provider, against srv.
func startJobs(t *testing.T, s store.Store, srv *govuktest.Server) *govuk.Client {
	t.Helper()
	c, err := govuk.New(govuk.Config{BaseURL: srv.URL, APIKey: srv.APIKey, EmailTemplateID: srv.EmailTemplate, SMSTemplateID: srv.SMSTemplate})
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &delivery.Worker{Store: s, Email: c, SMS: c})
	if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := s.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

var invite = map[string]string{"contact_name": "Jane Smith", "registry": "Rett syndrome registry", "survey": "Sleep",
	"link": "https://clinaudit.example/s/abc", "closes": "30 June 2026"}

func send(t *testing.T, s store.Store, n notify.Notification) int64 {
	t.Helper()
	var id int64
	err := s.InTx(context.Background(), func(tx store.Tx) error {
		var err error
		id, _, err = notify.Send(context.Background(), tx, n, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func wait(t *testing.T, s store.Store, id int64, what string, done func(store.Email) bool) store.Email {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		e, err := s.GetEmail(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if done(e) {
			return e
		}
		time.Sleep(50 * time.Millisecond)
	}
	e, _ := s.GetEmail(context.Background(), id)
	t.Fatalf("message %d: not %s within 30s: %+v", id, what, e)
	return e
}

func sent(e store.Email) bool { return e.Status == outbox.StatusSent }

func TestNotifySendsEmailAndSMSThenReceipts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		srv := govuktest.Start(t, govuktest.Options{})
		startJobs(t, s, srv)
		emailID := send(t, s, notify.Notification{Template: "survey_invite", Values: invite, To: notify.Recipient{Email: "jane@example.org"}})
		var smsID int64
		err := s.InTx(context.Background(), func(tx store.Tx) error {
			var err error
			smsID, err = notify.SendSMSCode(context.Background(), tx, "+447700900123", "493021", time.Now().Add(5*time.Minute), time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got := srv.WaitForSent(2, 20*time.Second)
		if len(got) != 2 {
			t.Fatalf("Notify received %d messages", len(got))
		}
		byType := map[string]govuktest.Sent{}
		for _, m := range got {
			byType[m.Type] = m
		}
		em, sms := byType["email"], byType["sms"]
		if em.To != "jane@example.org" || em.Personalisation["subject"] != "A survey from the Rett syndrome registry team" ||
			!strings.Contains(em.Personalisation["body"], "https://clinaudit.example/s/abc") || em.Reference != fmt.Sprint("clinaudit-", emailID) {
			t.Errorf("email as Notify got it: %+v", em)
		}
		if sms.To != "+447700900123" || !strings.Contains(sms.Personalisation["body"], "493021") || !strings.Contains(sms.Personalisation["body"], "Essential message") {
			t.Errorf("SMS as Notify got it: %+v", sms)
		}
		e := wait(t, s, emailID, "sent", sent)
		if e.Provider != govuk.Name || e.ProviderRef != em.ID || e.BodyText != "" || e.BodyHtml != "" || e.Attempts != 1 {
			t.Errorf("sent email row: %+v", e)
		}
		m := wait(t, s, smsID, "sent", sent)
		if m.Channel != "sms" || !m.Essential || m.ProviderRef != sms.ID {
			t.Errorf("sent SMS row: %+v", m)
		}
		// Receipts: the email delivered, the SMS failed for good.
		if ok, err := notify.RecordReceipt(context.Background(), s, govuk.Name, em.ID, outbox.StatusDelivered, "", time.Now()); !ok || err != nil {
			t.Fatalf("receipt: %v %v", ok, err)
		}
		r := govuk.Receipt{ID: sms.ID, Status: "permanent-failure"}
		st, reason, _ := r.Outcome()
		if ok, err := notify.RecordReceipt(context.Background(), s, govuk.Name, sms.ID, st, reason, time.Now()); !ok || err != nil {
			t.Fatalf("receipt: %v %v", ok, err)
		}
		if e, _ := s.GetEmail(context.Background(), emailID); e.Status != outbox.StatusDelivered || e.StatusAt == nil {
			t.Errorf("after a delivered receipt: %+v", e)
		}
		if m, _ := s.GetEmail(context.Background(), smsID); m.Status != outbox.StatusFailed || !strings.Contains(m.StatusReason, "permanent-failure") {
			t.Errorf("after a permanent-failure receipt: %+v", m)
		}
		if ok, _ := notify.RecordReceipt(context.Background(), s, govuk.Name, "no-such-id", outbox.StatusDelivered, "", time.Now()); ok {
			t.Error("a receipt for an unknown id matched a message")
		}
	})
}

func TestNotifyTemporaryFailuresAreRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		// One 500 (the retry comes about a second later, River's first
		// backoff)...
		srv := govuktest.Start(t, govuktest.Options{})
		srv.FailNext(500)
		startJobs(t, s, srv)
		a := send(t, s, notify.Notification{Template: "survey_reminder", Values: invite, To: notify.Recipient{Phone: "+447700900123", Prefer: outbox.SMS}})
		e := wait(t, s, a, "sent after a 500", sent)
		if e.Attempts != 2 || e.Provider != govuk.Name {
			t.Errorf("after a 500 then success: %+v", e)
		}
	})
}

func TestNotifyRateLimitIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		// The key's rate limit, one request per half second: of two sends
		// at once, one is refused (429) and retried.
		srv := govuktest.Start(t, govuktest.Options{RateLimit: 1, RateWindow: 500 * time.Millisecond})
		startJobs(t, s, srv)
		b := send(t, s, notify.Notification{Template: "survey_reminder", Values: invite, To: notify.Recipient{Email: "b@example.org"}})
		c := send(t, s, notify.Notification{Template: "survey_reminder", Values: invite, To: notify.Recipient{Email: "c@example.org"}})
		eb := wait(t, s, b, "sent", sent)
		ec := wait(t, s, c, "sent", sent)
		if eb.Attempts+ec.Attempts != 3 || len(srv.Sent()) != 2 {
			t.Errorf("two sends within the rate limit's second: attempts %d and %d, want one of them refused (429) and retried", eb.Attempts, ec.Attempts)
		}
	})
}

func TestNotifyPermanentFailureIsNotRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		srv := govuktest.Start(t, govuktest.Options{Refuse: []string{"outside@example.org"}})
		startJobs(t, s, srv)
		id := send(t, s, notify.Notification{Template: "survey_invite", Values: invite, To: notify.Recipient{Email: "outside@example.org"}})
		e := wait(t, s, id, "failed", func(e store.Email) bool { return e.Status == outbox.StatusFailed })
		if e.Attempts != 1 || !strings.Contains(e.StatusReason, "400 BadRequestError") || !strings.Contains(e.StatusReason, "team-only") {
			t.Errorf("after a 400: %+v", e)
		}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			res, _ := s.ListJobs(context.Background(), river.NewJobListParams().Kinds(jobargs.SendEmailArgs{}.Kind()).States(rivertype.JobStateCancelled))
			if len(res.Jobs) == 1 {
				if n := len(srv.Sent()); n != 0 {
					t.Errorf("Notify accepted %d", n)
				}
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Error("a refused message's job was not cancelled")
	})
}

func TestJWTAsNotifyChecksIt(t *testing.T) {
	srv := govuktest.Start(t, govuktest.Options{})
	ctx := context.Background()
	msg := outbox.Outgoing{ID: 1, Channel: outbox.Email, To: "a@example.org", Subject: "s", Text: "t"}
	for _, tt := range []struct {
		name, key string
		now       func() time.Time
		want      string
	}{
		{"right key", srv.APIKey, nil, ""},
		{"wrong secret", "clinaudit_test-" + srv.ServiceID + "-00000000-0000-0000-0000-000000000000", nil, "403 AuthError: Invalid token: signature"},
		{"wrong service", "clinaudit_test-00000000-0000-0000-0000-000000000000-" + srv.Secret, nil, "403 AuthError: Invalid token: API key not found"},
		{"clock 31 s slow", srv.APIKey, func() time.Time { return time.Now().Add(-31 * time.Second) }, "403 AuthError: Error: Your system clock"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := govuk.New(govuk.Config{BaseURL: srv.URL, APIKey: tt.key, EmailTemplateID: srv.EmailTemplate, Now: tt.now})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Send(ctx, msg)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ge *govuk.Error
			if !errors.As(err, &ge) || !strings.Contains(err.Error(), tt.want) || ge.Permanent() {
				t.Errorf("err = %v, want %q, temporary", err, tt.want)
			}
			if strings.Contains(err.Error(), srv.Secret) || strings.Contains(fmt.Sprintf("%v %+v %#v", c, c, c), srv.Secret) {
				t.Error("the key's secret shows")
			}
		})
	}
	if _, _, err := govuk.ParseAPIKey("too-short"); err == nil {
		t.Error("a malformed key was accepted")
	}
}

func TestErrorShapes(t *testing.T) {
	srv := govuktest.Start(t, govuktest.Options{})
	c, _ := govuk.New(govuk.Config{BaseURL: srv.URL, APIKey: srv.APIKey, EmailTemplateID: srv.EmailTemplate, SMSTemplateID: srv.SMSTemplate})
	ctx := context.Background()
	srv.FailNext(400, 403, 429, 500)
	for _, want := range []struct {
		status    int
		kind      string
		permanent bool
	}{{400, "BadRequestError", true}, {403, "AuthError", false}, {429, "TooManyRequestsError", false}, {500, "Exception", false}} {
		_, err := c.Send(ctx, outbox.Outgoing{ID: 2, Channel: outbox.SMS, To: "07700900123", Text: "hello"})
		var ge *govuk.Error
		if !errors.As(err, &ge) || ge.Status != want.status || ge.Kind != want.kind || delivery.Permanent(err) != want.permanent {
			t.Errorf("err = %v, want %d %s permanent %v", err, want.status, want.kind, want.permanent)
		}
	}
	_, err := c.Send(ctx, outbox.Outgoing{ID: 3, Channel: outbox.SMS, To: "not a number", Text: "hello"})
	if !delivery.Permanent(err) || !strings.Contains(err.Error(), "Not a UK mobile number") {
		t.Errorf("a bad number: %v", err)
	}
}

func TestCallbackAuthorised(t *testing.T) {
	for _, tt := range []struct {
		header, token string
		want          bool
	}{
		{"Bearer s3cret-token", "s3cret-token", true},
		{"Bearer wrong", "s3cret-token", false},
		{"s3cret-token", "s3cret-token", false},
		{"", "s3cret-token", false},
		{"Bearer ", "", false},
	} {
		if got := govuk.CallbackAuthorised(tt.header, tt.token); got != tt.want {
			t.Errorf("CallbackAuthorised(%q, %q) = %v", tt.header, tt.token, got)
		}
	}
}
