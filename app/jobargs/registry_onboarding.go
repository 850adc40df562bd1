package jobargs

// Jobs of families joining the registry (issue 17, docs/registry.md).

// PurgeOnboardingArgs removes onboarding submissions never verified after
// 7 days and decided ones 30 days after the decision, and deletes the
// patients withdrawn under the "delete" policy whose period has ended
// (registry.NewOnboardingPurgeWorker).
type PurgeOnboardingArgs struct{}

func (PurgeOnboardingArgs) Kind() string { return "registry_onboarding_purge" }

// RegistryReconsentArgs emails the contacts of every patient taking part
// under a consent version older than Version, asking them to consent
// again (registry.ReconsentWorker). PublishConsent inserts it with the new
// version.
type RegistryReconsentArgs struct {
	RegistryID int64 `json:"registry_id"`
	Version    int64 `json:"version"`
}

func (RegistryReconsentArgs) Kind() string { return "registry_reconsent" }
