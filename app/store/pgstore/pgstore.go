// Package pgstore implements store.Store on PostgreSQL through pgx v5, with
// River's riverpgxv5 driver for jobs.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/pgstore/pgdb"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// Store is a store.Store on a PostgreSQL database.
type Store struct {
	queries
	store.RiverHost[pgx.Tx]
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (postgres://…). It does not migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The error text can echo the URL, password included: keep it out.
		return nil, errors.New("pgstore: the database URL is not a valid postgres:// URL")
	}
	poolDefaults(cfg, url)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return &Store{queries: queries{pgdb.New(pool)}, pool: pool}, nil
}

// poolDefaults shortens pgx's defaults so that after a database restart the
// pool drops dead connections and reconnects within seconds rather than a
// minute, and a connection attempt to a server that does not answer fails
// in seconds rather than at the request's deadline. Settings given in the
// URL (pool_health_check_period, connect_timeout) win.
func poolDefaults(cfg *pgxpool.Config, url string) {
	if !strings.Contains(url, "pool_health_check_period") {
		cfg.HealthCheckPeriod = 5 * time.Second
	}
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
}

func (s *Store) Engine() store.Engine           { return store.Postgres }
func (s *Store) Ping(ctx context.Context) error { return mapErr(s.pool.Ping(ctx)) }

// Ready is Ping: PostgreSQL itself refuses work it cannot do (a full disk
// fails the write with its own error, mapped to ErrUnavailable), and its
// free space is on the database server, not here.
func (s *Store) Ready(ctx context.Context) error { return s.Ping(ctx) }
func (s *Store) Close() error                    { s.pool.Close(); return nil }

// Optimize does nothing: autovacuum keeps PostgreSQL's statistics fresh.
func (s *Store) Optimize(context.Context) error { return nil }

// Pool exposes the pool for tests and benchmarks that need raw SQL.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return mapErr(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(&txStore{queries: queries{pgdb.New(tx)}, tx: tx, host: &s.RiverHost})
	}))
}

type txStore struct {
	queries
	tx   pgx.Tx
	host *store.RiverHost[pgx.Tx]
}

func (t *txStore) InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return t.host.InsertJobTx(ctx, t.tx, args, opts)
}

func (t *txStore) CompleteJob(ctx context.Context, job *rivertype.JobRow) error {
	_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, t.tx, &river.Job[store.CompletedJob]{JobRow: job})
	return err
}

func (s *Store) migrations() (*goose.Provider, func() error, error) {
	db := stdlib.OpenDBFromPool(s.pool)
	// A session lock lets several replicas start at once without racing.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	p, err := store.NewMigrationProvider(db, store.Postgres, goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return p, db.Close, nil
}

func (s *Store) MigrateUp(ctx context.Context) error {
	p, closeDB, err := s.migrations()
	if err != nil {
		return err
	}
	defer closeDB()
	return store.MigrateUp(ctx, "pgstore", p, riverpgxv5.New(s.pool))
}

func (s *Store) MigrateDown(ctx context.Context) error {
	p, closeDB, err := s.migrations()
	if err != nil {
		return err
	}
	defer closeDB()
	_, err = p.Down(ctx)
	return err
}

func (s *Store) MigrationStatus(ctx context.Context) ([]store.MigrationState, error) {
	p, closeDB, err := s.migrations()
	if err != nil {
		return nil, err
	}
	defer closeDB()
	return store.MigrationStates(ctx, p)
}

func (s *Store) MigrationsPending(ctx context.Context) (bool, error) {
	p, closeDB, err := s.migrations()
	if err != nil {
		return false, err
	}
	defer closeDB()
	pending, err := p.HasPending(ctx) // takes no session lock
	return pending, mapErr(err)
}

func (s *Store) ConfigureJobs(cfg store.JobsConfig) error {
	return s.Configure(riverpgxv5.New(s.pool), cfg)
}
