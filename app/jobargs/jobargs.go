// Package jobargs lists every background job clinaudit runs: each job's
// River arguments, its kind, how it is inserted, and the small helpers that
// queue it. It imports only River and the standard library, so any package
// may queue a job (usually in the transaction of the change that causes it)
// without importing its worker. The workers live beside their domains and
// are all registered in one place, jobs/jobs.go.
package jobargs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Inserter inserts a job: a store.Store on its own, a store.Tx in its
// transaction.
type Inserter interface {
	InsertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// unfinished are the states in which a job coalesces a later insert of the
// same arguments.
var unfinished = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// ScoreKPIArgs rescores one child's KPIs (answers.ScoreWorker).
// scorequeue.Later inserts it, at most one waiting per child (its
// kpi_score_queue row does that, more cheaply than River's unique insert),
// and says what makes it coalesced but never lost.
type ScoreKPIArgs struct {
	ChildID int64 `json:"child_id"`
}

func (ScoreKPIArgs) Kind() string { return "kpi_score" }

// RecalculateKPIsArgs rescores every child's KPIs under the current rules
// (after a rule change), recording its progress in the kpi_recalculations
// row it names (answers.RecalculateWorker). A national administrator asks
// for it.
type RecalculateKPIsArgs struct {
	RecalculationID int64 `json:"recalculation_id"`
}

func (RecalculateKPIsArgs) Kind() string { return "kpi_recalculate" }

// ReconcileKPIsArgs finds the children whose stored KPI results are stale
// and rescores them (answers.ReconcileWorker): results missing, of an older
// version of the child or of the rules, or valid only until a date that has
// come (a birthday, the end of a first year of care, a deadline: package
// validity). It runs daily and at start-up, and when a national
// administrator asks on the KPI recalculation page. It repairs what the
// kpi_score job cannot know about (time passing) and anything a lost or
// failed job left behind.
type ReconcileKPIsArgs struct{}

func (ReconcileKPIsArgs) Kind() string { return "kpi_reconcile" }

// InsertOpts: one waiting or running reconciliation at a time.
func (ReconcileKPIsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: unfinished}}
}

// ReconcileNow queues a reconciliation at once (the recalculation page);
// asking again while one waits adds nothing.
func ReconcileNow(ctx context.Context, j Inserter) error {
	return j.InsertJob(ctx, ReconcileKPIsArgs{}, nil)
}

// AggregateDelay is how long after a child is scored its cohort's figures
// are recomputed: a burst of saves within it makes one run.
const AggregateDelay = 30 * time.Second

// AggregateArgs aggregates one cohort's KPI figures (aggregate.Worker,
// docs/aggregation.md), or every current cohort when Cohort is 0. It runs
// on a schedule (the --aggregate-every setting), AggregateDelay after
// children are scored (AggregateSoon) and when an administrator asks
// (AggregateNow).
type AggregateArgs struct {
	Cohort int64 `json:"cohort,omitempty"`
}

func (AggregateArgs) Kind() string { return "kpi_aggregate" }

// InsertOpts makes the job unique per cohort argument and AggregateDelay
// window of its scheduled time, among jobs not yet finished: saves within
// one window queue one run, and a save during a run (whose window has
// passed) queues the next. A run that fails is retried twice; the next
// periodic run comes anyway.
func (AggregateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: AggregateDelay, ByState: unfinished}}
}

// AggregateSoon queues an aggregation of cohort c (0: every current
// cohort) for AggregateDelay after now, unless one is queued for then
// already.
func AggregateSoon(ctx context.Context, j Inserter, now time.Time, c int64) error {
	return j.InsertJob(ctx, AggregateArgs{Cohort: c}, &river.InsertOpts{ScheduledAt: now.Add(AggregateDelay)})
}

// AggregateNow queues an aggregation of cohort c (0: every current cohort)
// to run at once, for an administrator's "recompute now"; asking again
// before it has run adds nothing. The figures change when the job commits:
// aggregate.Current's ComputedAt says when.
func AggregateNow(ctx context.Context, j Inserter, c int64) error {
	return j.InsertJob(ctx, AggregateArgs{Cohort: c}, nil)
}

// SendEmailArgs delivers one queued message, email or SMS
// (delivery.Worker); outbox.Enqueue inserts it with the message. The
// name and kind are from when the outbox held only email.
type SendEmailArgs struct {
	EmailID int64 `json:"email_id"`
}

func (SendEmailArgs) Kind() string { return "email_send" }

// InsertOpts: River retries with exponential backoff; ten attempts span
// about a day, long enough to ride out a mail server's outage.
func (SendEmailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// ResetRequestArgs answers a "forgot password" request
// (auth.ResetRequestWorker). The page only queues it, the same one insert
// whatever the email, so neither its answer nor its timing tells whether an
// account exists.
type ResetRequestArgs struct {
	Email     string `json:"email"`
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent"`
}

func (ResetRequestArgs) Kind() string { return "password_reset_request" }

func (ResetRequestArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// PurgeSessionsArgs deletes sessions that have ended, so the table only
// holds live ones, and sign-in counts that have lapsed
// (auth.PurgeSessionsWorker).
type PurgeSessionsArgs struct{}

func (PurgeSessionsArgs) Kind() string { return "sessions_purge" }

// PurgeAuthTokensArgs deletes the emailed single-use secrets (invite and
// reset links, sign-in codes) that are used or expired
// (auth.PurgeTokensWorker).
type PurgeAuthTokensArgs struct{}

func (PurgeAuthTokensArgs) Kind() string { return "auth_tokens_purge" }

// PurgeChildrenArgs removes for good the children deleted more than 30 days
// ago (children.RestoreWindow), with every row that hangs off them
// (children.NewPurgeWorker). A child is purged by the first run after its
// restore window ends.
type PurgeChildrenArgs struct{}

func (PurgeChildrenArgs) Kind() string { return "children_purge" }

// PurgeRegistryArgs removes for good the registry's patients and contacts
// deleted more than 30 days ago (registry.RestoreWindow), with their
// findings, relationships and trail, and the relationships deleted as made
// by mistake (registry.NewPurgeWorker, docs/registry.md).
type PurgeRegistryArgs struct{}

func (PurgeRegistryArgs) Kind() string { return "registry_purge" }

// LockReviewArgs is the one-off review of records locked before locking
// needed a complete audit (schema 00019): it unlocks those still
// incomplete, with a trail entry (answers.LockReviewWorker). Its queue
// empties on the first run, so later runs read one empty table.
type LockReviewArgs struct{}

func (LockReviewArgs) Kind() string { return "children_lock_review" }

// PurgeRecordViewsArgs deletes the record-view log's rows older than
// --record-view-retention (recordviews.NewPurgeWorker).
type PurgeRecordViewsArgs struct{}

func (PurgeRecordViewsArgs) Kind() string { return "record_views_purge" }

// ExportRecordsArgs writes the file of one record export (docs/exports.md,
// export.Worker): the children's audit records its owner asked for. The
// request row and this job are inserted in one transaction (export.Ask).
type ExportRecordsArgs struct {
	ExportID int64 `json:"export_id"`
}

func (ExportRecordsArgs) Kind() string { return "records_export" }

// InsertOpts: three attempts; the last one's failure is the export's.
func (ExportRecordsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// PurgeExportsArgs deletes the record exports, and their files, that have
// expired (export.NewPurgeWorker).
type PurgeExportsArgs struct{}

func (PurgeExportsArgs) Kind() string { return "exports_purge" }

// OptimizeArgs asks the database to refresh its query-planner statistics
// (store.OptimizeWorker).
type OptimizeArgs struct{}

func (OptimizeArgs) Kind() string { return "database_optimize" }

// SurveyRemindersArgs reminds the contacts who have not finished an open
// survey (survey.ReminderWorker, docs/surveys.md); it runs every hour.
type SurveyRemindersArgs struct{}

func (SurveyRemindersArgs) Kind() string { return "survey_reminders" }

// InsertOpts: one waiting or running at a time.
func (SurveyRemindersArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: unfinished}}
}

// ExtractFileArgs reads one uploaded genetic report and proposes the
// variants it states (files.ExtractWorker). Inserted in the upload's
// transaction.
type ExtractFileArgs struct {
	FileID int64 `json:"file_id"`
}

func (ExtractFileArgs) Kind() string { return "file_extract" }

// PurgeFilesArgs removes, daily, the objects and rows of files whose
// record was deleted more than its restore window ago (files.PurgeDeleted).
type PurgeFilesArgs struct{}

func (PurgeFilesArgs) Kind() string { return "files_purge" }

// PurgeAPIIdempotencyArgs deletes the API's idempotency keys past their
// 24 hours and the expired tokens issued to OAuth clients
// (api.NewPurgeWorker, docs/api.md).
type PurgeAPIIdempotencyArgs struct{}

func (PurgeAPIIdempotencyArgs) Kind() string { return "api_idempotency_purge" }

// FamilySignInArgs answers a family's sign-in request
// (auth.FamilySignInWorker): an email with a one-time link and code when
// the address belongs to an active family account of the registry,
// nothing otherwise. The page only queues it, the same one insert whatever
// the email, so neither its answer nor its timing tells who has an account.
type FamilySignInArgs struct {
	Registry  string `json:"registry"`
	Email     string `json:"email"`
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent"`
}

func (FamilySignInArgs) Kind() string { return "family_sign_in_request" }

func (FamilySignInArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }
