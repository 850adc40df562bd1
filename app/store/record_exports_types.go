package store

import "time"

// Record export types; they mirror the sqlc rows and params field for
// field (see types.go).

type InsertRecordExportParams struct {
	UserID         int64
	Format         string
	Deidentified   bool
	OrganisationID *int64
	Cohort         int64
	RequestedAt    time.Time
	ExpiresAt      time.Time
}

// RecordExport is one export request: what was asked for (Format,
// Deidentified, the organisation, 0 for every one in the owner's reach,
// and Cohort, 0 for every cohort), where it stands (Status pending,
// running, ready or failed; Error says why, for the owner) and the file
// (Children, Size uncompressed, Chunks).
type RecordExport struct {
	ID               int64
	UserID           int64
	Format           string
	Deidentified     bool
	OrganisationID   *int64
	Cohort           int64
	Status           string
	RequestedAt      time.Time
	StartedAt        *time.Time
	FinishedAt       *time.Time
	ExpiresAt        time.Time
	Children         int64
	Size             int64
	Chunks           int64
	Error            string
	Scope            *string // the reach the file was written for (schema 00022)
	OrganisationOds  string
	OrganisationName string
}

type ListRecordExportsParams struct {
	UserID  int64
	MaxRows int64
}

type StartRecordExportParams struct {
	StartedAt *time.Time
	ID        int64
}

type InsertRecordExportChunkParams struct {
	ExportID int64
	Seq      int64
	Data     []byte
}

type GetRecordExportChunkParams struct {
	ExportID int64
	Seq      int64
}

type FinishRecordExportParams struct {
	FinishedAt *time.Time
	Children   int64
	Size       int64
	Chunks     int64
	Scope      *string
	ID         int64
}

type RetryRecordExportParams struct {
	Error string
	ID    int64
}

type FailRecordExportParams struct {
	FinishedAt *time.Time
	Error      string
	ID         int64
}
