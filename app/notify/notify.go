// Package notify is clinaudit's notification service
// (docs/notifications.md): a message is a template with its values, sent
// to a recipient on a channel (email or SMS) chosen from the recipient's
// preference, queued in the outbox in the caller's transaction. It knows
// nothing of HTTP or of providers: outbox/delivery sends, through SMTP or
// GOV.UK Notify (notify/govuk).
package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// Recipient is who a message is for: their addresses, the channel they
// prefer ("" is email) and whether they opted out of non-essential
// messages.
type Recipient struct {
	Email    string
	Phone    string // "+44" form
	Prefer   outbox.Channel
	OptedOut bool
}

var (
	// ErrOptedOut: the recipient opted out and the message is not essential.
	ErrOptedOut = errors.New("notify: the recipient has opted out of non-essential messages")
	// ErrNoAddress: the recipient has no address on any channel the
	// template has.
	ErrNoAddress = errors.New("notify: the recipient has no email address or mobile number for this message")
)

// Route decides the channel and address of a message: ch when asked for
// (a survey sent by SMS), else the recipient's preference, falling back to
// the other channel when the chosen one has no address or no text in the
// template.
func (r Recipient) Route(t Template, ch outbox.Channel) (outbox.Channel, string, error) {
	if r.OptedOut && !t.Essential {
		return "", "", ErrOptedOut
	}
	has := map[outbox.Channel]bool{}
	for _, c := range t.Channels() {
		has[c] = true
	}
	addr := map[outbox.Channel]string{outbox.Email: r.Email, outbox.SMS: r.Phone}
	first := ch
	if first == "" {
		first = r.Prefer
	}
	if first != outbox.SMS {
		first = outbox.Email
	}
	order := []outbox.Channel{first, outbox.SMS}
	if first == outbox.SMS {
		order[1] = outbox.Email
	}
	if ch != "" {
		order = order[:1] // asked for: no fallback
	}
	for _, c := range order {
		if has[c] && addr[c] != "" {
			return c, addr[c], nil
		}
	}
	return "", "", ErrNoAddress
}

// Notification is one message to queue.
type Notification struct {
	Template string
	Values   map[string]string
	To       Recipient
	Channel  outbox.Channel // "": the recipient's preference
}

// Send renders n and queues it in tx (outbox.Enqueue), returning the
// outbox id and the channel chosen. Errors: ErrOptedOut, ErrNoAddress,
// ErrTemplate, or the store's.
func Send(ctx context.Context, tx store.Tx, n Notification, now time.Time) (int64, outbox.Channel, error) {
	t, ok := Lookup(n.Template)
	if !ok {
		return 0, "", fmt.Errorf("%w %q: no such template", ErrTemplate, n.Template)
	}
	ch, to, err := n.To.Route(t, n.Channel)
	if err != nil {
		return 0, "", err
	}
	r, err := Render(n.Template, ch, n.Values)
	if err != nil {
		return 0, "", err
	}
	id, err := outbox.Enqueue(ctx, tx, outbox.Message{Channel: ch, To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		Template: n.Template, Essential: t.Essential}, now)
	return id, ch, err
}

// SendSMSCode queues a one-time sign-in code by SMS to phone (the "+44"
// form of a verified number), in tx: the hook for SMS as a second factor
// (staff, and the family accounts of issue 17). The caller makes, stores
// (hashed) and checks the code, as auth does for emailed codes; this only
// words and queues the message, which is essential, so opt-outs do not
// stop it. expires is shown as a UTC time of day.
func SendSMSCode(ctx context.Context, tx store.Tx, phone, code string, expires, now time.Time) (int64, error) {
	id, _, err := Send(ctx, tx, Notification{Template: "sign_in_code", Channel: outbox.SMS, To: Recipient{Phone: phone},
		Values: map[string]string{"code": code, "expires": expires.UTC().Format("15:04 UTC")}}, now)
	return id, err
}

// ContactRecipient is a registry contact as a recipient: its preferred
// channel (a letter preference falls back to email, then SMS: letters are
// not sent) and may_contact as the opt-out.
func ContactRecipient(c store.RegistryContact) Recipient {
	return Recipient{Email: c.Email, Phone: c.Phone, Prefer: outbox.Channel(c.PreferredChannel), OptedOut: !c.MayContact}
}

// StaffPreference returns a staff account's preferences, the defaults
// (email, no phone, not opted out) when none are set.
func StaffPreference(ctx context.Context, q store.Queries, userID int64) (store.NotificationPreference, error) {
	p, err := q.GetNotificationPreference(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.NotificationPreference{UserID: userID, Channel: string(outbox.Email)}, nil
	}
	return p, err
}

// StaffRecipient is a staff account as a recipient, with its preferences.
func StaffRecipient(ctx context.Context, q store.Queries, u store.User) (Recipient, error) {
	p, err := StaffPreference(ctx, q, u.ID)
	if err != nil {
		return Recipient{}, err
	}
	return Recipient{Email: u.Email, Phone: p.Phone, Prefer: outbox.Channel(p.Channel), OptedOut: p.OptedOut}, nil
}

// RecordReceipt keeps a provider's delivery receipt for the message it
// knows as ref. found is false when no sent message has that ref (a
// receipt for a message purged, or another service's).
func RecordReceipt(ctx context.Context, q store.Queries, provider, ref, status, reason string, at time.Time) (found bool, err error) {
	n, err := q.RecordDeliveryReceipt(ctx, store.RecordDeliveryReceiptParams{Status: status, StatusReason: reason, StatusAt: &at,
		Provider: provider, ProviderRef: ref})
	return n > 0, err
}

// MaskAddress shows enough of an address to tell messages apart on the
// delivery status page, not enough to contact anyone: the registry's
// contacts are not the audit team's to see. "jane@example.org" is
// "j***@example.org"; "+447700900123" is "+44*******123".
func MaskAddress(a string) string {
	if local, domain, ok := strings.Cut(a, "@"); ok {
		if local == "" {
			return "***@" + domain
		}
		return local[:1] + "***@" + domain
	}
	if len(a) <= 6 {
		return strings.Repeat("*", len(a))
	}
	return a[:3] + strings.Repeat("*", len(a)-6) + a[len(a)-3:]
}
