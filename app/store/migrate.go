package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"clinaudit/schema"

	"github.com/pressly/goose/v3"
)

// NewMigrationProvider returns goose's provider over the embedded migrations of
// the engine's dialect.
func NewMigrationProvider(db *sql.DB, engine Engine, opts ...goose.ProviderOption) (*goose.Provider, error) {
	dir, dialect := "sqlite", goose.DialectSQLite3
	if engine == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(schema.FS, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// MigrationStates reports the status of every migration the provider knows.
func MigrationStates(ctx context.Context, p *goose.Provider) ([]MigrationState, error) {
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationState{
			Version: s.Source.Version,
			Source:  s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}
