package store

import "context"

// FileQueries hold stored files, their downloads and what the extraction
// job proposed from them (schema 00030, 00031, queries/shared/files.sql,
// docs/files.md). app/files is their only writer: it authorises every
// call against the file's record first.
type FileQueries interface {
	// InsertFile adds a file's row and returns its id. Errors: ErrConflict
	// naming object_name.
	InsertFile(ctx context.Context, arg InsertFileParams) (int64, error)
	// GetFile returns a file, deleted or not. Errors: ErrNotFound.
	GetFile(ctx context.Context, id int64) (File, error)
	// ListFilesOf lists a record's files that are not deleted, newest first.
	ListFilesOf(ctx context.Context, arg ListFilesOfParams) ([]File, error)
	// SetFileExtraction records how reading a file went.
	SetFileExtraction(ctx context.Context, arg SetFileExtractionParams) (int64, error)
	// SoftDeleteFilesOf deletes a record's files with the record.
	SoftDeleteFilesOf(ctx context.Context, arg SoftDeleteFilesOfParams) (int64, error)
	// RestoreFilesOf brings back a record's files with the record.
	RestoreFilesOf(ctx context.Context, arg RestoreFilesOfParams) (int64, error)
	// ListFilesToPurge lists files deleted before Before, oldest id first.
	ListFilesToPurge(ctx context.Context, arg ListFilesToPurgeParams) ([]FileObject, error)
	// ListFileKeys lists files after AfterID by id, for key rotation.
	ListFileKeys(ctx context.Context, arg ListFileKeysParams) ([]FileObject, error)
	// UpdateFileKey rewraps a file's data key; 0 rows when its key is no
	// longer OldKeyID.
	UpdateFileKey(ctx context.Context, arg UpdateFileKeyParams) (int64, error)
	// DeleteFile removes a file's row for good, with its downloads and
	// proposals.
	DeleteFile(ctx context.Context, id int64) (int64, error)
	// InsertFileDownload logs one download.
	InsertFileDownload(ctx context.Context, arg InsertFileDownloadParams) error
	// ListFileDownloads lists a file's downloads, newest first.
	ListFileDownloads(ctx context.Context, arg ListFileDownloadsParams) ([]FileDownload, error)
	// InsertFileProposal adds a proposal and returns its id.
	InsertFileProposal(ctx context.Context, arg InsertFileProposalParams) (int64, error)
	// DeleteFileProposals removes a file's undecided proposals.
	DeleteFileProposals(ctx context.Context, fileID int64) (int64, error)
	// GetFileProposal returns a proposal with its file's owner. Errors:
	// ErrNotFound.
	GetFileProposal(ctx context.Context, id int64) (FileProposal, error)
	// ListFileProposalsOf lists a record's undecided proposals, from files
	// not deleted.
	ListFileProposalsOf(ctx context.Context, arg ListFileProposalsOfParams) ([]FileProposal, error)
	// DecideFileProposal confirms or rejects a proposal; 0 rows when it was
	// decided already.
	DecideFileProposal(ctx context.Context, arg DecideFileProposalParams) (int64, error)
}

// The kinds of record a file belongs to (files.owner_kind).
const (
	FileOwnerRegistryPatient = "registry_patient"
	FileOwnerChild           = "child"
)
