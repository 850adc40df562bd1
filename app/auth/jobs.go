package auth

import (
	"context"
	"time"

	"clinaudit/app/jobargs"

	"github.com/riverqueue/river"
)

// The accounts' background jobs; jobs/jobs.go registers and schedules
// them.

// ResetRequestWorker answers a "forgot password" request queued by the
// page (QueueReset): a reset link for an active account, nothing otherwise.
type ResetRequestWorker struct {
	river.WorkerDefaults[jobargs.ResetRequestArgs]
	Auth *Service
}

// Timeout: one account's look-up and one queued email.
func (w *ResetRequestWorker) Timeout(*river.Job[jobargs.ResetRequestArgs]) time.Duration {
	return time.Minute
}

func (w *ResetRequestWorker) Work(ctx context.Context, job *river.Job[jobargs.ResetRequestArgs]) error {
	a := job.Args
	return w.Auth.RequestReset(ctx, a.Email, Client{IP: a.IP, UserAgent: a.UserAgent})
}

// PurgeSessionsWorker deletes ended sessions and lapsed sign-in counts.
type PurgeSessionsWorker struct {
	river.WorkerDefaults[jobargs.PurgeSessionsArgs]
	Auth *Service
}

// Timeout: a few deletes, but of tables that grow between runs.
func (w *PurgeSessionsWorker) Timeout(*river.Job[jobargs.PurgeSessionsArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *PurgeSessionsWorker) Work(ctx context.Context, _ *river.Job[jobargs.PurgeSessionsArgs]) error {
	if _, err := w.Auth.PurgeExpiredSessions(ctx); err != nil {
		return err
	}
	if err := w.Auth.PurgeFamily(ctx); err != nil {
		return err
	}
	_, err := w.Auth.PurgeStaleLimits(ctx)
	return err
}

// PurgeTokensWorker deletes spent invite and reset links and sign-in codes
// (PurgeSpentTokens).
type PurgeTokensWorker struct {
	river.WorkerDefaults[jobargs.PurgeAuthTokensArgs]
	Auth *Service
}

// Timeout: one delete of a table that grows by a few rows a sign-in.
func (w *PurgeTokensWorker) Timeout(*river.Job[jobargs.PurgeAuthTokensArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *PurgeTokensWorker) Work(ctx context.Context, _ *river.Job[jobargs.PurgeAuthTokensArgs]) error {
	_, err := w.Auth.PurgeSpentTokens(ctx)
	return err
}

// FamilySignInWorker answers a family's sign-in request queued by the page
// (QueueFamilySignIn): an email with a link and a code for an active family
// account, nothing otherwise.
type FamilySignInWorker struct {
	river.WorkerDefaults[jobargs.FamilySignInArgs]
	Auth *Service
}

// Timeout: one account's look-up and one queued email.
func (w *FamilySignInWorker) Timeout(*river.Job[jobargs.FamilySignInArgs]) time.Duration {
	return time.Minute
}

func (w *FamilySignInWorker) Work(ctx context.Context, job *river.Job[jobargs.FamilySignInArgs]) error {
	return w.Auth.SendFamilySignIn(ctx, job.Args.Registry, job.Args.Email)
}
