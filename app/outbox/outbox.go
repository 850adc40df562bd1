// Package outbox queues every outgoing message, email or SMS: a message is
// a row in the outbox table (named emails, from when it held only email)
// plus a River job that sends it, both written in the caller's
// transaction, so a message goes out exactly when the change that caused
// it commits. outbox/delivery's worker hands it to a Provider and keeps
// its status: queued, sent, delivered (a provider's receipt) or failed.
package outbox

import (
	"context"
	"fmt"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// Channel is how a message travels.
type Channel string

const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Delivery statuses, as the outbox table keeps them.
const (
	StatusQueued    = "queued"    // waiting for (another) attempt, or kept in the demo outbox
	StatusSent      = "sent"      // the provider accepted it
	StatusDelivered = "delivered" // the provider's receipt says it arrived
	StatusFailed    = "failed"    // refused for good, or a receipt says it never arrived
)

// Message is a message to queue. Channel "" is Email. Subject and HTML
// are for email only. Template names the app/notify template it was
// written from ("" for the older plain emails); Essential marks what is
// sent whatever the recipient's opt-out (sign-in codes).
type Message struct {
	Channel   Channel
	To        string
	Subject   string
	Text      string
	HTML      string
	Template  string
	Essential bool
}

// Enqueue queues m in tx and returns its id.
func Enqueue(ctx context.Context, tx store.Tx, m Message, now time.Time) (int64, error) {
	switch m.Channel {
	case "":
		m.Channel = Email
	case Email, SMS:
	default:
		return 0, fmt.Errorf("outbox: unknown channel %q", m.Channel)
	}
	id, err := tx.InsertEmail(ctx, store.InsertEmailParams{ToAddress: m.To, Subject: m.Subject, BodyText: m.Text, CreatedAt: now,
		Channel: string(m.Channel), BodyHtml: m.HTML, Template: m.Template, Essential: m.Essential})
	if err != nil {
		return 0, err
	}
	return id, tx.InsertJob(ctx, jobargs.SendEmailArgs{EmailID: id}, nil)
}

// Outgoing is a queued message as a Provider sends it. ID is the outbox
// row's, which providers that take a reference pass on.
type Outgoing struct {
	ID      int64
	Channel Channel
	To      string
	Subject string
	Text    string
	HTML    string
}

// Provider sends messages on one or more channels: SMTP (delivery.SMTP),
// GOV.UK Notify (app/notify/govuk), or any other gateway (Twilio, AWS SNS)
// that implements it. Send returns the provider's id for the message
// ("" if it has none), which its delivery receipts name. An error whose
// Permanent method reports true (or a permanent mail error) is not
// retried; any other error is, with backoff.
type Provider interface {
	Name() string
	Send(ctx context.Context, m Outgoing) (ref string, err error)
}
