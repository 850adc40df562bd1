// Package litestore implements store.Store on SQLite through modernc.org/sqlite
// (pure Go, no cgo), with River's riversqlite driver for jobs.
package litestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore/litedb"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// Store is a store.Store on one SQLite file.
type Store struct {
	queries
	store.RiverHost[*sql.Tx]
	db     *sql.DB // the one writer connection; River's too
	reader *sql.DB // read-only statements outside transactions
	path   string
	// writers hands the writer to InTx's callers, people's requests first
	// (gate.go). River's own statements on the writer do not pass it.
	writers *gate
	// MinFreeBytes is the free space below which Ready reports the
	// database unavailable: SQLite needs room for its WAL and temporary
	// files, and a save that hits a full disk fails.
	MinFreeBytes int64
}

// DefaultMinFreeBytes is Store.MinFreeBytes unless changed.
const DefaultMinFreeBytes = 64 << 20

// readers is how many connections serve reads alongside the writer.
const readers = 4

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database at path. It does not
// migrate; call MigrateUp.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("litestore: create %s: %w", dir, err)
		}
	}
	db := sql.OpenDB(newConnector(DSN(path)))
	// One connection: SQLite allows one writer, and River's SQLite driver
	// requires it. WAL keeps readers cheap on that connection.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("litestore: open %s: %w", path, err)
	}
	// Opened after the writer, which has created the file and set WAL.
	reader := sql.OpenDB(newConnector(DSN(path)))
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	return &Store{queries: queries{litedb.New(router{writer: db, reader: reader})}, db: db, reader: reader,
		writers: newGate(), path: path, MinFreeBytes: DefaultMinFreeBytes}, nil
}

// DSN is the modernc connection string for path: foreign keys on, a busy
// timeout, WAL, UTC times in SQLite's own format (so date() works on them),
// and BEGIN IMMEDIATE so writers queue instead of failing mid-transaction.
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(5000)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func (s *Store) Engine() store.Engine           { return store.SQLite }
func (s *Store) Ping(ctx context.Context) error { return mapErr(s.reader.PingContext(ctx)) }

func (s *Store) Close() error {
	rerr := s.reader.Close()
	if err := s.db.Close(); err != nil {
		return err
	}
	return rerr
}

func (s *Store) Optimize(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "PRAGMA optimize")
	return err
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// DB exposes the pool for tests and benchmarks that need raw SQL.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.writers.acquire(ctx, store.IsInteractive(ctx)); err != nil {
		return mapErr(err)
	}
	defer s.writers.release()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	if err := fn(&txStore{queries: queries{litedb.New(tx)}, tx: tx, host: &s.RiverHost}); err != nil {
		_ = tx.Rollback()
		return mapErr(err) // River's inserts are not mapped on their way out
	}
	return mapErr(tx.Commit())
}

type txStore struct {
	queries
	tx   *sql.Tx
	host *store.RiverHost[*sql.Tx]
}

func (t *txStore) InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return t.host.InsertJobTx(ctx, t.tx, args, opts)
}

func (t *txStore) CompleteJob(ctx context.Context, job *rivertype.JobRow) error {
	_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, t.tx, &river.Job[store.CompletedJob]{JobRow: job})
	return err
}

func (s *Store) MigrateUp(ctx context.Context) error {
	p, err := store.NewMigrationProvider(s.db, store.SQLite)
	if err != nil {
		return err
	}
	if err := store.MigrateUp(ctx, "litestore", p, riversqlite.New(s.db)); err != nil {
		return s.afterFailedMigration(err)
	}
	return nil
}

func (s *Store) MigrateDown(ctx context.Context) error {
	p, err := store.NewMigrationProvider(s.db, store.SQLite)
	if err != nil {
		return err
	}
	if _, err = p.Down(ctx); err != nil {
		return s.afterFailedMigration(err)
	}
	return nil
}

// afterFailedMigration undoes what a failed NO TRANSACTION migration (a
// table rebuild: foreign keys off, BEGIN, ..., COMMIT, foreign keys on)
// leaves on the one writer connection: its open transaction, rolled back so
// the old table stays, and foreign keys off. ROLLBACK without a transaction
// is an error of no interest.
func (s *Store) afterFailedMigration(err error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _ = s.db.ExecContext(ctx, "ROLLBACK")
	if _, ferr := s.db.ExecContext(ctx, "PRAGMA foreign_keys = ON"); ferr != nil {
		return errors.Join(err, fmt.Errorf("litestore: foreign keys back on: %w", ferr))
	}
	return err
}

func (s *Store) MigrationStatus(ctx context.Context) ([]store.MigrationState, error) {
	p, err := store.NewMigrationProvider(s.db, store.SQLite)
	if err != nil {
		return nil, err
	}
	return store.MigrationStates(ctx, p)
}

func (s *Store) MigrationsPending(ctx context.Context) (bool, error) {
	// On a read connection: a probe must not wait for the writer.
	p, err := store.NewMigrationProvider(s.reader, store.SQLite)
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	return pending, mapErr(err)
}

func (s *Store) ConfigureJobs(cfg store.JobsConfig) error {
	return s.Configure(riversqlite.New(s.db), cfg)
}
