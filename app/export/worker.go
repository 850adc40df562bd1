package export

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// Worker is the records_export job: it writes one export's file
// (Runner.RunExport). The job's last attempt is final: a failure then is
// for good.
type Worker struct {
	river.WorkerDefaults[jobargs.ExportRecordsArgs]
	Runner *Runner
}

// Timeout: a national export reads every child's record; River's default
// of a minute would cut it short.
func (w *Worker) Timeout(*river.Job[jobargs.ExportRecordsArgs]) time.Duration { return time.Hour }

func (w *Worker) Work(ctx context.Context, job *river.Job[jobargs.ExportRecordsArgs]) error {
	return w.Runner.RunExport(ctx, job.Args.ExportID, job.Attempt >= job.MaxAttempts)
}

// PurgeWorker is the hourly exports_purge job: it deletes the exports,
// and their files, that have expired.
type PurgeWorker struct {
	river.WorkerDefaults[jobargs.PurgeExportsArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Timeout: deletes expired rows and their files.
func (w *PurgeWorker) Timeout(*river.Job[jobargs.PurgeExportsArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[jobargs.PurgeExportsArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := w.Store.DeleteExpiredRecordExports(ctx, now().UTC())
	if err == nil && n > 0 && w.Logger != nil {
		w.Logger.Info("purged expired exports", "exports", n)
	}
	return err
}
