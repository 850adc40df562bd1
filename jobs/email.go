package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"clinaudit/app/mail"
	"clinaudit/app/outbox"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// EmailWorker delivers queued email. With no SMTP server (the demo) it
// leaves the message in the outbox, where the Demo mailbox page shows it.
// A delivered message's body is blanked so the links in it do not linger.
type EmailWorker struct {
	river.WorkerDefaults[outbox.SendArgs]
	Store  store.Store
	Sender mail.Sender // nil: keep in the outbox
	Logger *slog.Logger
}

// Timeout: one send is bounded by mail.DefaultTimeout (30 s).
func (w *EmailWorker) Timeout(*river.Job[outbox.SendArgs]) time.Duration { return time.Minute }

func (w *EmailWorker) Work(ctx context.Context, job *river.Job[outbox.SendArgs]) error {
	e, err := w.Store.GetEmail(ctx, job.Args.EmailID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("email %d no longer exists", job.Args.EmailID))
	}
	if err != nil {
		return err
	}
	if e.SentAt != nil {
		return nil // delivered by an earlier attempt whose completion was lost
	}
	if w.Sender == nil {
		w.log().Info("email kept in the outbox: no SMTP server is configured", "email_id", e.ID)
		return nil
	}
	err = w.Sender.Send(ctx, mail.Message{To: []string{e.ToAddress}, Subject: e.Subject, Text: e.BodyText})
	if err != nil {
		// The error names no secret (mail redacts credentials); admins see it.
		_ = w.Store.RecordEmailFailure(ctx, store.RecordEmailFailureParams{LastError: err.Error(), ID: e.ID})
		if mail.IsPermanent(err) {
			return river.JobCancel(err)
		}
		return err
	}
	now := time.Now().UTC()
	return w.Store.MarkEmailSent(ctx, store.MarkEmailSentParams{SentAt: &now, BodyText: "", ID: e.ID})
}

func (w *EmailWorker) log() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}
