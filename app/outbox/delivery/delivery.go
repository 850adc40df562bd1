// Package delivery sends the outbox's messages: the email_send job's
// worker, for every channel. It is apart from outbox so that the packages
// that queue messages (auth, children, notify) do not link the SMTP client
// or any other provider.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/mail"
	"clinaudit/app/outbox"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Worker delivers queued messages through the provider of their channel.
// With no provider for a channel (the demo) it leaves the message in the
// outbox, status queued, where the Demo mailbox page shows it. A sent
// message's body is blanked so the links and codes in it do not linger.
type Worker struct {
	river.WorkerDefaults[jobargs.SendEmailArgs]
	Store  store.Store
	Email  outbox.Provider // nil: keep email in the outbox
	SMS    outbox.Provider // nil: keep SMS in the outbox
	Logger *slog.Logger
}

// Timeout: one send is bounded by mail.DefaultTimeout (30 s) or the HTTP
// provider's own timeout.
func (w *Worker) Timeout(*river.Job[jobargs.SendEmailArgs]) time.Duration { return time.Minute }

func (w *Worker) Work(ctx context.Context, job *river.Job[jobargs.SendEmailArgs]) error {
	e, err := w.Store.GetEmail(ctx, job.Args.EmailID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("message %d no longer exists", job.Args.EmailID))
	}
	if err != nil {
		return err
	}
	if e.SentAt != nil || e.Status != outbox.StatusQueued {
		return nil // sent by an earlier attempt whose completion was lost
	}
	p := w.Email
	if outbox.Channel(e.Channel) == outbox.SMS {
		p = w.SMS
	}
	if p == nil {
		w.log().Info("message kept in the outbox: no provider is configured for its channel", "id", e.ID, "channel", e.Channel)
		return nil
	}
	ref, err := p.Send(ctx, outbox.Outgoing{ID: e.ID, Channel: outbox.Channel(e.Channel), To: e.ToAddress, Subject: e.Subject, Text: e.BodyText, HTML: e.BodyHtml})
	now := time.Now().UTC()
	if err != nil {
		// The error names no secret (providers redact credentials); admins
		// see it on the notifications page.
		permanent := Permanent(err)
		status := outbox.StatusQueued
		if permanent {
			status = outbox.StatusFailed
		}
		_ = w.Store.RecordEmailFailure(ctx, store.RecordEmailFailureParams{LastError: err.Error(), Status: status,
			StatusReason: err.Error(), StatusAt: &now, Provider: p.Name(), ID: e.ID})
		if permanent {
			return river.JobCancel(err)
		}
		return err
	}
	return w.Store.MarkEmailSent(ctx, store.MarkEmailSentParams{SentAt: &now, BodyText: "", Provider: p.Name(), ProviderRef: ref, ID: e.ID})
}

// Permanent reports whether retrying err cannot help: a provider's error
// that says so (its Permanent method), or a permanent mail error
// (mail.IsPermanent).
func Permanent(err error) bool {
	var p interface{ Permanent() bool }
	if errors.As(err, &p) {
		return p.Permanent()
	}
	return mail.IsPermanent(err)
}

func (w *Worker) log() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}

// SMTP is the email provider over a mail.Sender. SMTP has no delivery
// receipts: a message accepted by the server stays "sent".
type SMTP struct{ Sender mail.Sender }

// NewSMTP returns the SMTP provider, or nil (keep email in the outbox)
// when there is no sender.
func NewSMTP(s mail.Sender) outbox.Provider {
	if s == nil {
		return nil
	}
	return SMTP{Sender: s}
}

func (SMTP) Name() string { return "smtp" }

func (p SMTP) Send(ctx context.Context, m outbox.Outgoing) (string, error) {
	if m.Channel != outbox.Email {
		return "", &mail.Error{Op: "message", Err: fmt.Errorf("%w: SMTP sends email only", mail.ErrInvalidMessage)}
	}
	return "", p.Sender.Send(ctx, mail.Message{To: []string{m.To}, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
}
