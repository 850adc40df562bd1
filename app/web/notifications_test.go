package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/notify"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// TestNotifyCallback: Notify's delivery receipt, as Notify posts it
// (its documented body), is taken only with the configured bearer token.
func TestNotifyCallback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		a, _ := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		app := New(Deps{Store: s, Version: "test", Auth: a, NotifyCallbackToken: "cb-token-0123456789"})
		var id int64
		err := s.InTx(ctx, func(tx store.Tx) error {
			var err error
			id, err = notify.SendSMSCode(ctx, tx, "+447700900123", "111222", time.Now(), time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if err := s.MarkEmailSent(ctx, store.MarkEmailSentParams{SentAt: &now, Provider: "govuk_notify", ProviderRef: "740e5834-3a29-46b4-9a6f-16142fde533a", ID: id}); err != nil {
			t.Fatal(err)
		}
		post := func(auth, body string) int {
			req := httptest.NewRequest(http.MethodPost, "/notifications/govuk-notify/callback", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode
		}
		receipt := `{"id":"740e5834-3a29-46b4-9a6f-16142fde533a","reference":"clinaudit-1","to":"+447700900123","status":"temporary-failure",` +
			`"created_at":"2026-12-06T10:00:00.000000Z","completed_at":"2026-12-06T10:05:00.000000Z","sent_at":"2026-12-06T10:00:01.000000Z","notification_type":"sms"}`
		for _, bad := range []string{"", "Bearer wrong", "cb-token-0123456789"} {
			if got := post(bad, receipt); got != http.StatusUnauthorized {
				t.Errorf("Authorization %q: %d, want 401", bad, got)
			}
		}
		if e, _ := s.GetEmail(ctx, id); e.Status != "sent" {
			t.Fatalf("an unauthorised receipt changed the status: %+v", e)
		}
		if got := post("Bearer cb-token-0123456789", "{not json"); got != http.StatusBadRequest {
			t.Errorf("unreadable receipt: %d", got)
		}
		if got := post("Bearer cb-token-0123456789", receipt); got != http.StatusNoContent {
			t.Errorf("receipt: %d", got)
		}
		e, _ := s.GetEmail(ctx, id)
		if e.Status != "failed" || !strings.Contains(e.StatusReason, "temporary-failure") || e.StatusAt == nil || !e.StatusAt.Equal(time.Date(2026, 12, 6, 10, 5, 0, 0, time.UTC)) {
			t.Errorf("after the receipt: %+v", e)
		}
		// No token configured: every receipt is refused.
		app = New(Deps{Store: s, Version: "test", Auth: a})
		if got := post("Bearer ", receipt); got != http.StatusUnauthorized {
			t.Errorf("with no token configured: %d", got)
		}
	})
}

func TestNotificationPagesAndPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "nat@example.org", access.NationalFull, "")
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		nat := signIn(t, newBrowser(t, app), "nat@example.org")

		// Preferences: text messages need a number; a bad one is refused
		// beside its field.
		nat.get("/account")
		p := nat.post("/account/notifications", url.Values{"channel": {"sms"}})
		if p.status != 422 || !strings.Contains(p.doc.Find("#phone-error").Text(), "Enter a mobile number to receive text messages") ||
			p.doc.Find(".nhsuk-error-summary a[href='#phone']").Length() != 1 {
			t.Errorf("SMS without a number: %d %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}
		p = nat.post("/account/notifications", url.Values{"channel": {"sms"}, "phone": {"12ab"}})
		if p.status != 422 || !strings.Contains(p.doc.Find("#phone-error").Text(), "Enter a mobile number, like") || p.doc.Find("#phone").AttrOr("value", "") != "12ab" {
			t.Errorf("a bad number: %d", p.status)
		}
		p = nat.post("/account/notifications", url.Values{"channel": {"sms"}, "phone": {"07700 900123"}, "opted_out": {"yes"}})
		if p.status != 200 || p.doc.Find("#preferences-saved").Length() != 1 || p.doc.Find("#phone").AttrOr("value", "") != "+447700900123" ||
			p.doc.Find("#channel-sms[checked]").Length() != 1 || p.doc.Find("#opted_out[checked]").Length() != 1 {
			t.Errorf("saved preferences: %d %s", p.status, p.doc.Find("form[action='/account/notifications']").Text())
		}
		if p := nat.get("/account"); p.doc.Find("#phone").AttrOr("value", "") != "+447700900123" {
			t.Error("the account page forgot the number")
		}

		// An opted-out account still gets its essential sign-in code.
		ctx := context.Background()
		u, _ := s.GetUserByEmail(ctx, "nat@example.org")
		r, err := notify.StaffRecipient(ctx, s, u)
		if err != nil || r.Phone != "+447700900123" || !r.OptedOut || r.Prefer != "sms" {
			t.Fatalf("StaffRecipient = %+v, %v", r, err)
		}
		err = s.InTx(ctx, func(tx store.Tx) error {
			if _, _, err := notify.Send(ctx, tx, notify.Notification{Template: "survey_invite", To: r, Values: map[string]string{
				"contact_name": "x", "registry": "x", "survey": "x", "link": "x", "closes": "x"}}, time.Now()); err != notify.ErrOptedOut {
				t.Errorf("a non-essential message to an opted-out account: %v", err)
			}
			_, _, err := notify.Send(ctx, tx, notify.Notification{Template: "sign_in_code", To: r, Values: map[string]string{"code": "123456", "expires": "10:00 UTC"}}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		// The status page shows it queued, as a text message; the filter works.
		p = nat.get("/admin/notifications?channel=sms")
		row := p.doc.Find("#notifications tbody tr")
		if p.status != 200 || row.Length() != 1 || !strings.Contains(row.Text(), "+44*******123") || strings.Contains(row.Text(), "+447700900123") || !strings.Contains(row.Text(), "sign_in_code (essential)") ||
			!strings.Contains(row.Text(), "queued") || !strings.Contains(row.Text(), "Text message") {
			t.Errorf("notifications page: %d %q", p.status, row.Text())
		}
		if p := nat.get("/admin/notifications?status=delivered"); p.doc.Find("#notifications-empty").Length() != 1 {
			t.Error("the status filter shows undelivered messages")
		}
		p = nat.get("/admin/notifications/templates")
		code := p.doc.Find("#template-sign_in_code")
		if p.status != 200 || !strings.Contains(code.Text(), "Essential") || !strings.Contains(code.Text(), "Your clinaudit sign-in code") ||
			!strings.Contains(code.Find(".app-sms-length").Text(), "1 message") || !strings.Contains(p.doc.Find("#template-survey_invite").Text(), "Answer the survey") {
			t.Errorf("templates page: %d %q", p.status, code.Text())
		}
		// Not for a lead clinician.
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		if p := lead.get("/admin/notifications"); p.status != 403 {
			t.Errorf("lead clinician on the notifications page: %d", p.status)
		}
	})
}
