package store

import "context"

// ReportQueries feed the registry's reports and the audit's demographics
// (app/report, docs/reporting.md), and hold the postcode deprivation
// lookup the operator loads (schema 00034, docs/reference-data.md). They
// return codes and counts, never a name or an identifier.
type ReportQueries interface {
	// DeletePostcodeDeprivation empties the deprivation lookup.
	DeletePostcodeDeprivation(ctx context.Context) error
	// InsertPostcodeDeprivation writes one postcode's deprivation (replacing it).
	InsertPostcodeDeprivation(ctx context.Context, arg InsertPostcodeDeprivationParams) error
	// CountPostcodeDeprivation counts the lookup's postcodes.
	CountPostcodeDeprivation(ctx context.Context) (int64, error)

	// ListRegistryReportPatients lists what the reports count of each
	// patient of a registry not deleted.
	ListRegistryReportPatients(ctx context.Context, registryID int64) ([]RegistryReportPatient, error)
	// CountRegistryFindings counts a registry's findings (of patients not
	// deleted) by gene and classification.
	CountRegistryFindings(ctx context.Context, registryID int64) ([]RegistryFindingCount, error)
	// CountRegistryConsents counts a registry's patients (not deleted) by
	// their consent in force: version and answers.
	CountRegistryConsents(ctx context.Context, registryID int64) ([]RegistryConsentCount, error)
	// CountRegistryPatientsWithoutConsent counts a registry's patients (not
	// deleted) with no consent on record.
	CountRegistryPatientsWithoutConsent(ctx context.Context, registryID int64) (int64, error)

	// CountChildDemographics counts a cohort's registered children by lead
	// organisation, sex, ethnicity, age at first assessment and quintile.
	CountChildDemographics(ctx context.Context, cohort *int64) ([]ChildDemographicCount, error)
}
