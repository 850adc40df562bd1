package jobs

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// ExportRecordsArgs writes the file of one record export (docs/exports.md):
// the children's audit records its owner asked for. The request row and
// this job are inserted in one transaction (app/export.Ask).
type ExportRecordsArgs struct {
	ExportID int64 `json:"export_id"`
}

func (ExportRecordsArgs) Kind() string { return "records_export" }

// InsertOpts: three attempts; the last one's failure is the export's.
func (ExportRecordsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// RecordExporter writes one export's file; final says this is the job's
// last attempt, after which a failure is for good.
type RecordExporter interface {
	RunExport(ctx context.Context, exportID int64, final bool) error
}

type ExportRecordsWorker struct {
	river.WorkerDefaults[ExportRecordsArgs]
	Exporter RecordExporter
}

// Timeout: a national export reads every child's record; River's default
// of a minute would cut it short.
func (w *ExportRecordsWorker) Timeout(*river.Job[ExportRecordsArgs]) time.Duration { return time.Hour }

func (w *ExportRecordsWorker) Work(ctx context.Context, job *river.Job[ExportRecordsArgs]) error {
	return w.Exporter.RunExport(ctx, job.Args.ExportID, job.Attempt >= job.MaxAttempts)
}

// PurgeExportsArgs deletes the record exports, and their files, that have
// expired. It runs every hour.
type PurgeExportsArgs struct{}

func (PurgeExportsArgs) Kind() string { return "exports_purge" }

type PurgeExportsWorker struct {
	river.WorkerDefaults[PurgeExportsArgs]
	Store  store.Store
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Timeout: deletes expired rows and their files.
func (w *PurgeExportsWorker) Timeout(*river.Job[PurgeExportsArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *PurgeExportsWorker) Work(ctx context.Context, _ *river.Job[PurgeExportsArgs]) error {
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
