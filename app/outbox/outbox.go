// Package outbox queues email: a message is a row in the emails table plus a
// River job that sends it, both written in the caller's transaction, so an
// email goes out exactly when the change that caused it commits.
package outbox

import (
	"context"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// Message is an email to queue.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Enqueue queues m in tx and returns its id.
func Enqueue(ctx context.Context, tx store.Tx, m Message, now time.Time) (int64, error) {
	id, err := tx.InsertEmail(ctx, store.InsertEmailParams{ToAddress: m.To, Subject: m.Subject, BodyText: m.Text, CreatedAt: now})
	if err != nil {
		return 0, err
	}
	return id, tx.InsertJob(ctx, jobargs.SendEmailArgs{EmailID: id}, nil)
}
