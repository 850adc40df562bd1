package store

import (
	"context"
	"time"
)

// RecordExportQueries keep record-level exports and their files (schema
// 00013, queries/shared/record_exports.sql). app/export runs them: a
// request row and its job are inserted together, the job writes the file
// in chunks, and its owner downloads it until it expires.
type RecordExportQueries interface {
	// InsertRecordExport records a pending export and returns its id.
	InsertRecordExport(ctx context.Context, arg InsertRecordExportParams) (int64, error)
	// CountUnfinishedRecordExports counts a user's pending and running
	// exports.
	CountUnfinishedRecordExports(ctx context.Context, userID int64) (int64, error)
	// GetRecordExport returns ErrNotFound for an unknown (or purged) id.
	GetRecordExport(ctx context.Context, id int64) (RecordExport, error)
	// ListRecordExports is a user's exports, newest first.
	ListRecordExports(ctx context.Context, arg ListRecordExportsParams) ([]RecordExport, error)
	// StartRecordExport marks an export running and clears its error.
	StartRecordExport(ctx context.Context, arg StartRecordExportParams) error
	// DeleteRecordExportChunks deletes an export's file (before a retry
	// writes it again).
	DeleteRecordExportChunks(ctx context.Context, exportID int64) error
	// InsertRecordExportChunk stores one chunk of the file; ErrConflict when
	// the export has that chunk already.
	InsertRecordExportChunk(ctx context.Context, arg InsertRecordExportChunkParams) error
	// GetRecordExportChunk returns ErrNotFound past the last chunk.
	GetRecordExportChunk(ctx context.Context, arg GetRecordExportChunkParams) ([]byte, error)
	// FinishRecordExport marks an export ready with its file's figures.
	FinishRecordExport(ctx context.Context, arg FinishRecordExportParams) error
	// RetryRecordExport puts a failed attempt back to pending, with why.
	RetryRecordExport(ctx context.Context, arg RetryRecordExportParams) error
	// FailRecordExport gives up on an export, with why.
	FailRecordExport(ctx context.Context, arg FailRecordExportParams) error
	// DeleteExpiredRecordExports deletes the exports (and files) that
	// expired at or before now.
	DeleteExpiredRecordExports(ctx context.Context, now time.Time) (int64, error)
}
