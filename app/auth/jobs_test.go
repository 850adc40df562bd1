package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/jobargs"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// The forgot-password page only queues a request; the worker emails a
// reset link to a real account and nothing for an unknown email.
func TestResetRequestWorkerEmailsRealAccountsOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		workers := river.NewWorkers()
		river.AddWorker(workers, &auth.ResetRequestWorker{Auth: a})
		river.AddWorker(workers, &delivery.Worker{Store: s}) // River refuses a kind with no worker
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.StopJobs(context.Background()) })
		err = s.InTx(ctx, func(tx store.Tx) error {
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

// The daily purge deletes exactly the emailed secrets that can no longer
// be used (used or revoked, or expired, of every purpose) and keeps those
// still valid, which go on working.
func TestPurgeTokensDeletesSpentOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "tokens@example.org", access.Clinician)
		now := f.clock.Now()
		token := func(name, purpose string, expires time.Duration, used bool) string {
			sum := sha256.Sum256([]byte(name))
			hash := hex.EncodeToString(sum[:])
			if err := s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: hash, UserID: u.ID, Purpose: purpose,
				CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(expires)}); err != nil {
				t.Fatal(err)
			}
			if used {
				at := now.Add(-time.Minute)
				if _, err := s.UseAuthToken(ctx, store.UseAuthTokenParams{Now: &at, Hash: hash, Purpose: purpose}); err != nil {
					t.Fatal(err)
				}
			}
			return hash
		}
		type row struct{ hash, purpose string }
		kept := map[string]row{}
		gone := map[string]row{}
		for _, purpose := range []string{"invite", "reset", "email_code"} {
			kept[purpose+" valid"] = row{token(purpose+" valid", purpose, time.Hour, false), purpose}
			gone[purpose+" used"] = row{token(purpose+" used", purpose, time.Hour, true), purpose}
			gone[purpose+" expired"] = row{token(purpose+" expired", purpose, -time.Second, false), purpose}
			gone[purpose+" expiring now"] = row{token(purpose+" expiring now", purpose, 0, false), purpose}
			gone[purpose+" used and expired"] = row{token(purpose+" used and expired", purpose, -time.Second, true), purpose}
		}
		// A real invite link, issued now (valid 72 hours).
		invited, link := f.invite(t, "invited@example.org")

		w := &auth.PurgeTokensWorker{Auth: f.svc}
		if err := w.Work(ctx, &river.Job[jobargs.PurgeAuthTokensArgs]{}); err != nil {
			t.Fatal(err)
		}
		for name, r := range kept {
			if _, err := s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: r.hash, Purpose: r.purpose}); err != nil {
				t.Errorf("%s: purged (%v)", name, err)
			}
		}
		for name, r := range gone {
			if _, err := s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: r.hash, Purpose: r.purpose}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: kept (%v)", name, err)
			}
		}
		if got, err := f.svc.TokenUser(ctx, link); err != nil || got.ID != invited.ID {
			t.Errorf("a valid invite link after the purge: %v %v", got.ID, err)
		}
		// Once expired, the link is refused, and the next run deletes the
		// tokens that were still valid before.
		f.clock.Advance(72 * time.Hour)
		if err := w.Work(ctx, &river.Job[jobargs.PurgeAuthTokensArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.TokenUser(ctx, link); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("an expired invite link after the purge: %v", err)
		}
		for name, r := range kept {
			if _, err := s.GetAuthToken(ctx, store.GetAuthTokenParams{Hash: r.hash, Purpose: r.purpose}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s, expired since: kept (%v)", name, err)
			}
		}
	})
}
