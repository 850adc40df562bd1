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

// NewPurgeWorker is the hourly exports_purge job: it deletes the exports,
// and their files, that have expired.
func NewPurgeWorker(st store.Store, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeExportsArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeExportsArgs]{
		Purge: func(ctx context.Context, now time.Time) (int64, error) {
			return st.DeleteExpiredRecordExports(ctx, now.UTC())
		},
		// Deletes expired rows and their files.
		Limit:   5 * time.Minute,
		Message: "purged expired exports", Key: "exports",
		Logger: log,
	}
}
