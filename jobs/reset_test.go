package jobs_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The forgot-password page only queues a request; the worker emails a
// reset link to a real account and nothing for an unknown email.
func TestResetRequestWorkerEmailsRealAccountsOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		startEmailJobs(t, s, nil)
		a := newAuth(t, s)
		err := s.InTx(ctx, func(tx store.Tx) error {
			_, err := a.CreateUser(ctx, tx, auth.NewUser{Email: "reset@example.org", FirstName: "Rae", Surname: "Set", Role: access.Clinician, Organisation: "RGT01"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c := auth.Client{IP: "192.0.2.1", UserAgent: "test"}
		for _, email := range []string{"nobody@example.org", "Reset@Example.org"} {
			if err := a.QueueReset(ctx, email, c); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		var emails []store.Email
		for time.Now().Before(deadline) {
			emails, _ = s.ListEmails(ctx, 10)
			if len(emails) > 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond) // time for a wrong second email
		emails, _ = s.ListEmails(ctx, 10)
		if len(emails) != 1 || emails[0].ToAddress != "reset@example.org" || emails[0].Subject != "Reset your clinaudit password" {
			t.Fatalf("emails %+v, want one reset link to reset@example.org", emails)
		}
	})
}
