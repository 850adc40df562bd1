package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/auth/totp"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// enrol signs u in on a new browser and sets up an authenticator app; it
// returns the secret and the code used.
func enrol(t *testing.T, b *browser, email string) (secret, code string) {
	t.Helper()
	b.get("/sign-in")
	if p := b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}}); p.status != 303 {
		t.Fatalf("sign in: %d", p.status)
	}
	p := b.get("/sign-in/two-factor")
	secret = strings.ReplaceAll(p.doc.Find("#totp-secret").Text(), " ", "")
	code, _ = totp.Code(secret, time.Now())
	if p := b.post("/sign-in/two-factor/setup", url.Values{"code": {code}}); p.status != 200 || p.doc.Find("#backup-codes li").Length() != 10 {
		t.Fatalf("enrol: %d", p.status)
	}
	return secret, code
}

// signInPassword is a new browser past the password, awaiting the second factor.
func signInPassword(t *testing.T, b *browser, email string) {
	t.Helper()
	b.get("/sign-in")
	if p := b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}}); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/sign-in/two-factor") {
		t.Fatalf("sign in: %d %s", p.status, p.header.Get("Location"))
	}
	b.get("/sign-in/two-factor")
}

var clockPattern = regexp.MustCompile(`\d\d:\d\d(:\d\d)?`)

// A wrong password for a real account and any password for an email no
// account has get the same answers, also once the account would lock.
func TestSignInAnswersTheSameForUnknownEmails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "real@example.org")
		answers := func(email string) []string {
			b := newBrowser(t, app)
			b.get("/sign-in")
			var got []string
			for range 7 {
				p := b.post("/sign-in", url.Values{"email": {email}, "password": {"not-the-password"}})
				body := clockPattern.ReplaceAllString(strings.ReplaceAll(p.body, email, "EMAIL"), "HH:MM")
				body = strings.ReplaceAll(body, b.csrf, "CSRF")
				got = append(got, strconv.Itoa(p.status)+"\n"+body)
			}
			return got
		}
		real, unknown := answers("real@example.org"), answers("nobody@example.org")
		for i := range real {
			if real[i] != unknown[i] {
				t.Errorf("attempt %d: the answers differ (real account first):\n%s\n----\n%s", i+1, real[i], unknown[i])
			}
		}
	})
}

// Forgot password answers at once with the same page, having done the same
// work (queued one job) whether or not the email has an account: the email
// itself is sent by the job.
func TestForgotPasswordDoesTheSameForUnknownEmails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "real@example.org")
		b := newBrowser(t, app)
		b.get("/forgot-password")
		ask := func(email string) (status int, body string, jobs []string) {
			before := jobKinds(t, s)
			p := b.post("/forgot-password", url.Values{"email": {email}})
			after := jobKinds(t, s)
			for k, n := range after {
				for range n - before[k] {
					jobs = append(jobs, k)
				}
			}
			sort.Strings(jobs)
			return p.status, strings.ReplaceAll(p.body, email, "EMAIL"), jobs
		}
		rs, rb, rj := ask("real@example.org")
		us, ub, uj := ask("nobody@example.org")
		if rs != 200 || rs != us || rb != ub {
			t.Errorf("answers differ: %d vs %d\n%s\n----\n%s", rs, us, rb, ub)
		}
		if !slices.Equal(rj, uj) || len(rj) != 1 {
			t.Errorf("work differs: real queued %v, unknown %v", rj, uj)
		}
		if emails, _ := s.ListEmails(ctx, 10); len(emails) != 0 {
			t.Errorf("an email was written while answering (its time tells the account exists): %v", emails[0].Subject)
		}
	})
}

func jobKinds(t *testing.T, s store.Store) map[string]int {
	t.Helper()
	res, err := s.ListJobs(context.Background(), river.NewJobListParams().First(10000))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, j := range res.Jobs {
		kinds[j.Kind]++
	}
	return kinds
}

// Forgot password takes the same time for a real account and an unknown
// email. Timings are interleaved and compared by their medians, with a
// generous bound: before the fix the real account's answer took several
// times as long (it wrote the token, the email and its job).
func TestForgotPasswordTakesTheSameTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		// A new account each time: a few requests for one account reach
		// its hourly limit on reset emails, after which it answers early.
		const samples = 31
		for i := range samples {
			makeUser(t, s, a, fmt.Sprintf("real%d@example.org", i))
		}
		b := newBrowser(t, app)
		b.get("/forgot-password")
		var real, unknown []time.Duration
		for i := range samples {
			for _, email := range []string{fmt.Sprintf("real%d@example.org", i), fmt.Sprintf("nobody%d@example.org", i)} {
				start := time.Now()
				b.post("/forgot-password", url.Values{"email": {email}})
				d := time.Since(start)
				if i == 0 {
					continue // warm-up
				}
				if strings.HasPrefix(email, "nobody") {
					unknown = append(unknown, d)
				} else {
					real = append(real, d)
				}
			}
		}
		mr, mu := median(real), median(unknown)
		t.Logf("median: real account %s, unknown email %s", mr, mu)
		if float64(mr) > 2*float64(mu) || float64(mu) > 2*float64(mr) {
			t.Errorf("one median is more than twice the other: real %s, unknown %s", mr, mu)
		}
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Fifteen requests for an emailed code send three, and say why the rest
// are refused.
func TestEmailedCodesAreLimitedWithAMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		makeUser(t, s, a, "codes@example.org")
		enrol(t, newBrowser(t, app), "codes@example.org")
		b := newBrowser(t, app)
		signInPassword(t, b, "codes@example.org")
		var statuses []int
		var last response
		for range 15 {
			last = b.post("/sign-in/two-factor", url.Values{"method": {"send-email"}})
			statuses = append(statuses, last.status)
		}
		if want := []int{200, 200, 200, 429, 429, 429, 429, 429, 429, 429, 429, 429, 429, 429, 429}; !slices.Equal(statuses, want) {
			t.Errorf("statuses %v, want %v", statuses, want)
		}
		if msg := last.doc.Find(".nhsuk-error-summary").Text(); !strings.Contains(msg, "We have sent you several codes") || !clockPattern.MatchString(msg) {
			t.Errorf("no message saying why: %q", msg)
		}
		emails, _ := s.ListEmails(ctx, 100)
		if len(emails) != 3 {
			t.Errorf("%d emails for 15 requests, want 3", len(emails))
		}
	})
}

// An enrolled user's used code, sent to the set-up route, buys neither a
// session nor new backup codes, and does not move the used step back.
func TestTwoFactorSetupRefusesEnrolledUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		u := makeUser(t, s, a, "enrolled@example.org")
		_, used := enrol(t, newBrowser(t, app), u.Email)
		before, _ := s.GetUser(ctx, u.ID)

		b := newBrowser(t, app)
		signInPassword(t, b, u.Email)
		p := b.post("/sign-in/two-factor/setup", url.Values{"code": {used}})
		if p.status != 303 || p.header.Get("Location") != "/sign-in/two-factor" || p.doc.Find("#backup-codes li").Length() != 0 {
			t.Errorf("used code at the set-up route: %d %s, %d backup codes", p.status, p.header.Get("Location"), p.doc.Find("#backup-codes li").Length())
		}
		if p := b.get("/account"); p.status != 303 || p.header.Get("Location") != "/sign-in/two-factor" {
			t.Errorf("signed in by a replayed code: %d %s", p.status, p.header.Get("Location"))
		}
		if p := b.post("/sign-in/two-factor", url.Values{"method": {"totp"}, "code": {used}}); p.status != 422 {
			t.Errorf("the used code at the sign-in route: %d", p.status)
		}
		after, _ := s.GetUser(ctx, u.ID)
		if after.TotpLastStep != before.TotpLastStep || !after.TotpConfirmedAt.Equal(*before.TotpConfirmedAt) {
			t.Errorf("last step %d -> %d, confirmed %v -> %v", before.TotpLastStep, after.TotpLastStep, before.TotpConfirmedAt, after.TotpConfirmedAt)
		}
	})
}

// The account-wide slow-down says what it is, when to try again and what
// the user can do, in the same words for an email no account has.
func TestSlowDownMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		a.Config.SlowAfter = 2
		a.Config.SlowMax = time.Hour
		makeUser(t, s, a, "slow@example.org")
		for _, email := range []string{"slow@example.org", "nobody@example.org"} {
			b := newBrowser(t, app)
			b.get("/sign-in")
			b.post("/sign-in", url.Values{"email": {email}, "password": {"guess"}})
			b.post("/sign-in", url.Values{"email": {email}, "password": {"guess"}})
			p := b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}})
			msg := p.doc.Find(".nhsuk-error-summary li").Text()
			if p.status != 429 || !strings.Contains(msg, "many failed sign-ins to this account recently") ||
				!regexp.MustCompile(`Try again after \d\d:\d\d:\d\d\.`).MatchString(msg) || !strings.Contains(msg, "reset your password from this device") {
				t.Errorf("%s, 3rd attempt: %d %q", email, p.status, msg)
			}
		}
	})
}
