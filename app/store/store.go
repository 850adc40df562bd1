// Package store defines clinaudit's data layer: the domain types it reads and
// writes, the Store and Tx interfaces the rest of the app talks to, and the
// error contract. Two adapters implement it, litestore (SQLite, the embedded
// default) and pgstore (PostgreSQL), and one conformance suite (storetest)
// holds both to the same behaviour.
package store

import (
	"context"
	"errors"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Errors every Store method may return. Adapters map driver errors onto them
// so callers never see engine-specific errors.
var (
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means a uniqueness or version check failed.
	ErrConflict = errors.New("store: conflict")
	// ErrUnavailable (unavailable.go) means the database cannot do the
	// work now; retry shortly.

	// ErrJobsNotConfigured means InsertJob was called before ConfigureJobs.
	ErrJobsNotConfigured = errors.New("store: jobs are not configured")
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"   // litestore
	Postgres Engine = "postgres" // pgstore
)

// Queries are the reads and writes available both on the Store (each in its
// own implicit transaction) and inside a Tx.
//
// Errors: any method may return ErrUnavailable (retry shortly) or the
// context's error; a method's doc names any other error it returns. A read
// of one row returns ErrNotFound when there is none; a read of many returns
// an empty slice, never ErrNotFound. Updates and deletes of rows that are
// not there succeed, changing nothing (those that return a row count say 0).
type Queries interface {
	AccountQueries
	UserAdminQueries
	SignInLimitQueries
	APITokenQueries
	ChildQueries
	AnswerQueries
	KPIResultQueries
	KPIScoreQueueQueries
	KPIAggregateQueries
	KPIRecalculationQueries
	KPIPublicationQueries
	RecordExportQueries
	ChildLifecycleQueries
	ChildChangeQueries
	ChildProgressQueries
	RegistryQueries
	ReportQueries
	RegistryOnboardingQueries
	NotificationQueries
	SMSFactorQueries
	SurveyQueries
	FileQueries
	FamilyQueries

	// GetMeta returns a setting of app_meta; ErrNotFound when it is unset.
	GetMeta(ctx context.Context, key string) (string, error)
	// SetMeta creates or replaces a setting.
	SetMeta(ctx context.Context, arg SetMetaParams) error

	// The Upsert* methods create or update one reference row by its code
	// (refdata.Load, from app/refdata/data).
	//
	// UpsertCountry writes a country.
	UpsertCountry(ctx context.Context, arg UpsertCountryParams) error
	// UpsertRegion writes an NHS England region.
	UpsertRegion(ctx context.Context, arg UpsertRegionParams) error
	// UpsertICB writes an integrated care board.
	UpsertICB(ctx context.Context, arg UpsertICBParams) error
	// UpsertHealthBoard writes a Welsh local health board.
	UpsertHealthBoard(ctx context.Context, arg UpsertHealthBoardParams) error
	// UpsertNetwork writes an OPEN UK network.
	UpsertNetwork(ctx context.Context, arg UpsertNetworkParams) error
	// UpsertLondonBorough writes a London borough.
	UpsertLondonBorough(ctx context.Context, arg UpsertLondonBoroughParams) error
	// UpsertTrust writes a trust.
	UpsertTrust(ctx context.Context, arg UpsertTrustParams) error
	// UpsertOrganisation writes an organisation (audit site).
	UpsertOrganisation(ctx context.Context, arg UpsertOrganisationParams) error
	// UpsertSyndrome writes a syndrome.
	UpsertSyndrome(ctx context.Context, arg UpsertSyndromeParams) error
	// UpsertMedicine writes a medicine (never updates: name and kind are the key).
	UpsertMedicine(ctx context.Context, arg UpsertMedicineParams) error
	// UpsertKeyword writes a semiology keyword.
	UpsertKeyword(ctx context.Context, arg UpsertKeywordParams) error
	// UpsertCauseCategory writes an epilepsy cause category.
	UpsertCauseCategory(ctx context.Context, arg UpsertCauseCategoryParams) error

	// CountReferenceData counts the rows of each reference table.
	CountReferenceData(ctx context.Context) (ReferenceCounts, error)
	// ListAuditCountries lists the countries whose organisations take part.
	ListAuditCountries(ctx context.Context) ([]Country, error)
	// GetOrganisationByODS returns ErrNotFound for an unknown code.
	GetOrganisationByODS(ctx context.Context, odsCode string) (Organisation, error)
	// ListOrganisations is a page of the organisation directory, by name.
	ListOrganisations(ctx context.Context, arg ListOrganisationsParams) ([]Organisation, error)
	// CountOrganisations counts the directory as ListOrganisations filters it.
	CountOrganisations(ctx context.Context, arg CountOrganisationsParams) (int64, error)
}

// Tx is one database transaction. Jobs inserted through it are committed or
// rolled back together with the data change that caused them.
type Tx interface {
	Queries
	// InsertJob enqueues a River job in this transaction.
	InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
	// CompleteJob marks the running job (of the worker whose context ctx
	// is) completed in this transaction, so that its completion commits
	// with the work it did: a job unique while running (kpi_score) then
	// absorbs no change made after its last read.
	CompleteJob(ctx context.Context, job *rivertype.JobRow) error
}

// Store is the whole data layer of one database.
type Store interface {
	Queries
	// InTx runs fn in one transaction, committed when fn returns nil and
	// rolled back otherwise. fn must use only the Tx it is given.
	InTx(ctx context.Context, fn func(Tx) error) error

	// Engine says which adapter this is.
	Engine() Engine
	// Ping checks that the database answers (ErrUnavailable when it
	// cannot be reached).
	Ping(ctx context.Context) error
	// Ready reports whether the database can take saves now; an error
	// wraps ErrUnavailable when it cannot (unreachable, disk nearly full).
	Ready(ctx context.Context) error
	// Close stops using the database (stop the jobs first: StopJobs).
	Close() error
	// Optimize refreshes the query planner's statistics where the engine
	// needs telling (SQLite); a no-op where it does this itself (PostgreSQL).
	Optimize(ctx context.Context) error

	Migrator
	JobHost
}

// Migrator applies the embedded goose migrations and River's own.
type Migrator interface {
	// MigrateUp applies every pending migration, ours and River's.
	MigrateUp(ctx context.Context) error
	// MigrateDown rolls back the most recent migration of ours.
	MigrateDown(ctx context.Context) error
	// MigrationStatus lists every known migration and whether it is applied.
	MigrationStatus(ctx context.Context) ([]MigrationState, error)
	// MigrationsPending reports whether any of our migrations is unapplied,
	// without the migration lock: for readiness probes, which come at
	// once from every balancer and must not queue behind each other.
	MigrationsPending(ctx context.Context) (bool, error)
}

// MigrationState is one migration and whether it has been applied.
type MigrationState struct {
	Version int64
	Source  string
	Applied bool
}

// Pending reports whether any migration in states is unapplied.
func Pending(states []MigrationState) bool {
	for _, s := range states {
		if !s.Applied {
			return true
		}
	}
	return false
}
