package store

import "context"

// Inspector is what `clinaudit verify` asks of a database beyond its
// queries: the engine's own checks, written by hand for each engine (they
// read the catalogue, which sqlc does not model). Both adapters implement it.
type Inspector interface {
	// AppliedMigrations lists the versions of ours the database records as
	// applied (goose's table), oldest first. It fails, without creating
	// anything, when the table is missing: the file is not clinaudit's.
	AppliedMigrations(ctx context.Context) ([]int64, error)
	// IntegrityProblems is SQLite's PRAGMA integrity_check (nothing when it
	// says ok); on PostgreSQL, the indexes left invalid.
	IntegrityProblems(ctx context.Context) ([]string, error)
	// ForeignKeyProblems lists the rows whose reference points at nothing.
	ForeignKeyProblems(ctx context.Context) ([]string, error)
	// TableRows counts the rows of every table, by name.
	TableRows(ctx context.Context) ([]TableCount, error)
}

// TableCount is one table and its number of rows.
type TableCount struct {
	Table string
	Rows  int64
}
