package store

import (
	"context"
	"time"
)

// RegistryOnboardingQueries hold families' onboarding submissions and
// consent in the patient registry (schema 00026 and 00027,
// queries/shared/registry_onboarding.sql and registry_consent.sql,
// docs/registry.md). app/registry is their only writer.
type RegistryOnboardingQueries interface {
	// InsertOnboardingSubmission stores a submission and returns its id.
	// Errors: ErrConflict naming token_hash (a repeated token: never in
	// practice).
	InsertOnboardingSubmission(ctx context.Context, arg InsertOnboardingSubmissionParams) (int64, error)
	// GetOnboardingSubmission returns one submission. Errors: ErrNotFound.
	GetOnboardingSubmission(ctx context.Context, id int64) (OnboardingSubmission, error)
	// GetOnboardingByToken returns the submission of a link's token hash.
	// Errors: ErrNotFound.
	GetOnboardingByToken(ctx context.Context, tokenHash string) (OnboardingSubmission, error)
	// ListPendingOnboardingForEmail lists an email's unverified, unexpired
	// submissions, newest first (five at most).
	ListPendingOnboardingForEmail(ctx context.Context, arg ListPendingOnboardingForEmailParams) ([]OnboardingSubmission, error)
	// MarkOnboardingVerified verifies a pending, unexpired submission: 1
	// row the first time, 0 after.
	MarkOnboardingVerified(ctx context.Context, arg MarkOnboardingVerifiedParams) (int64, error)
	// CountOnboardingCodeFailure counts one wrong code typed for a submission.
	CountOnboardingCodeFailure(ctx context.Context, id int64) (int64, error)
	// ListOnboardingSubmissions is a page of one status's submissions, oldest first.
	ListOnboardingSubmissions(ctx context.Context, arg ListOnboardingSubmissionsParams) ([]OnboardingSubmission, error)
	// CountOnboardingSubmissions counts one status's submissions.
	CountOnboardingSubmissions(ctx context.Context, arg CountOnboardingSubmissionsParams) (int64, error)
	// DecideOnboardingSubmission decides a verified submission: 1 row the
	// first time, 0 after (or when it is not verified).
	DecideOnboardingSubmission(ctx context.Context, arg DecideOnboardingSubmissionParams) (int64, error)
	// ListOnboardingForEmail lists every submission of one email, oldest first.
	ListOnboardingForEmail(ctx context.Context, arg ListOnboardingForEmailParams) ([]OnboardingSubmission, error)
	// PurgeUnverifiedOnboarding deletes submissions never verified, made before a time.
	PurgeUnverifiedOnboarding(ctx context.Context, before time.Time) (int64, error)
	// PurgeDecidedOnboarding deletes submissions decided before a time.
	PurgeDecidedOnboarding(ctx context.Context, before *time.Time) (int64, error)

	// InsertConsentVersion publishes a consent text and returns its id.
	// Errors: ErrConflict naming the version (published at the same moment).
	InsertConsentVersion(ctx context.Context, arg InsertConsentVersionParams) (int64, error)
	// GetConsentVersion returns one version. Errors: ErrNotFound.
	GetConsentVersion(ctx context.Context, id int64) (ConsentVersion, error)
	// GetCurrentConsentVersion returns a registry's latest version.
	// Errors: ErrNotFound (none published).
	GetCurrentConsentVersion(ctx context.Context, registryID int64) (ConsentVersion, error)
	// ListConsentVersions lists a registry's versions, newest first.
	ListConsentVersions(ctx context.Context, registryID int64) ([]ConsentVersion, error)
	// InsertPatientConsent records a consent statement and returns its id.
	InsertPatientConsent(ctx context.Context, arg InsertPatientConsentParams) (int64, error)
	// GetCurrentPatientConsent returns the consent in force of a patient.
	// Errors: ErrNotFound (none recorded).
	GetCurrentPatientConsent(ctx context.Context, patientID int64) (PatientConsent, error)
	// ListPatientConsents lists a patient's consent statements, newest first.
	ListPatientConsents(ctx context.Context, patientID int64) ([]PatientConsent, error)
	// ListReconsentRecipients lists the contacts to ask to consent again
	// to a version.
	ListReconsentRecipients(ctx context.Context, arg ListReconsentRecipientsParams) ([]ReconsentRecipient, error)
	// ListConsentDeletionsDue lists patients a withdrawal has made due for deletion.
	ListConsentDeletionsDue(ctx context.Context, arg ListConsentDeletionsDueParams) ([]int64, error)
	// GetRegistrySettings returns a registry's settings. Errors:
	// ErrNotFound (never saved: the defaults apply).
	GetRegistrySettings(ctx context.Context, registryID int64) (RegistrySettings, error)
	// UpsertRegistrySettings saves a registry's settings.
	UpsertRegistrySettings(ctx context.Context, arg UpsertRegistrySettingsParams) error
	// ListRegistryEntityChanges is one record's own trail, newest first.
	ListRegistryEntityChanges(ctx context.Context, arg ListRegistryEntityChangesParams) ([]RegistryChange, error)
}
