package jobs

import (
	"context"
	"time"

	"clinaudit/app/auth"

	"github.com/riverqueue/river"
)

// ResetRequestWorker answers a "forgot password" request queued by the
// page: a reset link for an active account, nothing otherwise.
type ResetRequestWorker struct {
	river.WorkerDefaults[auth.ResetRequestArgs]
	Auth *auth.Service
}

// Timeout: one account's look-up and one queued email.
func (w *ResetRequestWorker) Timeout(*river.Job[auth.ResetRequestArgs]) time.Duration {
	return time.Minute
}

func (w *ResetRequestWorker) Work(ctx context.Context, job *river.Job[auth.ResetRequestArgs]) error {
	a := job.Args
	return w.Auth.RequestReset(ctx, a.Email, auth.Client{IP: a.IP, UserAgent: a.UserAgent})
}
