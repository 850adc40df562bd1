package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"clinaudit/schema"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
)

// MigrateUp is every engine's MigrateUp: the schema's migrations (p), then
// River's tables (driver). name prefixes the errors ("pgstore").
func MigrateUp[TTx any](ctx context.Context, name string, p *goose.Provider, driver riverdriver.Driver[TTx]) error {
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("%s: migrate: %w", name, err)
	}
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("%s: river migrate: %w", name, err)
	}
	return nil
}

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
