package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestNotificationQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		email := get[int64](t)(s.InsertEmail(ctx, store.InsertEmailParams{ToAddress: "ann@example.org", Subject: "S", BodyText: "t", CreatedAt: at(0), Channel: "email", BodyHtml: "<p>t</p>", Template: "survey_invite"}))
		sms := get[int64](t)(s.InsertEmail(ctx, store.InsertEmailParams{ToAddress: "+447700900123", BodyText: "code", CreatedAt: at(1), Channel: "sms", Template: "sign_in_code", Essential: true}))
		if m := get[store.Email](t)(s.GetEmail(ctx, sms)); m.Channel != "sms" || !m.Essential || m.Status != "queued" || m.Template != "sign_in_code" {
			t.Errorf("a queued SMS = %+v", m)
		}
		if m := get[store.Email](t)(s.GetEmail(ctx, email)); m.BodyHtml != "<p>t</p>" {
			t.Errorf("a queued email = %+v", m)
		}
		check(t, s.MarkEmailSent(ctx, store.MarkEmailSentParams{SentAt: ptr(at(2)), Provider: "govuk_notify", ProviderRef: "ref-1", ID: email}))
		if m := get[store.Email](t)(s.GetEmail(ctx, email)); m.BodyHtml != "" || m.BodyText != "" {
			t.Errorf("a sent email kept its body: %+v", m)
		}

		// A receipt matches by provider and ref, only a sent message.
		n, err := s.RecordDeliveryReceipt(ctx, store.RecordDeliveryReceiptParams{Status: "delivered", StatusAt: ptr(at(3)), Provider: "govuk_notify", ProviderRef: "ref-1"})
		wantRows(t, "RecordDeliveryReceipt", n, err, 1)
		n, err = s.RecordDeliveryReceipt(ctx, store.RecordDeliveryReceiptParams{Status: "delivered", StatusAt: ptr(at(3)), Provider: "smtp", ProviderRef: "ref-1"})
		wantRows(t, "RecordDeliveryReceipt of another provider", n, err, 0)
		n, err = s.RecordDeliveryReceipt(ctx, store.RecordDeliveryReceiptParams{Status: "delivered", StatusAt: ptr(at(3)), Provider: "", ProviderRef: ""})
		wantRows(t, "RecordDeliveryReceipt of a queued message", n, err, 0)
		if m := get[store.Email](t)(s.GetEmail(ctx, email)); m.Status != "delivered" || !m.StatusAt.Equal(at(3)) {
			t.Errorf("after a receipt = %+v", m)
		}

		all := get[[]store.Email](t)(s.ListNotifications(ctx, store.ListNotificationsParams{PageLimit: 10}))
		if len(all) != 2 || all[0].ID != sms {
			t.Errorf("ListNotifications = %+v, want both, newest first", all)
		}
		if ms := get[[]store.Email](t)(s.ListNotifications(ctx, store.ListNotificationsParams{Status: ptr("queued"), PageLimit: 10})); len(ms) != 1 || ms[0].ID != sms {
			t.Errorf("ListNotifications of queued = %+v", ms)
		}
		if ms := get[[]store.Email](t)(s.ListNotifications(ctx, store.ListNotificationsParams{Channel: ptr("email"), PageLimit: 10})); len(ms) != 1 || ms[0].ID != email {
			t.Errorf("ListNotifications of email = %+v", ms)
		}
		counts := get[[]store.CountNotificationsByStatusRow](t)(s.CountNotificationsByStatus(ctx))
		if len(counts) != 2 || counts[0] != (store.CountNotificationsByStatusRow{Status: "delivered", N: 1}) || counts[1] != (store.CountNotificationsByStatusRow{Status: "queued", N: 1}) {
			t.Errorf("CountNotificationsByStatus = %+v", counts)
		}

		// Staff preferences.
		u := newUser(t, s, "pref@example.org", nil)
		_, err = s.GetNotificationPreference(ctx, u)
		wantNotFound(t, "GetNotificationPreference before any", err)
		check(t, s.SetNotificationPreference(ctx, store.SetNotificationPreferenceParams{UserID: u, Channel: "sms", Phone: "+447700900123", OptedOut: true, UpdatedAt: at(1)}))
		check(t, s.SetNotificationPreference(ctx, store.SetNotificationPreferenceParams{UserID: u, Channel: "email", Phone: "+447700900124", OptedOut: false, UpdatedAt: at(2)}))
		if p := get[store.NotificationPreference](t)(s.GetNotificationPreference(ctx, u)); p.Channel != "email" || p.Phone != "+447700900124" || p.OptedOut || !p.UpdatedAt.Equal(at(2)) {
			t.Errorf("GetNotificationPreference = %+v", p)
		}
	})
}
