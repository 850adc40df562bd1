package jobs

import (
	"context"

	"clinaudit/app/auth"

	"github.com/riverqueue/river"
)

// ResetRequestWorker answers a "forgot password" request queued by the
// page: a reset link for an active account, nothing otherwise.
type ResetRequestWorker struct {
	river.WorkerDefaults[auth.ResetRequestArgs]
	Auth *auth.Service
}

func (w *ResetRequestWorker) Work(ctx context.Context, job *river.Job[auth.ResetRequestArgs]) error {
	a := job.Args
	return w.Auth.RequestReset(ctx, a.Email, auth.Client{IP: a.IP, UserAgent: a.UserAgent})
}
