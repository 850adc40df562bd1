package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/mail"
	"clinaudit/app/mail/smtptest"
	"clinaudit/app/outbox"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// startEmailJobs runs the email worker against a real SMTP listener.
func startEmailJobs(t *testing.T, s store.Store, srv *smtptest.Server) {
	t.Helper()
	var sender mail.Sender
	if srv != nil {
		var err error
		sender, err = mail.NewSMTPSender(mail.Config{Host: srv.Host(), Port: srv.Port(), TLS: "starttls",
			From: "clinaudit <noreply@example.org>", InsecureSkipVerify: true, Username: "app", Password: "smtp-secret"})
		if err != nil {
			t.Fatal(err)
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &delivery.Worker{Store: s, Email: delivery.NewSMTP(sender)})
	if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := s.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func queue(t *testing.T, s store.Store, m outbox.Message) int64 {
	t.Helper()
	var id int64
	err := s.InTx(context.Background(), func(tx store.Tx) error {
		var err error
		id, err = outbox.Enqueue(context.Background(), tx, m, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func waitEmail(t *testing.T, s store.Store, id int64, done func(store.Email) bool) store.Email {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
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
	t.Fatalf("email %d did not reach the expected state within 20s", id)
	return store.Email{}
}

func TestEmailDeliveredOverSMTPAndBodyBlanked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, Username: "app", Password: "smtp-secret", NoAuthBeforeTLS: true})
		startEmailJobs(t, s, srv)
		id := queue(t, s, outbox.Message{To: "clinician@example.org", Subject: "Your clinaudit sign-in code", Text: "Your one-time sign-in code is 123456"})
		msgs := srv.WaitForMessages(1, 20*time.Second)
		if len(msgs) != 1 {
			t.Fatalf("%d messages arrived", len(msgs))
		}
		m := msgs[0]
		if m.To[0] != "clinician@example.org" || !m.TLS || m.AuthUser != "app" || m.Header.Get("Subject") != "Your clinaudit sign-in code" {
			t.Errorf("received %+v", m)
		}
		if !strings.Contains(string(m.Body), "123456") {
			t.Errorf("body %q", m.Body)
		}
		e := waitEmail(t, s, id, func(e store.Email) bool { return e.SentAt != nil })
		if e.BodyText != "" {
			t.Error("the body (with its code) was kept after delivery")
		}
	})
}

func TestEmailTemporaryFailureRetriesPermanentStops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, Username: "app", Password: "smtp-secret", RejectRcpt: smtptest.Reject{Code: 550}})
		startEmailJobs(t, s, srv)
		id := queue(t, s, outbox.Message{To: "gone@example.org", Subject: "s", Text: "t"})
		e := waitEmail(t, s, id, func(e store.Email) bool { return e.Attempts > 0 })
		if e.SentAt != nil || e.LastError == "" || strings.Contains(e.LastError, "smtp-secret") {
			t.Errorf("after a permanent failure: %+v", e)
		}
		// The job is cancelled, not retried, after a 5xx.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			res, _ := s.ListJobs(context.Background(), river.NewJobListParams().Kinds(jobargs.SendEmailArgs{}.Kind()).States(rivertype.JobStateCancelled))
			if len(res.Jobs) == 1 {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Error("a permanently refused email's job was not cancelled")
	})
}

func TestEmailWithoutSMTPStaysInTheOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		startEmailJobs(t, s, nil)
		id := queue(t, s, outbox.Message{To: "demo@example.org", Subject: "s", Text: "the link"})
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			res, _ := s.ListJobs(context.Background(), river.NewJobListParams().Kinds(jobargs.SendEmailArgs{}.Kind()).States(rivertype.JobStateCompleted))
			if len(res.Jobs) == 1 {
				e, _ := s.GetEmail(context.Background(), id)
				if e.BodyText != "the link" || e.SentAt != nil {
					t.Errorf("outbox email changed: %+v", e)
				}
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Error("email job did not complete")
	})
}
