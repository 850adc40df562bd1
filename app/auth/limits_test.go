package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// outcome is an error as the person signing in sees it: its kind and, for
// a lock, how long it lasts.
func outcome(err error, now time.Time) string {
	var locked *auth.LockedError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &locked):
		return fmt.Sprintf("locked address=%v slowed=%v for %s", locked.Address, locked.Slowed, locked.Until.Sub(now))
	case errors.Is(err, auth.ErrBadCredentials):
		return "bad credentials"
	}
	return err.Error()
}

// A guesser learns nothing from the limits: a real email and one no account
// has give the same answers, failure after failure, until the lock ends.
func TestUnknownEmailMeetsTheSameLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.user(t, "real@example.org", access.Clinician)
		run := func(email string) []string {
			var got []string
			for range 7 {
				_, err := f.svc.SignIn(ctx, email, "wrong-password", elsewhere)
				got = append(got, outcome(err, f.clock.Now()))
			}
			f.clock.Advance(10 * time.Minute)
			_, err := f.svc.SignIn(ctx, email, "wrong-password", elsewhere)
			return append(got, outcome(err, f.clock.Now()))
		}
		real, unknown := run("real@example.org"), run("nobody@example.org")
		if fmt.Sprint(real) != fmt.Sprint(unknown) {
			t.Errorf("answers differ:\nreal    %q\nunknown %q", real, unknown)
		}
		if real[4] != "locked address=false slowed=false for 10m0s" {
			t.Errorf("5th failure: %q", real[4])
		}
	})
}

// Past SlowAfter failures on an account from every client, a client new to
// the account waits a delay that doubles, up to SlowMax; the user's own
// client (signed in from before) is never held back, and a new client gets
// in once its wait is over.
func TestAccountSlowDownSparesTheUsersOwnClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.TwoFactorForAll = false
		u := f.user(t, "target@example.org", access.Clinician)
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, here); err != nil {
			t.Fatal(err) // here is now a client the user has signed in from
		}
		// Ten guesses from ten addresses: no per-client lock is reached.
		bot := func(i int) auth.Client { return auth.Client{IP: fmt.Sprintf("203.0.113.%d", i), UserAgent: "bot"} }
		for i := range 10 {
			if _, err := f.svc.SignIn(ctx, u.Email, "guess", bot(i)); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		// The 10th failure slows new clients for 1 s, then 2 s, 4 s...
		_, err := f.svc.SignIn(ctx, u.Email, "guess", bot(11))
		if got := outcome(err, f.clock.Now()); got != "locked address=false slowed=true for 1s" {
			t.Fatalf("11th guess at once: %s", got)
		}
		for i, want := range []string{"2s", "4s", "8s", "16s"} {
			f.clock.Advance(time.Hour) // waiting out the delay...
			_, _ = f.svc.SignIn(ctx, u.Email, "guess", bot(20+i))
			_, err := f.svc.SignIn(ctx, u.Email, "guess", bot(40+i)) // ...buys one guess
			if got := outcome(err, f.clock.Now()); got != "locked address=false slowed=true for "+want {
				t.Errorf("after %d more failures: %s, want a wait of %s", i+1, got, want)
			}
		}
		if d := auth.SlowDelay(40, 10, 15*time.Minute); d != 15*time.Minute {
			t.Errorf("delay is capped at 15 minutes: %s", d)
		}
		// The user, on their usual client, is not held back at all.
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, here); err != nil {
			t.Errorf("the user's own client: %v", err)
		}
		// A new client of the user's waits its turn, then gets in.
		phone := auth.Client{IP: "198.51.100.20", UserAgent: "phone"}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, phone); outcome(err, f.clock.Now()) != "locked address=false slowed=true for 16s" {
			t.Errorf("new client during the wait: %v", err)
		}
		f.clock.Advance(16 * time.Second)
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, phone); err != nil {
			t.Errorf("new client after the wait: %v", err)
		}
		// A day without failures ends the slow-down; an unlock ends it at once.
		f.clock.Advance(24*time.Hour + time.Second)
		_, err = f.svc.SignIn(ctx, u.Email, "guess", bot(99))
		if got := outcome(err, f.clock.Now()); got != "bad credentials" {
			t.Errorf("a day later: %s", got)
		}
		for i := range 12 {
			_, _ = f.svc.SignIn(ctx, u.Email, "guess", bot(100+i))
		}
		if err := f.svc.Unlock(ctx, u.ID, here); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, auth.Client{IP: "198.51.100.99"}); err != nil {
			t.Errorf("new client after an unlock: %v", err)
		}
	})
}

// Thirty failures with made-up emails throttle the client that made them,
// and nobody else.
func TestRandomEmailsThrottleOnlyTheirClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		u := f.user(t, "innocent@example.org", access.Clinician)
		for i := range 30 {
			_, _ = f.svc.SignIn(ctx, fmt.Sprintf("random%d@example.org", i), "x", elsewhere)
		}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, elsewhere); outcome(err, f.clock.Now()) != "locked address=true slowed=false for 15m0s" {
			t.Errorf("the guessing client: %v", err)
		}
		if _, err := f.svc.SignIn(ctx, u.Email, goodPassword, here); err != nil {
			t.Errorf("another client: %v", err)
		}
	})
}

// Counts are kept by single statements, so app instances racing on one
// database lose none (the count is what the limits are worth across them),
// and an attempt is counted before its password is checked, so a burst
// gets no more tries than the same attempts one by one.
func TestFailureCountsSurviveConcurrentInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		f.svc.Config.AddressLimit = 1000
		instances := make([]*auth.Service, 4)
		for i := range instances {
			svc := *f.svc // another app instance: its own service, the same database
			instances[i] = &svc
		}
		done := make(chan error)
		for i := range 20 {
			go func() {
				_, err := instances[i%4].SignIn(ctx, fmt.Sprintf("n%d@example.org", i), "x", elsewhere)
				done <- err
			}()
		}
		for range 20 {
			if err := <-done; !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("sign-in: %v", err)
			}
		}
		th, err := s.GetThrottle(ctx, "addr:"+elsewhere.IP)
		if err != nil || th.Failures != 20 {
			t.Errorf("client's failures counted: %d (%v), want 20", th.Failures, err)
		}

		// A burst of 20 guesses at one account from one client, all at
		// once: no more are tried than one by one (4 wrong, then locked).
		f.user(t, "burst@example.org", access.Clinician)
		for i := range 20 {
			go func() {
				_, err := instances[i%4].SignIn(ctx, "burst@example.org", "guess", here)
				done <- err
			}()
		}
		outcomes := map[string]int{}
		for range 20 {
			err := <-done
			var locked *auth.LockedError
			switch {
			case errors.Is(err, auth.ErrBadCredentials):
				outcomes["wrong"]++
			case errors.As(err, &locked) && !locked.Address && !locked.Slowed:
				outcomes["locked"]++
			default:
				t.Errorf("burst: %v", err)
			}
		}
		if outcomes["wrong"] != 4 || outcomes["locked"] != 16 {
			t.Errorf("burst of 20: %v, want 4 wrong and 16 locked", outcomes)
		}
	})
}

// Lapsed counts are purged; counts in their window and locks in force stay.
func TestPurgeStaleLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		for i := range 5 {
			_, _ = f.svc.SignIn(ctx, "made-up@example.org", "x", auth.Client{IP: fmt.Sprintf("198.51.100.%d", i%2)})
		}
		f.clock.Advance(23 * time.Hour)
		_, _ = f.svc.SignIn(ctx, "other@example.org", "x", here)
		f.clock.Advance(2 * time.Hour)
		n, err := f.svc.PurgeStaleLimits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Gone: made-up@'s two client counts, its account-wide count, the
		// two clients' counts. Kept: other@'s three.
		if n != 5 {
			t.Errorf("purged %d rows, want 5", n)
		}
		if th, err := s.GetThrottle(ctx, "addr:"+here.IP); err != nil || th.Failures != 1 {
			t.Errorf("a live count was purged: %+v %v", th, err)
		}
	})
}

// Many people behind one address (a hospital's NAT) signing in at the same
// moment are not taken for a client that failed: only failures count
// towards the per-client limit.
func TestManyPeopleBehindOneAddressSignInTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		const people = 40 // more than the per-client limit of 30
		for i := range people {
			f.user(t, fmt.Sprintf("nurse%d@example.org", i), access.Clinician)
		}
		done := make(chan error)
		for i := range people {
			go func() {
				_, err := f.svc.SignIn(ctx, fmt.Sprintf("nurse%d@example.org", i), goodPassword, here)
				done <- err
			}()
		}
		for range people {
			if err := <-done; err != nil {
				t.Errorf("sign-in: %v", err)
			}
		}
	})
}
