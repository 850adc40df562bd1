// Package delivery sends the outbox's email: the email_send job's worker.
// It is apart from outbox so that the packages that queue email (auth,
// children) do not link the SMTP client.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/mail"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Worker delivers queued email. With no SMTP server (the demo) it leaves
// the message in the outbox, where the Demo mailbox page shows it. A
// delivered message's body is blanked so the links in it do not linger.
type Worker struct {
	river.WorkerDefaults[jobargs.SendEmailArgs]
	Store  store.Store
	Sender mail.Sender // nil: keep in the outbox
	Logger *slog.Logger
}

// Timeout: one send is bounded by mail.DefaultTimeout (30 s).
func (w *Worker) Timeout(*river.Job[jobargs.SendEmailArgs]) time.Duration { return time.Minute }

func (w *Worker) Work(ctx context.Context, job *river.Job[jobargs.SendEmailArgs]) error {
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

func (w *Worker) log() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}
